package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
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
	testtool.WriteFile(t, s("x.md"), "x\n")
	testtool.WriteFile(t, s(".x.md.swp"), "noise\n")
	testtool.WriteFile(t, s("x.md~"), "noise\n")
	testtool.WriteFile(t, s(".git/HEAD"), "noise\n")
	testtool.WriteFile(t, s("sub/y.md"), "y\n")
	testtool.WriteFile(t, s("sub/#y.md#"), "noise\n")
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
	testtool.WriteFile(t, p("content/out/index.html"), "noise\n")
	testtool.WriteFile(t, p("content/out/deep/page.html"), "noise\n")
	mkdir(t, p("content/out/new"))
	testtool.WriteFile(t, p("content/out/new/x.html"), "noise\n")
	testtool.WriteFile(t, p("content/out-notes/n.md"), "real\n")
	for _, path := range until(t, w, "content/out-notes/n.md") {
		if path == "content/out" || strings.HasPrefix(path, "content/out/") {
			t.Errorf("batch holds %s, inside the excluded folder", path)
		}
	}
}

// TestNoErrorForAGoodFolder: a folder created with files in it is
// watched without error, and nothing, not even a nil error, reaches
// Errors: the serve loop prints whatever arrives there.
func TestNoErrorForAGoodFolder(t *testing.T) {
	root, w := setup(t)
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	stage := filepath.Join(t.TempDir(), "new")
	testtool.WriteFile(t, filepath.Join(stage, "deep", "x.md"), "x\n")
	if err := os.Rename(stage, p("content/new")); err != nil {
		t.Skipf("cannot rename across these folders: %v", err)
	}
	until(t, w, "content/new/deep/x.md")
	select {
	case err := <-w.Errors():
		t.Fatalf("Errors sent %v for a folder that was watched fine", err)
	default:
	}
}

// TestSteadyStreamStillFlushes: a process that writes without pause for
// longer than the debounce still gets a Batch within maxWait, while it
// goes on writing: the site is rebuilt, not held back until it stops.
func TestSteadyStreamStillFlushes(t *testing.T) {
	root := t.TempDir()
	testtool.WriteFile(t, filepath.Join(root, "content", "a.md"), "a\n")
	w, err := New(Options{Root: root, Inputs: project.Inputs(), Debounce: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			_ = os.WriteFile(filepath.Join(root, "content", "a.md"), []byte(strings.Repeat("a", i%7+1)), 0o644)
		}
	}()
	defer func() { close(stop); <-done }()
	select {
	case b := <-w.Batches():
		if !slices.Contains(b.Paths, "content/a.md") {
			t.Errorf("batch %v lacks content/a.md", b.Paths)
		}
	case <-time.After(maxWait + 3*time.Second):
		t.Fatalf("no batch within %s of steady writes", maxWait+3*time.Second)
	}
}
