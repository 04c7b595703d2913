package linkcheck

import (
	"bytes"
	"hash/maphash"
	"strings"
	"sync"
)

// Names numbers the links that scans meet again and again, so that a
// scan holds a number for each (four bytes) rather than a string of its
// own: the navigation, the footer and the breadcrumbs repeat the same
// few dozen links on every page, and a 100,000-event site's scans were
// hundreds of megabytes of copies of them. The check judges a numbered
// link once for all the pages it is on (see verdicts). A scan keeps the
// Names it was made with.
//
// Only links that repeat are worth a number. A 100,000-event site has
// 700,000 distinct link and id values, most of them on one page or a few
// (a source's URL, a link to a part of the timeline with a #fragment, an
// event's id in a list), and in a table that large each lookup of one of
// them missed the processor's caches several times over: numbering grew
// twice as fast as the site. So a scan numbers a link that is a site path
// (an event's page is linked from its lists, its neighbours and its
// actors) or one its frontCache has met before, and keeps the others as
// text of its own (see Scan).
//
// Scanning adds names, from any goroutine; a check reads them only once
// every scan it is given is made.
type Names struct {
	mu   sync.Mutex
	num  map[string]uint32
	strs []string

	// fronts holds small caches of the names met most often, one per
	// scan at a time (see frontCache).
	fronts sync.Pool
	seed   maphash.Seed
}

// NewNames returns an empty Names, for the scans of one build (see
// ScanStaged).
func NewNames() *Names {
	return &Names{num: map[string]uint32{}, seed: maphash.MakeSeed()}
}

// frontCache is a direct-mapped cache in front of Names.num, for one scan
// at a time: it answers the links that every page repeats from a few
// kilobytes, with no lock, and remembers (by hash alone) the links it met
// once without numbering them, so that the second time they are numbered.
type frontCache struct {
	slots [frontSlots]frontSlot
}

// frontSlots is the number of slots of a frontCache: a power of two, and
// a few times the links a page of the site repeats.
const frontSlots = 4096

// frontSlot is one link a frontCache met: its hash, and its name and
// number once numbered ("" and 0 before).
type frontSlot struct {
	hash uint64
	name string
	num  uint32
}

// front returns a frontCache for one scan, to give back with putFront.
func (n *Names) front() *frontCache {
	if fc, ok := n.fronts.Get().(*frontCache); ok {
		return fc
	}
	return new(frontCache)
}

func (n *Names) putFront(fc *frontCache) { n.fronts.Put(fc) }

// link returns the number of the link v (an attribute value with no
// escapes to undo), numbering it if it is worth it (see Names); ok is
// false when it is not numbered. fc is the caller's frontCache.
func (n *Names) link(fc *frontCache, v []byte) (num uint32, ok bool) {
	h := maphash.Bytes(n.seed, v)
	slot := &fc.slots[h&(frontSlots-1)]
	if slot.hash == h {
		if slot.name != "" && slot.name == string(v) {
			return slot.num, true
		}
		// Met before (or another link of the same hash, which only costs
		// it a number): it repeats.
	} else if !sitePath(v) {
		*slot = frontSlot{hash: h}
		return 0, false
	}
	num, name := n.number(v)
	*slot = frontSlot{hash: h, name: name, num: num}
	return num, true
}

// number returns the number of the name v and the name as kept,
// numbering it if new.
func (n *Names) number(v []byte) (uint32, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	i, ok := n.num[string(v)] // no copy made to look up
	if !ok {
		i = uint32(len(n.strs))
		s := string(v)
		n.num[s] = i
		n.strs = append(n.strs, s)
	}
	return i, n.strs[i]
}

// sitePath reports whether v is a path on the site with no fragment: the
// links that lists and neighbours repeat.
func sitePath(v []byte) bool {
	return len(v) > 0 && v[0] == '/' && !bytes.HasPrefix(v, []byte("//")) && bytes.IndexByte(v, '#') < 0
}

// len returns how many names there are.
func (n *Names) len() int { return len(n.strs) }

// str returns the string numbered i.
func (n *Names) str(i uint32) string { return n.strs[i] }

// texts is a list of strings kept in one string, so that a scan's own
// links and ids are one object for the collector, not one each: the i-th
// is all[ends[i-1]:ends[i]], the first starting at start.
type texts struct {
	all   string
	start uint32
	ends  []uint32
}

// at returns the i-th string.
func (t texts) at(i int) string {
	start := t.start
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.all[start:t.ends[i]]
}

// len returns how many strings t holds.
func (t texts) len() int { return len(t.ends) }

// textsBuilder makes the strings of texts: add appends one to b, and
// its end to ends.
type textsBuilder struct {
	b    strings.Builder
	ends []uint32
}

// add appends s, returning its index.
func (tb *textsBuilder) add(s []byte) int {
	tb.b.Write(s)
	tb.ends = append(tb.ends, uint32(tb.b.Len()))
	return len(tb.ends) - 1
}
