package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/parallel"
)

// commit is one Sync's switch from the old site to the new, prepared
// before anything in the site changes (see journal.go).
type commit struct {
	stage string // the staging folder's name in the output folder
	own   bool   // made by this Sync, for an Output in memory
	j     journal
	// per toWrite index k: the new file's identity as staged, and whether
	// it is updated in place (serve's pieced files) rather than renamed.
	ids     []fileID
	inPlace []bool
	moved   map[string]string // top-level folders moved whole: from where in the stage
	stale   []string          // files to remove, in order
	kept    []string          // files to remove that are not the generator's
	made    []string          // folders made for new files, removed if it fails
	n       *os.Root          // the staging folder's n/, where files in memory are written
}

// stageFor returns the staging folder a Sync of out commits from: the
// build's, which must be a folder at the top of the output folder, or a
// new one of its own.
func (s *Syncer) stageFor(out *output.Output) (string, bool, error) {
	if out.StageDir() != "" {
		name, err := filepath.Rel(s.dest, out.StageDir())
		if err == nil && (strings.ContainsAny(name, `/\`) || !strings.HasPrefix(name, StagePrefix)) {
			err = errors.New("not a staging folder at the top of the output folder")
		}
		if err == nil {
			var a, b os.FileInfo
			if a, err = s.root.Stat(name); err == nil {
				if b, err = out.StageStat(); err == nil && !os.SameFile(a, b) {
					err = errors.New("replaced while the build ran")
				}
			}
		}
		if err == nil {
			// For the files the build kept in memory.
			if err = s.root.Mkdir(name+"/n", 0o755); errors.Is(err, fs.ErrExist) {
				err = nil
			}
		}
		if err != nil {
			return "", false, fmt.Errorf("staging folder %s: %w", out.StageDir(), err)
		}
		return name, false, nil
	}
	for {
		name := StagePrefix + strconv.FormatUint(rand.Uint64(), 36)
		err := s.root.Mkdir(name, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			err = s.root.WriteFile(name+"/"+stageMarker, nil, 0o644)
		}
		if err == nil {
			err = s.root.Mkdir(name+"/n", 0o755)
		}
		if err != nil {
			return "", false, fmt.Errorf("cannot write to the output folder %s: %w", s.dest, output.BareError(err))
		}
		return name, true, nil
	}
}

// prepare makes every new file of the Sync whole in the staging folder,
// checks every target (the file there is the generator's or there is none,
// its folder exists and can be written to) and lists the commit's renames.
// Nothing in the site has changed when it returns, error or not.
func (s *Syncer) prepare(out *output.Output, pl *syncPlan, toWrite []int, stale []string) (*commit, error) {
	c := &commit{ids: make([]fileID, len(toWrite)), inPlace: make([]bool, len(toWrite))}
	var err error
	if c.stage, c.own, err = s.stageFor(out); err != nil {
		return c, err
	}
	if c.n, err = s.root.OpenRoot(c.stage + "/n"); err != nil {
		return c, fmt.Errorf("cannot write to the output folder %s: %w", s.dest, output.BareError(err))
	}
	c.moved = s.moveFolders(out, pl.paths, toWrite)
	s.prepareRemovals(c, stale)
	made, err := s.prepareDirs(c, pl, toWrite)
	if err != nil {
		return c, err
	}
	errs := make([]error, len(toWrite))
	absent := make([]bool, len(toWrite))
	parallel.For(len(toWrite), func(k int) {
		absent[k], errs[k] = s.prepareOne(c, pl, toWrite, k, made)
	})
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	s.listOps(c, pl, toWrite, absent)
	return c, s.linkBackups(c)
}

// linkBackups links each file a commit replaces to its backup in the
// staging folder, on every core, so that a failed commit can put it back.
// The site does not change, and the commit's renames are all that is left
// for the window in which a reader could see a mix.
func (s *Syncer) linkBackups(c *commit) error {
	errs := make([]error, len(c.j.ops))
	parallel.For(len(c.j.ops), func(n int) {
		if op := c.j.ops[n]; op.kind == opWrite && op.backup != "" {
			errs[n] = s.root.Link(op.dst, op.backup)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cannot write to the output folder %s: %w", s.dest, output.BareError(err))
	}
	return nil
}

// prepareOne checks the target of toWrite[k] and, for a file in memory,
// writes it in the staging folder. made holds the folders prepareDirs
// made: a file there is new, with nothing to check.
func (s *Syncer) prepareOne(c *commit, pl *syncPlan, toWrite []int, k int, made map[string]bool) (absent bool, err error) {
	i := toWrite[k]
	it, rec := &pl.items[i], pl.recs[i]
	if it.staged != nil && c.moved[topName(it.path)] != "" {
		c.ids[k] = idOfInfo(it.staged.Info)
		return true, nil
	}
	own, absent := true, true
	if !made[parentDir(it.path)] {
		if own, absent = s.owned(it.path, rec); !own {
			return false, s.notOwned(it.path)
		}
	}
	if it.staged != nil {
		// Into n/, beside the files made in memory: the commit's renames
		// then come from one open folder (see openDirs).
		c.ids[k] = idOfInfo(it.staged.Info)
		if err := s.root.Rename(c.stage+"/"+it.staged.At, c.stage+"/n/"+strconv.Itoa(k)); err != nil {
			return absent, fmt.Errorf("staging %s: %w", it.path, output.BareError(err))
		}
		return absent, nil
	}
	if it.pieced && s.InPlace && !absent && rec.known && rec.file.disk != nil {
		if fi, err := s.root.Lstat(it.path); err == nil && os.SameFile(fi, rec.file.disk) {
			c.inPlace[k] = true
			return false, nil
		}
	}
	var pieces [][]byte
	if it.pieced {
		prev := rec.file
		if !rec.known {
			prev = syncedFile{}
		}
		pl.pieceHashes[i], pl.sums[i] = pieceSums(it.pieces, prev)
		pieces = it.pieces
	} else {
		pieces = [][]byte{it.whole}
	}
	fi, err := writeNew(c.n, strconv.Itoa(k), pieces)
	if err != nil {
		return absent, fmt.Errorf("writing %s: %w", filepath.Join(s.dest, filepath.FromSlash(it.path)), output.BareError(err))
	}
	pl.disks[i] = fi
	c.ids[k] = idOf(fi)
	return absent, nil
}

// notOwned is the error for a target that is not the generator's.
func (s *Syncer) notOwned(p string) error {
	name := filepath.Join(s.dest, filepath.FromSlash(p))
	fi, err := s.root.Lstat(p)
	switch {
	case err != nil:
		return fmt.Errorf("writing %s: %w", name, output.BareError(err))
	case fi.IsDir():
		return fmt.Errorf("writing %s: a folder stands where the file goes", name)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("writing %s: it is not a regular file (a symbolic link?); not replacing it", name)
	}
	return fmt.Errorf("writing %s: the file there is not the one the generator wrote (changed by hand, or never written by it); left as it is: move it away or delete it, then build again", name)
}

// writeNew writes a new file in the staging folder, made of pieces, and
// returns its information. A file of that name left by a failed Sync is
// replaced.
func writeNew(stage *os.Root, name string, pieces [][]byte) (os.FileInfo, error) {
	f, err := stage.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	werr := writePieces(f, pieces)
	var fi os.FileInfo
	if werr == nil {
		fi, werr = f.Stat()
	}
	if err := errors.Join(werr, f.Close()); err != nil {
		return nil, err
	}
	return fi, nil
}

// prepareRemovals sorts the stale files into those to remove and those
// that are not the generator's (kept, and reported).
func (s *Syncer) prepareRemovals(c *commit, stale []string) {
	for _, p := range stale {
		own, absent := s.owned(p, s.files[p])
		switch {
		case !own:
			c.kept = append(c.kept, p)
		case absent:
			delete(s.files, p)
			c.j.lines = append(c.j.lines, manifestLine{hash: removed, path: p})
		default:
			c.stale = append(c.stale, p)
		}
	}
}

// prepareDirs makes the folders new files go in and checks that every
// folder a rename writes to can be written to; it returns the folders it
// made.
func (s *Syncer) prepareDirs(c *commit, pl *syncPlan, toWrite []int) (map[string]bool, error) {
	seen := map[string]bool{}
	var dirs []string
	add := func(p string) {
		if d := parentDir(p); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, i := range toWrite {
		if pl.items[i].staged == nil || c.moved[topName(pl.paths[i])] == "" {
			add(pl.paths[i])
		}
	}
	for _, p := range c.stale {
		add(p)
	}
	if len(c.moved) > 0 {
		add("x")
	}
	errs := make([]error, len(dirs))
	made := make([]bool, len(dirs))
	madeSet := map[string]bool{}
	defer func() {
		for k, d := range dirs {
			if made[k] {
				c.made = append(c.made, d)
				madeSet[d] = true
			}
		}
	}()
	parallel.For(len(dirs), func(k int) {
		d := dirs[k]
		fi, err := s.root.Stat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err = s.root.MkdirAll(d, 0o755); err == nil {
				made[k] = true
			}
		case err == nil && !fi.IsDir():
			err = errors.New("a file stands where a folder goes")
		case err == nil:
			err = dirWritable(s.root, d)
		}
		if err != nil {
			errs[k] = fmt.Errorf("writing into %s: %w", filepath.Join(s.dest, filepath.FromSlash(d)), output.BareError(err))
		}
	})
	return madeSet, errors.Join(errs...)
}

// listOps lists the commit's renames and the manifest lines of the new
// files.
func (s *Syncer) listOps(c *commit, pl *syncPlan, toWrite []int, absent []bool) {
	for top, from := range c.moved {
		c.j.ops = append(c.j.ops, txOp{kind: opDir, src: c.stage + "/" + from, dst: top})
	}
	slices.SortFunc(c.j.ops, func(a, b txOp) int { return strings.Compare(a.dst, b.dst) })
	backups := false
	for k, i := range toWrite {
		it := &pl.items[i]
		if c.inPlace[k] {
			continue
		}
		tree := it.pieced || it.staged != nil && it.staged.Tree
		l := manifestLine{hash: pl.sums[i], path: it.path}
		if tree {
			l.id = c.ids[k]
		}
		c.j.lines = append(c.j.lines, l)
		if it.staged != nil && c.moved[topName(it.path)] != "" {
			continue
		}
		op := txOp{kind: opWrite, src: c.stage + "/n/" + strconv.Itoa(k), dst: it.path}
		if !absent[k] {
			op.backup = c.stage + "/b/" + strconv.Itoa(k)
			backups = true
		}
		c.j.ops = append(c.j.ops, op)
	}
	for k, p := range c.stale {
		c.j.ops = append(c.j.ops, txOp{kind: opRemove, backup: c.stage + "/r/" + strconv.Itoa(k), dst: p})
		c.j.lines = append(c.j.lines, manifestLine{hash: removed, path: p})
	}
	if len(c.j.ops) == 1 && c.j.ops[0].kind == opWrite {
		// One rename replaces the file atomically, or fails and leaves
		// it: there is nothing to roll back, so no copy to keep.
		c.j.ops[0].backup, backups = "", false
	}
	if backups {
		s.root.Mkdir(c.stage+"/b", 0o755)
	}
	if len(c.stale) > 0 {
		s.root.Mkdir(c.stage+"/r", 0o755)
	}
}

// run records the commit in its journal and does its renames, on every
// core: they are independent, each of one path. If one fails, those done
// are undone and the folder holds the old site again. It returns how long
// the renames took: the window in which a reader of the folder could see
// a mix of the two sites.
func (s *Syncer) run(c *commit) (time.Duration, error) {
	if len(c.j.ops) == 0 {
		return 0, nil
	}
	if err := s.writeJournal(c.stage, &c.j); err != nil {
		return 0, fmt.Errorf("cannot write to the output folder %s: %w", s.dest, output.BareError(err))
	}
	dirs := s.openDirs(c)
	defer dirs.close()
	start := time.Now()
	errs := make([]error, len(c.j.ops))
	var failed atomic.Bool
	parallel.For(len(c.j.ops), func(n int) {
		if failed.Load() {
			errs[n] = errSkipped
			return
		}
		if s.beforeOp != nil {
			errs[n] = s.beforeOp(n)
		}
		if errs[n] == nil {
			errs[n] = s.do(c.j.ops[n], dirs)
		}
		if errs[n] != nil {
			failed.Store(true)
		}
	})
	if !failed.Load() {
		return time.Since(start), nil
	}
	first := -1
	for n, err := range errs {
		if err == nil {
			s.undo(c.j.ops[n], dirs)
		} else if first < 0 && err != errSkipped {
			first = n
		}
	}
	s.root.Remove(c.stage + "/" + journalName)
	return time.Since(start), fmt.Errorf("writing %s: %w; the files replaced before it were put back", filepath.Join(s.dest, filepath.FromSlash(c.j.ops[first].dst)), output.BareError(errs[first]))
}

// errSkipped marks the renames a failed commit did not get to.
var errSkipped = errors.New("skipped")

// do is one rename of a commit.
func (s *Syncer) do(op txOp, dirs dirHandles) error {
	if op.kind == opRemove {
		return s.rename(op.dst, op.backup, dirs)
	}
	return s.rename(op.src, op.dst, dirs)
}

// rename renames from to to, through dirs when it can.
func (s *Syncer) rename(from, to string, dirs dirHandles) error {
	if ok, err := dirs.rename(from, to); ok {
		return err
	}
	return s.root.Rename(from, to)
}

// undo undoes a rename that do did.
func (s *Syncer) undo(op txOp, dirs dirHandles) {
	switch {
	case op.kind == opRemove:
		s.rename(op.backup, op.dst, dirs)
	case op.kind == opWrite && op.backup != "":
		s.rename(op.backup, op.dst, dirs)
	default:
		s.rename(op.dst, op.src, dirs)
	}
}

// removeStage removes a staging folder of the output folder, its marker
// last, so that a crash half-way leaves a folder still known as ours.
func (s *Syncer) removeStage(name string) error {
	s.root.Remove(name + "/" + journalName)
	entries, err := fs.ReadDir(s.root.FS(), name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.Name() != stageMarker {
			errs = append(errs, s.root.RemoveAll(name+"/"+e.Name()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := s.root.Remove(name + "/" + stageMarker); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
