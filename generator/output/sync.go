package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/parallel"
)

// ManifestName is the file in the output folder that lists what the
// generator wrote there. Sync deletes only files named in it, and refuses a
// folder holding files it does not name: the generator never deletes what it
// did not write.
const ManifestName = ".sitegen-manifest"

// Syncer writes Outputs to one folder, again and again. It remembers what it
// wrote, so that only files whose bytes changed are written and files of
// pages that are gone are removed. Not safe for concurrent use.
type Syncer struct {
	dest string
	// files holds each file this Syncer wrote or found in the manifest:
	// its hash as on disk and, when known, its bytes.
	files   map[string]*syncRecord
	checked bool // the folder was checked for foreign files
	// manifest is the manifest file as the last Sync left it. A Sync that
	// finds another file there, or none, knows the folder was deleted or
	// replaced behind its back (make clean during serve), so files no
	// longer says what is on disk, and reads the folder again.
	manifest os.FileInfo
	// journal counts the manifest's lines beyond one per file: a Sync
	// appends the lines of the files it wrote or removed rather than
	// writing the whole manifest again (see appendManifest), and the
	// manifest is written whole once they add up.
	journal int
	// InPlace lets Sync update a changed pieced file (see Output.Pieces)
	// in place rather than write a whole new file and rename it: only
	// from the first byte that changed, into pages the file already has.
	// At 10,000 events, where one saved event changes 94 MB of exports,
	// that is a few milliseconds instead of tens. A reader of the folder
	// may then see such a file half-updated for that long, so only serve
	// sets it: it serves the site from memory, never from the folder. A
	// file that is not as the last Sync left it (its size, time or inode
	// changed) is written anew, and the manifest marks the file pending
	// until the update is done, so a build cut off writes it again.
	InPlace bool
}

// syncRecord is what a Syncer knows of one file it wrote.
type syncRecord struct {
	// hash is the file's hash as the manifest records it; pending while
	// the file is being written, so that a build cut off half-way writes
	// it again.
	hash string
	// file is the file's bytes as the last Sync left them on disk, when
	// known is set. A file whose new bytes are equal needs neither a hash
	// nor a write, and comparing is much cheaper than hashing: in watch
	// mode on a large site most of the output is the very same slices as
	// before. A file read from the manifest, or staged, is known by its
	// hash alone.
	file  syncedFile
	known bool
}

// pending is the manifest's hash of a file being written.
const pending = "pending"

// SyncStats counts what one Sync did.
type SyncStats struct {
	Written   int
	Removed   int
	Unchanged int
	// Changed lists the output paths written or removed, sorted.
	Changed []string
}

// NewSyncer returns a Syncer for the folder dest.
func NewSyncer(dest string) *Syncer { return &Syncer{dest: dest} }

// CheckDest refuses output folders that would overwrite or delete the
// project: the project root itself, a folder holding it, or one of its
// input folders or anything inside them.
func CheckDest(root, dest string, inputs []string) error {
	r, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if r2, err := filepath.EvalSymlinks(r); err == nil {
		r = r2
	}
	if d2, err := evalExisting(d); err == nil {
		d = d2
	}
	if d == r || within(r, d) {
		return fmt.Errorf("--dest %s is the project folder or holds it; the build would mix its output with your sources (use a folder such as %s)", dest, filepath.Join(root, "public"))
	}
	for _, in := range inputs {
		ip := filepath.Join(r, in)
		if d == ip || within(d, ip) {
			return fmt.Errorf("--dest %s is inside the project's %s; the build would overwrite sources there", dest, in)
		}
	}
	return nil
}

// evalExisting resolves symlinks in the longest existing prefix of p.
func evalExisting(p string) (string, error) {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r, nil
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p, nil
	}
	r, err := evalExisting(parent)
	if err != nil {
		return p, err
	}
	return filepath.Join(r, filepath.Base(p)), nil
}

// within reports whether p lies inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Check checks the folder as the first Sync would (see Sync), so that a
// build can refuse a folder before it starts rather than after.
func (s *Syncer) Check() error { return s.check("") }

// check reads the folder as load does and records whether it passed;
// stage is the staging folder of the build about to be synced, if any.
func (s *Syncer) check(stage string) error {
	err := s.load(stage)
	s.checked = err == nil
	return err
}

