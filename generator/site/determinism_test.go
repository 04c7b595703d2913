package site

import (
	"bytes"
	"os"
	"runtime"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

func sameOutput(t *testing.T, what string, a, b *Output) {
	t.Helper()
	if len(a.Files) != len(b.Files) {
		t.Errorf("%s: %d files vs %d", what, len(a.Files), len(b.Files))
	}
	for p, x := range a.Files {
		if y, ok := b.Files[p]; !ok || !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs", what, p)
		}
	}
}

// TestDeterministicAcrossCores: the real site built on one core and on all
// of them is byte-identical, and so are two builds in a row.
func TestDeterministicAcrossCores(t *testing.T) {
	build := func() *Output {
		res := NewBuilder(Options{FS: os.DirFS(repoRoot(t))}).Build()
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return res.Output
	}
	prev := runtime.GOMAXPROCS(1)
	one := build()
	runtime.GOMAXPROCS(max(prev, 4))
	many := build()
	again := build()
	runtime.GOMAXPROCS(prev)
	sameOutput(t, "GOMAXPROCS=1 vs many", one, many)
	sameOutput(t, "two builds", many, again)
}

// TestIncrementalEqualsClean edits, adds, renames and deletes content with
// one Builder, and after each step compares its output with a fresh
// Builder's: the parse cache must never leak a stale page.
func TestIncrementalEqualsClean(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: A
date: 2011
actor: Russia
type: report
---
Links to [b](b.md).
-- content/events/b.md --
---
title: B
date: 2012
actor: China
type: report
---
B body.
`)))
	b := NewBuilder(Options{FS: fsys})
	steps := []struct {
		name string
		do   func()
	}{
		{"first build", func() {}},
		{"edit body", func() {
			fsys["content/events/b.md"].Data = bytes.Replace(fsys["content/events/b.md"].Data, []byte("B body."), []byte("B body, edited."), 1)
		}},
		{"edit title", func() {
			fsys["content/events/b.md"].Data = bytes.Replace(fsys["content/events/b.md"].Data, []byte("title: B"), []byte("title: Bee"), 1)
		}},
		{"add", func() {
			fsys["content/events/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2013-05\nactor: [Russia, China]\ntype: resolution\n---\n")}
		}},
		{"rename", func() {
			fsys["content/events/c2.md"] = fsys["content/events/c.md"]
			delete(fsys, "content/events/c.md")
		}},
		{"delete", func() { delete(fsys, "content/events/c2.md") }},
		{"config change", func() {
			fsys["site.yaml"].Data = bytes.Replace(fsys["site.yaml"].Data, []byte(`title: "`), []byte(`title: "Renamed `), 1)
		}},
	}
	for _, st := range steps {
		st.do()
		inc := b.Build()
		clean := NewBuilder(Options{FS: fsys}).Build()
		if len(inc.Errors)+len(clean.Errors) > 0 {
			t.Fatalf("%s: errors %v / %v", st.name, inc.Errors, clean.Errors)
		}
		sameOutput(t, st.name, inc.Output, clean.Output)
		if st.name == "edit body" && inc.Stats.Parsed != 1 {
			t.Errorf("editing one file parsed %d files; want 1 (the rest from the cache)", inc.Stats.Parsed)
		}
	}
}
