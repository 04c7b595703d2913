package project

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestIgnored: every editor's temporary and backup name is noise, and a
// name that merely contains one of those marks somewhere else is content.
func TestIgnored(t *testing.T) {
	noise := []string{
		".a.md.swp", ".hidden", ".git", ".#a.md", "a.md~", "#a.md#", "#", "4913",
		"a.md___jb_tmp___", "a.md___jb_old___", "a.swp", "a.swx", "a.md.tmp", ".DS_Store",
	}
	for _, n := range noise {
		if !Ignored(n) {
			t.Errorf("Ignored(%q) = false; it is editor noise", n)
		}
	}
	content := []string{
		"", "a.md", "a~b.md", "#a.md", "a.md#", "a#b.md", "49130", "14913", "4913.md",
		"a.swp.md", "tmp", "a.tmpl", "a___jb_tmp___.md", "swp", "content", "é.md",
	}
	for _, n := range content {
		if Ignored(n) {
			t.Errorf("Ignored(%q) = true; it is a real name", n)
		}
	}
}

// TestIgnoredPath: a path is noise when any of its elements is, at any
// depth, and "." elements (a clean root) are not.
func TestIgnoredPath(t *testing.T) {
	tests := []struct {
		p    string
		want bool
	}{
		{"content/events/a.md", false},
		{".", false},
		{"./content/a.md", false},
		{"content/./events/a.md", false},
		{"content/.git/HEAD", true},
		{".git/config", true},
		{"content/events/.a.md.swp", true},
		{"content/#drafts#/a.md", true},
		{"content/events/4913", true},
		{"a/b/c/d/e~", true},
		{"content/x/../.hidden/a.md", true},
	}
	for _, tt := range tests {
		if got := IgnoredPath(tt.p); got != tt.want {
			t.Errorf("IgnoredPath(%q) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

// TestListFilesSkipsNoiseAndLeavingLinks: the walk lists regular files
// and links inside the project, skips noise (and everything in a noise
// folder), and refuses a link that leaves the project, with the link's
// file named in the error.
func TestListFilesSkipsNoiseAndLeavingLinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		testtool.WriteFile(t, filepath.Join(root, filepath.FromSlash(rel)), body)
	}
	link := func(target, rel string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(rel))); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	write("content/a.md", "a")
	write("content/sub/b.md", "b")
	write("content/sub/.b.md.swp", "noise")
	write("content/.git/HEAD", "noise")
	write("content/a.md~", "noise")
	write("shared.md", "shared")
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("../shared.md", "content/inside.md")
	link(filepath.Join(outside, "secret"), "content/absolute.md")
	link("../../"+filepath.Base(outside)+"/secret", "content/relative.md")
	link("sub", "content/folder")
	link("missing.md", "content/dangling.md")

	var errs diag.List
	files, links := ListFilesAndLinks(os.DirFS(root), "content", &errs)
	want := []string{"content/a.md", "content/inside.md", "content/sub/b.md"}
	got := slices.Clone(files)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if !links["content/inside.md"] || len(links) != 1 {
		t.Errorf("links = %v, want only content/inside.md", links)
	}
	msgs := map[string]string{}
	for _, e := range errs {
		msgs[e.File] = e.Msg
	}
	for file, says := range map[string]string{
		"content/absolute.md": "points outside the project",
		"content/relative.md": "points outside the project",
		"content/folder":      "linked folders are not followed",
		"content/dangling.md": "cannot follow symbolic link",
	} {
		if !strings.Contains(msgs[file], says) {
			t.Errorf("error for %s = %q, want one saying %q (all: %v)", file, msgs[file], says, errs)
		}
	}
	if len(errs) != 4 {
		t.Errorf("%d errors, want 4: %v", len(errs), errs)
	}
	if files, _ := ListFilesAndLinks(os.DirFS(root), "nothing-here", &errs); files != nil {
		t.Errorf("a missing folder lists %q", files)
	}
}

// TestWalkOrderIsWalkDirs: WalkOrder sorts paths exactly as fs.WalkDir
// visits them, which Listing's binary search depends on.
func TestWalkOrderIsWalkDirs(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a/b", "a-c", "a/b-d/e", "a0", "ab", "a/bb", "b", "a/c/d"} {
		p := filepath.Join(root, "d", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var walked []string
	_ = fs.WalkDir(os.DirFS(root), "d", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			walked = append(walked, p)
		}
		return err
	})
	sorted := slices.Clone(walked)
	slices.Reverse(sorted)
	slices.SortFunc(sorted, WalkOrder)
	if !slices.Equal(sorted, walked) {
		t.Errorf("WalkOrder sorts %q; fs.WalkDir visits %q", sorted, walked)
	}
	for _, tt := range []struct {
		a, b string
		sign int
	}{{"a/b", "a-c", -1}, {"a-c", "a/b", 1}, {"a", "a/b", -1}, {"a/b", "a", 1}, {"x", "x", 0}, {"a", "b", -1}, {"b", "a", 1}} {
		got := WalkOrder(tt.a, tt.b)
		if (got < 0) != (tt.sign < 0) || (got > 0) != (tt.sign > 0) {
			t.Errorf("WalkOrder(%q, %q) = %d, want the sign of %d", tt.a, tt.b, got, tt.sign)
		}
	}
}

