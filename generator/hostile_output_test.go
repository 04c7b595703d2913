package generator

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/outdir"
)

// Hostile cases for the output side, against the real CLI and the real
// server (the output package's own tests try more variants of each class
// against the Syncer alone). The invariants: nothing outside --dest is
// written, renamed or removed; no file the generator did not write is
// lost; a refused --dest is left as it was; a failed build leaves the old
// site byte for byte.

// outsideCopy copies what is at rel in dest to a folder beside dest and
// puts a symbolic link (absolute, or relative when rel is set) to it in
// its place, as someone planting a link would; it returns the copy.
func outsideCopy(t *testing.T, dest, at string, relative bool) string {
	t.Helper()
	outside := filepath.Join(t.TempDir(), "outside-"+filepath.Base(at))
	if err := os.Rename(filepath.Join(dest, at), outside); err != nil {
		t.Fatal(err)
	}
	target := outside
	if relative {
		target, _ = filepath.Rel(filepath.Dir(filepath.Join(dest, at)), outside)
	}
	if err := os.Symlink(target, filepath.Join(dest, at)); err != nil {
		t.Fatal(err)
	}
	return outside
}

// treeOf snapshots a file or a folder: every file's bytes, every link's
// target, following no link.
func treeOf(t *testing.T, root string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.Type()&fs.ModeSymlink != 0 {
			to, err := os.Readlink(p)
			m[rel] = []byte("-> " + to)
			return err
		}
		b, err := os.ReadFile(p)
		m[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestHostileServeLinks: while serve runs, a link to outside is planted in
// --dest where a folder or a file of the site was; the next rebuilds, which
// change and remove files there, touch nothing outside.
func TestHostileServeLinks(t *testing.T) {
	for _, c := range []struct {
		name, at string
		relative bool
		edit     func(t *testing.T, dir string)
	}{
		{"events folder, absolute link, page changed", "events", false, editFirst},
		{"events folder, relative link, page removed", "events", true, removeSecond},
		{"page folder, page removed", "events/second", false, removeSecond},
		{"page file, absolute link, page changed", "events/first/index.html", false, editFirst},
		{"page file, relative link, page removed", "events/second/index.html", true, removeSecond},
		{"export at the top, changed", "timeline.json", false, editFirst},
		{"actors folder, actor gone", "actors", false, removeSecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeProject(t, miniProject)
			p := startServe(t, dir, "")
			s := openEvents(t, p.origin)
			outside := outsideCopy(t, p.dest, c.at, c.relative)
			before := treeOf(t, outside)
			c.edit(t, dir)
			s.Next() // the rebuild's reload, or its errors
			if diff := sameSnapshot(before, treeOf(t, outside)); diff != "" {
				t.Errorf("a rebuild wrote outside --dest through the link at %s: %s", c.at, diff)
			}
		})
	}
}

func editFirst(t *testing.T, dir string) {
	testtool.WriteFile(t, filepath.Join(dir, "content/events/first.md"), "---\ntitle: First, edited\ndate: 2011-09-12\nactor: [Russia, China]\ntype: proposal\ntrack: cybercrime\nsummary: A draft.\n---\nBody.\n")
}

func removeSecond(t *testing.T, dir string) {
	if err := os.Remove(filepath.Join(dir, "content/events/second.md")); err != nil {
		t.Fatal(err)
	}
}

// TestHostileBuildLinks: a link planted in --dest before a build, to
// outside, is a foreign file: the build refuses the folder and touches
// nothing, inside or out.
func TestHostileBuildLinks(t *testing.T) {
	for _, at := range []string{"events", "events/first", "events/first/index.html", "index.html", "css"} {
		dir := writeProject(t, miniProject)
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(stderr)
		}
		outside := outsideCopy(t, dest, at, false)
		before, beforeDest := treeOf(t, outside), treeOf(t, dest)
		editFirst(t, dir)
		code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
		if code == 0 {
			t.Errorf("%s: a build into a folder holding a planted link succeeded", at)
		}
		if diff := sameSnapshot(before, treeOf(t, outside)); diff != "" {
			t.Errorf("%s: the build wrote outside --dest: %s (%s)", at, diff, stderr)
		}
		if diff := sameSnapshot(beforeDest, treeOf(t, dest)); diff != "" {
			t.Errorf("%s: the refused folder changed: %s", at, diff)
		}
	}
}

// TestHostileManifest: lines added to the manifest, valid or not, naming a
// user's file, a path out of the folder or one of the generator's own
// names, never cost a file; the build says what it left.
func TestHostileManifest(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside.txt")
	testtool.WriteFile(t, outside, "outside")
	for _, line := range []string{
		"ffffffffffffffff keepme.txt",
		"0 keepme.txt",
		"1+2.3.4 keepme.txt",
		"pending+1 keepme.txt",
		"ffffffffffffffff ../outside.txt",
		"ffffffffffffffff " + outside,
		"ffffffffffffffff keepme.txt\r",
		"ffffffffffffffff .sitegen-lock",
	} {
		dir := writeProject(t, miniProject)
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(stderr)
		}
		testtool.WriteFile(t, filepath.Join(dest, "keepme.txt"), "the user's")
		f, err := os.OpenFile(filepath.Join(dest, outdir.ManifestName), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(line + "\n")
		f.Close()
		removeSecond(t, dir)
		code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
		if b, _ := os.ReadFile(filepath.Join(dest, "keepme.txt")); string(b) != "the user's" {
			t.Errorf("line %q: keepme.txt holds %q after the build", line, b)
		}
		if b, _ := os.ReadFile(outside); string(b) != "outside" {
			t.Errorf("line %q: the file outside holds %q", line, b)
		}
		if code == 0 && !strings.Contains(stderr, "keepme.txt is no longer part of the site but was not removed") {
			t.Errorf("line %q: the build did not say it left keepme.txt: %s", line, stderr)
		}
	}
}

