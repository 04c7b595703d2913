package build

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/search"
	"golang.org/x/tools/txtar"
)

func sameOutput(t *testing.T, what string, a, b *output.Output) {
	t.Helper()
	fa, fb := a.All(), b.All()
	if len(fa) != len(fb) {
		t.Errorf("%s: %d files vs %d", what, len(fa), len(fb))
	}
	for p, x := range fa {
		if y, ok := fb[p]; !ok || !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs", what, p)
		}
	}
}

// TestDeterministicAcrossCores: the real site built on one core and on all
// of them is byte-identical, and so are two builds in a row.
func TestDeterministicAcrossCores(t *testing.T) {
	build := func() *output.Output {
		res := NewBuilder(Options{FS: os.DirFS(testtool.RepoRoot(t))}).Build()
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

// TestIncrementalEqualsClean edits, adds, renames and deletes content,
// templates, assets and config with one Builder, and after each step
// compares its output with a fresh Builder's: neither the parse cache nor
// the render memo may leak a stale page. It also checks that the memo
// skips what it should: one event's body edited renders that event's page
// alone; front matter, templates or config edited render every page.
func TestIncrementalEqualsClean(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: A
date: 2011
actor: Russia
type: report
track: cybercrime
---
Links to [b](b.md) and to [its vote](b.md#the-vote).
-- content/events/b.md --
---
title: B
date: 2012
actor: China
type: report
track: cybercrime
---
B body.

## The vote
-- assets/css/extra.css --
p { color: red }
`)))
	b := NewBuilder(Options{FS: fsys})
	const all = -1
	edit := func(file, old, new string) func() {
		return func() {
			fsys[file].Data = bytes.Replace(fsys[file].Data, []byte(old), []byte(new), 1)
		}
	}
	steps := []struct {
		name     string
		do       func()
		rendered int // pages the incremental build must render; all: every page
	}{
		{"first build", func() {}, all},
		{"nothing changed", func() {}, 0},
		{"edit body", edit("content/events/b.md", "B body.", "B body, edited."), 1},
		{"edit title", edit("content/events/b.md", "title: B", "title: Bee"), all},
		// follows changes a's page too (its "Led to" links, its place).
		{"add follows", edit("content/events/b.md", "track: cybercrime\n", "track: cybercrime\nfollows: [a]\n"), all},
		{"edit the body of a followed event", edit("content/events/a.md", "Links to", "Link to"), 1},
		{"edit follows", edit("content/events/b.md", "follows: [a]", "follows: []"), all},
		{"edit asset", edit("assets/css/extra.css", "red", "blue"), 0},
		{"add", func() {
			fsys["content/events/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2013-05\nactor: [Russia, China]\ntype: resolution\ntrack: cybercrime\n---\n")}
		}, all},
		{"edit body of the added page", func() {
			fsys["content/events/c.md"].Data = append(fsys["content/events/c.md"].Data, "Now with a body.\n"...)
		}, 1},
		{"rename", func() {
			fsys["content/events/c2.md"] = fsys["content/events/c.md"]
			delete(fsys, "content/events/c.md")
		}, all},
		{"delete", func() { delete(fsys, "content/events/c2.md") }, all},
		{"add pages that sort alike", func() {
			// Pages that sort alike keep the order of their files, as a
			// walk of the folder visits them: b/x.md before b-a.md.
			fsys["content/guides/b-a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Same\n---\nOne.\n")}
			fsys["content/guides/b/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Same\n---\nTwo.\n")}
		}, all},
		{"add a doc in a new folder", func() {
			fsys["content/guides/deep/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: X\n---\nText.\n")}
		}, all},
		{"delete the folder", func() { delete(fsys, "content/guides/deep/x.md") }, all},
		{"edit template", edit("templates/event.html", "<h1>", "<h1 class=\"t\">"), all},
		{"config change", edit("site.yaml", `title: "`, `title: "Renamed `), all},
	}
	// hinted builds as watch mode does: told which paths changed, it reads
	// only those and amends its list of content files (see listing).
	hinted := NewBuilder(Options{FS: fsys})
	for _, st := range steps {
		before := maps.Clone(fsys)
		data := map[string][]byte{}
		for p, f := range fsys {
			data[p] = f.Data
		}
		st.do()
		prev := b.memo.entries
		inc := b.Build()
		clean := NewBuilder(Options{FS: fsys}).Build()
		if len(inc.Errors)+len(clean.Errors) > 0 {
			t.Fatalf("%s: errors %v / %v", st.name, inc.Errors, clean.Errors)
		}
		sameOutput(t, st.name, inc.Output, clean.Output)
		hinted.Changed(touched(before, data, fsys))
		if h := hinted.Build(); len(h.Errors) > 0 {
			t.Errorf("%s, with the hint: errors %v", st.name, h.Errors)
		} else {
			sameOutput(t, st.name+", with the hint", h.Output, clean.Output)
		}
		want := st.rendered
		if want == all {
			want = clean.Stats.Pages
		}
		if inc.Stats.Rendered != want {
			t.Errorf("%s: rendered %d of %d pages; want %d", st.name, inc.Stats.Rendered, inc.Stats.Pages, want)
		}
		if st.name == "edit body" && inc.Stats.Parsed != 1 {
			t.Errorf("editing one file parsed %d files; want 1 (the rest from the cache)", inc.Stats.Parsed)
		}
		if st.name == "edit body" {
			// The feeds, exports and search index encode the edited
			// event's entry alone and reuse the other's.
			for _, f := range []string{export.AtomFile, export.JSONFeedFile, export.ICalFile, export.TimelineFile, export.TimelineJSFile, search.File} {
				if n := reusedEntries(prev[f], b.memo.entries[f]); n != len(inc.Site.Events)-1 {
					t.Errorf("%s: %s reused %d entries of %d events; want all but the edited one", st.name, f, n, len(inc.Site.Events))
				}
				// The edited event's old entry is let go.
				if m := b.memo.entries[f]; len(m.Pages) != len(inc.Site.Events) || len(m.Entries) != len(inc.Site.Events) {
					t.Errorf("%s: %s keeps %d entries for %d events", st.name, f, len(m.Entries), len(inc.Site.Events))
				}
			}
		}
	}

	// A body edit that removes an anchor another page links to renders one
	// page, and the link check, which reads the whole output, still fails.
	edit("content/events/b.md", "## The vote", "## The count")()
	res := b.Build()
	if !strings.Contains(res.Errors.Error(), "the-vote") {
		t.Errorf("removing a linked anchor: errors %v; want the broken link to #the-vote reported", res.Errors)
	}
	edit("content/events/b.md", "## The count", "## The vote")()
	if res := b.Build(); len(res.Errors) > 0 {
		t.Fatalf("the anchor put back: %v", res.Errors)
	}

	// A body edit that links to a missing file is an error of the build
	// that updates the site in place (see assembly), as of a clean one;
	// the edit that fixes it builds what a clean build does.
	edit("content/events/b.md", "B body", "B [body](nope.md)")()
	if res := b.Build(); !strings.Contains(res.Errors.Error(), "nope.md") {
		t.Errorf("a link to a missing file: errors %v", res.Errors)
	}
	edit("content/events/b.md", "B [body](nope.md)", "B [body](a.md)")()
	inc, clean := b.Build(), NewBuilder(Options{FS: fsys}).Build()
	if len(inc.Errors)+len(clean.Errors) > 0 {
		t.Fatalf("the link fixed: errors %v / %v", inc.Errors, clean.Errors)
	}
	sameOutput(t, "the link fixed", inc.Output, clean.Output)
	// That build assembled afresh (the one before failed): it keeps the
	// entries of this build's pages only, not those of the pages before.
	for f, m := range b.memo.entries {
		if f != export.AtomFile && f != export.JSONFeedFile && len(m.Entries) != len(inc.Site.Events) {
			t.Errorf("the link fixed: %s keeps %d entries for %d events", f, len(m.Entries), len(inc.Site.Events))
		}
	}
}

// reusedEntries counts the entries of next that are prev's own bytes, not
// bytes encoded again.
func reusedEntries(prev, next export.EntryMemo) int {
	n := 0
	for i, b := range next.Entries {
		if i < len(prev.Entries) && sameslice.Is(b, prev.Entries[i]) && len(b) > 0 {
			n++
		}
	}
	return n
}

// TestTemplatesReachOnlyTheirOwnBody: the render memo is safe only while
// a page's template cannot read another page's body (see memo). A template
// that tries gets a located error, not a page that a later build could
// wrongly reuse.
func TestTemplatesReachOnlyTheirOwnBody(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: A
date: 2011
actor: Russia
type: report
track: cybercrime
---
Secret body.
`)))
	fsys["templates/timeline.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Site.Events}}{{.Body}}{{end}}{{end}}`)}
	res := NewBuilder(Options{FS: fsys}).Build()
	if got := res.Errors.Error(); !strings.Contains(got, "templates/timeline.html:1:") || !strings.Contains(got, "Body") {
		t.Errorf("a template reading another page's body: errors %q; want one located in templates/timeline.html naming Body", got)
	}
}

// countingFS counts the content files read through it.
type countingFS struct {
	fstest.MapFS
	reads map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.reads[name]++
	return c.MapFS.ReadFile(name)
}

func (c countingFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".md") {
		c.reads[name]++
	}
	return c.MapFS.Open(name)
}

