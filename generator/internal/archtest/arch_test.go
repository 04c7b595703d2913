// Package archtest holds the test that ARCHITECTURE.md is a true map of
// the code: every package it names exists, every package is named, and no
// package imports a project package its row does not allow.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

const module = "github.com/unictimeline/sitegen/"

// row matches a line of the code map: | `generator/x` | job | types | may import |.
var row = regexp.MustCompile("^\\| `(generator[^`]*)` \\|(.*)\\|(.*)\\|(.*)\\|$")

// codeMap reads the packages ARCHITECTURE.md names and the project
// packages each may import, by path from the repository root.
func codeMap(t *testing.T, root string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]string{}
	for _, l := range strings.Split(string(b), "\n") {
		g := row.FindStringSubmatch(strings.TrimSpace(l))
		if g == nil {
			continue
		}
		var allowed []string
		for _, f := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(g[4], -1) {
			if f[1] == "generator" {
				allowed = append(allowed, f[1]) // the CLI package itself
			} else {
				allowed = append(allowed, "generator/"+f[1])
			}
		}
		m[g[1]] = allowed
	}
	if len(m) < 10 {
		t.Fatalf("ARCHITECTURE.md's code map names %d packages; it could not be read", len(m))
	}
	return m
}

// packages returns every Go package under generator/ with the project
// packages its non-test files import.
func packages(t *testing.T, root string) map[string][]string {
	t.Helper()
	pkgs := map[string][]string{}
	err := filepath.WalkDir(filepath.Join(root, "generator"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		if strings.Contains(rel, "/testdata") {
			return nil
		}
		if _, ok := pkgs[rel]; !ok {
			pkgs[rel] = nil
		}
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if dep, ok := strings.CutPrefix(path, module); ok && !slices.Contains(pkgs[rel], dep) {
				pkgs[rel] = append(pkgs[rel], dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestArchitectureMapIsTrue(t *testing.T) {
	root := testtool.RepoRoot(t)
	named, actual := codeMap(t, root), packages(t, root)
	for p := range named {
		if _, ok := actual[p]; !ok {
			t.Errorf("ARCHITECTURE.md names %s, which has no Go files", p)
		}
	}
	for p, deps := range actual {
		allowed, ok := named[p]
		if !ok {
			t.Errorf("package %s is not in ARCHITECTURE.md's code map", p)
			continue
		}
		for _, d := range deps {
			if !slices.Contains(allowed, d) {
				t.Errorf("%s imports %s, which ARCHITECTURE.md does not allow it", p, d)
			}
		}
	}
}