// Sync makes the folder hold exactly out: it writes new and changed files
// (each through a temporary file renamed into place, so no reader sees half
// a file), removes files of earlier builds that out no longer has, and
// leaves everything else alone. On the first call it checks the folder: a
// folder with files the manifest does not name is refused, untouched.
//
// A staged Output (see Output) is used up: Sync renames its changed files
// into place and removes the staging folder with the rest, whatever the
// outcome.
func (s *Syncer) Sync(out *Output) (st SyncStats, err error) {
	defer func() {
		if derr := out.Discard(); derr != nil && err == nil {
			err = derr
		}
	}()
	if s.checked && s.manifest != nil {
		if fi, err := os.Stat(filepath.Join(s.dest, ManifestName)); err != nil || !os.SameFile(fi, s.manifest) {
			s.checked = false
		}
	}
	if !s.checked {
		if err := s.check(out.stage); err != nil {
			return st, err
		}
	}
	st, err = s.sync(out)
	if err != nil {
		// Some files may not be what written says (a write failed half-way,
		// the folder went away): read the folder again next time, so that
		// the Sync after the fault is gone writes every file it must.
		s.checked = false
		s.manifest = nil
	} else if fi, err := os.Stat(filepath.Join(s.dest, ManifestName)); err == nil {
		s.manifest = fi
	}
	return st, err
}

// sync is Sync once the folder has been checked.
func (s *Syncer) sync(out *Output) (SyncStats, error) {
	var st SyncStats
	items := syncItems(out)
	if out.stage != "" {
		// In order of path, for moveFolders.
		slices.SortFunc(items, func(a, b syncItem) int { return strings.Compare(a.path, b.path) })
	}
	paths := make([]string, len(items))
	for i, it := range items {
		paths[i] = it.path
	}
	if s.files == nil {
		s.files = make(map[string]*syncRecord, len(paths))
	}
	// sums[i] is the hash of paths[i], or "" for a pieced file known to
	// differ from what is on disk: it is hashed as it is written. For a
	// pieced file, pieceHashes[i] holds each piece's hash when known.
	// recs[i] is the file's record; same[i] says that the file on disk
	// already holds these bytes, and then its record is updated here:
	// each path is one worker's, so the workers touch distinct records.
	sums := make([]string, len(paths))
	pieceHashes := make([][]uint64, len(paths))
	recs := make([]*syncRecord, len(paths))
	same := make([]bool, len(paths))
	parallel.For(len(paths), func(i int) {
		it := &items[i]
		rec := s.files[it.path]
		recs[i] = rec
		if it.staged != nil {
			sums[i] = it.staged.sum
			if rec != nil && rec.hash == it.staged.sum {
				same[i] = true
				rec.file, rec.known = syncedFile{}, false // its bytes are not in memory
			}
			return
		}
		known := rec != nil && rec.known && rec.hash != pending
		if pieces := it.pieces; it.pieced {
			switch {
			case known && rec.file.equal(syncedFile{pieces: pieces}):
				sums[i] = rec.hash
				if slices.EqualFunc(rec.file.pieces, pieces, sameSlice) {
					pieceHashes[i] = rec.file.sums
				}
			case !known:
				pieceHashes[i], sums[i] = pieceSums(pieces, syncedFile{})
			}
			if rec != nil && sums[i] != "" && rec.hash == sums[i] {
				same[i] = true
				rec.file = syncedFile{pieces: pieces, sums: pieceHashes[i], disk: rec.file.disk}
				rec.known = true
			}
			return
		}
		b := it.whole
		if known && rec.file.equal(syncedFile{whole: b}) {
			sums[i] = rec.hash
		} else {
			sums[i] = contentHash(b)
		}
		if rec != nil && rec.hash == sums[i] {
			same[i] = true
			rec.file, rec.known = syncedFile{whole: b}, true
		}
	})

	// Name every file we are about to write before writing it, so that a
	// build cut off half-way leaves no file the manifest does not own, and
	// none whose recorded hash may no longer be what is on disk.
	var toWrite []int
	for i, p := range paths {
		if same[i] {
			st.Unchanged++
			continue
		}
		toWrite = append(toWrite, i)
		if recs[i] == nil {
			recs[i] = &syncRecord{}
			s.files[p] = recs[i]
		}
	}
	// In order of path, so that the manifest's lines are too.
	slices.SortFunc(toWrite, func(i, j int) int { return strings.Compare(paths[i], paths[j]) })
	// The records say pending before the manifest is appended to: when
	// the lines add up, appendManifest writes the manifest whole from the
	// records. If that fails, this Sync fails, and the next reads the
	// folder again instead of trusting the records.
	marks := make([]manifestLine, len(toWrite))
	for k, i := range toWrite {
		marks[k] = manifestLine{pending, paths[i]}
		recs[i].hash = pending
	}
	if err := s.appendManifest(marks); err != nil {
		return st, err
	}

	errs := make([]error, len(toWrite))
	disks := make([]os.FileInfo, len(toWrite))
	moved := s.moveFolders(out, paths, toWrite)
	parallel.For(len(toWrite), func(k int) {
		i := toWrite[k]
		it := &items[i]
		name := filepath.Join(s.dest, filepath.FromSlash(it.path))
		if it.staged != nil {
			if !moved[topName(it.path)] {
				errs[k] = moveInto(it.staged.at, name)
			}
			return
		}
		if pieces := it.pieces; it.pieced {
			prev := recs[i].file
			if !recs[i].known {
				prev = syncedFile{}
			}
			pieceHashes[i], sums[i] = pieceSums(pieces, prev)
			if s.InPlace && recs[i].known && prev.disk != nil {
				var done bool
				if disks[k], done, errs[k] = updateInPlace(name, prev, pieces); done {
					return
				}
			}
			disks[k], errs[k] = writePiecesAtomic(name, pieces)
			return
		}
		errs[k] = writeFileAtomic(name, it.whole)
	})
	var failed []error
	var done []manifestLine
	for k, i := range toWrite {
		p, rec := paths[i], recs[i]
		if errs[k] != nil {
			failed = append(failed, errs[k])
			rec.file, rec.known = syncedFile{}, false
			continue // pending: the next Sync writes it again
		}
		rec.hash = sums[i]
		switch it := &items[i]; {
		case it.staged != nil:
			rec.file, rec.known = syncedFile{}, false
		case it.pieced:
			rec.file, rec.known = syncedFile{pieces: it.pieces, sums: pieceHashes[i], disk: disks[k]}, true
		default:
			rec.file, rec.known = syncedFile{whole: it.whole}, true
		}
		done = append(done, manifestLine{rec.hash, p})
		st.Written++
		st.Changed = append(st.Changed, p)
	}

	// Every path of out has a record now, so there are more records only
	// when files of an earlier build are gone from out: on a save in watch
	// mode, none, and the 10,000 records need not be walked.
	if len(s.files) > len(paths) {
		var stale []string
		for p := range s.files {
			if !out.Has(p) {
				stale = append(stale, p)
			}
		}
		sort.Strings(stale)
		for _, p := range stale {
			full := filepath.Join(s.dest, filepath.FromSlash(p))
			if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
				failed = append(failed, err)
				continue
			}
			delete(s.files, p)
			done = append(done, manifestLine{removed, p})
			st.Removed++
			st.Changed = append(st.Changed, p)
			removeEmptyParents(s.dest, filepath.Dir(full))
		}
	}
	sort.Strings(st.Changed)
	if err := s.appendManifest(done); err != nil {
		failed = append(failed, err)
	}
	return st, errors.Join(failed...)
}

