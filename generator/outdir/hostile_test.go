package outdir

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/output"
)

// Hostile cases for the output side, by class. Each asserts its
// invariant for every variant: nothing outside the output folder is
// written, renamed or removed; no file the generator did not write is
// lost; a refused folder is left as it was; a Sync that fails leaves the
// old site.

// tree maps every file under dir (links as "-> target") to a hash of its
// bytes, to tell that nothing there changed.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(p)
			m[rel] = "-> " + to
			return err
		case d.IsDir():
			m[rel+"/"] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		m[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return m
}

// sameTree fails the test when dir no longer holds what want says.
func sameTree(t *testing.T, what, dir string, want map[string]string) {
	t.Helper()
	got := tree(t, dir)
	for p, h := range want {
		if got[p] != h {
			t.Errorf("%s: %s in %s changed (%q, was %q)", what, p, dir, got[p], h)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s appeared in %s", what, p, dir)
		}
	}
}

var siteV1 = map[string]string{
	"index.html":            "home 1",
	"x.html":                "x 1",
	"events/a/index.html":   "a 1",
	"events/b/index.html":   "b 1",
	"deep/er/still/c.html":  "c 1",
	"actors/r/index.html":   "r 1",
	"feeds/only-in-v1.json": "gone in v2",
}

// siteV2 changes every file of siteV1 but one and drops one.
func siteV2() map[string]string {
	v2 := map[string]string{}
	for p, b := range siteV1 {
		if p != "feeds/only-in-v1.json" {
			v2[p] = strings.Replace(b, "1", "2", 1)
		}
	}
	v2["actors/r/index.html"] = siteV1["actors/r/index.html"]
	v2["events/new/index.html"] = "new 2"
	return v2
}

// TestLinkPlantedInDest: a symbolic link planted in the output folder
// between two Syncs (as while serve runs), in place of a folder or of a
// file, absolute or relative, at the top or deep, pointing at an outside
// copy of what it replaced (so that a hash check alone would pass): the
// next Sync writes, renames and removes nothing outside, and says why.
func TestLinkPlantedInDest(t *testing.T) {
	for _, c := range []struct {
		name, at string
		rel      bool
	}{
		{"folder, absolute", "events", false},
		{"folder, relative", "events", true},
		{"deep folder", "deep/er", false},
		{"folder of a removed file", "feeds", false},
		{"file, absolute", "x.html", false},
		{"file, relative", "x.html", true},
		{"file removed next", "feeds/only-in-v1.json", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			dest, outside := filepath.Join(base, "public"), filepath.Join(base, "outside")
			s := NewSyncer(dest)
			if _, err := s.Sync(syncOutput(siteV1)); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(dest, c.at), outside); err != nil {
				t.Fatal(err)
			}
			target := outside
			if c.rel {
				target, _ = filepath.Rel(filepath.Dir(filepath.Join(dest, c.at)), outside)
			}
			if err := os.Symlink(target, filepath.Join(dest, c.at)); err != nil {
				t.Fatal(err)
			}
			before := tree(t, outside)
			// Each Sync fails, or keeps and reports the file it would
			// have removed; the next build's Syncer too.
			for _, s := range []*Syncer{s, NewSyncer(dest)} {
				st, err := s.Sync(syncOutput(siteV2()))
				sameTree(t, "after a Sync", outside, before)
				if err == nil && len(st.Kept) == 0 {
					t.Errorf("Sync through a planted link to %s reported nothing", c.at)
				}
			}
		})
	}
}

// TestLinkPlantedInStage: a link planted in a build's staging folder while
// it stages files takes no write outside.
func TestLinkPlantedInStage(t *testing.T) {
	for _, at := range []string{"pages", "pages/events", "pages/events/a/index.html"} {
		base := t.TempDir()
		dest, outside := filepath.Join(base, "public"), filepath.Join(base, "outside")
		writeTestFile(t, filepath.Join(outside, "index.html"), "outside")
		stage, err := NewStage(dest)
		if err != nil {
			t.Fatal(err)
		}
		out := output.New(stage, "pages")
		link := filepath.Join(stage, filepath.FromSlash(at))
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(outside, link); err != nil {
			t.Fatal(err)
		}
		before := tree(t, outside)
		_, err1 := out.StageFile("events/a/index.html", []byte("staged"))
		err2 := out.Put("events/a/index.html", []byte("staged"))
		if err1 == nil || err2 == nil {
			t.Errorf("%s: staging through a link said %v, %v", at, err1, err2)
		}
		sameTree(t, at, outside, before)
		out.Discard()
	}
}

func writeTestFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTamperedManifest: a line added to the manifest by hand or by
// injection, valid or not, never costs a file the generator did not write,
// inside the folder or out.
func TestTamperedManifest(t *testing.T) {
	for _, line := range []string{
		"ffffffffffffffff keepme.txt",
		"0 keepme.txt",
		"1234+1.2.3 keepme.txt",
		"pending keepme.txt",
		"pending+1 keepme.txt",
		"ffffffffffffffff ./keepme.txt",
		"ffffffffffffffff sub/../keepme.txt",
		"ffffffffffffffff keepme.txt\r",
		"ffffffffffffffff  keepme.txt",
		"FFFFFFFFFFFFFFFF keepme.txt",
		"ffffffffffffffff keepme.txt/",
		"ffffffffffffffff ../outside.txt",
		"ffffffffffffffff ../../outside.txt",
		"ffffffffffffffff /ABS/outside.txt",
		"ffffffffffffffff ..\\outside.txt",
		"ffffffffffffffff keep\x00me.txt",
		"ffffffffffffffff .sitegen-manifest",
		"ffffffffffffffff events",
		"- index.html\nffffffffffffffff keepme.txt",
	} {
		base := t.TempDir()
		dest, outside := filepath.Join(base, "public"), filepath.Join(base, "outside.txt")
		line = strings.ReplaceAll(line, "/ABS/outside.txt", outside)
		writeTestFile(t, outside, "outside")
		s := NewSyncer(dest)
		if _, err := s.Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(dest, "keepme.txt"), "the user's")
		f, err := os.OpenFile(filepath.Join(dest, ManifestName), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "%s\n", line)
		f.Close()
		st, err := NewSyncer(dest).Sync(syncOutput(siteV2()))
		if b, _ := os.ReadFile(filepath.Join(dest, "keepme.txt")); string(b) != "the user's" {
			t.Errorf("line %q: keepme.txt holds %q after a Sync (%v)", line, b, err)
		}
		if b, _ := os.ReadFile(outside); string(b) != "outside" {
			t.Errorf("line %q: the file outside holds %q", line, b)
		}
		// Accepted only when the line claims it, and then kept and reported.
		if err == nil && (len(st.Kept) != 1 || st.Kept[0] != "keepme.txt") {
			t.Errorf("line %q: Sync kept %v, want keepme.txt reported", line, st.Kept)
		}
		if err != nil && !strings.Contains(err.Error(), "did not write (") {
			t.Errorf("line %q: %v", line, err)
		}
	}
}

// TestInjectedPath: an output path that could break a manifest line or
// reach out of the folder fails the Sync before anything is written,
// whatever else the Output holds.
func TestInjectedPath(t *testing.T) {
	for _, p := range []string{
		"x\nffffffffffffffff keepme.txt\ny/index.html",
		"x\rffffffffffffffff keepme.txt",
		"../outside.html",
		"/abs.html",
		"a\\..\\..\\b.html",
		"a/./b.html",
		"a//b.html",
		"",
		".",
		".sitegen-manifest",
		".sitegen-stage-x/index.html",
		".sitegen-lock",
		"nul\x00.html",
		"c1\u0085.html",
		"del\x7f.html",
		"bad\xff.html",
	} {
		dest := filepath.Join(t.TempDir(), "public")
		s := NewSyncer(dest)
		if _, err := s.Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(dest, "keepme.txt"), "the user's")
		before := tree(t, filepath.Dir(dest))
		os.Remove(filepath.Join(dest, "keepme.txt"))
		before2 := tree(t, filepath.Dir(dest))
		v2 := siteV2()
		v2[p] = "hostile"
		if _, err := s.Sync(syncOutput(v2)); err == nil {
			t.Errorf("%q: Sync accepted it", p)
		}
		sameTree(t, fmt.Sprintf("%q", p), filepath.Dir(dest), before2)
		_ = before
	}
}

