//go:build darwin || linux || openbsd

package outdir

import (
	"os"

	"golang.org/x/sys/unix"
)

// iovMax is the most pieces one writev takes (IOV_MAX on Linux and the
// BSDs).
const iovMax = 1024

// writePieces writes pieces to f in order with writev, so that the kernel
// copies from the pieces themselves: a 60 MB export of 10,000 entries is
// not first copied into a buffer. The pieces are not modified.
func writePieces(f *os.File, pieces [][]byte) error { return writePiecesAt(f, pieces, -1) }

// writePiecesAt is writePieces from offset off of f (pwritev), or at f's
// position when off is negative.
func writePiecesAt(f *os.File, pieces [][]byte, off int64) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var werr error
	err = rc.Write(func(fd uintptr) bool {
		writev := func(iovs [][]byte) (int, error) {
			if off < 0 {
				return unix.Writev(int(fd), iovs)
			}
			n, err := unix.Pwritev(int(fd), iovs, off)
			off += int64(max(n, 0))
			return n, err
		}
		for len(pieces) > 0 {
			n, err := writev(pieces[:min(len(pieces), iovMax)])
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				werr = err
				return true
			}
			for len(pieces) > 0 && n >= len(pieces[0]) {
				n -= len(pieces[0])
				pieces = pieces[1:]
			}
			if n > 0 {
				// A short write ended inside a piece: go on with the
				// rest of it alone rather than change the caller's slice.
				pieces = append([][]byte{pieces[0][n:]}, pieces[1:]...)
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	return werr
}
