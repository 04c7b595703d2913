package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/output"
)

// TestJournalCutOffIsIgnored: a journal is trusted only when written
// whole (it ends with "end"): one cut off at any byte, as by a crash while
// it was written, before the first rename, is not a commit to finish, and
// the whole one reads back as written.
func TestJournalCutOffIsIgnored(t *testing.T) {
	j := journal{
		ops: []txOp{
			{kind: opWrite, src: ".sitegen-stage-x/n/0", backup: ".sitegen-stage-x/b/0", dst: "a b/index.html"},
			{kind: opDir, src: ".sitegen-stage-x/p/events", dst: "events"},
			{kind: opRemove, backup: ".sitegen-stage-x/r/0", dst: "old.html"},
		},
		lines: []manifestLine{
			{hash: "1f", path: "a b/index.html"},
			{hash: "2e", id: fileID{ino: 7, size: 3, mtime: 9}, path: "feed.xml"},
			{hash: removed, path: "old.html"},
		},
	}
	b := j.encode()
	got := parseJournal(b)
	if got == nil || !reflect.DeepEqual(*got, j) {
		t.Fatalf("parseJournal(encode(j)) = %+v; want %+v", got, j)
	}
	for n := range len(b) {
		if cut := parseJournal(b[:n]); cut != nil {
			t.Errorf("a journal cut off after %d of %d bytes reads as a commit: %+v", n, len(b), cut)
		}
	}
	if empty := parseJournal([]byte("end\n")); empty == nil || len(empty.ops)+len(empty.lines) != 0 {
		t.Errorf("the empty journal: %+v", empty)
	}
	for _, bad := range []string{
		"w\t\"../x\"\t\"\"\t\"a\"\nend\n",    // a path leaving the folder
		"w\t\"a\"\t\"\"\nend\n",              // a field missing
		"x\t\"a\"\t\"\"\t\"b\"\nend\n",       // no such operation
		"m\t1f \"a\nb\"\nend\n",              // a line broken in two
		"m\t1f \"\\n\"\nend\n",               // a control character in a path
		"m\tzz \"a\"\nend\n",                 // not a hash
		"w\t\"a\"\t\"\"\t\"b\"\nend\nmore\n", // something after the end
	} {
		if j := parseJournal([]byte(bad)); j != nil {
			t.Errorf("parseJournal(%q) = %+v; want it refused", bad, j)
		}
	}
}

// TestValidPath: the output paths that may be written in the manifest and
// used to name a file: no control character of any kind (C0, DEL, C1), no
// backslash, nothing leaving the folder, nothing the generator keeps for
// itself; spaces and other text are fine (the manifest's path is the rest
// of its line).
func TestValidPath(t *testing.T) {
	for _, ok := range []string{"a b.html", "é/ü.html", "\u00a0x", "\u00a0", "~x", "a/.sitegen-x", "x\u00ff"} {
		if err := validPath(ok); err != nil {
			t.Errorf("validPath(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "/a", "a/../b", "a//b", "a/", "a\x00", "\x1f", "a\x7f", "\u0080", "x\u009f", "a\\b", "a\nb", "\xff", ".sitegen-manifest", ".sitegen-stage-x/y"} {
		if err := validPath(bad); err == nil {
			t.Errorf("validPath(%q) accepted it", bad)
		}
	}
}

// TestEmptyPiecedFile: a file made of empty pieces (a feed of no entries
// could be) has size 0; its manifest line, which records its identity,
// reads back, so the next build neither refuses the folder nor rewrites
// the file.
func TestEmptyPiecedFile(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	out := func() *output.Output {
		o := output.New("", "")
		o.Pieces["empty.json"] = [][]byte{{}, {}}
		o.Files["index.html"] = []byte("home")
		return o
	}
	if _, err := NewSyncer(dest).Sync(out()); err != nil {
		t.Fatal(err)
	}
	hashes, err := ReadManifest(dest)
	if err != nil || len(hashes) != 2 {
		t.Fatalf("the manifest names %v (%v); want both files", hashes, err)
	}
	if st, err := NewSyncer(dest).Sync(out()); err != nil || st.Written != 0 {
		t.Errorf("the next build: wrote %v (%v)", st.Changed, err)
	}
}

// TestManifestStaysBounded: build after build, each a new process that
// reads the manifest, appends its lines, and writes the manifest whole
// once they add up: the manifest never grows without bound, and a build
// that changes one file of a large site appends a line rather than
// writing the whole manifest again.
func TestManifestStaysBounded(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	site := map[string]string{}
	for i := range 150 {
		site["p/"+strconv.Itoa(i)+".html"] = "page"
	}
	if _, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dest, ManifestName)
	lines := func() int {
		b, err := os.ReadFile(manifest)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(b), "\n")
	}
	before := lines()
	site["p/0.html"] = "edited"
	if st, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil || st.Written != 1 {
		t.Fatalf("an edit: %v (%v)", st.Changed, err)
	}
	if n := lines(); n != before+1 {
		t.Errorf("one edited page of %d made the manifest %d lines, was %d: want one line appended", len(site), n, before)
	}
	most := 0
	for i := range 300 {
		site["p/0.html"] = "edit " + strconv.Itoa(i)
		if st, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil || st.Written != 1 {
			t.Fatalf("edit %d: %v (%v)", i, st.Changed, err)
		}
		most = max(most, lines())
	}
	if limit := len(site) + len(site)/3 + 64 + 1; most > limit {
		t.Errorf("after 300 builds of one edit each, the manifest reached %d lines for %d files; want at most %d", most, len(site), limit)
	}
	checkFolder(t, dest, site)
}

