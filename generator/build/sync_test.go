package build

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/outdir"
	"github.com/unictimeline/sitegen/generator/output"
)

// TestSyncMovesFolders: a staged build into a new folder moves the
// folders it makes into place whole (the events folder is the very folder
// the build staged), and a folder the output already has file by file;
// either way the output equals the build in memory.
func TestSyncMovesFolders(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build := func() (*output.Output, os.FileInfo) {
		t.Helper()
		stage, err := outdir.NewStage(dest)
		if err != nil {
			t.Fatal(err)
		}
		res := buildPublished(t, Options{BaseURL: feedBase, Stage: stage})
		staged, err := os.Stat(filepath.Dir(filepath.Dir(res.Output.StagedAt("events/2019-12-ga-resolution-74-247/index.html"))))
		if err != nil {
			t.Fatal(err)
		}
		return res.Output, staged
	}
	want := buildPublished(t, Options{BaseURL: feedBase}).Output.All()
	check := func(what string) {
		t.Helper()
		got := testtool.ReadTree(t, dest)
		delete(got, outdir.ManifestName)
		if diff := testtool.TreeDiff(got, want); diff != "" {
			t.Errorf("%s: the folder differs from the build in memory: %s", what, diff)
		}
	}

	out, staged := build()
	if _, err := outdir.NewSyncer(dest).Sync(out); err != nil {
		t.Fatal(err)
	}
	check("into a new folder")
	if now, err := os.Stat(filepath.Join(dest, "events")); err != nil || !os.SameFile(now, staged) {
		t.Errorf("events/ was not moved whole into the new folder")
	}

	// events/ is there now, with one page gone: that page is moved alone.
	if err := os.Remove(filepath.Join(dest, "events", "2019-12-ga-resolution-74-247", "index.html")); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(dest, "events"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ = build()
	if st, err := outdir.NewSyncer(dest).Sync(out); err != nil || st.Written != 1 {
		t.Fatalf("after removing one page: wrote %v (%v)", st.Changed, err)
	}
	check("into the folder with one page missing")
	if now, _ := os.Stat(filepath.Join(dest, "events")); !os.SameFile(now, before) {
		t.Errorf("events/ was replaced though it was there")
	}
}
