package output

import (
	"encoding/binary"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// The manifest records a hash of each file's bytes, so that a later
// Syncer can tell which files it need not write again. A file made of
// pieces (see Output.Pieces) is hashed piece by piece: its hash is the
// xxHash64 of its pieces' xxHash64s, so that when one entry of a 60 MB
// export changed, a rebuild hashes that entry, not the whole file. A file
// of one piece (or none) is hashed whole, so it gets the same hash
// however it was made; empty pieces do not count. The same bytes cut into
// other pieces would hash differently and only be written once more than
// needed: builds cut the same output the same way.

// ContentHash is the manifest's hash of a whole file. It only has to tell
// whether a file changed, not resist an adversary (whoever can write the
// output folder can write the manifest too), so it is xxHash64, which
// hashes several GB/s where SHA-256 does about one.
func ContentHash(b []byte) string { return HashString(xxhash.Sum64(b)) }

// HashString formats a hash for the manifest.
func HashString(sum uint64) string { return strconv.FormatUint(sum, 16) }

// TreeSum makes the hash of a file from its pieces' hashes, in order.
type TreeSum struct {
	n     int // non-empty pieces so far
	first uint64
	outer xxhash.Digest
}

// NewTreeSum returns an empty TreeSum.
func NewTreeSum() *TreeSum {
	t := &TreeSum{}
	t.outer.Reset()
	return t
}

// Add takes the next piece's hash; sum is xxhash.Sum64 of the piece, which
// must not be empty.
func (t *TreeSum) Add(sum uint64) {
	t.n++
	if t.n == 1 {
		t.first = sum
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], sum)
	t.outer.Write(b[:])
}

// AddPiece takes the next piece, hashing it.
func (t *TreeSum) AddPiece(p []byte) {
	if len(p) > 0 {
		t.Add(xxhash.Sum64(p))
	}
}

// Sum returns the file's hash, as the manifest records it.
func (t *TreeSum) Sum() string {
	switch t.n {
	case 0:
		return ContentHash(nil)
	case 1:
		return HashString(t.first)
	}
	return HashString(t.outer.Sum64())
}

// Pieces returns how many non-empty pieces the sum was made of.
func (t *TreeSum) Pieces() int { return t.n }
