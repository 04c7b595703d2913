package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestManifestCannotReachOutsideDest: the manifest is a file in the output
// folder, which anyone who can write there (a checkout, a bad merge, a
// hostile pull request to a gh-pages branch) controls. A line naming a path
// outside the folder must be ignored: the next Sync would otherwise delete
// that path as a stale page of an earlier build.
func TestManifestCannotReachOutsideDest(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home", "a/index.html": "a"})); err != nil {
		t.Fatal(err)
	}
	victims := map[string]string{
		"outside.txt":        "../outside.txt",
		"deep/outside.txt":   "a/../../deep/outside.txt",
		"public-2/keep.html": "../public-2/keep.html",
		"dotdot.txt":         "a/../../dotdot.txt",
	}
	hostile := "h1 ..\nh2 a/..\n"
	for file, line := range victims {
		p := filepath.Join(parent, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("not the generator's"), 0o644); err != nil {
			t.Fatal(err)
		}
		hostile += "h3 " + line + "\n"
	}
	mf, err := os.OpenFile(filepath.Join(dest, ManifestName), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mf.WriteString(hostile); err != nil {
		t.Fatal(err)
	}
	if err := mf.Close(); err != nil {
		t.Fatal(err)
	}
	hashes, err := ReadManifest(dest)
	if err != nil {
		t.Fatal(err)
	}
	for p := range hashes {
		if p != "index.html" && p != "a/index.html" {
			t.Errorf("ReadManifest lists %q; it leaves the output folder", p)
		}
	}
	// A new Syncer (a new build) reads the manifest and removes what the
	// last build wrote and this one does not: only a/index.html.
	st, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home"}))
	if err != nil {
		t.Fatal(err)
	}
	if st.Removed != 1 || strings.Join(st.Changed, ",") != "a/index.html" {
		t.Errorf("Sync removed %d (%v); want only a/index.html", st.Removed, st.Changed)
	}
	for file := range victims {
		if _, err := os.Stat(filepath.Join(parent, filepath.FromSlash(file))); err != nil {
			t.Errorf("%s, outside the output folder, is gone: %v", file, err)
		}
	}
	checkFolder(t, dest, map[string]string{"index.html": "home"})
}

// TestRemovingPagesKeepsDestAndNonEmptyFolders: removing a site's pages
// removes the folders they leave empty, up to but never including the
// output folder itself, and never a folder that still holds a file.
func TestRemovingPagesKeepsDestAndNonEmptyFolders(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	v1 := map[string]string{"a/b/c/index.html": "c", "a/keep.html": "k", "x/y/index.html": "y"}
	if _, err := s.Sync(syncOutput(v1)); err != nil {
		t.Fatal(err)
	}
	v2 := map[string]string{"a/keep.html": "k"}
	if _, err := s.Sync(syncOutput(v2)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, v2)
	for _, gone := range []string{"a/b", "x"} {
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(gone))); !os.IsNotExist(err) {
			t.Errorf("%s is left empty (%v)", gone, err)
		}
	}
	if _, err := s.Sync(syncOutput(map[string]string{})); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dest); err != nil || !info.IsDir() {
		t.Fatalf("the output folder itself was removed with its last page: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "a")); !os.IsNotExist(err) {
		t.Errorf("a is left empty (%v)", err)
	}
}

