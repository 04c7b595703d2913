//go:build !(darwin || linux || openbsd)

package outdir

import (
	"bufio"
	"os"
)

// writePieces writes pieces to f in order, through a buffer where the
// system has no writev for Go (see writev_unix.go).
func writePieces(f *os.File, pieces [][]byte) error {
	w := bufio.NewWriterSize(f, 1<<20)
	for _, p := range pieces {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return w.Flush()
}

// writePiecesAt is writePieces from offset off of f, or at f's position
// when off is negative.
func writePiecesAt(f *os.File, pieces [][]byte, off int64) error {
	if off < 0 {
		return writePieces(f, pieces)
	}
	for _, p := range pieces {
		if _, err := f.WriteAt(p, off); err != nil {
			return err
		}
		off += int64(len(p))
	}
	return nil
}
