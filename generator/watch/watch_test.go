package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/project"
)

// guard bounds every wait: it is a failure guard, not a timing assertion.
const guard = 20 * time.Second

// setup makes a project folder with every input and an output folder, and
// starts a Watcher on it.
func setup(t *testing.T) (string, *Watcher) {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"content/events", "templates", "assets/css", "public"} {
		mkdir(t, filepath.Join(root, d))
	}
	testtool.WriteFile(t, filepath.Join(root, "site.yaml"), "title: x\n")
	testtool.WriteFile(t, filepath.Join(root, "content/events/a.md"), "a\n")
	w, err := New(Options{Root: root, Inputs: project.Inputs(), Exclude: []string{filepath.Join(root, "public")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return root, w
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

// next returns the next Batch.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(guard):
		t.Fatal("no batch arrived")
	}
	return Batch{}
}

// until reads Batches until one holds want, and returns every path seen.
func until(t *testing.T, w *Watcher, want string) []string {
	t.Helper()
	var seen []string
	for !slices.Contains(seen, want) {
		seen = append(seen, next(t, w).Paths...)
	}
	return seen
}

func TestChanges(t *testing.T) {
	root, w := setup(t)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

	t.Run("write", func(t *testing.T) {
		testtool.WriteFile(t, p("content/events/a.md"), "a2\n")
		until(t, w, "content/events/a.md")
	})
	t.Run("create in new nested folders", func(t *testing.T) {
		mkdir(t, p("content/docs/deep/er"))
		testtool.WriteFile(t, p("content/docs/deep/er/x.md"), "x\n")
		until(t, w, "content/docs/deep/er/x.md")
		// The new folder is watched: a later edit in it is seen.
		testtool.WriteFile(t, p("content/docs/deep/er/x.md"), "x2\n")
		until(t, w, "content/docs/deep/er/x.md")
	})
	t.Run("rename folder", func(t *testing.T) {
		rename(t, p("content/docs/deep"), p("content/docs/moved"))
		until(t, w, "content/docs/moved")
		testtool.WriteFile(t, p("content/docs/moved/er/x.md"), "x3\n")
		until(t, w, "content/docs/moved/er/x.md")
	})
	t.Run("remove folder", func(t *testing.T) {
		if err := os.RemoveAll(p("content/docs")); err != nil {
			t.Fatal(err)
		}
		until(t, w, "content/docs")
	})
	t.Run("atomic save", func(t *testing.T) {
		// What many editors do: write a temporary file, rename it over.
		testtool.WriteFile(t, p("content/events/.goutputstream-XYZ"), "a3\n")
		rename(t, p("content/events/.goutputstream-XYZ"), p("content/events/a.md"))
		seen := until(t, w, "content/events/a.md")
		for _, s := range seen {
			if project.IgnoredPath(s) {
				t.Errorf("batch holds the editor's temporary file %s", s)
			}
		}
	})
	t.Run("vim backup rename", func(t *testing.T) {
		// vim with backupcopy=no: move the original to x~, write a new x,
		// delete x~. The 4913 file is vim's test of the folder.
		testtool.WriteFile(t, p("content/events/4913"), "")
		if err := os.Remove(p("content/events/4913")); err != nil {
			t.Fatal(err)
		}
		rename(t, p("content/events/a.md"), p("content/events/a.md~"))
		testtool.WriteFile(t, p("content/events/a.md"), "a4\n")
		if err := os.Remove(p("content/events/a.md~")); err != nil {
			t.Fatal(err)
		}
		seen := until(t, w, "content/events/a.md")
		for _, s := range seen {
			if s != "content/events/a.md" {
				t.Errorf("batch holds %s; want only content/events/a.md", s)
			}
		}
	})
	t.Run("config saved atomically", func(t *testing.T) {
		testtool.WriteFile(t, p("site.yaml.tmp"), "title: y\n")
		rename(t, p("site.yaml.tmp"), p("site.yaml"))
		until(t, w, "site.yaml")
	})
	t.Run("input folder created later", func(t *testing.T) {
		if err := os.RemoveAll(p("assets")); err != nil {
			t.Fatal(err)
		}
		until(t, w, "assets")
		mkdir(t, p("assets/css"))
		testtool.WriteFile(t, p("assets/css/site.css"), "body{}\n")
		until(t, w, "assets/css/site.css")
		testtool.WriteFile(t, p("assets/css/site.css"), "body{color:red}\n")
		until(t, w, "assets/css/site.css")
	})
}

// TestIgnored makes noise that must not reach a Batch, then one real
// change: the first Batch after the noise must hold only that change.
func TestIgnored(t *testing.T) {
	root, w := setup(t)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	noise := []string{
		"content/events/.a.md.swp", "content/events/a.md~", "content/events/#a.md#",
		"content/events/.#a.md", "content/events/a.md___jb_tmp___", "content/events/4913",
		"public/index.html", "README.md", "content/.git/HEAD",
	}
	for _, n := range noise {
		mkdir(t, filepath.Dir(p(n)))
		testtool.WriteFile(t, p(n), "noise\n")
	}
	if err := os.Chmod(p("content/events/a.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	mkdir(t, p("public/events/x"))
	testtool.WriteFile(t, p("public/events/x/index.html"), "noise\n")
	testtool.WriteFile(t, p("templates/base.html"), "real\n")
	for _, s := range until(t, w, "templates/base.html") {
		if s != "templates/base.html" {
			t.Errorf("batch holds %s; it is noise", s)
		}
	}
}

// TestBurst writes 500 files the way a git checkout does and reads the
// Batches as the serve loop would after a build: one or two, not hundreds.
func TestBurst(t *testing.T) {
	root, w := setup(t)
	const n = 500
	want := map[string]bool{}
	for i := range n {
		rel := fmt.Sprintf("content/events/e%03d.md", i)
		testtool.WriteFile(t, filepath.Join(root, rel), "e\n")
		want[rel] = true
	}
	batches := 0
	for len(want) > 0 {
		b := next(t, w)
		batches++
		for _, p := range b.Paths {
			delete(want, p)
		}
	}
	if batches > 2 {
		t.Errorf("a burst of %d files gave %d batches; want 1 or 2", n, batches)
	}
}

func TestCloseEndsBatches(t *testing.T) {
	_, w := setup(t)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Batches(); ok {
		t.Error("Batches is still open after Close")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestAttrib: a permission change is not a content change, so it stays out
// of Paths, but it is reported in Attrib, since making a file readable
// again can fix a failed build. A later write is a content change again.
func TestAttrib(t *testing.T) {
	root, w := setup(t)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	if err := os.Chmod(p("content/events/a.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := next(t, w)
	if len(b.Paths) != 0 || !slices.Equal(b.Attrib, []string{"content/events/a.md"}) {
		t.Errorf("after chmod: Paths %v, Attrib %v; want only Attrib [content/events/a.md]", b.Paths, b.Attrib)
	}
	if err := os.Chmod(p("content/events"), 0o700); err != nil {
		t.Fatal(err)
	}
	if b := next(t, w); len(b.Paths) != 0 || !slices.Contains(b.Attrib, "content/events") {
		t.Errorf("after chmod of a folder: Paths %v, Attrib %v; want content/events in Attrib", b.Paths, b.Attrib)
	}
	if err := os.Chmod(p("content/events/a.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	testtool.WriteFile(t, p("content/events/a.md"), "a5\n")
	seen := until(t, w, "content/events/a.md")
	if !slices.Equal(seen, []string{"content/events/a.md"}) {
		t.Errorf("chmod then write: Paths %v", seen)
	}
}

// TestStale: a Batch is stale once the project changed after it was made,
// even before the Batch with that change is sent, and the Batch with that
// change is not.
func TestStale(t *testing.T) {
	root, w := setup(t)
	testtool.WriteFile(t, filepath.Join(root, "content/events/a.md"), "a1\n")
	first := next(t, w)
	for !slices.Contains(first.Paths, "content/events/a.md") {
		first = next(t, w)
	}
	testtool.WriteFile(t, filepath.Join(root, "content/events/b.md"), "b\n")
	deadline := time.Now().Add(guard)
	for !w.Stale(first) {
		if time.Now().After(deadline) {
			t.Fatal("the Batch is not stale after a later change")
		}
		time.Sleep(time.Millisecond)
	}
	second := next(t, w)
	if !slices.Contains(second.Paths, "content/events/b.md") {
		t.Fatalf("second Batch: %v", second.Paths)
	}
	// Events of the write may still come after the second Batch on a
	// loaded machine, each making a Batch of its own; the last is not
	// stale (else next fails: no Batch arrives).
	for last := second; w.Stale(last); {
		last = next(t, w)
	}
}
