package search

import (
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxShard is the size past which a shard of the term index is split by
// the next character of its terms. A query fetches the shard of each of
// its words, so this bounds what a word costs to look up, unless one
// word's postings are larger alone (at 100,000 documents the commonest
// words take about 150 KB).
const maxShard = 32 << 10

// eachTerm calls f with each term and mask of docTerms' encoding. The
// term aliases b.
func eachTerm(b []byte, f func(term []byte, mask uint8)) {
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n+1 {
			return // not docTerms' encoding: only a bug gets here
		}
		f(b[k:k+int(n)], b[k+int(n)])
		b = b[k+int(n)+1:]
	}
}

// postings is one term's documents, ascending, each as doc<<fieldBits |
// mask; size is the term's encoded size in its shard.
type postings struct {
	v    []uint32
	size int
}

// termIndex is the inverted index: every term with its postings, the
// terms in order, and the encoded shards. Under an unchanged site key
// (the same documents in the same order) the next build updates it in
// place for the documents that changed, and encodes again only the
// shards whose terms changed: a body edit touches a few terms.
type termIndex struct {
	terms  map[string]*postings
	sorted []string // the keys of terms, in order; nil until finish
	// touched holds the terms whose postings changed since the last
	// finish, including terms that left the index.
	touched map[string]bool
	shards  map[string]shard // by prefix, as the last finish made them
	max     int              // maxShard; smaller in tests
}

// shard is one file of the term index: the terms starting with prefix
// (less those of longer prefixes split off from it).
type shard struct {
	first string // the first term, and how many: what a shard holds
	n     int
	split bool   // its terms were split by their next character
	b     []byte // the file; nil for a split prefix that holds no term
}

func newTermIndex() *termIndex {
	return &termIndex{terms: map[string]*postings{}, touched: map[string]bool{}, shards: map[string]shard{}, max: maxShard}
}

// add appends doc's terms, docs being added in ascending order (a
// clean build).
func (x *termIndex) add(doc int, terms []byte) {
	eachTerm(terms, func(t []byte, mask uint8) {
		p := x.terms[string(t)]
		if p == nil {
			p = &postings{}
			x.terms[string(t)] = p
		}
		p.v = append(p.v, uint32(doc)<<fieldBits|uint32(mask))
	})
}

// replace changes doc's terms from old to new, both docTerms encodings,
// and marks every term whose postings changed: the two lists are sorted
// and merged.
func (x *termIndex) replace(doc int, old, new []byte) {
	type tm struct {
		t string
		m uint8
	}
	var before, after []tm
	eachTerm(old, func(t []byte, m uint8) { before = append(before, tm{string(t), m}) })
	eachTerm(new, func(t []byte, m uint8) { after = append(after, tm{string(t), m}) })
	byTerm := func(a, b tm) int { return strings.Compare(a.t, b.t) }
	slices.SortFunc(before, byTerm)
	slices.SortFunc(after, byTerm)
	i, j := 0, 0
	for i < len(before) || j < len(after) {
		switch {
		case j == len(after) || i < len(before) && before[i].t < after[j].t:
			x.set(before[i].t, doc, 0)
			i++
		case i == len(before) || after[j].t < before[i].t:
			x.set(after[j].t, doc, after[j].m)
			j++
		default:
			if before[i].m != after[j].m {
				x.set(after[j].t, doc, after[j].m)
			}
			i++
			j++
		}
	}
}

// set gives doc the mask m in term t's postings; 0 removes it.
func (x *termIndex) set(t string, doc int, m uint8) {
	x.touched[t] = true
	p := x.terms[t]
	if p == nil {
		if m == 0 {
			return
		}
		p = &postings{}
		x.terms[t] = p
		x.sorted = nil // a new term: sort again
	}
	key := uint32(doc) << fieldBits
	i, found := slices.BinarySearchFunc(p.v, key, func(v, k uint32) int {
		return int(v>>fieldBits) - int(k>>fieldBits)
	})
	switch {
	case m == 0 && found:
		p.v = slices.Delete(p.v, i, i+1)
	case m != 0 && found:
		p.v[i] = key | uint32(m)
	case m != 0:
		p.v = slices.Insert(p.v, i, key|uint32(m))
	}
	if len(p.v) == 0 {
		delete(x.terms, t)
		x.sorted = nil
	}
}