// TestRefusedFolderUntouched: a folder refused for a foreign file is left
// exactly as it was, whatever the generator's own leftovers in it: a
// temporary file, a marked staging folder with a commit to finish, one
// without its marker.
func TestRefusedFolderUntouched(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	if _, err := s.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dest, "notes.txt"), "mine")
	writeTestFile(t, filepath.Join(dest, ".sitegen-x.tmp"), "a temporary file?")
	writeTestFile(t, filepath.Join(dest, StagePrefix+"killed", StageMarker), "")
	writeTestFile(t, filepath.Join(dest, StagePrefix+"killed", "n", "0"), "new home")
	j := journal{ops: []txOp{{kind: opWrite, src: StagePrefix + "killed/n/0", dst: "index.html"}}}
	writeTestFile(t, filepath.Join(dest, StagePrefix+"killed", journalName), string(j.encode()))
	writeTestFile(t, filepath.Join(dest, StagePrefix+"unmarked", "x"), "mine too")
	before := tree(t, dest)
	for _, try := range []func() error{
		NewSyncer(dest).Check,
		func() error { _, err := NewSyncer(dest).Sync(syncOutput(siteV2())); return err },
	} {
		if err := try(); err == nil || !strings.Contains(err.Error(), "did not write") {
			t.Errorf("a folder with foreign files: %v", err)
		}
		sameTree(t, "refused", dest, before)
	}
}

// TestSyncRollsBack: a rename of the commit that fails, at any point,
// leaves the old site byte for byte, its manifest included, and no
// staging folder.
func TestSyncRollsBack(t *testing.T) {
	for stop := 0; stop < len(siteV1); stop++ { // siteV2 is 7 renames away
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
		before := tree(t, dest)
		s := NewSyncer(dest)
		s.beforeOp = func(n int) error {
			if n == stop {
				return errors.New("disk fault")
			}
			return nil
		}
		_, err := s.Sync(syncOutput(siteV2()))
		if err == nil || !strings.Contains(err.Error(), "put back") {
			t.Fatalf("stop at %d: %v", stop, err)
		}
		sameTree(t, "stop at "+strconv.Itoa(stop), dest, before)
		// Once the fault is gone, the same Syncer writes the new site.
		s.beforeOp = nil
		if _, err := s.Sync(syncOutput(siteV2())); err != nil {
			t.Fatal(err)
		}
		checkFolder(t, dest, siteV2())
	}
}

// TestCrashRecovery: a commit cut off after any of its renames (as by
// kill -9: nothing undone, the journal left) is finished by the next
// Syncer before it does anything else: the folder holds the new site
// whole, its manifest says so, and no staging folder is left.
func TestCrashRecovery(t *testing.T) {
	for stop := 0; stop < len(siteV1); stop++ { // siteV2 is 7 renames away
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
		c := NewSyncer(dest).crashAt(t, syncOutput(siteV2()), stop)
		if c == "" {
			continue
		}
		if err := NewSyncer(dest).Check(); err != nil {
			t.Fatalf("stop at %d: the next run: %v", stop, err)
		}
		checkFolder(t, dest, siteV2())
		checkManifest(t, dest, siteV2())
		if st, err := NewSyncer(dest).Sync(syncOutput(siteV2())); err != nil || st.Written != 0 {
			t.Errorf("stop at %d: after recovery a Sync wrote %v (%v)", stop, st.Changed, err)
		}
		if _, err := os.Stat(filepath.Join(dest, c)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stop at %d: the staging folder %s is left", stop, c)
		}
	}
}

// crashAt runs a Sync whose commit stops before its rename number stop,
// leaving it as a killed process would: the journal and staging folder in
// place, nothing undone. It returns the staging folder's name, "" when
// the commit had fewer renames.
func (s *Syncer) crashAt(t *testing.T, out *output.Output, stop int) string {
	t.Helper()
	release, err := s.lockFor()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := s.open(true); err != nil {
		t.Fatal(err)
	}
	if err := s.check(""); err != nil {
		t.Fatal(err)
	}
	var st SyncStats
	pl := s.compare(out)
	toWrite, _ := s.claimWrites(pl, &st)
	c, err := s.prepare(out, pl, toWrite, s.staleFiles(out, len(pl.paths)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.writeJournal(c.stage, &c.j); err != nil {
		t.Fatal(err)
	}
	for n, op := range c.j.ops {
		if n == stop {
			return c.stage
		}
		if err := s.do(op, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.removeStage(c.stage)
	return ""
}

// TestLockTwoSyncers: a folder locked by one Syncer is refused by
// another, with a message naming this process; once released, it is not.
func TestLockTwoSyncers(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	a := NewSyncer(dest)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	b := NewSyncer(dest)
	_, err := b.Sync(syncOutput(siteV2()))
	if err == nil || !strings.Contains(err.Error(), "in use by") || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("a second Syncer on a locked folder: %v", err)
	}
	if err := b.Lock(); err == nil {
		t.Error("a second Syncer took the lock")
	}
	checkFolder(t, dest, siteV1)
	a.Close()
	if _, err := b.Sync(syncOutput(siteV2())); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, siteV2())
}