// syncItem is one file of an Output: its bytes whole, in pieces, or
// staged.
type syncItem struct {
	path   string
	whole  []byte
	pieces [][]byte
	pieced bool // pieces, not whole, hold the bytes
	staged *StagedFile
}

// syncItems lists out's files, in no order, with their bytes: read from
// the maps as they are walked, so that a Sync of 10,000 files looks none
// of them up by path in out. A path is in one of out's maps, never in two
// (mergePages sees to that), so the items' paths are distinct, which the
// check for stale files counts on.
func syncItems(out *Output) []syncItem {
	items := make([]syncItem, 0, len(out.Files)+len(out.Pieces)+len(out.staged))
	for p, b := range out.Files {
		items = append(items, syncItem{path: p, whole: b})
	}
	for p, pieces := range out.Pieces {
		items = append(items, syncItem{path: p, pieces: pieces, pieced: true})
	}
	for p, f := range out.staged {
		items = append(items, syncItem{path: p, staged: &f})
	}
	return items
}

// syncedFile is a file's bytes as Sync left it on disk: whole, or the
// pieces of an Output's pieced file.
type syncedFile struct {
	whole  []byte
	pieces [][]byte
	sums   []uint64    // each piece's hash, when known (see pieceSums)
	disk   os.FileInfo // a pieced file as written, when known (see InPlace)
}

