package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/output"
)

// A one-shot build stages its files in a folder inside the output folder
// (NewStage) and Sync renames them into place: whole new top-level
// folders at once (moveFolders), every other file on its own. These tests
// run that path in the package, as the CLI's and build's tests do through
// a whole build.

// stagedOutput stages files in a new staging folder of dest, each in
// the subfolder sub; a file whose text holds "|" is written in pieces
// (as the feeds are), split there.
func stagedOutput(t *testing.T, dest string, files map[string]string) *output.Output {
	t.Helper()
	stage, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	return stageInto(t, output.New(stage, "p"), files)
}

// stageInto writes files into out, a staged Output.
func stageInto(t *testing.T, out *output.Output, files map[string]string) *output.Output {
	t.Helper()
	for p, b := range files {
		fw := out.Create(p)
		for _, piece := range strings.SplitAfter(b, "|") {
			fw.Write([]byte(piece))
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// checkManifest fails unless the manifest of dest names exactly the files
// of want, each file written whole with the hash of its bytes.
func checkManifest(t *testing.T, dest string, want map[string]string) {
	t.Helper()
	got, err := ReadManifest(dest)
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range want {
		h, ok := got[p]
		switch {
		case !ok:
			t.Errorf("the manifest of %s lacks %s", dest, p)
		case !strings.Contains(b, "|") && h != output.ContentHash([]byte(b)):
			t.Errorf("the manifest of %s has hash %s for %s; its bytes hash to %s", dest, h, p, output.ContentHash([]byte(b)))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("the manifest of %s names %s, which is not there", dest, p)
		}
	}
}

// noStage fails if a staging folder is left in dest.
func noStage(t *testing.T, dest string) {
	t.Helper()
	entries, err := os.ReadDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), StagePrefix) {
			t.Errorf("the staging folder %s is left in %s", e.Name(), dest)
		}
	}
}

// TestStagedSync: staged builds one after another, into a new folder
// (whole folders moved), then changing, adding and removing pages in
// folders that exist and adding a new one; each leaves exactly the new
// site, a manifest naming it, no staging folder, and a new Syncer finds
// nothing to write, pieced files included (vouched for by their identity).
func TestStagedSync(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	v1 := map[string]string{
		"index.html":          "home 1",
		"events/a/index.html": "a 1",
		"events/b/index.html": "b 1",
		"actors/r/index.html": "r 1",
		"feed.xml":            "<feed>|<entry/>|</feed>",
		"data/all.json":       "[1,|2]",
	}
	v2 := map[string]string{
		"index.html":          "home 2",
		"events/a/index.html": "a 1",
		"events/c/index.html": "c 2",
		"actors/r/index.html": "r 2",
		"types/t/index.html":  "t 2",
		"feed.xml":            "<feed>|<entry/>|<entry/>|</feed>",
		"data/all.json":       "[1,|2]",
	}
	for i, site := range []map[string]string{v1, v2, v1} {
		s := NewSyncer(dest)
		if err := s.Lock(); err != nil {
			t.Fatal(err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
		out := stagedOutput(t, dest, site)
		staged := map[string]os.FileInfo{}
		for _, top := range []string{"events", "actors", "types"} {
			if fi, err := os.Stat(filepath.Join(out.StageDir(), "p", top)); err == nil {
				staged[top] = fi
			}
		}
		if _, err := s.Sync(out); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
		s.Close()
		// A top-level folder the output folder did not have is moved into
		// place whole, in one rename (a few renames for a new site rather
		// than one per page); one it had is written into file by file.
		for top, fi := range staged {
			now, err := os.Stat(filepath.Join(dest, top))
			isNew := i == 0 || top == "types" && i == 1
			if err != nil || os.SameFile(fi, now) != isNew {
				t.Errorf("build %d: %s/ moved whole: %v, want %v (%v)", i+1, top, err == nil && os.SameFile(fi, now), isNew, err)
			}
		}
		checkFolder(t, dest, site) // the pieces joined, "|" and all
		checkManifest(t, dest, site)
		noStage(t, dest)
		if st, err := NewSyncer(dest).Sync(stagedOutput(t, dest, site)); err != nil || st.Written != 0 || st.Removed != 0 {
			t.Errorf("build %d: the same site staged again wrote %v (%v)", i+1, st.Changed, err)
		}
		noStage(t, dest)
	}
}

// TestStagedFolderNotMovedWhole: a new top-level folder is moved whole
// only when the staging folder holds all of it in one place. Here some
// of its files are kept in memory, or staged by another Output merged in
// (as a build stages its pages and its other files apart): each file
// must still arrive, and the site be exactly the output.
func TestStagedFolderNotMovedWhole(t *testing.T) {
	site := map[string]string{
		"index.html":           "home",
		"events/a/index.html":  "a",
		"events/b/index.html":  "b",
		"events/feed.xml":      "feed",
		"actors/r/index.html":  "r",
		"actors/s/index.html":  "s",
		"tracks/x/index.html":  "x",
		"tracks/y/index.html":  "y",
		"tracks/z/deep/i.html": "z",
	}
	dest := filepath.Join(t.TempDir(), "public")
	out := stagedOutput(t, dest, map[string]string{
		"index.html":          site["index.html"],
		"events/a/index.html": site["events/a/index.html"],
		"events/b/index.html": site["events/b/index.html"],
		"actors/r/index.html": site["actors/r/index.html"],
		"tracks/x/index.html": site["tracks/x/index.html"],
		"tracks/y/index.html": site["tracks/y/index.html"],
	})
	out.Files["events/feed.xml"] = []byte(site["events/feed.xml"]) // in memory, beside staged pages
	other := stageInto(t, output.New(out.StageDir(), "q"), map[string]string{
		"actors/s/index.html":  site["actors/s/index.html"], // the same folder, staged elsewhere
		"tracks/z/deep/i.html": site["tracks/z/deep/i.html"],
	})
	out.Merge(other)
	if _, err := NewSyncer(dest).Sync(out); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, site)
	checkManifest(t, dest, site)
	noStage(t, dest)
}

// TestStagedBesideExistingFolder: a staged build whose top-level folder
// exists already writes into it file by file, keeping what is there.
func TestStagedBesideExistingFolder(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"events/a/index.html": "a 1"})); err != nil {
		t.Fatal(err)
	}
	site := map[string]string{"events/a/index.html": "a 1", "events/b/index.html": "b 2", "index.html": "home"}
	if _, err := NewSyncer(dest).Sync(stagedOutput(t, dest, site)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, site)
	checkManifest(t, dest, site)
	noStage(t, dest)
}

