package corpus

import (
	"os"
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
	err := filepath.WalkDir(filepath.Join(a, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two writes with one seed", rel)
		}
		if n := len(x); filepath.Base(filepath.Dir(p)) == "events" && (n < 2048 || n > 8192) {
			t.Errorf("%s is %d bytes; events should be a few KB", rel, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EventPath(a, 3); err != nil {
		t.Error(err)
	}
}
