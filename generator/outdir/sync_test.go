package outdir

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
)

func syncOutput(files map[string]string) *output.Output {
	out := output.New("", "")
	for p, b := range files {
		out.Files[p] = []byte(b)
	}
	return out
}

// checkFolder fails unless dest holds exactly files and the manifest.
func checkFolder(t *testing.T, dest string, files map[string]string) {
	t.Helper()
	got := testtool.ReadTree(t, dest)
	delete(got, ManifestName)
	want := map[string][]byte{}
	for p, b := range files {
		want[p] = []byte(b)
	}
	if diff := testtool.TreeDiff(got, want); diff != "" {
		t.Errorf("%s: %s", dest, diff)
	}
}

// TestSyncAfterFolderDeleted: a Syncer remembers what it wrote, but the
// folder may be deleted or replaced between two Syncs (make clean while
// serve runs). The next Sync must write the whole site again, not only the
// files whose bytes changed.
func TestSyncAfterFolderDeleted(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	v1 := map[string]string{"index.html": "home", "a/index.html": "a1", "css/site.css": "body{}"}
	if _, err := s.Sync(syncOutput(v1)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	v2 := map[string]string{"index.html": "home", "a/index.html": "a2", "css/site.css": "body{}"}
	if _, err := s.Sync(syncOutput(v2)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, v2)
}

// TestSyncAfterWriteError: a Sync that fails part-way (here a folder stands
// where a file must go, which fails for root too) reports the error; once
// the obstacle is gone, the next Sync of the same output completes it.
func TestSyncAfterWriteError(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	v1 := map[string]string{"index.html": "home", "a/index.html": "a1", "b/index.html": "b1"}
	if _, err := s.Sync(syncOutput(v1)); err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(dest, "a", "index.html")
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	v2 := map[string]string{"index.html": "home", "a/index.html": "a2", "b/index.html": "b2"}
	_, err1 := s.Sync(syncOutput(v2))
	if err1 == nil {
		t.Fatal("Sync wrote a file where a folder stands")
	}
	// The same fault reads the same on every try, and names the file,
	// not the temporary one: serve retries and reports only news.
	_, err2 := s.Sync(syncOutput(v2))
	if err2 == nil || err1.Error() != err2.Error() || strings.Contains(err1.Error(), ".sitegen-") || !strings.Contains(err1.Error(), blocked) {
		t.Errorf("two Syncs against the same fault said %q and %q; want the same, naming %s", err1, err2, blocked)
	}
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(syncOutput(v2)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, v2)

	// Replaced by a file: an error, then, once it is a folder again, the
	// whole site.
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dest, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(syncOutput(v1)); err == nil {
		t.Fatal("Sync wrote into a file")
	}
	if err := os.Remove(dest); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(syncOutput(v1)); err != nil {
		t.Fatal(err)
	}
	checkFolder(t, dest, v1)
}

// TestSyncWritesOnlyChanges: a second Sync writes the files whose bytes
// changed and removes the ones gone, whether the unchanged files come as
// the very slices synced before (watch mode's reused pages) or as equal
// copies (a fresh build).
func TestSyncWritesOnlyChanges(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	v1 := syncOutput(map[string]string{"index.html": "home", "a/index.html": "a1", "b/index.html": "b1", "feed.json": "[1]"})
	if _, err := s.Sync(v1); err != nil {
		t.Fatal(err)
	}
	v2 := output.New("", "")
	v2.Files["index.html"] = v1.Files["index.html"] // the same slice
	v2.Files["a/index.html"] = []byte("a1")         // an equal copy
	v2.Files["feed.json"] = []byte("[1,2]")         // changed
	v2.Files["c/index.html"] = []byte("c1")         // new; b/ is gone
	st, err := s.Sync(v2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b/index.html", "c/index.html", "feed.json"}; strings.Join(st.Changed, " ") != strings.Join(want, " ") || st.Written != 2 || st.Removed != 1 || st.Unchanged != 2 {
		t.Errorf("second sync: %+v; want written 2, removed 1, unchanged 2, changed %v", st, want)
	}
	checkFolder(t, dest, map[string]string{"index.html": "home", "a/index.html": "a1", "feed.json": "[1,2]", "c/index.html": "c1"})
}

// TestSyncPieces: a file kept as pieces (an export made entry by entry) is
// written joined, and is written again only when its bytes change: not
// when its pieces are the same slices, nor when the same bytes come cut
// differently, nor for a new Syncer on the folder, which goes by the
// manifest's hash.
func TestSyncPieces(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	pieced := func(pieces ...string) *output.Output {
		out := output.New("", "")
		out.Files["index.html"] = []byte("home")
		for _, p := range pieces {
			out.Pieces["data.json"] = append(out.Pieces["data.json"], []byte(p))
		}
		return out
	}
	sync := func(s *Syncer, out *output.Output, written int) {
		t.Helper()
		st, err := s.Sync(out)
		if err != nil {
			t.Fatal(err)
		}
		if st.Written != written {
			t.Errorf("wrote %d files (%v), want %d", st.Written, st.Changed, written)
		}
	}
	v1 := pieced("[1", ",2", ",3", "]")
	sync(s, v1, 2)
	checkFolder(t, dest, map[string]string{"index.html": "home", "data.json": "[1,2,3]"})

	v2 := output.New("", "")
	v2.Files["index.html"] = v1.Files["index.html"]
	v2.Pieces["data.json"] = slices.Clone(v1.Pieces["data.json"]) // the same slices
	sync(s, v2, 0)
	sync(s, pieced("[1,", "2,3]"), 0) // the same bytes, cut otherwise
	sync(s, pieced("[1", ",2", ",3", "", "]"), 0)
	sync(s, pieced("[1", ",2", ",4", "]"), 1)
	checkFolder(t, dest, map[string]string{"index.html": "home", "data.json": "[1,2,4]"})
	sync(s, pieced("[1", ",2", ",4", ",5]"), 1)
	checkFolder(t, dest, map[string]string{"index.html": "home", "data.json": "[1,2,4,5]"})

	// A new Syncer knows the file by the hash the manifest records, which
	// is made piece by piece (see pieceSums): the same pieces are not
	// written again, other bytes are.
	fresh := NewSyncer(dest)
	sync(fresh, pieced("[1", ",2", ",4", ",5]"), 0)
	sync(fresh, pieced("[1", ",2", ",4", ",6]"), 1)
	checkFolder(t, dest, map[string]string{"index.html": "home", "data.json": "[1,2,4,6]"})
	manifest, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	// Its line adds the file's identity (see manifest.go): a hash made of
	// pieces cannot be checked against the bytes on disk.
	_, sum := pieceSums(pieced("[1", ",2", ",4", ",6]").Pieces["data.json"], syncedFile{})
	fi, err := os.Stat(filepath.Join(dest, "data.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := appendLine(nil, manifestLine{hash: sum, id: idOf(fi), path: "data.json"}); !strings.HasSuffix(string(manifest), string(want)) {
		t.Errorf("manifest %q does not end with %q", manifest, want)
	}
}

// TestPieceSums: a file's hash does not depend on whether it was made in
// memory, staged, or synced after an edit that reused most pieces; a file
// of one non-empty piece hashes as the whole file does.
func TestPieceSums(t *testing.T) {
	a, b, c := []byte("alpha"), []byte("beta"), []byte("gamma")
	_, whole := pieceSums([][]byte{{}, b, {}}, syncedFile{})
	if whole != output.ContentHash(b) {
		t.Errorf("one piece hashes %s, the whole file %s", whole, output.ContentHash(b))
	}
	if _, none := pieceSums(nil, syncedFile{}); none != output.ContentHash(nil) {
		t.Errorf("no piece hashes %s, an empty file %s", none, output.ContentHash(nil))
	}
	sums, first := pieceSums([][]byte{a, b}, syncedFile{})
	ts := output.NewTreeSum()
	ts.AddPiece(a)
	ts.AddPiece([]byte{})
	ts.AddPiece(b)
	if ts.Sum() != first {
		t.Errorf("a staged file hashes %s, the same pieces in memory %s", ts.Sum(), first)
	}
	// The reused piece a takes its hash from prev, even a wrong one:
	// proof that it was not read again.
	prev := syncedFile{pieces: [][]byte{a, b}, sums: []uint64{42, sums[1]}}
	got, _ := pieceSums([][]byte{a, c}, prev)
	fresh, _ := pieceSums([][]byte{a, c}, syncedFile{})
	if got[0] != 42 || got[1] != fresh[1] {
		t.Errorf("pieceSums with prev = %v; want [42 %d]", got, fresh[1])
	}
	// A piece came: the reused ones are found wherever they are now.
	got, _ = pieceSums([][]byte{c, a, b}, prev)
	if got[1] != 42 || got[2] != sums[1] {
		t.Errorf("pieceSums with a piece added = %v; want [_ 42 %d]", got, sums[1])
	}
}

// TestSyncInPlace: with InPlace, a changed pieced file is updated in the
// file already there (same inode), longer or shorter; a file changed on
// disk behind the Syncer's back is written anew, whole; and without
// InPlace every write is a new file renamed into place.
func TestSyncInPlace(t *testing.T) {
	for _, inPlace := range []bool{true, false} {
		dest := filepath.Join(t.TempDir(), "public")
		s := NewSyncer(dest)
		s.InPlace = inPlace
		entries := [][]byte{[]byte("[1"), []byte(",22"), []byte(",333"), []byte("]")}
		output := func(pieces ...[]byte) *output.Output {
			out := output.New("", "")
			out.Pieces["data.json"] = pieces
			return out
		}
		inode := func() os.FileInfo {
			t.Helper()
			fi, err := os.Stat(filepath.Join(dest, "data.json"))
			if err != nil {
				t.Fatal(err)
			}
			return fi
		}
		step := func(what, want string, pieces ...[]byte) {
			t.Helper()
			before := inode()
			st, err := s.Sync(output(pieces...))
			if err != nil || st.Written != 1 {
				t.Fatalf("%s: wrote %d files (%v)", what, st.Written, err)
			}
			checkFolder(t, dest, map[string]string{"data.json": want})
			if same := os.SameFile(before, inode()); same != inPlace {
				t.Errorf("InPlace %v, %s: the file is the one before: %v", inPlace, what, same)
			}
		}
		if _, err := s.Sync(output(entries...)); err != nil {
			t.Fatal(err)
		}
		step("a middle entry longer", "[1,22,4444,333]", entries[0], entries[1], []byte(",4444"), entries[2], entries[3])
		step("a middle entry as long", "[1,22,4321,333]", entries[0], entries[1], []byte(",4321"), entries[2], entries[3])
		step("the last entries shorter", "[1,5]", entries[0], []byte(",5"), entries[3])
		step("the first byte changed", "{1,5}", []byte("{1"), []byte(",5"), []byte("}"))

		// Someone edits the file by hand: the Syncer leaves it, says so,
		// and writes it anew once it is gone.
		name := filepath.Join(dest, "data.json")
		if err := os.WriteFile(name, []byte("{1,6}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sync(output([]byte("{1"), []byte(",7"), []byte("}"))); err == nil || !strings.Contains(err.Error(), "not the one the generator wrote") {
			t.Errorf("InPlace %v: syncing over a file edited by hand: %v", inPlace, err)
		}
		checkFolder(t, dest, map[string]string{"data.json": "{1,6}"})
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sync(output([]byte("{1"), []byte(",7"), []byte("}"))); err != nil {
			t.Fatal(err)
		}
		checkFolder(t, dest, map[string]string{"data.json": "{1,7}"})
		// What is on disk now is what a new Syncer finds unchanged.
		if st, err := NewSyncer(dest).Sync(output([]byte("{1"), []byte(",7"), []byte("}"))); err != nil || st.Written != 0 {
			t.Errorf("a new Syncer wrote %v (%v)", st.Changed, err)
		}
	}
}

func TestCommonPrefix(t *testing.T) {
	shared := []byte("shared")
	for _, c := range []struct {
		a, b [][]byte
		want int
	}{
		{nil, nil, 0},
		{[][]byte{shared, []byte("x")}, [][]byte{shared, []byte("y")}, 6},
		{[][]byte{[]byte("ab"), []byte("cd")}, [][]byte{[]byte("abc"), []byte("e")}, 3},
		{[][]byte{[]byte("abc")}, [][]byte{[]byte("abc"), []byte("d")}, 3},
		{[][]byte{{}, []byte("a")}, [][]byte{[]byte("a"), {}}, 1},
	} {
		if got := commonPrefix(c.a, c.b); got != c.want {
			t.Errorf("commonPrefix(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := string(bytes.Join(piecesFrom(c.b, c.want), nil)); got != string(bytes.Join(c.b, nil))[c.want:] {
			t.Errorf("piecesFrom(%q, %d) = %q", c.b, c.want, got)
		}
	}
}

// TestCommonSuffix: the bytes two files cut into pieces share at their
// ends, however they are cut, up to a limit; and piecesUpTo, which cuts
// the head off without changing the pieces it is given.
func TestCommonSuffix(t *testing.T) {
	shared := []byte("shared")
	for _, c := range []struct {
		a, b  [][]byte
		limit int
		want  int
	}{
		{nil, nil, 10, 0},
		{[][]byte{[]byte("x"), shared}, [][]byte{[]byte("y"), shared}, 10, 6},
		{[][]byte{[]byte("x"), shared}, [][]byte{[]byte("y"), shared}, 4, 4},
		{[][]byte{[]byte("ab"), []byte("cd")}, [][]byte{[]byte("e"), []byte("bcd")}, 10, 3},
		{[][]byte{[]byte("abc")}, [][]byte{[]byte("d"), []byte("abc")}, 10, 3},
		{[][]byte{[]byte("a"), {}}, [][]byte{{}, []byte("a")}, 10, 1},
		{[][]byte{[]byte("same")}, [][]byte{[]byte("same")}, 10, 4},
	} {
		if got := commonSuffix(c.a, c.b, c.limit); got != c.want {
			t.Errorf("commonSuffix(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
	pieces := [][]byte{[]byte("ab"), []byte("cde"), []byte("f")}
	for n := 0; n <= 6; n++ {
		if got := string(bytes.Join(piecesUpTo(pieces, n), nil)); got != "abcdef"[:n] {
			t.Errorf("piecesUpTo(%q, %d) = %q", pieces, n, got)
		}
	}
	if string(pieces[1]) != "cde" {
		t.Errorf("piecesUpTo changed the pieces it was given: %q", pieces)
	}
}

// TestManifestJournal: a Sync appends the lines of what it wrote and
// removed to the manifest instead of writing it whole, and writes it whole
// once the appended lines add up. A new Syncer reading the manifest at any
// point knows every file's hash (it writes nothing for an unchanged site),
// forgets removed files, and ignores a last line cut off by a crash.
func TestManifestJournal(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	manifest := filepath.Join(dest, ManifestName)
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(manifest)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	s := NewSyncer(dest)
	site := map[string]string{"index.html": "home", "a/index.html": "a0", "b/index.html": "b"}
	mustSync := func(s *Syncer, files map[string]string, written, removed int) {
		t.Helper()
		st, err := s.Sync(syncOutput(files))
		if err != nil {
			t.Fatal(err)
		}
		if st.Written != written || st.Removed != removed {
			t.Fatalf("sync: %+v; want %d written, %d removed", st, written, removed)
		}
		checkFolder(t, dest, files)
	}
	mustSync(s, site, 3, 0)
	first := read()
	if want := output.ContentHash([]byte("a0")) + " a/index.html\n"; !strings.HasPrefix(first, want) {
		t.Fatalf("manifest of a new folder:\n%s\nwant it to start with %q", first, want)
	}
	site["a/index.html"] = "a1"
	delete(site, "b/index.html")
	mustSync(s, site, 1, 1)
	grown := read()
	if want := first + output.ContentHash([]byte("a1")) + " a/index.html\n- b/index.html\n"; grown != want {
		t.Fatalf("manifest after an edit and a removal:\n%s\nwant:\n%s", grown, want)
	}
	mustSync(NewSyncer(dest), site, 0, 0)

	// A crash while appending leaves a line without its newline.
	if err := os.WriteFile(manifest, []byte(grown+"- index.h"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSync(NewSyncer(dest), site, 0, 0)

	// Enough appended lines make the manifest whole again: one line per
	// file, sorted.
	for i := 2; i < 40; i++ {
		site["a/index.html"] = "a" + strings.Repeat("x", i)
		mustSync(s, site, 1, 0)
	}
	whole := read()
	if lines := strings.Count(whole, "\n"); lines > 2+2*32 {
		t.Errorf("manifest has %d lines after 38 edits of one file; it was never written whole", lines)
	}
	mustSync(NewSyncer(dest), site, 0, 0)
	site["a/index.html"] = "last"
	s.files = nil
	s.checked = false // as a new serve would: read from the manifest
	mustSync(s, site, 1, 0)
	if !strings.HasSuffix(read(), output.ContentHash([]byte("last"))+" a/index.html\n") {
		t.Errorf("manifest does not end with the last write:\n%s", read())
	}
}

// TestFailedSyncLeavesOldSite: a Sync whose one target cannot be
// replaced (a folder stands where a file goes) changes nothing: the other
// changed files keep their old bytes, the manifest its old lines, and the
// staging folder is gone. The manifest is due to be written whole, so
// that path is taken too.
func TestFailedSyncLeavesOldSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := NewSyncer(dest)
	v1 := map[string]string{"index.html": "home", "a/index.html": "a1", "z.html": "z1"}
	if _, err := s.Sync(syncOutput(v1)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(dest, "a", "index.html")
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.journal = 1 << 20 // the next lines make the manifest due whole
	if _, err := s.Sync(syncOutput(map[string]string{"index.html": "home2", "a/index.html": "a2", "z.html": "z2"})); err == nil {
		t.Fatal("Sync wrote a file where a folder stands")
	}
	for p, want := range map[string]string{"index.html": "home", "z.html": "z1"} {
		if b, _ := os.ReadFile(filepath.Join(dest, p)); string(b) != want {
			t.Errorf("%s holds %q after a failed Sync; want the old %q", p, b, want)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dest, ManifestName)); string(after) != string(before) {
		t.Errorf("a failed Sync changed the manifest:\n%s\nwas:\n%s", after, before)
	}
	entries, _ := os.ReadDir(dest)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), StagePrefix) {
			t.Errorf("a failed Sync left %s", e.Name())
		}
	}
}

// TestManifestWholeKeepsIdentity: a pieced file left unchanged by a Sync
// that writes the manifest whole keeps the identity its line records, so
// that a later Syncer may still replace it (its hash, made of pieces,
// cannot vouch for it).
func TestManifestWholeKeepsIdentity(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	out := func(page, entry string) *output.Output {
		o := output.New("", "")
		o.Files["index.html"] = []byte(page)
		o.Pieces["data.json"] = [][]byte{[]byte("[1,"), []byte(entry), []byte("]")}
		return o
	}
	if _, err := NewSyncer(dest).Sync(out("a", "2")); err != nil {
		t.Fatal(err)
	}
	s := NewSyncer(dest)
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.journal = 1 << 20 // the next Sync writes the manifest whole
	if _, err := s.Sync(out("b", "2")); err != nil {
		t.Fatal(err)
	}
	if st, err := NewSyncer(dest).Sync(out("b", "3")); err != nil || st.Written != 1 {
		t.Errorf("replacing the pieced file after a whole manifest: %v (%v)", st.Changed, err)
	}
}