// TestStagingFolderChecked: Sync moves files only out of a staging folder
// at the top of the output folder, named as NewStage names it and the very
// one the build wrote; any other is refused and the folder left as it was.
func TestStagingFolderChecked(t *testing.T) {
	site := map[string]string{"index.html": "home 2", "events/a/index.html": "a 2"}
	for _, c := range []struct {
		name  string
		stage func(t *testing.T, dest string) *output.Output
	}{
		{"outside the output folder", func(t *testing.T, dest string) *output.Output {
			return stageInto(t, output.New(t.TempDir(), "p"), site)
		}},
		{"deeper in the output folder", func(t *testing.T, dest string) *output.Output {
			dir := filepath.Join(dest, "events", StagePrefix+"x")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			return stageInto(t, output.New(dir, "p"), site)
		}},
		{"not named as a staging folder", func(t *testing.T, dest string) *output.Output {
			dir, err := os.MkdirTemp(dest, "stage-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			return stageInto(t, output.New(dir, "p"), site)
		}},
		{"replaced while the build ran", func(t *testing.T, dest string) *output.Output {
			out := stagedOutput(t, dest, site)
			dir := out.StageDir()
			moved := filepath.Join(t.TempDir(), "moved")
			if err := os.Rename(dir, moved); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(dir, StageMarker), "")
			t.Cleanup(func() { os.RemoveAll(dir) })
			return out
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			s := NewSyncer(dest)
			if err := s.Lock(); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Sync(syncOutput(siteV1)); err != nil {
				t.Fatal(err)
			}
			out := c.stage(t, dest)
			before := tree(t, dest)
			_, err := s.Sync(out)
			if err == nil || !strings.Contains(err.Error(), "staging folder") {
				t.Fatalf("Sync from a staging folder %s: %v; want it refused", c.name, err)
			}
			for p := range before {
				if strings.Contains(p, StagePrefix) || strings.HasPrefix(p, "stage-") {
					delete(before, p) // the staged Output is used up
				}
			}
			after := tree(t, dest)
			for p := range after {
				if strings.Contains(p, StagePrefix) || strings.HasPrefix(p, "stage-") {
					delete(after, p)
				}
			}
			if !mapsEqual(before, after) {
				t.Errorf("a refused Sync changed the folder:\nbefore %v\nafter  %v", before, after)
			}
			checkFolder(t, dest, siteV1)
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestStagedSyncRollsBack: a staged commit whose rename fails at any
// point leaves the old site and its manifest, and removes the folders it
// made for new files.
func TestStagedSyncRollsBack(t *testing.T) {
	v2 := siteV2()
	v2["newtop/x/index.html"] = "x 2"
	for stop := 0; ; stop++ {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
		before := tree(t, dest)
		s := NewSyncer(dest)
		ops := 0
		s.beforeOp = func(n int) error {
			ops++
			if n == stop {
				return errors.New("disk fault")
			}
			return nil
		}
		_, err := s.Sync(stagedOutput(t, dest, v2))
		if err == nil {
			if ops <= stop {
				break // every rename was tried
			}
			t.Fatalf("stop at %d: no error", stop)
		}
		if !strings.Contains(err.Error(), "disk fault") || !strings.Contains(err.Error(), "put back") {
			t.Errorf("stop at %d: %v; want the fault and that the files were put back", stop, err)
		}
		sameTree(t, fmt.Sprint("stop at ", stop), dest, before)
	}
}

// TestFailedSyncRemovesMadeFolders: a Sync that fails before its commit
// (here an empty folder stands where a new file goes) removes the folders
// it made for new files again, and only those.
func TestFailedSyncRemovesMadeFolders(t *testing.T) {
	for _, staged := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home"})); err != nil {
			t.Fatal(err)
		}
		obstacle := filepath.Join(dest, "events", "b", "index.html")
		if err := os.MkdirAll(obstacle, 0o755); err != nil {
			t.Fatal(err)
		}
		site := map[string]string{"index.html": "home", "deep/new/x.html": "x", "events/b/index.html": "b"}
		out := syncOutput(site)
		if staged {
			out = stagedOutput(t, dest, site)
		}
		_, err := NewSyncer(dest).Sync(out)
		if err == nil || !strings.Contains(err.Error(), "a folder stands where the file goes") {
			t.Fatalf("staged %v: a Sync over a folder where a file goes: %v", staged, err)
		}
		if _, err := os.Stat(filepath.Join(dest, "deep")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("staged %v: the folder made for a new file is left after a failed Sync: %v", staged, err)
		}
		if fi, err := os.Stat(obstacle); err != nil || !fi.IsDir() {
			t.Errorf("staged %v: the folder standing in the way was touched: %v", staged, err)
		}
		checkFolder(t, dest, map[string]string{"index.html": "home"})
		noStage(t, dest)
	}
}