// TestChangedReadsOnlyWhatChanged: after Changed, a build reads the named
// content files and the new ones only, and its output still equals a
// clean build's; without the hint every file is read.
func TestChangedReadsOnlyWhatChanged(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: A
date: 2011
actor: Russia
type: report
track: cybercrime
---
A body.
-- content/events/b.md --
---
title: B
date: 2012
actor: China
type: report
track: cybercrime
---
B body.
`)))
	c := countingFS{MapFS: fsys, reads: map[string]int{}}
	b := NewBuilder(Options{FS: c})
	build := func(what string) {
		t.Helper()
		res := b.Build()
		clean := NewBuilder(Options{FS: fsys}).Build()
		if len(res.Errors)+len(clean.Errors) > 0 {
			t.Fatalf("%s: %v / %v", what, res.Errors, clean.Errors)
		}
		sameOutput(t, what, res.Output, clean.Output)
	}
	build("first build")
	clear(c.reads)

	fsys["content/events/b.md"].Data = bytes.Replace(fsys["content/events/b.md"].Data, []byte("B body."), []byte("B, edited."), 1)
	fsys["content/guides/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\n---\nA new guide in a new folder.\n")}
	b.Changed([]string{"content/events/b.md", "content/guides"})
	build("after Changed")
	if c.reads["content/events/a.md"] != 0 || c.reads["content/events/b.md"] == 0 || c.reads["content/guides/c.md"] == 0 {
		t.Errorf("after Changed(b.md, guides/): reads %v; want b.md and guides/c.md read, a.md not", c.reads)
	}
	clear(c.reads)

	build("without a hint")
	if c.reads["content/events/a.md"] == 0 {
		t.Errorf("a build without a hint did not read a.md: reads %v", c.reads)
	}
	clear(c.reads)

	// A save of one listed file (the listing unchanged, the last build
	// without errors) reads that file alone, twice in a row.
	for _, body := range []string{"B, saved.", "B, saved again."} {
		old := fsys["content/events/b.md"].Data
		frontMatter := old[:bytes.LastIndex(old, []byte("---\n"))+len("---\n")]
		fsys["content/events/b.md"].Data = append(slices.Clip(frontMatter), body+"\n"...)
		b.Changed([]string{"content/events/b.md"})
		build("after a save")
		for f, n := range c.reads {
			if strings.HasPrefix(f, "content/") && (f != "content/events/b.md" || n != 1) {
				t.Errorf("after a save of b.md: %s read %d times; want b.md once and no other content file", f, n)
			}
		}
		clear(c.reads)
	}

	// A build that stops before reading content (a broken site config)
	// never reads the files its hint named; the next build, whose hint
	// names only the config, must read them.
	cfg := fsys["site.yaml"].Data
	fsys["site.yaml"] = &fstest.MapFile{Data: append([]byte("colour: red\n"), cfg...)}
	fsys["content/events/a.md"].Data = bytes.Replace(fsys["content/events/a.md"].Data, []byte("A body."), []byte("A, edited."), 1)
	b.Changed([]string{"site.yaml", "content/events/a.md"})
	if res := b.Build(); len(res.Errors) == 0 {
		t.Fatal("a broken site.yaml built")
	}
	fsys["site.yaml"] = &fstest.MapFile{Data: cfg}
	b.Changed([]string{"site.yaml"})
	build("after the config was fixed")
}

// TestChangedRereadsSymlinks: a content file that is a symbolic link
// changes when its target does, with no event on its own path, so a build
// given a hint that does not name it still reads it again.
func TestChangedRereadsSymlinks(t *testing.T) {
	dir := t.TempDir()
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: A
date: 2011
actor: Russia
type: report
track: cybercrime
---
A body.
-- notes/b.md --
---
title: B
date: 2012
actor: China
type: report
track: cybercrime
---
Old text.
`)))
	testtool.WriteFS(t, dir, fsys)
	if err := os.Symlink("../../notes/b.md", filepath.Join(dir, "content/events/b.md")); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(Options{FS: os.DirFS(dir)})
	if res := b.Build(); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	note := filepath.Join(dir, "notes/b.md")
	src, err := os.ReadFile(note)
	if err != nil || !bytes.Contains(src, []byte("Old text.")) {
		t.Fatalf("the note to edit: %q, %v", src, err)
	}
	if err := os.WriteFile(note, bytes.Replace(src, []byte("Old text."), []byte("New text."), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Changed([]string{"content/events/a.md"})
	res := b.Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if page := res.Output.Files["events/b/index.html"]; !bytes.Contains(page, []byte("New text.")) {
		t.Errorf("after its link target changed, events/b/ still shows the old text")
	}
}

// touched lists what a watcher would report after fsys changed from
// before (whose files held data): every file added, removed or rewritten.
func touched(before fstest.MapFS, data map[string][]byte, fsys fstest.MapFS) []string {
	var paths []string
	for p, f := range fsys {
		if g, ok := before[p]; !ok || g != f || !bytes.Equal(data[p], f.Data) {
			paths = append(paths, p)
		}
	}
	for p := range before {
		if _, ok := fsys[p]; !ok {
			paths = append(paths, p)
		}
	}
	return paths
}

// TestWalkOrder: project.WalkOrder sorts paths as fs.WalkDir visits them.
func TestWalkOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, p := range []string{"a/b", "a-c", "a.md", "a/x/y", "a/x-y", "ab", "a0", "b", "a/b-c", "A", "é", "a b"} {
		fsys[p] = &fstest.MapFile{}
	}
	var walked []string
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			walked = append(walked, p)
		}
		return err
	})
	sorted := slices.Clone(walked)
	slices.Reverse(sorted)
	slices.SortFunc(sorted, project.WalkOrder)
	if !slices.Equal(sorted, walked) {
		t.Errorf("project.WalkOrder sorts %q; fs.WalkDir visits %q", sorted, walked)
	}
}
