package testtool

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// ProjectFS returns a project in memory: the files of a txtar archive
// (a mini-site), plus the repository's site.yaml, its templates/ and
// assets/ and the built-in theme's, for whatever the archive does not
// provide itself. Sections named "want"
// or "want/..." hold a test's expectations, not project files.
func ProjectFS(t testing.TB, ar *txtar.Archive) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		if f.Name == "want" || strings.HasPrefix(f.Name, "want/") {
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	root := RepoRoot(t)
	// The repository's own files, then the built-in theme's under the
	// same names: a project whose every template and stylesheet a test
	// can edit, as the repository's were before the theme was built in.
	overlay := func(from, as string) {
		if _, err := os.Stat(filepath.Join(root, from)); errors.Is(err, fs.ErrNotExist) {
			return
		}
		err := filepath.WalkDir(filepath.Join(root, from), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join(root, from), p)
			rel = filepath.ToSlash(filepath.Join(as, rel))
			if _, ok := fsys[rel]; ok {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fsys[rel] = &fstest.MapFile{Data: b, Mode: 0o644}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"site.yaml", "templates", "assets"} {
		overlay(dir, dir)
	}
	overlay("generator/theme/templates", "templates")
	overlay("generator/theme/assets", "assets")
	return fsys
}
