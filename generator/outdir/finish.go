package outdir

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
)

// finish follows a commit that ran: it updates the pieced files done in
// place, records what was written and removed, and appends it to the
// manifest.
func (s *Syncer) finish(c *commit, pl *syncPlan, toWrite []int, st *SyncStats) error {
	var failed []error
	lines, err := s.updateInPlace(c, pl, toWrite)
	if err != nil {
		failed = append(failed, err)
	}
	for k, i := range toWrite {
		it, rec := &pl.items[i], pl.recs[i]
		if c.inPlace[k] {
			if rec.hash != pending {
				st.Written++
				st.Changed = append(st.Changed, it.path)
			}
			continue
		}
		rec.hash, rec.id = pl.sums[i], c.ids[k]
		rec.tree = it.pieced || it.staged != nil && it.staged.Tree
		switch {
		case it.staged != nil:
			rec.file, rec.known = syncedFile{}, false
		case it.pieced:
			rec.file, rec.known = syncedFile{pieces: it.pieces, sums: pl.pieceHashes[i], disk: pl.disks[i]}, true
		default:
			rec.file, rec.known = syncedFile{whole: it.whole}, true
		}
		st.Written++
		st.Changed = append(st.Changed, it.path)
	}
	for _, p := range c.stale {
		delete(s.files, p)
		st.Removed++
		st.Changed = append(st.Changed, p)
		s.removeEmptyParents(parentDir(p))
	}
	st.Kept = c.kept
	sort.Strings(st.Changed)
	if err := s.appendManifest(append(c.j.lines, lines...), c.stage); err != nil {
		failed = append(failed, err)
	}
	return errors.Join(failed...)
}

// updateInPlace updates the pieced files the commit left to be updated in
// place (see Syncer.InPlace), each marked pending in the manifest first,
// and returns their manifest lines.
func (s *Syncer) updateInPlace(c *commit, pl *syncPlan, toWrite []int) ([]manifestLine, error) {
	var marks []manifestLine
	for k, i := range toWrite {
		if c.inPlace[k] {
			rec := pl.recs[i]
			rec.hash, rec.id = pending, fileID{ino: inode(rec.file.disk), size: -1}
			marks = append(marks, manifestLine{hash: pending, id: rec.id, path: pl.paths[i]})
		}
	}
	if len(marks) == 0 {
		return nil, nil
	}
	if err := s.appendManifest(marks, c.stage); err != nil {
		return nil, err
	}
	var lines []manifestLine
	var failed []error
	for k, i := range toWrite {
		if !c.inPlace[k] {
			continue
		}
		it, rec := &pl.items[i], pl.recs[i]
		pl.pieceHashes[i], pl.sums[i] = pieceSums(it.pieces, rec.file)
		fi, err := updateInPlace(s.root, it.path, rec.file, it.pieces)
		if err != nil {
			rec.file, rec.known = syncedFile{}, false
			failed = append(failed, fmt.Errorf("writing %s: %w", filepath.Join(s.dest, filepath.FromSlash(it.path)), err))
			continue
		}
		rec.hash, rec.id, rec.tree = pl.sums[i], idOf(fi), true
		rec.file, rec.known = syncedFile{pieces: it.pieces, sums: pl.pieceHashes[i], disk: fi}, true
		lines = append(lines, manifestLine{hash: rec.hash, id: rec.id, path: it.path})
	}
	return lines, errors.Join(failed...)
}