// sizeOf returns the encoded size of a term with postings v.
func sizeOf(t string, v []uint32) int {
	n := uvarintLen(uint64(len(t))) + len(t) + uvarintLen(uint64(len(v)))
	prev := uint32(0)
	for _, p := range v {
		doc := p >> fieldBits
		n += uvarintLen(uint64(doc-prev)<<fieldBits | uint64(p&(1<<fieldBits-1)))
		prev = doc
	}
	return n
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// shardEntry is one row of the manifest's list of shards.
type shardEntry struct {
	prefix string
	size   int
	split  bool
}

// finish brings the shards up to date with the postings and returns the
// manifest's list of them, in order of prefix. A shard is encoded again
// when it is new, holds other terms than before, or holds a touched term.
func (x *termIndex) finish() []shardEntry {
	fresh := x.sorted == nil
	if fresh {
		x.sorted = make([]string, 0, len(x.terms))
		for t := range x.terms {
			x.sorted = append(x.sorted, t)
		}
		sort.Strings(x.sorted)
	}
	// sums[i] is the size of the terms before the i-th.
	sums := make([]int, len(x.sorted)+1)
	for i, t := range x.sorted {
		p := x.terms[t]
		if x.touched[t] || p.size == 0 {
			p.size = sizeOf(t, p.v)
		}
		sums[i+1] = sums[i] + p.size
	}
	spans := x.layout(sums)

	// Which shards hold a touched term: the one with the longest prefix
	// of it.
	owners := make(map[string]int, len(spans))
	for k, s := range spans {
		owners[s.prefix] = k
	}
	dirty := make([]bool, len(spans))
	for t := range x.touched {
		for p := t; ; {
			if k, ok := owners[p]; ok {
				dirty[k] = true
				break
			}
			if p == "" {
				break
			}
			_, n := utf8.DecodeLastRuneInString(p)
			p = p[:len(p)-n]
		}
	}
	next := make(map[string]shard, len(spans))
	list := make([]shardEntry, len(spans))
	for k, s := range spans {
		sh := shard{split: s.split}
		size := 0
		for _, r := range s.parts {
			if sh.n == 0 && r[1] > r[0] {
				sh.first = x.sorted[r[0]]
			}
			sh.n += r[1] - r[0]
			size += sums[r[1]] - sums[r[0]]
		}
		if old, ok := x.shards[s.prefix]; ok && !dirty[k] && old.first == sh.first && old.n == sh.n && old.split == sh.split {
			sh.b = old.b
		} else {
			sh.b = x.encode(s.parts, size)
		}
		next[s.prefix] = sh
		list[k] = shardEntry{prefix: s.prefix, size: len(sh.b), split: s.split}
	}
	x.shards = next
	clear(x.touched)
	return list
}

// span is one shard of a layout: the terms of sorted in its parts (ranges
// of indexes, ascending), which start with prefix; split says that longer
// terms went to the spans of longer prefixes.
type span struct {
	prefix string
	parts  [][2]int
	split  bool
}

// fixedNext are the characters a split prefix always has a shard for,
// whether or not any term has them next (see layout).
const fixedNext = "0123456789abcdefghijklmnopqrstuvwxyz"

// layout cuts the sorted terms into shards, sums[i] being the size of the
// terms before the i-th. All of them go in one shard while they fit;
// else the prefix is split: a shard for each letter and digit that may
// come next (made even when empty), and the prefix's own shard for the
// term that is the prefix itself and those whose next character is
// another (a joiner, a letter outside ASCII), cut again by that character
// only when too large; each cut again as needed. Only the sizes decide the
// cuts, so an updated index is cut as a fresh one is; and since the
// shards of a split are there whatever terms come, an edit that brings a
// new word rarely adds or removes a file (which would make the build
// check every page's links again).
func (x *termIndex) layout(sums []int) []span {
	var spans []span
	size := func(lo, hi int) int { return sums[hi] - sums[lo] }
	// group returns the end of the terms from i on that start with p.
	group := func(p string, i, hi int) int {
		return i + sort.Search(hi-i, func(k int) bool { return !strings.HasPrefix(x.sorted[i+k], p) })
	}
	var cut func(prefix string, lo, hi int)
	cut = func(prefix string, lo, hi int) {
		if size(lo, hi) <= x.max || hi-lo <= 1 {
			spans = append(spans, span{prefix, [][2]int{{lo, hi}}, false})
			return
		}
		own := span{prefix: prefix, split: true}
		ownSize := 0
		type child struct {
			prefix string
			lo, hi int
		}
		var fixed, other []child
		i := lo
		if x.sorted[i] == prefix {
			own.parts = append(own.parts, [2]int{i, i + 1})
			ownSize += size(i, i+1)
			i++
		}
		for i < hi {
			_, n := utf8.DecodeRuneInString(x.sorted[i][len(prefix):])
			c := x.sorted[i][:len(prefix)+n]
			j := group(c, i, hi)
			if n == 1 && strings.IndexByte(fixedNext, c[len(prefix)]) >= 0 {
				fixed = append(fixed, child{c, i, j})
			} else {
				other = append(other, child{c, i, j})
				ownSize += size(i, j)
			}
			i = j
		}
		splitOther := ownSize > x.max
		if !splitOther {
			for _, c := range other {
				own.parts = append(own.parts, [2]int{c.lo, c.hi})
			}
		}
		spans = append(spans, own)
		if splitOther {
			for _, c := range other {
				cut(c.prefix, c.lo, c.hi)
			}
		}
		k := 0
		for _, ch := range []byte(fixedNext) {
			if k < len(fixed) && fixed[k].prefix[len(prefix)] == ch {
				cut(fixed[k].prefix, fixed[k].lo, fixed[k].hi)
				k++
			} else {
				spans = append(spans, span{prefix + string(ch), nil, false})
			}
		}
	}
	cut("", 0, len(x.sorted))
	return spans
}

// encode writes the shard of the terms in parts: for each term in order,
// uvarint length, the term, uvarint count, then each posting as a uvarint
// of the gap from the previous document shifted over the mask. An empty
// shard is an empty file, not none.
func (x *termIndex) encode(parts [][2]int, size int) []byte {
	b := make([]byte, 0, size)
	for _, r := range parts {
		for _, t := range x.sorted[r[0]:r[1]] {
			v := x.terms[t].v
			b = binary.AppendUvarint(b, uint64(len(t)))
			b = append(b, t...)
			b = binary.AppendUvarint(b, uint64(len(v)))
			prev := uint32(0)
			for _, p := range v {
				doc := p >> fieldBits
				b = binary.AppendUvarint(b, uint64(doc-prev)<<fieldBits|uint64(p&(1<<fieldBits-1)))
				prev = doc
			}
		}
	}
	return b
}

// shardName is a shard's file name: its prefix's bytes, letters and
// digits as they are and any other byte as ~ and two hex digits, so that
// every prefix makes a distinct, portable name; "_" for the empty
// prefix. search.js makes the same names.
func shardName(prefix string) string {
	if prefix == "" {
		return "_"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
		} else {
			b.WriteByte('~')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
