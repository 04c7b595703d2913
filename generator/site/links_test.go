package site

import (
	"bytes"
	"html"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/corpus"
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
	})
}

// TestOwnFragmentAsCheckOne checks that a link to a fragment of its own
// page gets the verdict checkOne gives it, on every page of a site, at the
// root and under a subpath, for the fragments the pages link to and for
// ones they lack.
func TestOwnFragmentAsCheckOne(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: 40, Seed: 3, Repo: repoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	for _, baseURL := range []string{"", "https://sitegen.test/sub/"} {
		res := NewBuilder(Options{FS: os.DirFS(dir), BaseURL: baseURL}).Build()
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		s, out := res.Site, res.Output
		base, _ := url.Parse(s.Config.BaseURL.String())
		files := slices.DeleteFunc(out.Paths(), func(p string) bool { return !strings.HasSuffix(p, ".html") })
		scans := map[string]pageScan{}
		for _, f := range files {
			scans[f] = scanPage(out.File(f))
		}
		ids := func(page string) map[string]bool { return scans[page].ids }
		tried := 0
		for _, f := range files {
			pageURL := base.ResolveReference(&url.URL{Path: s.BasePath + strings.TrimSuffix(f, "index.html")})
			if f == "404.html" {
				pageURL = base.ResolveReference(&url.URL{Path: s.BasePath + "404.html"})
			}
			own := resolveOwn(s, pageURL, out)
			for _, href := range append(scans[f].links, "#nowhere", "#fn:1", "#a#b", "#with space", "#%41", "#\x01", "#", "#+") {
				frag, ok := ownFragment(href)
				if !ok {
					if len(href) > 1 && href[0] == '#' && !strings.ContainsAny(href, "%\x01") {
						t.Errorf("ownFragment(%q) refused", href)
					}
					continue
				}
				tried++
				gotWhy, gotDep := checkOwn(own, frag, ids)
				wantWhy, wantDep := checkOne(s, base, pageURL, href, f, out, ids)
				if gotWhy != wantWhy || gotDep != wantDep {
					t.Errorf("%s: %q: (%q, %q); checkOne gives (%q, %q)", f, href, gotWhy, gotDep, wantWhy, wantDep)
				}
			}
		}
		if tried < 100 {
			t.Errorf("only %d fragment links tried", tried)
		}
	}
}
