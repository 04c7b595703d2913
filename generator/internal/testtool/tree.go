package testtool

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ReadTree returns every regular file under dir by slash path relative
// to dir, with its bytes: a folder's whole content, for comparing with
// another folder or with a build in memory (TreeDiff).
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TreeDiff says how tree got differs from tree want (as ReadTree returns
// them, or a build's files): the first path, in order, whose bytes differ,
// is missing or is extra; "" when they are equal.
func TreeDiff(got, want map[string][]byte) string {
	for _, p := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			return "missing " + p
		case !bytes.Equal(g, want[p]):
			return "differs at " + p
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			return "extra file " + p
		}
	}
	return ""
}
