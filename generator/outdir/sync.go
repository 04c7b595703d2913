// Package outdir writes a built site (an output.Output) into its output
// folder, safely. A Syncer makes the folder hold exactly an Output,
// writing only what changed, each file atomically, through an os.Root on
// the folder, and recording what it wrote in a manifest; a journal lets
// the run after a crash finish or undo a switch; a lock keeps one build or
// serve per folder. Its invariants: it deletes or replaces only files
// whose bytes are those it wrote; it refuses a folder holding files it did
// not write, before touching anything; it never writes outside the folder.
package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/output"
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
	// root is the output folder, opened (see open): every write, rename
	// and removal goes through it. rootInfo is the folder it opened, and
	// destLink whether dest was a symbolic link then.
	root     *os.Root
	rootInfo os.FileInfo
	destLink bool
	// lock holds the folder's lock (see Lock); held says Lock took it for
	// the Syncer's life rather than one call's.
	lock *os.File
	held bool
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
	// may then see such a file half-updated for that long, and the commit
	// cannot undo it (see commit.go), so only serve sets it: it serves
	// the site from memory, never from the folder. A file that is not as
	// the last Sync left it (its size, time or inode changed) is written
	// anew, and the manifest marks the file pending until the update is
	// done, so a build cut off writes it again.
	InPlace bool
	// beforeOp, when set (by tests), runs before each rename of a commit;
	// an error from it fails that rename, as a fault of the disk would.
	beforeOp func(n int) error
}

// syncRecord is what a Syncer knows of one file it wrote.
type syncRecord struct {
	// hash is the file's hash as the manifest records it; pending while
	// the file is updated in place, so that a build cut off half-way
	// writes it again.
	hash string
	// id is the file's identity on disk when known: as the generator
	// wrote it, or as it was when its bytes were found to hash to hash.
	// tree says hash was made piece by piece (see treeSum): the bytes on
	// disk cannot be checked against it, only id can vouch for the file.
	id   fileID
	tree bool
	// file is the file's bytes as the last Sync left them on disk, when
	// known is set. A file whose new bytes are equal needs neither a hash
	// nor a write, and comparing is much cheaper than hashing: in watch
	// mode on a large site most of the output is the very same slices as
	// before. A file read from the manifest, or staged, is known by its
	// hash alone.
	file  syncedFile
	known bool
}

// manifestID is the identity the manifest records for the file: only
// for one that its hash cannot vouch for.
func (r *syncRecord) manifestID() fileID {
	if r.tree || r.hash == pending {
		return r.id
	}
	return fileID{}
}

// SyncStats counts what one Sync did.
type SyncStats struct {
	Written   int
	Removed   int
	Unchanged int
	// Changed lists the output paths written or removed, sorted.
	Changed []string
	// Kept lists the files of earlier builds that this one no longer has
	// but that were not removed: they are not as the generator wrote them
	// (changed by hand, or named in the manifest by a line the generator
	// did not write).
	Kept []string
	// Window is how long the commit's renames took: the time in which a
	// reader of the folder could see some files of the old site and some
	// of the new.
	Window time.Duration
}

// NewSyncer returns a Syncer for the folder dest.
func NewSyncer(dest string) *Syncer { return &Syncer{dest: dest} }

// Check checks the folder as the first Sync would (see Sync), so that a
// build can refuse a folder before it starts rather than after.
func (s *Syncer) Check() error {
	release, err := s.lockFor()
	if err != nil {
		return err
	}
	defer release()
	return s.check("")
}

// check reads the folder as load does and records whether it passed;
// stage is the staging folder of the build about to be synced, if any.
func (s *Syncer) check(stage string) error {
	err := s.load(stage)
	s.checked = err == nil
	return err
}

