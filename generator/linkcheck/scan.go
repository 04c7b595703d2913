package linkcheck

import (
	"bytes"
	"html"
)

// scanPage reads the ids and links of an HTML page, in one pass: it is
// collectIDs and collectLinks at once.
func scanPage(b []byte) Scan {
	sc := Scan{b: b, ids: map[string]bool{}}
	var srcs []string
	attrValues(b, []string{" href", " src", " id"}, func(w int, v string) {
		switch w {
		case 0:
			sc.links = append(sc.links, v)
		case 1:
			srcs = append(srcs, v)
		default:
			sc.ids[v] = true
		}
	})
	sc.links = append(sc.links, srcs...)
	return sc
}

// collectIDs returns the id attributes of an HTML page.
func collectIDs(b []byte) map[string]bool {
	set := map[string]bool{}
	attrValues(b, []string{" id"}, func(_ int, v string) { set[v] = true })
	return set
}

// collectLinks returns the href and src attribute values of an HTML page,
// every href first. The generator's own templates and goldmark always
// quote attributes with double quotes, which is what makes a scan enough
// here.
func collectLinks(b []byte) []string {
	var hrefs, srcs []string
	attrValues(b, []string{" href", " src"}, func(w int, v string) {
		if w == 0 {
			hrefs = append(hrefs, v)
		} else {
			srcs = append(srcs, v)
		}
	})
	return append(hrefs, srcs...)
}

// attrValues calls found(w, value) for each value of an attribute names[w]
// (" href": the name with the space before it; three names at most) in b, in
// order. It finds what searching b for ` href="` alone would, resuming
// after each value's closing quote, for each name at once: it reads b
// once, stopping only at each `="`, which is much rarer in a page than the
// space that starts every name (three searches for ` name="` were a third
// of the link check), and keeps a resume offset per name.
func attrValues(b []byte, names []string, found func(w int, v string)) {
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
			found(w, html.UnescapeString(string(v[:j])))
		}
	}
}
