package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/project"
)

// TestFolderMovedInKeepsNoiseOut: a folder renamed into the content sends
// no event for the files already in it, so the watcher lists them itself;
// that listing must drop editor noise and noise folders just as events are
// dropped, or a swap file or a .git folder moved in with the content
// reaches the build.
func TestFolderMovedInKeepsNoiseOut(t *testing.T) {
	root, w := setup(t)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	stage := t.TempDir()
	s := func(rel string) string { return filepath.Join(stage, "batch", filepath.FromSlash(rel)) }
	mkdir(t, s(".git"))
	mkdir(t, s("sub"))
	write(t, s("x.md"), "x\n")
	write(t, s(".x.md.swp"), "noise\n")
	write(t, s("x.md~"), "noise\n")
	write(t, s(".git/HEAD"), "noise\n")
	write(t, s("sub/y.md"), "y\n")
	write(t, s("sub/#y.md#"), "noise\n")
	if err := os.Rename(filepath.Join(stage, "batch"), p("content/events/batch")); err != nil {
		t.Skipf("cannot rename across these folders: %v", err)
	}
	seen := until(t, w, "content/events/batch/sub/y.md")
	for _, path := range seen {
		if project.IgnoredPath(path) {
			t.Errorf("batch holds %s; it is noise", path)
		}
	}
	if !slices.Contains(seen, "content/events/batch/x.md") {
		t.Errorf("batch %q lacks content/events/batch/x.md", seen)
	}
}

// TestExcludedFolderInsideInputs: a folder excluded by path (the output
// folder) sends nothing even when it lies inside an input folder, at any
// depth, while its sibling with a name that starts the same still does.
func TestExcludedFolderInsideInputs(t *testing.T) {
	root := t.TempDir()
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	for _, d := range []string{"content/events", "content/out/deep", "content/out-notes"} {
		mkdir(t, p(d))
	}
	w, err := New(Options{Root: root, Inputs: project.Inputs(), Exclude: []string{p("content/out")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	write(t, p("content/out/index.html"), "noise\n")
	write(t, p("content/out/deep/page.html"), "noise\n")
	mkdir(t, p("content/out/new"))
	write(t, p("content/out/new/x.html"), "noise\n")
	write(t, p("content/out-notes/n.md"), "real\n")
	for _, path := range until(t, w, "content/out-notes/n.md") {
		if path == "content/out" || strings.HasPrefix(path, "content/out/") {
			t.Errorf("batch holds %s, inside the excluded folder", path)
		}
	}
}
