package linkcheck

import (
	"bytes"
	"html"
	"maps"
	"slices"
	"testing"
)

// searchAttr is the link check's scan as it was: a search for ` name="`,
// resuming after the value's closing quote. attrValues must find what it
// finds, for each name, on any bytes.
func searchAttr(b []byte, prefix string) []string {
	var out []string
	p := []byte(prefix)
	for {
		i := bytes.Index(b, p)
		if i < 0 {
			return out
		}
		b = b[i+len(p):]
		j := bytes.IndexByte(b, '"')
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(string(b[:j])))
		b = b[j+1:]
	}
}

func FuzzAttrValues(f *testing.F) {
	for _, s := range []string{
		`<a href="/x/" id="a"><img src="i.png" alt="x"></a>`,
		`<a title="x href=" href="/y/">`,
		`<img src="a href=">" id="b" href="c">`,
		`<p id="a&amp;b"> href="/z/" src=x id="`,
		` href=""="" id="" src=`,
		`href="/no-space/" <a  href="/two/">`,
		`<a href="/unclosed`,
		`="="=" id="x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		wantIDs := map[string]bool{}
		for _, v := range searchAttr(b, ` id="`) {
			wantIDs[v] = true
		}
		if got := collectIDs(b); !maps.Equal(got, wantIDs) {
			t.Fatalf("collectIDs(%q) = %v; want %v", b, got, wantIDs)
		}
		wantLinks := append(searchAttr(b, ` href="`), searchAttr(b, ` src="`)...)
		if got := collectLinks(b); !slices.Equal(got, wantLinks) {
			t.Fatalf("collectLinks(%q) = %q; want %q", b, got, wantLinks)
		}
		// scanPage keeps the same links and ids, numbered or its own: the
		// first scan of a page numbers its site paths, the second the
		// links the first met (see Names).
		names := NewNames()
		for round := range 2 {
			sc := scanPage(names, b)
			if got := Links(sc); !slices.Equal(got, wantLinks) {
				t.Fatalf("scan %d: links of %q = %q; want %q", round, b, got, wantLinks)
			}
			if got := IDs(sc); !maps.Equal(got, wantIDs) {
				t.Fatalf("scan %d: ids of %q = %v; want %v", round, b, got, wantIDs)
			}
			for id := range wantIDs {
				if !sc.ids().has(id) || sc.ids().has(id+"\x00") != wantIDs[id+"\x00"] {
					t.Fatalf("scan %d: ids of %q: has(%q) is wrong", round, b, id)
				}
			}
		}
	})
}