// equal reports whether f and g hold the same bytes, however they are cut
// into pieces. Pieces that are the same slice are not compared: in watch
// mode nearly all of them are, so a 60 MB export whose one entry changed
// costs a walk over its pieces, not a read of its bytes.
func (f syncedFile) equal(g syncedFile) bool {
	if f.pieces == nil && g.pieces == nil {
		return sameslice.Is(f.whole, g.whole) || bytes.Equal(f.whole, g.whole)
	}
	a, b := f.pieces, g.pieces
	if a == nil {
		a = [][]byte{f.whole}
	}
	if b == nil {
		b = [][]byte{g.whole}
	}
	n := piecesLen(a)
	return n == piecesLen(b) && commonPrefix(a, b) == n
}

func piecesLen(pieces [][]byte) int {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	return n
}

// load reads the manifest and checks the folder for files it does not name.
// The staging folder of the build being synced, stage, is skipped; any
// other staging folder was left by a build that was killed, and is removed.
func (s *Syncer) load(stage string) error {
	s.files = map[string]*syncRecord{}
	s.journal = 0
	info, err := os.Stat(s.dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("--dest %s is a file, not a folder", s.dest)
	}
	if err := s.readManifest(); err != nil {
		return err
	}
	var foreign []string
	err = filepath.WalkDir(s.dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), StagePrefix) && filepath.Dir(p) == filepath.Clean(s.dest) {
				if stage == "" || !sameDir(p, stage) {
					if err := os.RemoveAll(p); err != nil {
						return err
					}
				}
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(s.dest, p)
		rel = filepath.ToSlash(rel)
		if rel == ManifestName {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".sitegen-") && strings.HasSuffix(d.Name(), ".tmp") {
			// A temporary file of ours left by a build that was killed.
			return os.Remove(p)
		}
		if _, ok := s.files[rel]; !ok {
			foreign = append(foreign, rel)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading --dest %s: %w", s.dest, err)
	}
	if len(foreign) > 0 {
		sort.Strings(foreign)
		more := ""
		if len(foreign) > 5 {
			more = fmt.Sprintf(" and %d more", len(foreign)-5)
			foreign = foreign[:5]
		}
		return fmt.Errorf("refusing to write to %s: it holds files this generator did not write (%s%s); the generator deletes nothing it did not write, so choose an empty or new folder, or move those files away", s.dest, strings.Join(foreign, ", "), more)
	}
	// A file recorded as written but changed by hand on disk is rewritten:
	// forget hashes of files that are missing.
	for p := range s.files {
		if _, err := os.Stat(filepath.Join(s.dest, filepath.FromSlash(p))); err != nil {
			delete(s.files, p)
		}
	}
	return nil
}

// The manifest has a line "hash path" for each file the generator wrote
// there, sorted by path when written whole. A Sync appends a line for each
// file it is about to write ("pending path"), then one for each file it
// wrote or removed ("- path"): a later line for a path replaces the
// earlier ones. On a save in watch mode that is a few dozen short lines
// instead of a 700 KB file written twice. A line cut off by a crash has no
// newline and is ignored; the files it would have named were not touched
// yet (a pending mark) or are rewritten anyway (their mark stands).

// removed is the manifest's hash of a file that was removed.
const removed = "-"

// manifestLine is one line of the manifest.
type manifestLine struct{ hash, path string }

// readManifest reads the manifest, if there is one, into s.files.
func (s *Syncer) readManifest() error {
	hashes, lines, err := readManifest(s.dest)
	if err != nil {
		return err
	}
	for p, h := range hashes {
		s.files[p] = &syncRecord{hash: h}
	}
	s.journal = lines - len(hashes)
	return nil
}

// ReadManifest returns what the manifest in the output folder dest says
// the generator wrote there: each file's path and hash. Two folders whose
// manifests say the same hold files written by the same Syncs' rules,
// whether the lines were appended over many Syncs or written at once.
func ReadManifest(dest string) (map[string]string, error) {
	hashes, _, err := readManifest(dest)
	return hashes, err
}

