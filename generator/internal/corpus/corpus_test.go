package corpus

import (
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestBuilds writes a small corpus and builds it: it must build without a
// single error, and the same seed must write the same bytes.
func TestBuilds(t *testing.T) {
	repo := testtool.RepoRoot(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := Write(dir, Options{Events: 60, Seed: 7, Repo: repo}); err != nil {
			t.Fatal(err)
		}
	}
	res := build.NewBuilder(build.Options{FS: os.DirFS(a)}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the corpus does not build:\n%v", res.Errors)
	}
	if res.Stats.Files < 60 {
		t.Errorf("built %d content files, want at least 60", res.Stats.Files)
	}
	ta, tb := testtool.ReadTree(t, filepath.Join(a, "content")), testtool.ReadTree(t, filepath.Join(b, "content"))
	if diff := testtool.TreeDiff(tb, ta); diff != "" {
		t.Errorf("two writes with one seed differ: %s", diff)
	}
	for rel, x := range ta {
		if n := len(x); path.Base(path.Dir(rel)) == "events" && (n < 2048 || n > 8192) {
			t.Errorf("content/%s is %d bytes; events should be a few KB", rel, n)
		}
	}
	if _, err := EventPath(a, 3); err != nil {
		t.Error(err)
	}
}
