package build

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"golang.org/x/tools/txtar"
)

// hostileBase is a valid project that each case adds one bad file to.
const hostileBase = `
-- content/events/ok.md --
---
title: ok
date: 2011
actor: Russia
type: report
track: cybercrime
---
`

func errorsOf(res *Result) string {
	var b strings.Builder
	for _, e := range res.Errors {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}

// TestHostileBytes covers files that are not Markdown text at all.
func TestHostileBytes(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"not UTF-8", "content/events/latin1.md", "---\ntitle: caf\xe9\n---\n", "content/events/latin1.md:2:11: invalid UTF-8 at byte 14; content files must be UTF-8 text"},
		{"binary", "content/events/image.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "content/events/image.md:3:1: file holds NUL bytes: it looks binary, not Markdown"},
		{"too large", "content/docs/huge.md", "---\ntitle: huge\n---\n" + strings.Repeat("a", 50<<20), "content/docs/huge.md: file is 52428820 bytes; content files are limited to 8388608 bytes (8 MiB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fixtureFS(t, txtar.Parse([]byte(hostileBase)))
			fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			got := errorsOf(buildFixture(t, fsys, Options{}))
			if got != tt.want+"\n" {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestInputThatMustWork covers files that look odd but are valid: a BOM,
// CRLF line endings, a year-only date, a non-ASCII title, no body.
func TestInputThatMustWork(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(hostileBase)))
	fsys["content/events/bom.md"] = &fstest.MapFile{Data: []byte("\ufeff---\r\ntitle: \"Résolution sur la cybercriminalité\"\r\ndate: 2019\r\nactor: [\"Российская Федерация\"]\r\ntype: resolution\r\ntrack: cybercrime\r\n---\r\n")}
	res := buildFixture(t, fsys, Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	page := res.Output.Files["events/bom/index.html"]
	if !strings.Contains(string(page), "<h1>Résolution sur la cybercriminalité</h1>") || !strings.Contains(string(page), `<time datetime="2019">2019</time>`) {
		t.Errorf("event page lacks its title or year-only date:\n%s", page)
	}
	if _, ok := res.Output.Files["actors/российская-федерация/index.html"]; !ok {
		t.Errorf("a non-ASCII actor's slug should stay readable; outputs: %v", res.Output.Paths())
	}
}

// TestSymlinks: a link inside the project is followed; one that leaves the
// project, a loop, and a dangling link are errors naming the file.
func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	testtool.WriteFS(t, dir, fixtureFS(t, txtar.Parse([]byte(hostileBase))))
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte("---\ntitle: secret\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := filepath.Join(dir, "content/events")
	links := map[string]string{
		"inside.md":   "ok.md",
		"outside.md":  outside,
		"escape.md":   "../../../etc/passwd",
		"loop-a.md":   "loop-b.md",
		"loop-b.md":   "loop-a.md",
		"dangling.md": "nothing-here.md",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(ev, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(ev, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("pipe", filepath.Join(ev, "fifo.md")); err != nil {
		t.Fatal(err)
	}
	got := errorsOf(buildFixture(t, os.DirFS(dir), Options{}))
	for _, want := range []string{
		`content/events/outside.md: symbolic link to "` + outside + `" points outside the project`,
		`content/events/escape.md: symbolic link to "../../../etc/passwd" points outside the project`,
		"content/events/loop-a.md: cannot follow symbolic link",
		"content/events/loop-b.md: cannot follow symbolic link",
		"content/events/dangling.md: cannot follow symbolic link",
		`content/events/fifo.md: symbolic link to "pipe", which is not a regular file`,
		// inside.md is followed: it is a second file with ok.md's title and slug "inside".
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "inside.md") {
		t.Errorf("a link inside the project was refused:\n%s", got)
	}
}
