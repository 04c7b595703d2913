package outdir

import (
	"github.com/cespare/xxhash/v2"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/output"
)

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
		t := output.NewTreeSum()
		for i, p := range pieces {
			if len(p) == 0 {
				continue
			}
			if sameSlice(p, prev.pieces[i]) {
				sums[i] = prev.sums[i]
			} else {
				sums[i] = xxhash.Sum64(p)
			}
			t.Add(sums[i])
		}
		return sums, t.Sum()
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
	t := output.NewTreeSum()
	for i, p := range pieces {
		if len(p) == 0 {
			continue
		}
		s, ok := known[key{&p[0], len(p)}]
		if !ok {
			s = xxhash.Sum64(p)
		}
		sums[i] = s
		t.Add(s)
	}
	return sums, t.Sum()
}

// sameSlice reports whether a and b are the same bytes in memory, or both
// empty.
func sameSlice(a, b []byte) bool {
	return len(a) == 0 && len(b) == 0 || sameslice.Is(a, b)
}
