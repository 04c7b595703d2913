package testtool

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// WriteFile writes data to path, making its folders, and stops the test
// if it cannot: a test's setup that failed must not go on as if it had
// worked.
func WriteFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// WriteFS writes the files of fsys (a project from ProjectFS) into dir,
// for tests that need a real folder: the command line, the watcher,
// symbolic links.
func WriteFS(t testing.TB, dir string, fsys fstest.MapFS) {
	t.Helper()
	for name, f := range fsys {
		WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), string(f.Data))
	}
}
