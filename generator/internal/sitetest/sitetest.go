// Package sitetest assembles a project's Site model for the tests of the
// packages that read it (export, search) without the build package, which
// imports them.
package sitetest

import (
	"os"
	"testing"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/site"
)

// AssembleDir parses and assembles the project in dir as a build does,
// without rendering it: the exports and the search index read the Site
// model alone.
func AssembleDir(t testing.TB, dir, baseURL string) *site.Site {
	t.Helper()
	fsys := os.DirFS(dir)
	src, err := os.ReadFile(dir + "/" + project.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg, errs := config.Parse(src, baseURL)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	parser := content.NewParser(content.Options{Types: cfg.TypeKeys(), Tracks: cfg.TrackKeys(), Roles: cfg.RoleKeys(), UnsafeHTML: cfg.UnsafeHTML})
	var lerrs diag.List
	files := project.ListFiles(fsys, project.ContentDir, &lerrs)
	var pages []*content.Page
	var md []string
	for _, f := range files {
		if len(f) < 3 || f[len(f)-3:] != ".md" {
			continue
		}
		b, err := os.ReadFile(dir + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		p, perrs := parser.Parse(f, b)
		lerrs = append(lerrs, perrs...)
		pages, md = append(pages, p), append(md, f)
	}
	s, aerrs := site.Assemble(cfg, pages, md, false, nil)
	if errs := append(lerrs, aerrs...); len(errs) > 0 {
		t.Fatal(errs)
	}
	return s
}