// Sync makes the folder hold exactly out: it writes new and changed files,
// removes files of earlier builds that out no longer has, and leaves
// everything else alone. On the first call it checks the folder: a folder
// with files the manifest does not name is refused, untouched. The switch
// from the old files to the new is a commit (see commit.go): a Sync that
// fails leaves the old site, and one cut off by a crash is completed by
// the next.
//
// A staged Output (see Output) is used up: Sync renames its changed files
// into place and removes the staging folder with the rest, whatever the
// outcome.
func (s *Syncer) Sync(out *output.Output) (st SyncStats, err error) {
	defer func() {
		if derr := out.Discard(); derr != nil && err == nil {
			err = derr
		}
	}()
	release, err := s.lockFor()
	if err != nil {
		return st, err
	}
	defer release()
	if err := s.open(true); err != nil {
		return st, err
	}
	if s.checked && s.manifest != nil {
		if fi, err := s.root.Stat(ManifestName); err != nil || !os.SameFile(fi, s.manifest) {
			s.checked = false
		}
	}
	if !s.checked {
		stage := ""
		if out.StageDir() != "" {
			stage = filepath.Base(out.StageDir())
		}
		if err := s.check(stage); err != nil {
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
	} else if fi, err := s.root.Stat(ManifestName); err == nil {
		s.manifest = fi
	}
	return st, err
}

// syncPlan is one Sync's view of the Output's files, path by path:
// paths[i] is items[i]'s path; sums[i] its hash, or "" for a pieced file
// known to differ from what is on disk (it is hashed as it is written);
// pieceHashes[i], for a pieced file, each piece's hash when known; recs[i]
// the file's record; same[i] says that the file on disk already holds
// these bytes, and then its record is updated by compare: each path is one
// worker's, so the workers touch distinct records.
type syncPlan struct {
	items       []syncItem
	paths       []string
	sums        []string
	pieceHashes [][]uint64
	recs        []*syncRecord
	same        []bool
	disks       []os.FileInfo // a file in memory as written in the stage
}

// sync is Sync once the folder has been checked: compare, prepare the
// commit (see commit.go), run it, update what is done in place, record.
func (s *Syncer) sync(out *output.Output) (SyncStats, error) {
	var st SyncStats
	pl := s.compare(out)
	toWrite, err := s.claimWrites(pl, &st)
	if err != nil {
		return st, err
	}
	stale := s.staleFiles(out, len(pl.paths))
	if len(toWrite) == 0 && len(stale) == 0 {
		return st, nil
	}
	c, err := s.prepare(out, pl, toWrite, stale)
	if err == nil {
		st.Window, err = s.run(c)
	}
	if err == nil {
		err = s.finish(c, pl, toWrite, &st)
	} else {
		for _, d := range c.made {
			s.removeEmptyParents(d)
		}
	}
	if c.n != nil {
		c.n.Close()
	}
	if c.stage != "" {
		if rerr := s.removeStage(c.stage); err == nil && rerr != nil {
			err = fmt.Errorf("removing the staging folder %s: %w", c.stage, rerr)
		}
	}
	return st, err
}

// staleFiles returns, sorted, the files of earlier builds that out no
// longer has. Every path of out has a record now, so there are more
// records than its n paths only when such files exist: on a save in watch
// mode, none, and the 10,000 records need not be walked.
func (s *Syncer) staleFiles(out *output.Output, n int) []string {
	if len(s.files) <= n {
		return nil
	}
	var stale []string
	for p := range s.files {
		if !out.Has(p) {
			stale = append(stale, p)
		}
	}
	sort.Strings(stale)
	return stale
}

// compare finds, on every core, which of out's files the folder already
// holds: by comparing bytes with what the last Sync wrote when it still
// has them, else by hash.
func (s *Syncer) compare(out *output.Output) *syncPlan {
	items := syncItems(out)
	if out.StageDir() != "" {
		// In order of path, for moveFolders.
		slices.SortFunc(items, func(a, b syncItem) int { return strings.Compare(a.path, b.path) })
	}
	n := len(items)
	pl := &syncPlan{items: items, paths: make([]string, n), sums: make([]string, n), pieceHashes: make([][]uint64, n), recs: make([]*syncRecord, n), same: make([]bool, n), disks: make([]os.FileInfo, n)}
	for i, it := range items {
		pl.paths[i] = it.path
	}
	if s.files == nil {
		s.files = make(map[string]*syncRecord, n)
	}
	parallel.For(n, func(i int) { s.compareOne(pl, i) })
	return pl
}

// compareOne is compare for the file at index i.
func (s *Syncer) compareOne(pl *syncPlan, i int) {
	it := &pl.items[i]
	rec := s.files[it.path]
	pl.recs[i] = rec
	if it.staged != nil {
		pl.sums[i] = it.staged.Sum
		if rec != nil && rec.hash == it.staged.Sum {
			pl.same[i] = true
			rec.file, rec.known = syncedFile{}, false // its bytes are not in memory
		}
		return
	}
	known := rec != nil && rec.known && rec.hash != pending
	if pieces := it.pieces; it.pieced {
		switch {
		case known && rec.file.equal(syncedFile{pieces: pieces}):
			pl.sums[i] = rec.hash
			if slices.EqualFunc(rec.file.pieces, pieces, sameSlice) {
				pl.pieceHashes[i] = rec.file.sums
			}
		case !known:
			pl.pieceHashes[i], pl.sums[i] = pieceSums(pieces, syncedFile{})
		}
		if rec != nil && pl.sums[i] != "" && rec.hash == pl.sums[i] {
			pl.same[i] = true
			rec.file = syncedFile{pieces: pieces, sums: pl.pieceHashes[i], disk: rec.file.disk}
			rec.known = true
		}
		return
	}
	b := it.whole
	if known && rec.file.equal(syncedFile{whole: b}) {
		pl.sums[i] = rec.hash
	} else {
		pl.sums[i] = output.ContentHash(b)
	}
	if rec != nil && rec.hash == pl.sums[i] {
		pl.same[i] = true
		rec.file, rec.known = syncedFile{whole: b}, true
	}
}

// claimWrites returns the indexes of the files to write, in order of
// path (so that the manifest's lines are too), giving each a record. A
// path the manifest could not hold safely (see validPath) fails the Sync
// before anything is written.
func (s *Syncer) claimWrites(pl *syncPlan, st *SyncStats) ([]int, error) {
	var toWrite []int
	var bad []error
	for i, p := range pl.paths {
		if pl.same[i] {
			st.Unchanged++
			continue
		}
		if err := validPath(p); err != nil {
			bad = append(bad, err)
			continue
		}
		toWrite = append(toWrite, i)
		if pl.recs[i] == nil {
			pl.recs[i] = &syncRecord{}
			s.files[p] = pl.recs[i]
		}
	}
	if len(bad) > 0 {
		return nil, errors.Join(bad...)
	}
	slices.SortFunc(toWrite, func(i, j int) int { return strings.Compare(pl.paths[i], pl.paths[j]) })
	return toWrite, nil
}

// syncItem is one file of an Output: its bytes whole, in pieces, or
// staged.
type syncItem struct {
	path   string
	whole  []byte
	pieces [][]byte
	pieced bool // pieces, not whole, hold the bytes
	staged *output.StagedFile
}

// syncItems lists out's files, in no order, with their bytes: read from
// the maps as they are walked, so that a Sync of 10,000 files looks none
// of them up by path in out. A path is in one of out's maps, never in two
// (mergePages sees to that), so the items' paths are distinct, which the
// check for stale files counts on.
func syncItems(out *output.Output) []syncItem {
	items := make([]syncItem, 0, len(out.Files)+len(out.Pieces)+len(out.StagedFiles()))
	for p, b := range out.Files {
		items = append(items, syncItem{path: p, whole: b})
	}
	for p, pieces := range out.Pieces {
		items = append(items, syncItem{path: p, pieces: pieces, pieced: true})
	}
	for p, f := range out.StagedFiles() {
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

// The manifest has a line "hash path" for each file the generator wrote
// there, sorted by path when written whole. A Sync appends a line for each
// file it is about to write ("pending path"), then one for each file it
// wrote or removed ("- path"): a later line for a path replaces the
// earlier ones. On a save in watch mode that is a few dozen short lines
// instead of a 700 KB file written twice. A line cut off by a crash has no
// newline and is ignored; the files it would have named were not touched
// yet (a pending mark) or are rewritten anyway (their mark stands).