// TestPendingUpdateIsRedone: a file updated in place is marked pending in
// the manifest first. When the update does not complete (here the file's
// time changes while the Sync runs, as when another writer touches it),
// the Sync says so, and the next Syncer, finding the mark, owns the file
// by its inode and writes it whole; as it would after a crash half-way.
func TestPendingUpdateIsRedone(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	out := func(entry string) *output.Output {
		o := output.New("", "")
		o.Files["index.html"] = []byte("home " + entry)
		o.Pieces["data.json"] = [][]byte{[]byte("[1,"), []byte(entry), []byte("]")}
		return o
	}
	s := NewSyncer(dest)
	s.InPlace = true
	if _, err := s.Sync(out("2")); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dest, "data.json")
	s.beforeOp = func(int) error {
		later := time.Now().Add(time.Hour)
		return os.Chtimes(name, later, later)
	}
	_, err := s.Sync(out("3"))
	if err == nil || !strings.Contains(err.Error(), "data.json") {
		t.Fatalf("an update in place that did not complete: %v; want an error naming the file", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, ManifestName)); !strings.Contains(string(b), "pending+") {
		t.Fatalf("the manifest has no pending mark:\n%s", b)
	}
	st, err := NewSyncer(dest).Sync(out("4"))
	if err != nil || st.Written != 2 {
		t.Fatalf("the next build over a pending file: %v (%v)", st.Changed, err)
	}
	checkFolder(t, dest, map[string]string{"index.html": "home 4", "data.json": "[1,4]"})
}

// TestManifestWriteFailureIsReported: a Sync whose renames were done but
// whose manifest could not be written says so (the next build would not
// know those files as the generator's).
func TestManifestWriteFailureIsReported(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home", "a.html": "a"})); err != nil {
		t.Fatal(err)
	}
	s := NewSyncer(dest)
	s.beforeOp = func(int) error {
		// The manifest becomes a folder: appending to it fails.
		manifest := filepath.Join(dest, ManifestName)
		if err := os.Remove(manifest); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return os.MkdirAll(manifest, 0o755)
	}
	_, err := s.Sync(syncOutput(map[string]string{"index.html": "home 2", "a.html": "a 2"}))
	if err == nil || !strings.Contains(err.Error(), "writing the manifest") {
		t.Errorf("a Sync whose manifest could not be written: %v", err)
	}
}

// TestRollbackNamesTheFailedRename: the error of a commit rolled back
// names the file whose rename failed and why, whichever it was.
func TestRollbackNamesTheFailedRename(t *testing.T) {
	for stop := range 3 {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"a.html": "a", "b.html": "b", "c.html": "c"})); err != nil {
			t.Fatal(err)
		}
		s := NewSyncer(dest)
		s.beforeOp = func(n int) error {
			if n == stop {
				return errors.New("disk fault " + strconv.Itoa(n))
			}
			return nil
		}
		_, err := s.Sync(syncOutput(map[string]string{"a.html": "a2", "b.html": "b2", "c.html": "c2"}))
		want := filepath.Join(dest, string(rune('a'+stop))+".html") + ": disk fault " + strconv.Itoa(stop)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("rename %d failed: %v; want %q", stop, err, want)
		}
		checkFolder(t, dest, map[string]string{"a.html": "a", "b.html": "b", "c.html": "c"})
	}
}

// TestLockHolderFromNote: where the system does not list its locks, the
// process holding a folder is named from the note it left there.
func TestLockHolderFromNote(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, LockNoteName), "pid 4242 (sitegen serve)\n")
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := lockHolder(f, dir); got != "another process: pid 4242 (sitegen serve)" {
		t.Errorf("lockHolder of an unlocked folder with a note: %q", got)
	}
	if err := os.Remove(filepath.Join(dir, LockNoteName)); err != nil {
		t.Fatal(err)
	}
	if got := lockHolder(f, dir); got != "another process" {
		t.Errorf("lockHolder with neither lock nor note: %q", got)
	}
}

