package outdir

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/output"
)

// moveFolders finds the whole folders of a staged Output that a commit
// can move into place at once: a folder (events/, actors/) that the output
// folder does not have yet, whose every file is to be written and was
// staged in one place. On a build into a new folder that is a few renames
// instead of one per page (10,000 at 10,000 events, each with its folder
// to make), and it leaves the staging folder nearly empty to remove. Any
// other file is moved on its own.
func (s *Syncer) moveFolders(out *output.Output, paths []string, toWrite []int) map[string]string {
	if out.StageDir() == "" {
		return nil
	}
	type folder struct {
		from  string // the folder in the stage
		files int    // its staged files
		write int    // of them, those to be written
		ok    bool   // staged in one place
	}
	folders := map[string]*folder{}
	for p, f := range out.StagedFiles() {
		top := topName(p)
		if top == p {
			continue // a file at the top: moved on its own
		}
		from := strings.TrimSuffix(f.At, p) + top
		d := folders[top]
		if d == nil {
			d = &folder{from: from, ok: strings.HasSuffix(f.At, "/"+p)}
			folders[top] = d
		}
		d.files++
		d.ok = d.ok && d.from == from && strings.HasSuffix(f.At, "/"+p)
	}
	for _, i := range toWrite {
		if d := folders[topName(paths[i])]; d != nil {
			d.write++
		}
	}
	var moved map[string]string
	for top, d := range folders {
		if !d.ok || d.write != d.files || d.files != countUnder(paths, top) {
			continue
		}
		if _, err := s.root.Lstat(top); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if moved == nil {
			moved = map[string]string{}
		}
		moved[top] = d.from
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

// updateInPlace makes the file name in root, which the last Sync left as
// prev, hold pieces, writing from the first byte that differs (see
// Syncer.InPlace): to the end when the length changed, else up to the
// last byte that differs, since what follows is where it was (a save that
// fixes a typo in one event rewrites one entry of a 60 MB export, not the
// half of it after that entry). A file that is not as prev says is an
// error: the commit checked it was, so it was changed while the Sync ran.
func updateInPlace(root *os.Root, name string, prev syncedFile, pieces [][]byte) (os.FileInfo, error) {
	f, err := root.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return nil, output.BareError(err)
	}
	now, err := f.Stat()
	if err != nil || !os.SameFile(now, prev.disk) || now.Size() != prev.disk.Size() || !now.ModTime().Equal(prev.disk.ModTime()) {
		f.Close()
		return nil, errors.New("the file changed while it was being written; it is written again next time")
	}
	n := piecesLen(pieces)
	off, end := commonPrefix(prev.pieces, pieces), n
	if piecesLen(prev.pieces) == n {
		end -= commonSuffix(prev.pieces, pieces, n-off)
	}
	err = writePiecesAt(f, piecesUpTo(piecesFrom(pieces, off), end-off), int64(off))
	if err == nil && end == n {
		err = f.Truncate(int64(n))
	}
	var info os.FileInfo
	if err == nil {
		info, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, output.BareError(err)
	}
	return info, nil
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

// commonSuffix returns how many bytes a and b, each cut into pieces, have
// in common at their ends, up to limit; pieces that are the same slice
// are not read.
func commonSuffix(a, b [][]byte, limit int) int {
	var x, y []byte
	i, j, n := len(a), len(b), 0
	for n < limit {
		for len(x) == 0 && i > 0 {
			i--
			x = a[i]
		}
		for len(y) == 0 && j > 0 {
			j--
			y = b[j]
		}
		if len(x) == 0 || len(y) == 0 {
			break
		}
		if sameslice.Is(x, y) {
			n += len(x)
			x, y = nil, nil
			continue
		}
		m := min(len(x), len(y))
		xs, ys := x[len(x)-m:], y[len(y)-m:]
		if !bytes.Equal(xs, ys) {
			k := 0
			for xs[m-1-k] == ys[m-1-k] {
				k++
			}
			n += k
			break
		}
		n += m
		x, y = x[:len(x)-m], y[:len(y)-m]
	}
	return min(n, limit)
}

// piecesUpTo returns the first n bytes of pieces, without changing the
// pieces themselves.
func piecesUpTo(pieces [][]byte, n int) [][]byte {
	for k, p := range pieces {
		if n > len(p) {
			n -= len(p)
			continue
		}
		if n == len(p) {
			return pieces[:k+1]
		}
		head := make([][]byte, k+1)
		copy(head, pieces[:k])
		head[k] = p[:n]
		return head
	}
	return pieces
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