// readManifest reads the manifest in dest, if there is one, and counts
// its lines.
func readManifest(dest string) (hashes map[string]string, lines int, err error) {
	hashes = map[string]string{}
	b, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return hashes, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the manifest of %s: %w", dest, err)
	}
	for len(b) > 0 {
		line, rest, complete := bytes.Cut(b, []byte{'\n'})
		if !complete {
			break // cut off by a crash while it was appended
		}
		b = rest
		h, p, ok := strings.Cut(string(line), " ")
		if !ok || p == "" || strings.Contains("/"+p+"/", "/../") {
			continue
		}
		lines++
		if h == removed {
			delete(hashes, p)
			continue
		}
		hashes[p] = h
	}
	return hashes, lines, nil
}

// appendManifest appends lines to the manifest, or writes it whole (from
// s.files) when the lines appended since it last was would outnumber a
// third of its files.
func (s *Syncer) appendManifest(lines []manifestLine) error {
	if len(lines) == 0 {
		return nil
	}
	s.journal += len(lines)
	if s.journal > len(s.files)/3+64 {
		return s.writeManifest()
	}
	n := 0
	for _, l := range lines {
		n += len(l.hash) + len(l.path) + 2
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = appendManifestLine(b, l)
	}
	if err := os.MkdirAll(s.dest, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dest, ManifestName), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, bareError(err))
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, bareError(err))
	}
	return nil
}

// writeManifest writes the manifest whole, a line for each file in s.files
// in order of path, through a temporary file renamed into place.
func (s *Syncer) writeManifest() error {
	paths := slices.Sorted(maps.Keys(s.files))
	n := 0
	for _, p := range paths {
		n += len(s.files[p].hash) + len(p) + 2
	}
	b := make([]byte, 0, n)
	for _, p := range paths {
		b = appendManifestLine(b, manifestLine{s.files[p].hash, p})
	}
	s.journal = 0
	return writeFileAtomic(filepath.Join(s.dest, ManifestName), b)
}

func appendManifestLine(b []byte, l manifestLine) []byte {
	b = append(b, l.hash...)
	b = append(b, ' ')
	b = append(b, l.path...)
	return append(b, '\n')
}

// StagePrefix starts the name of a build's staging folder, made inside the
// output folder (see Output and NewStage).
const StagePrefix = ".sitegen-stage-"

// NewStage makes a staging folder for a build into dest (creating dest if
// needed): inside it, so that Sync can rename staged files into place.
// Output.Discard, which Sync calls, removes it.
func NewStage(dest string) (string, error) {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(dest, StagePrefix+"*")
}

// sameDir reports whether two paths name the same folder.
func sameDir(a, b string) bool {
	x, err1 := os.Stat(a)
	y, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(x, y)
}

// moveFolders moves whole folders of a staged Output into place where it
// can, and returns the top-level names it moved: a folder (events/,
// actors/) that the output folder does not have yet, whose every file is
// to be written and was staged in one place. On a build into a new folder
// that is a few renames instead of one per page (10,000 at 10,000 events,
// each with its folder to make), and it leaves the staging folder nearly
// empty to remove. Any other file is moved on its own, as is a folder
// whose rename fails.
func (s *Syncer) moveFolders(out *Output, paths []string, toWrite []int) map[string]bool {
	if out.stage == "" {
		return nil
	}
	type folder struct {
		from  string // the folder in the stage
		files int    // its staged files
		write int    // of them, those to be written
		ok    bool   // staged in one place
	}
	folders := map[string]*folder{}
	for p, f := range out.staged {
		top := topName(p)
		if top == p {
			continue // a file at the top: moved on its own
		}
		from := strings.TrimSuffix(f.at, filepath.FromSlash(p)) + top
		d := folders[top]
		if d == nil {
			d = &folder{from: from, ok: true}
			folders[top] = d
		}
		d.files++
		d.ok = d.ok && d.from == from
	}
	for _, i := range toWrite {
		if d := folders[topName(paths[i])]; d != nil {
			d.write++
		}
	}
	var moved map[string]bool
	for top, d := range folders {
		if !d.ok || d.write != d.files || d.files != countUnder(paths, top) {
			continue
		}
		to := filepath.Join(s.dest, top)
		if _, err := os.Lstat(to); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if os.Rename(d.from, to) == nil {
			if moved == nil {
				moved = map[string]bool{}
			}
			moved[top] = true
		}
	}
	return moved
}

// topName is the first element of an output path.
func topName(p string) string {
	top, _, _ := strings.Cut(p, "/")
	return top
}

