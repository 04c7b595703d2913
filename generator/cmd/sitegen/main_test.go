package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/theme"
)

// install runs go install for this package with GOBIN set to a new
// folder, as a user would, and returns the folder.
func install(t *testing.T) string {
	t.Helper()
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", ".")
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	return gobin
}

// TestInstallNamesTheBinary: go install puts one binary named sitegen in
// GOBIN.
func TestInstallNamesTheBinary(t *testing.T) {
	gobin := install(t)
	entries, err := os.ReadDir(gobin)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "sitegen" {
		t.Errorf("GOBIN holds %v; want sitegen alone", entries)
	}
}

// TestFromEmptyFolder: in a folder holding only the built binary, sitegen
// init mysite and sitegen build --source mysite exit 0 and write the
// pages, and no file of the default theme is copied into the folder.
func TestFromEmptyFolder(t *testing.T) {
	gobin := install(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "sitegen")
	b, err := os.ReadFile(filepath.Join(gobin, "sitegen"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sitegen %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := run("init", "mysite"); !strings.Contains(out, "sitegen serve") {
		t.Errorf("init's next steps do not name the binary:\n%s", out)
	}
	run("build", "--source", "mysite")
	for _, p := range []string{"index.html", "timeline/index.html", "events/1989-03-www-proposal/index.html", "actors/tim-berners-lee/index.html", "docs/adding-events/index.html", "css/site.css"} {
		if _, err := os.Stat(filepath.Join(dir, "mysite", "public", p)); err != nil {
			t.Errorf("no %s: %v", p, err)
		}
	}
	// Every theme file's bytes, to look for copies of them.
	themeFiles := map[string]string{}
	_ = fs.WalkDir(theme.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(theme.FS(), p)
			themeFiles[string(b)] = p
		}
		return nil
	})
	public := filepath.Join(dir, "mysite", "public")
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == bin || strings.HasPrefix(p, public) {
			return err
		}
		b, _ := os.ReadFile(p)
		if src, ok := themeFiles[string(b)]; ok && strings.HasPrefix(src, "templates/") {
			t.Errorf("%s is a copy of the theme's %s", p, src)
		}
		return nil
	})
	if out := run("version"); !strings.HasPrefix(out, "sitegen ") || bytes.Count([]byte(out), []byte("\n")) != 1 {
		t.Errorf("version: %q", out)
	}
}
