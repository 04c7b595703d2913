package linkcheck

import (
	"bytes"
	"html"
	"slices"
	"sync"
)

// Names numbers the distinct links and ids that scans meet, so that a
// scan holds a number for each (four bytes) rather than a string of its
// own: the navigation, the footer and the breadcrumbs repeat the same
// few dozen links on every page, and a 100,000-event site's scans were
// hundreds of megabytes of copies of them. A scan keeps the Names it was
// made with.
//
// Scanning adds names, from any goroutine; a check reads them only once
// every scan it is given is made.
type Names struct {
	mu   sync.Mutex
	num  map[string]uint32
	strs []string
}

// NewNames returns an empty Names, for the scans of one build (see
// ScanStaged).
func NewNames() *Names { return &Names{num: map[string]uint32{}} }

// number returns the number of the attribute value v, as written in the
// page (html.UnescapeString undoes its escapes), numbering it if new.
func (n *Names) number(v []byte) uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if bytes.IndexByte(v, '&') < 0 {
		if i, ok := n.num[string(v)]; ok { // no copy made to look up
			return i
		}
		return n.add(string(v))
	}
	s := html.UnescapeString(string(v))
	if i, ok := n.num[s]; ok {
		return i
	}
	return n.add(s)
}

func (n *Names) add(s string) uint32 {
	i := uint32(len(n.strs))
	n.num[s] = i
	n.strs = append(n.strs, s)
	return i
}

// str returns the string numbered i.
func (n *Names) str(i uint32) string { return n.strs[i] }

// idSet is the ids of a page, as its scan holds them.
type idSet struct {
	names *Names
	ids   []uint32 // sorted
}

// has reports whether the page has an element with the id s.
func (s idSet) has(id string) bool {
	if s.names == nil {
		return false
	}
	i, ok := s.names.num[id]
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(s.ids, i)
	return found
}

// scanPage reads the ids and links of an HTML page, in one pass: it is
// collectIDs and collectLinks at once, numbered by names.
func scanPage(names *Names, b []byte) Scan {
	sc := Scan{b: b, names: names}
	var srcs []uint32
	attrValues(b, []string{" href", " src", " id"}, func(w int, v []byte) {
		switch w {
		case 0:
			sc.links = append(sc.links, names.number(v))
		case 1:
			srcs = append(srcs, names.number(v))
		default:
			sc.ids = append(sc.ids, names.number(v))
		}
	})
	sc.links = slices.Clip(append(sc.links, srcs...))
	slices.Sort(sc.ids)
	sc.ids = slices.Clip(slices.Compact(sc.ids))
	return sc
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