// countUnder counts the paths (sorted) under the folder top.
func countUnder(paths []string, top string) int {
	lo, _ := slices.BinarySearch(paths, top+"/")
	hi, _ := slices.BinarySearch(paths, top+"0") // '0' follows '/'
	return hi - lo
}

// moveInto renames a staged file over name. The staging folder lies inside
// the output folder, on the same file system, so the rename is atomic: a
// reader sees the old file or the new one, never half of one.
func moveInto(staged, name string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if err := os.Rename(staged, name); err != nil {
		return fmt.Errorf("writing %s: %w", name, bareError(err))
	}
	return nil
}

// writeFileAtomic writes b to a temporary file beside name and renames it
// over name. Its errors name the file, not the temporary one, whose random
// name would tell the author nothing and make the same fault read
// differently on every try.
func writeFileAtomic(name string, b []byte) error {
	_, err := writePiecesAtomic(name, [][]byte{b})
	return err
}

// writePiecesAtomic is writeFileAtomic for a file made of pieces; it
// returns the file's information as written.
func writePiecesAtomic(name string, pieces [][]byte) (os.FileInfo, error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".sitegen-*.tmp")
	if err != nil {
		return nil, err
	}
	werr := writePieces(f, pieces)
	if werr == nil {
		werr = f.Chmod(0o644)
	}
	var info os.FileInfo
	if werr == nil {
		info, werr = f.Stat()
	}
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("writing %s: %w", name, bareError(werr, cerr))
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("writing %s: %w", name, bareError(err))
	}
	return info, nil
}

// updateInPlace makes the file name, which the last Sync left as prev,
// hold pieces, writing from the first byte that differs (see
// Syncer.InPlace). done is false, and nothing was written, when the file
// is not as prev says: the caller writes it anew.
func updateInPlace(name string, prev syncedFile, pieces [][]byte) (info os.FileInfo, done bool, err error) {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return nil, false, nil
	}
	now, err := f.Stat()
	if err != nil || !os.SameFile(now, prev.disk) || now.Size() != prev.disk.Size() || !now.ModTime().Equal(prev.disk.ModTime()) {
		f.Close()
		return nil, false, nil
	}
	off := commonPrefix(prev.pieces, pieces)
	err = writePiecesAt(f, piecesFrom(pieces, off), int64(off))
	if err == nil {
		err = f.Truncate(int64(piecesLen(pieces)))
	}
	if err == nil {
		info, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, true, fmt.Errorf("writing %s: %w", name, bareError(err))
	}
	return info, true, nil
}

// commonPrefix returns how many bytes a and b, each cut into pieces, have
// in common from the start; pieces that are the same slice are not read.
func commonPrefix(a, b [][]byte) int {
	var x, y []byte
	i, j, n := 0, 0, 0
	for {
		for len(x) == 0 && i < len(a) {
			x, i = a[i], i+1
		}
		for len(y) == 0 && j < len(b) {
			y, j = b[j], j+1
		}
		if len(x) == 0 || len(y) == 0 {
			return n
		}
		if sameslice.Is(x, y) {
			n += len(x)
			x, y = nil, nil
			continue
		}
		m := min(len(x), len(y))
		if !bytes.Equal(x[:m], y[:m]) {
			k := 0
			for x[k] == y[k] {
				k++
			}
			return n + k
		}
		n += m
		x, y = x[m:], y[m:]
	}
}

// piecesFrom returns the pieces from byte off on, without changing the
// pieces themselves.
func piecesFrom(pieces [][]byte, off int) [][]byte {
	for len(pieces) > 0 && off >= len(pieces[0]) {
		off -= len(pieces[0])
		pieces = pieces[1:]
	}
	if len(pieces) == 0 || off == 0 {
		return pieces
	}
	tail := make([][]byte, 0, len(pieces))
	tail = append(tail, pieces[0][off:])
	return append(tail, pieces[1:]...)
}

// bareError returns the first non-nil error without the path it carries
// (the temporary file's).
func bareError(errs ...error) error {
	for _, err := range errs {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case err == nil:
			continue
		case errors.As(err, &pe):
			return pe.Err
		case errors.As(err, &le):
			return le.Err
		}
		return err
	}
	return nil
}

// removeEmptyParents removes dir and its parents up to root while they are
// empty. os.Remove refuses a folder that is not empty, so nothing but empty
// folders that held our files can go.
func removeEmptyParents(root, dir string) {
	for within(dir, root) {
		if err := os.Remove(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}