// TestHostileFileNames: a content file whose name would inject a line in
// the manifest, or take one of the generator's names, never makes a later
// build delete a user's file, whether the build refuses the name or
// publishes it under a safe one.
func TestHostileFileNames(t *testing.T) {
	for _, name := range []string{
		"x\nffffffffffffffff keepme.txt\ny.md",
		"x\rffffffffffffffff keepme.txt.md",
		".sitegen-manifest.md",
		".sitegen-stage-x.md",
		".sitegen-lock.md",
	} {
		dir := writeProject(t, miniProject)
		dest := filepath.Join(t.TempDir(), "public")
		hostile := filepath.Join(dir, "content", "events", name)
		testtool.WriteFile(t, hostile, "---\ntitle: Hostile\ndate: 2012\nactor: Russia\ntype: proposal\ntrack: cybercrime\n---\nBody.\n")
		cli(t, "build", "--source", dir, "--dest", dest)
		if m, _ := os.ReadFile(filepath.Join(dest, outdir.ManifestName)); strings.Contains(string(m), " keepme.txt\n") {
			t.Errorf("%q: the manifest names keepme.txt:\n%s", name, m)
		}
		os.Remove(hostile)
		// The folder now holds a user's file: refused, or kept.
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 && !strings.Contains(stderr, "did not write") {
			t.Errorf("%q: a clean build after it failed: %s", name, stderr)
		}
		testtool.WriteFile(t, filepath.Join(dest, "keepme.txt"), "the user's")
		cli(t, "build", "--source", dir, "--dest", dest)
		if b, _ := os.ReadFile(filepath.Join(dest, "keepme.txt")); string(b) != "the user's" {
			t.Errorf("%q: keepme.txt holds %q", name, b)
		}
	}
}

// TestHostileRefusedDest: a --dest refused for what it holds is left as it
// was, byte for byte, with the generator's own leftovers: a staging folder
// with a commit to finish, a temporary file, a folder that only looks like
// a staging folder.
func TestHostileRefusedDest(t *testing.T) {
	dir := writeProject(t, miniProject)
	for _, plant := range []map[string]string{
		{"notes.txt": "mine"},
		{"notes.txt": "mine", ".sitegen-x.tmp": "?"},
		{"notes.txt": "mine", outdir.StagePrefix + "k/" + outdir.StageMarker: "", outdir.StagePrefix + "k/journal": "end\n"},
		{outdir.StagePrefix + "unmarked/x": "mine"},
		{".sitegen-x.tmp": "is it ours?"},
	} {
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(stderr)
		}
		for p, b := range plant {
			testtool.WriteFile(t, filepath.Join(dest, p), b)
		}
		before := snapshot(t, dest)
		editFirst(t, dir)
		code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
		if code == 0 || !strings.Contains(stderr, "did not write") {
			t.Errorf("%v: exit %d, %s", plant, code, stderr)
		}
		if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
			t.Errorf("%v: the refused folder changed: %s", plant, diff)
		}
	}
}

// TestHostileEditedOutput: a page of --dest changed by hand is not
// overwritten by the next build that changes it, nor removed by one that
// drops it: the build fails or warns, and the file keeps its bytes, and
// the rest of the site its old ones (a failed build changes nothing).
func TestHostileEditedOutput(t *testing.T) {
	for _, c := range []struct {
		page  string
		edit  func(*testing.T, string)
		fails bool
	}{
		{"events/first/index.html", editFirst, true},
		{"events/second/index.html", removeSecond, false},
		{"timeline.json", editFirst, true},
	} {
		dir := writeProject(t, miniProject)
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(stderr)
		}
		testtool.WriteFile(t, filepath.Join(dest, c.page), "edited by hand")
		before := snapshot(t, dest)
		c.edit(t, dir)
		code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
		if b, _ := os.ReadFile(filepath.Join(dest, c.page)); string(b) != "edited by hand" {
			t.Errorf("%s: the edited file holds %.40q", c.page, b)
		}
		if c.fails {
			if code == 0 {
				t.Errorf("%s: the build replaced nothing and said nothing", c.page)
			}
			if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
				t.Errorf("%s: the failed build changed --dest: %s", c.page, diff)
			}
		} else if code != 0 || !strings.Contains(stderr, "not removed") {
			t.Errorf("%s: exit %d, %s", c.page, code, stderr)
		}
	}
}

// TestHostileBlockedTarget: a build that cannot replace one file (a
// folder stands where it goes) fails before replacing any: --dest is byte
// for byte the old site.
func TestHostileBlockedTarget(t *testing.T) {
	for _, blocked := range []string{"events/first/index.html", "index.html", "timeline.json", "css/site.css"} {
		dir := writeProject(t, miniProject)
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(stderr)
		}
		target := filepath.Join(dest, blocked)
		os.Remove(target)
		if err := os.MkdirAll(filepath.Join(target, "inside"), 0o755); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dest)
		testtool.WriteFile(t, filepath.Join(dir, "site.yaml"), strings.Replace(readFile(t, filepath.Join(dir, "site.yaml")), "title:", "title: Renamed", 1))
		if code, _, _ := cli(t, "build", "--source", dir, "--dest", dest); code == 0 {
			t.Errorf("%s: the build wrote where a folder stands", blocked)
		}
		if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
			t.Errorf("%s: the failed build changed --dest: %s", blocked, diff)
		}
	}
}
