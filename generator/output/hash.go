package output

import (
	"encoding/binary"
	"strconv"

	"github.com/cespare/xxhash/v2"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
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

// contentHash is the manifest's hash of a whole file. It only has to tell
// whether a file changed, not resist an adversary (whoever can write the
// output folder can write the manifest too), so it is xxHash64, which
// hashes several GB/s where SHA-256 does about one.
func contentHash(b []byte) string { return hashString(xxhash.Sum64(b)) }

// hashString formats a hash for the manifest.
func hashString(sum uint64) string { return strconv.FormatUint(sum, 16) }

// treeSum makes the hash of a file from its pieces' hashes, in order.
type treeSum struct {
	n     int // non-empty pieces so far
	first uint64
	outer xxhash.Digest
}

func newTreeSum() *treeSum {
	t := &treeSum{}
	t.outer.Reset()
	return t
}

// add takes the next piece's hash; sum is xxhash.Sum64 of the piece, which
// must not be empty.
func (t *treeSum) add(sum uint64) {
	t.n++
	if t.n == 1 {
		t.first = sum
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], sum)
	t.outer.Write(b[:])
}

// addPiece takes the next piece, hashing it.
func (t *treeSum) addPiece(p []byte) {
	if len(p) > 0 {
		t.add(xxhash.Sum64(p))
	}
}

// sum returns the file's hash, as the manifest records it.
func (t *treeSum) sum() string {
	switch t.n {
	case 0:
		return contentHash(nil)
	case 1:
		return hashString(t.first)
	}
	return hashString(t.outer.Sum64())
}

// pieceSums returns the hash of each piece (0 for an empty one) and the
// file's hash. prev is the file as the last Sync wrote it, if any: a piece
// that is the very slice of one of its pieces takes that piece's hash
// instead of being read.
func pieceSums(pieces [][]byte, prev syncedFile) ([]uint64, string) {
	type key struct {
		p *byte
		n int
	}
	// An edit that changed entries in place leaves every other piece
	// where it was: take those hashes by position, and fall back to a map
	// only when pieces came or went.
	if len(prev.sums) == len(prev.pieces) && len(prev.pieces) == len(pieces) {
		sums := make([]uint64, len(pieces))
		t := newTreeSum()
		for i, p := range pieces {
			if len(p) == 0 {
				continue
			}
			if sameSlice(p, prev.pieces[i]) {
				sums[i] = prev.sums[i]
			} else {
				sums[i] = xxhash.Sum64(p)
			}
			t.add(sums[i])
		}
		return sums, t.sum()
	}
	var known map[key]uint64
	if len(prev.sums) == len(prev.pieces) && len(prev.sums) > 0 {
		known = make(map[key]uint64, len(prev.pieces))
		for i, p := range prev.pieces {
			if len(p) > 0 {
				known[key{&p[0], len(p)}] = prev.sums[i]
			}
		}
	}
	sums := make([]uint64, len(pieces))
	t := newTreeSum()
	for i, p := range pieces {
		if len(p) == 0 {
			continue
		}
		s, ok := known[key{&p[0], len(p)}]
		if !ok {
			s = xxhash.Sum64(p)
		}
		sums[i] = s
		t.add(s)
	}
	return sums, t.sum()
}

// sameSlice reports whether a and b are the same bytes in memory, or both
// empty.
func sameSlice(a, b []byte) bool {
	return len(a) == 0 && len(b) == 0 || sameslice.Is(a, b)
}