// TestPieceSumsReuseOnlyTheSameSlice: a piece's hash is taken from the
// last Sync only for the very slice it hashed; an empty piece there says
// nothing of a piece now in its place, and empty pieces are skipped
// wherever they are.
func TestPieceSumsReuseOnlyTheSameSlice(t *testing.T) {
	a, b := []byte("alpha"), []byte("beta")
	fresh, want := pieceSums([][]byte{a, b}, syncedFile{})
	for _, prev := range []syncedFile{
		{pieces: [][]byte{a, {}}, sums: []uint64{fresh[0], 0}},        // in place: b where an empty piece was
		{pieces: [][]byte{{}, a, {}}, sums: []uint64{0, fresh[0], 0}}, // by slice: pieces came and went
		{pieces: [][]byte{a, {}, b}},                                  // no sums kept
		{pieces: [][]byte{a, {}}},                                     // no sums kept, as many pieces
	} {
		if sums, got := pieceSums([][]byte{a, b}, prev); got != want || sums[1] != fresh[1] {
			t.Errorf("pieceSums with prev %q: %v %s; want %v %s", prev.pieces, sums, got, fresh, want)
		}
	}
}

// TestCommonPrefixAfterSharedPieces: the common prefix counts the shared
// pieces' bytes and then the bytes in common in the first that differ.
func TestCommonPrefixAfterSharedPieces(t *testing.T) {
	shared := []byte("shared")
	if got := commonPrefix([][]byte{shared, []byte("abcd")}, [][]byte{shared, []byte("abxy")}); got != 8 {
		t.Errorf("commonPrefix = %d; want 8", got)
	}
}

// TestFileChangesKind: a file made of pieces in one build and whole in the
// next (a feed of one entry, or none) and back is written each time with
// its new bytes, even when one of them is empty.
func TestFileChangesKind(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	for i, step := range []struct {
		pieces [][]byte
		want   string
	}{
		{[][]byte{[]byte("[a,"), []byte("b]")}, "[a,b]"},
		{nil, ""},
		{[][]byte{[]byte("[c,"), []byte("d]")}, "[c,d]"},
		{nil, "whole"},
		{[][]byte{[]byte("[e,"), []byte("f]")}, "[e,f]"},
	} {
		out := output.New("", "")
		if step.pieces != nil {
			out.Pieces["feed.json"] = step.pieces
		} else {
			out.Files["feed.json"] = []byte(step.want)
		}
		if st, err := s.Sync(out); err != nil || st.Written != 1 {
			t.Fatalf("step %d: wrote %v (%v)", i, st.Changed, err)
		}
		checkFolder(t, dest, map[string]string{"feed.json": step.want})
	}
}

// TestLongPathsInManifest: paths much longer than their hash are appended
// to the manifest like any other.
func TestLongPathsInManifest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	long := "events/" + strings.Repeat("a-very-long-slug-", 12) + "/index.html"
	site := map[string]string{"index.html": "home", long: "page"}
	for range 2 {
		if _, err := NewSyncer(dest).Sync(syncOutput(site)); err != nil {
			t.Fatal(err)
		}
		site[long] = "page 2"
	}
	checkFolder(t, dest, map[string]string{"index.html": "home", long: "page 2"})
	checkManifest(t, dest, map[string]string{"index.html": "home", long: "page 2"})
}

// TestDestReplacedByLink: an output folder replaced by a symbolic link
// while a Syncer holds it (as while serve runs) is refused, and nothing is
// written where the link points; a --dest that was a link from the start
// is followed, also when the folder it points to is made again.
func TestDestReplacedByLink(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	s := NewSyncer(dest)
	if _, err := s.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	// elsewhere is a copy of the site, manifest and all: the link leads to
	// a folder that looks like the generator's but is not the one checked.
	elsewhere := filepath.Join(parent, "elsewhere")
	if err := os.CopyFS(elsewhere, os.DirFS(dest)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, dest); err != nil {
		t.Fatal(err)
	}
	before := tree(t, elsewhere)
	if _, err := s.Sync(syncOutput(siteV2())); err == nil || !strings.Contains(err.Error(), "is now a symbolic link") {
		t.Errorf("Sync into a folder replaced by a link: %v", err)
	}
	sameTree(t, "the folder the link points to", elsewhere, before)

	target := filepath.Join(parent, "target")
	link := filepath.Join(parent, "link")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	s = NewSyncer(link)
	if _, err := s.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(target); err != nil { // make clean, through the link
		t.Fatal(err)
	}
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(syncOutput(siteV2())); err != nil {
		t.Errorf("Sync into a --dest that was a link from the start: %v", err)
	}
	checkFolder(t, target, siteV2())
}

