package linkcheck

import (
	"bytes"
	"html"
	"slices"
	"sort"
)

// idSet is the ids of a page, as its scan holds them: sorted.
type idSet texts

// has reports whether the page has an element with the id id.
func (s idSet) has(id string) bool {
	t := texts(s)
	i := sort.Search(t.len(), func(i int) bool { return t.at(i) >= id })
	return i < t.len() && t.at(i) == id
}

// localBit marks a link of a scan that is not numbered: the rest of the
// number is its index in the scan's own links.
const localBit = 1 << 31

// scanPage reads the ids and links of an HTML page, in one pass: it is
// collectIDs and collectLinks at once, the links that repeat numbered by
// names (see Names) and the others kept with the scan, like its ids.
func scanPage(names *Names, b []byte) Scan {
	sc := Scan{b: b, names: names}
	var links, srcs []uint32
	var ids [][]byte
	var tb textsBuilder // the scan's own links, then its ids
	fc := names.front()
	defer names.putFront(fc)
	attrValues(b, []string{" href", " src", " id"}, func(w int, v []byte) {
		escaped := bytes.IndexByte(v, '&') >= 0
		if escaped {
			v = []byte(html.UnescapeString(string(v)))
		}
		if w == 2 {
			ids = append(ids, v)
			return
		}
		num, ok := uint32(0), false
		if !escaped { // the cache holds names as written
			num, ok = names.link(fc, v)
		}
		if !ok {
			num = localBit | uint32(tb.add(v))
		}
		if w == 0 {
			links = append(links, num)
		} else {
			srcs = append(srcs, num)
		}
	})
	links = append(links, srcs...)
	sc.nLinks, sc.nOwn = uint32(len(links)), uint32(len(tb.ends))
	slices.SortFunc(ids, bytes.Compare)
	for i, id := range ids {
		if i == 0 || !bytes.Equal(id, ids[i-1]) {
			tb.add(id)
		}
	}
	// Two objects for the collector, whatever the page holds.
	sc.nums = slices.Clip(append(links, tb.ends...))
	sc.text = tb.b.String()
	return sc
}

// links returns the links of the scan: every href, in order, then every
// src; each a number of names, or with localBit the index of one of the
// scan's own (see link).
func (sc *Scan) links() []uint32 { return sc.nums[:sc.nLinks] }

// link returns the k-th link of the scan.
func (sc *Scan) link(k int) string {
	l := sc.nums[k]
	if l&localBit != 0 {
		return texts{all: sc.text, ends: sc.nums[sc.nLinks : sc.nLinks+sc.nOwn]}.at(int(l &^ localBit))
	}
	return sc.names.str(l)
}

// ids returns the ids of the page.
func (sc *Scan) ids() idSet {
	t := texts{all: sc.text, ends: sc.nums[sc.nLinks+sc.nOwn:]}
	if sc.nOwn > 0 {
		t.start = sc.nums[sc.nLinks+sc.nOwn-1]
	}
	return idSet(t)
}

// collectIDs returns the id attributes of an HTML page.
func collectIDs(b []byte) map[string]bool {
	set := map[string]bool{}
	attrValues(b, []string{" id"}, func(_ int, v []byte) { set[html.UnescapeString(string(v))] = true })
	return set
}

// collectLinks returns the href and src attribute values of an HTML page,
// every href first. The generator's own templates and goldmark always
// quote attributes with double quotes, which is what makes a scan enough
// here.
func collectLinks(b []byte) []string {
	var hrefs, srcs []string
	attrValues(b, []string{" href", " src"}, func(w int, v []byte) {
		if w == 0 {
			hrefs = append(hrefs, html.UnescapeString(string(v)))
		} else {
			srcs = append(srcs, html.UnescapeString(string(v)))
		}
	})
	return append(hrefs, srcs...)
}

// attrValues calls found(w, value) for each value of an attribute names[w]
// (" href": the name with the space before it; three names at most) in b, in
// order, the value as written (escaped). It finds what searching b for
// ` href="` alone would, resuming after each value's closing quote, for
// each name at once: it reads b once, stopping only at each `="`, which is
// much rarer in a page than the space that starts every name (three
// searches for ` name="` were a third of the link check), and keeps a
// resume offset per name.
func attrValues(b []byte, names []string, found func(w int, v []byte)) {
	var resume [3]int
	for k := 0; k < len(b); k += 2 {
		i := bytes.Index(b[k:], []byte(`="`))
		if i < 0 {
			return
		}
		k += i
		for w, name := range names {
			start := k - len(name)
			if start < resume[w] || string(b[start:k]) != name {
				continue
			}
			v := b[k+2:]
			j := bytes.IndexByte(v, '"')
			if j < 0 {
				resume[w] = len(b) + 1 // no value ends: that search would stop
				continue
			}
			resume[w] = k + 2 + j + 1
			found(w, v[:j])
		}
	}
}