// TestCheckDestRefusesTheProject: an output folder that is the project,
// holds it, or lies in one of its inputs is refused; folders beside them,
// whose names only start the same, are not.
func TestCheckDestRefusesTheProject(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "site")
	for _, d := range []string{"content/events", "templates", "assets"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "site.yaml"), []byte("title: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"content", "templates", "assets", "site.yaml"}
	refused := []string{
		root, base, filepath.Dir(base), root + "/", root + "/.",
		filepath.Join(root, "content"), filepath.Join(root, "content", "events"), filepath.Join(root, "content", "new", "deep"),
		filepath.Join(root, "templates"), filepath.Join(root, "assets", "x"), filepath.Join(root, "site.yaml"),
		filepath.Join(root, "public", "..", "content"),
	}
	for _, d := range refused {
		if err := CheckDest(root, d, inputs); err == nil || !strings.Contains(err.Error(), "--dest") {
			t.Errorf("CheckDest(%s) = %v; want a refusal", d, err)
		}
	}
	accepted := []string{
		filepath.Join(root, "public"), filepath.Join(root, "content-out"), filepath.Join(root, "contents"),
		filepath.Join(root, "assets2", "x"), filepath.Join(root, "site.yaml.d"), filepath.Join(base, "site-public"),
		filepath.Join(base, "other", "public"),
	}
	for _, d := range accepted {
		if err := CheckDest(root, d, inputs); err != nil {
			t.Errorf("CheckDest(%s) = %v; want it accepted", d, err)
		}
	}
	// A link to the project is the project.
	link := filepath.Join(base, "link-to-site")
	if err := os.Symlink(root, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	for _, d := range []string{link, filepath.Join(link, "content"), filepath.Join(link, "content", "x")} {
		if err := CheckDest(root, d, inputs); err == nil {
			t.Errorf("CheckDest(%s) accepted a path through a link into the project", d)
		}
	}
	// And a project named through a link is the project it links to.
	for _, d := range []string{root, filepath.Join(root, "content"), filepath.Join(root, "assets", "x")} {
		if err := CheckDest(link, d, inputs); err == nil {
			t.Errorf("CheckDest(%s) with the project named through a link accepted %s", link, d)
		}
	}
}

// TestSyncRefusesAFileAsDest: --dest naming a file is refused with a
// message saying so, and the file is left as it was.
func TestSyncRefusesAFileAsDest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.WriteFile(dest, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home"}))
	if err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("Sync into a file: %v; want a refusal", err)
	}
	if b, err := os.ReadFile(dest); err != nil || string(b) != "mine" {
		t.Errorf("the file was changed: %q, %v", b, err)
	}
}

// TestSyncRemovesOnlyTopLevelStages: a staging folder left at the top of
// the output folder by a killed build is ours and removed; a folder of the
// same name deeper down is not ours (a build never stages there), so it is
// a foreign file and the Sync is refused, deleting nothing.
func TestSyncRemovesOnlyTopLevelStages(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home", "a/index.html": "a"}
	if _, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dest, StagePrefix+"killed", "events", "x", "index.html")
	if err := os.MkdirAll(filepath.Dir(killed), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(killed, []byte("half a site"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A build marks its staging folder as its own (see NewStage).
	if err := os.WriteFile(filepath.Join(dest, StagePrefix+"killed", StageMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, site)
	deep := filepath.Join(dest, "a", StagePrefix+"mine", "notes.txt")
	if err := os.MkdirAll(filepath.Dir(deep), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(deep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewSyncer(dest).Sync(syncOutput(site))
	if err == nil || !strings.Contains(err.Error(), "a/"+StagePrefix+"mine/notes.txt") {
		t.Errorf("Sync with a stage-named folder inside a/: %v; want a refusal naming it", err)
	}
	if _, err := os.Stat(deep); err != nil {
		t.Errorf("the folder inside a/ was deleted: %v", err)
	}
}

// TestRefusalNamesForeignFiles: the refusal names the first five foreign
// files in order and counts the rest, touching none of them.
func TestRefusalNamesForeignFiles(t *testing.T) {
	dest := t.TempDir()
	for _, name := range []string{"g", "a", "c", "e", "b", "f", "d"} {
		if err := os.WriteFile(filepath.Join(dest, name+".txt"), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home"}))
	if err == nil || !strings.Contains(err.Error(), "(a.txt, b.txt, c.txt, d.txt, e.txt and 2 more)") {
		t.Errorf("refusal %v; want the first five foreign files and 2 more", err)
	}
	if got := testtool.ReadTree(t, dest); len(got) != 7 {
		t.Errorf("the refused Sync changed the folder: %d files", len(got))
	}
	// Five are all named, with no count of more.
	five := t.TempDir()
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		if err := os.WriteFile(filepath.Join(five, name+".txt"), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err = NewSyncer(five).Sync(syncOutput(map[string]string{"index.html": "home"}))
	if err == nil || !strings.Contains(err.Error(), "(a.txt, b.txt, c.txt, d.txt, e.txt)") {
		t.Errorf("refusal %v; want the five foreign files and no count", err)
	}
}