// TestAmendEqualsWalk: after each change, amending the listing from the
// changed paths gives what a new walk gives, or declines (ok false).
func TestAmendEqualsWalk(t *testing.T) {
	root := t.TempDir()
	fsys := os.DirFS(root)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	write := func(rel string) {
		t.Helper()
		testtool.WriteFile(t, p(rel), rel)
	}
	walk := func() *Listing {
		t.Helper()
		var errs diag.List
		files, links := ListFilesAndLinks(fsys, "content", &errs)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return NewListing(files, links)
	}
	write("content/a.md")
	write("content/events/b.md")
	write("content/events/c.md")
	l := walk()
	steps := []struct {
		name    string
		do      func()
		changed []string
	}{
		{"save", func() { write("content/events/b.md") }, []string{"content/events/b.md"}},
		{"new file", func() { write("content/events/a-b.md") }, []string{"content/events/a-b.md"}},
		{"noise", func() { write("content/events/.b.md.swp") }, []string{"content/events/.b.md.swp"}},
		{"remove", func() { _ = os.Remove(p("content/events/c.md")) }, []string{"content/events/c.md"}},
		{"new folder", func() { write("content/new/x.md"); write("content/new/y.txt") }, []string{"content/new"}},
		{"folder removed", func() { _ = os.RemoveAll(p("content/new")) }, []string{"content/new"}},
		{"outside content", func() { write("templates/base.html") }, []string{"templates/base.html"}},
	}
	for _, s := range steps {
		s.do()
		changed := map[string]bool{}
		for _, c := range s.changed {
			changed[c] = true
		}
		next, ok := l.Amend(fsys, "content", changed)
		if !ok {
			t.Fatalf("%s: Amend declined", s.name)
		}
		if want := walk(); !slices.Equal(next.files, want.files) || !slices.Equal(next.Markdown(), want.Markdown()) {
			t.Fatalf("%s: amended listing %q, a walk lists %q", s.name, next.files, want.files)
		}
		l = next
	}
	// Markdown lists the .md files of the listing, in walk order.
	var md []string
	for _, f := range l.files {
		if strings.HasSuffix(f, ".md") {
			md = append(md, f)
		}
	}
	if got := l.Markdown(); len(md) < 3 || !slices.Equal(got, md) {
		t.Errorf("Markdown() = %q, want %q", got, md)
	}
	// A walk does not follow a linked folder, so a hint naming a file
	// under one must not add it.
	if err := os.Symlink("events", p("content/linked")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	next, ok := l.Amend(fsys, "content", map[string]bool{"content/linked/b.md": true})
	if ok && slices.Contains(next.files, "content/linked/b.md") {
		t.Errorf("Amend listed content/linked/b.md, under a linked folder: %q", next.files)
	}
	for _, hint := range []string{"content", "."} {
		if _, ok := l.Amend(fsys, "content", map[string]bool{hint: true}); ok {
			t.Errorf("Amend with the hint %q accepted; it names the content folder or above", hint)
		}
	}
}