// TestLockFollowsRecreatedFolder: a Syncer holding its folder for life
// (serve) whose folder is deleted and made again (make clean) holds the
// new folder once it syncs into it: a second build is refused there.
func TestLockFollowsRecreatedFolder(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	a := NewSyncer(dest)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(syncOutput(siteV2())); err != nil {
		t.Fatal(err)
	}
	b := NewSyncer(dest)
	if _, err := b.Sync(syncOutput(siteV1)); err == nil || !strings.Contains(err.Error(), "in use by") {
		t.Errorf("a second Syncer on the folder made again: %v; want it refused", err)
	}
	checkFolder(t, dest, siteV2())
}

// TestCloseUnopened: a Syncer closed before it opened its folder (serve
// stopped before its first build) closes cleanly.
func TestCloseUnopened(t *testing.T) {
	if err := NewSyncer(filepath.Join(t.TempDir(), "public")).Close(); err != nil {
		t.Error(err)
	}
}

// TestEveryLeftStageIsCleared: stages left by several killed builds are
// all removed by the next run, not only the first.
func TestEveryLeftStageIsCleared(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		dir := filepath.Join(dest, StagePrefix+name)
		writeTestFile(t, filepath.Join(dir, "p", "index.html"), "half a site")
		writeTestFile(t, filepath.Join(dir, StageMarker), "")
	}
	if err := NewSyncer(dest).Check(); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, siteV1)
	noStage(t, dest)
}

// TestManifestDeletedBehindSyncer: a Syncer that finds the manifest gone
// (or another file in its place) between two Syncs reads the folder
// again, and then refuses it, as every file in it is now unknown.
func TestManifestDeletedBehindSyncer(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	for range 2 { // the second Sync records the manifest as the first left it
		if _, err := s.Sync(syncOutput(siteV1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(dest, ManifestName)); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	if _, err := s.Sync(syncOutput(siteV2())); err == nil || !strings.Contains(err.Error(), "did not write") {
		t.Errorf("Sync after the manifest was deleted: %v; want the folder refused", err)
	}
	sameTree(t, "refused", dest, before)
}

// TestTouchedFileAfterWholeManifest: a file written whole is the
// generator's by its bytes: after the manifest was written whole, a file
// whose time changed but whose bytes did not (a checkout, a copy) is still
// replaced and removed.
func TestTouchedFileAfterWholeManifest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	if _, err := s.Sync(syncOutput(map[string]string{"a.html": "a", "b.html": "b"})); err != nil {
		t.Fatal(err)
	}
	s.journal = 1 << 20 // the next Sync writes the manifest whole
	if _, err := s.Sync(syncOutput(map[string]string{"a.html": "a", "b.html": "b 2"})); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	for _, p := range []string{"a.html", "b.html"} {
		if err := os.Chtimes(filepath.Join(dest, p), later, later); err != nil {
			t.Fatal(err)
		}
	}
	st, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"a.html": "a 3"}))
	if err != nil || st.Written != 1 || st.Removed != 1 {
		t.Errorf("replacing and removing touched files: %+v (%v)", st, err)
	}
	checkFolder(t, dest, map[string]string{"a.html": "a 3"})
}

// TestLockedFolderDeleted: a folder held for life (serve) that is deleted
// (make clean) is made again by the next Sync, which holds the new one.
func TestLockedFolderDeleted(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	a := NewSyncer(dest)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Sync(syncOutput(siteV1)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(syncOutput(siteV2())); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, siteV2())
	if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err == nil || !strings.Contains(err.Error(), "in use by") {
		t.Errorf("a second Syncer on the folder made again: %v; want it refused", err)
	}
	// Once the first lets go, the folder is free: no lock was left behind.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := NewSyncer(dest).Sync(syncOutput(siteV1)); err != nil {
		t.Errorf("a Syncer after the holder closed: %v", err)
	}
	checkFolder(t, dest, siteV1)
}

// TestFileWhereFolderGoes: a file edited by hand stands where the new site
// needs a folder: the Sync fails saying so, before anything changes, and
// the file is kept.
func TestFileWhereFolderGoes(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home", "events": "a file"})); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dest, "events"), "edited by hand")
	before := tree(t, dest)
	_, err := NewSyncer(dest).Sync(syncOutput(map[string]string{"index.html": "home 2", "events/index.html": "a"}))
	if err == nil || !strings.Contains(err.Error(), "a file stands where a folder goes") {
		t.Errorf("a Sync needing a folder where a file stands: %v", err)
	}
	sameTree(t, "failed", dest, before)
}
