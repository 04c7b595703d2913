package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/unictimeline/sitegen/generator/internal/sameslice"
)

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
