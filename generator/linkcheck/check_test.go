package linkcheck_test

import (
	"fmt"
	"hash/maphash"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/linkcheck"
	"github.com/unictimeline/sitegen/generator/output"
)

// These tests call Check on sites made by hand, page by page, so that each
// rule of resolution is tried on its own: where a link leads from the page
// it is on, the base path, the 404 page, #fragments, where a broken link is
// reported, and the reuse of scans and verdicts between checks.

// page is an HTML page whose body holds links and ids.
func page(body string) []byte {
	return []byte(`<!DOCTYPE html><html><body id="top">` + body + `</body></html>`)
}

// handSite is a site for Check: its files, the template of each HTML page
// ("t.html" unless named), the content page of some, the pages that failed.
type handSite struct {
	base      string
	files     map[string][]byte
	templates map[string]string
	pages     map[string]linkcheck.Origin
	failed    map[string]bool
}

func (h handSite) site(t *testing.T) *linkcheck.Site {
	t.Helper()
	base, err := url.Parse(h.base)
	if err != nil {
		t.Fatal(err)
	}
	out := output.New("", "")
	maps.Copy(out.Files, h.files)
	return &linkcheck.Site{
		BaseURL:  base,
		BasePath: base.Path,
		Out:      out,
		Paths:    out.Paths(),
		Failed:   h.failed,
		Origins: func() map[string]linkcheck.Origin {
			o := map[string]linkcheck.Origin{}
			for f := range h.files {
				if p, ok := h.pages[f]; ok {
					o[f] = p
					continue
				}
				tmpl := "t.html"
				if n, ok := h.templates[f]; ok {
					tmpl = n
				}
				o[f] = linkcheck.Origin{Template: tmpl}
			}
			return o
		},
	}
}

// check runs Check on s with reuse and returns its errors, sorted, one per
// line, and its scans for the next check. It fails the test when the
// errors differ from those of a check of s without reuse: reuse may save
// work, never change a verdict.
func check(t *testing.T, s *linkcheck.Site, reuse linkcheck.Scans, seed maphash.Seed) (string, linkcheck.Scans) {
	t.Helper()
	format := func(errs []string) string { return strings.Join(errs, "\n") }
	list, next := linkcheck.Check(s, reuse, seed)
	list.Sort()
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	clean, _ := linkcheck.Check(s, linkcheck.Scans{}, seed)
	clean.Sort()
	var want []string
	for _, e := range clean {
		want = append(want, e.Error())
	}
	if format(got) != format(want) {
		t.Errorf("a check reusing the last one's scans gives\n%s\nand a check from scratch\n%s", format(got), format(want))
	}
	return format(got), next
}

// TestResolution: each link is resolved from the page it is on, as a
// browser would, and is broken when no file of the site is there or the
// page there has no element with its #fragment.
func TestResolution(t *testing.T) {
	h := handSite{base: "https://site.example/", files: map[string][]byte{
		"events/a/index.html": page(`<a href="../b/">b</a> <a href="../c/">c</a> <a href="/events/b/#sec">s</a> <a href="../b/#nosec">n</a>` +
			` <a href="x.png">x</a> <a href="sub">dir</a> <a href="#top">top</a> <a href="#missing">m</a> <a href="../b">no slash</a>` +
			` <a href="/nope/">nope</a> <a href="mailto:a@b.example">m</a> <a href="">e</a> <a href="#">h</a> <img src="data:image/png;base64,AA==">` +
			` <a href="https://other.example/x/">o</a> <a href="https://site.example/events/b/">own</a> <a href="ftp://site.example/x/">f</a>` +
			` <a href="https://site.example/gone/">g</a> <a href="%zz">bad</a> <a href="../f/">failed</a> <a href="/failed-too">f2</a> <img src="/i.png">`),
		"events/a/x.png":          []byte("png"),
		"events/a/sub/index.html": page(""),
		"events/b/index.html":     page(`<h2 id="sec">S</h2>`),
		"i.png":                   []byte("png"),
	}, failed: map[string]bool{"events/f/index.html": true, "failed-too/index.html": true}}
	errs, _ := check(t, h.site(t), linkcheck.Scans{}, maphash.MakeSeed())
	for _, want := range []string{
		`t.html: broken link "../c/" on events/a/index.html: no such page or file in the site`,
		`t.html: broken link "../b/#nosec" on events/a/index.html: the page has no element with id "nosec"`,
		`t.html: broken link "#missing" on events/a/index.html: the page has no element with id "missing"`,
		`t.html: broken link "/nope/" on events/a/index.html: no such page or file in the site`,
		`t.html: broken link "https://site.example/gone/" on events/a/index.html: no such page or file in the site`,
		`t.html: broken link "%zz" on events/a/index.html: not a valid URL`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	if n := strings.Count(errs, "\n") + 1; n != 6 {
		t.Errorf("%d errors; want the 6 above (links that resolve, leave the site or lead to a page that failed are fine):\n%s", n, errs)
	}
}

// TestRelativeVerdictsAreNotShared: the same relative link on two pages
// leads to two places; a verdict on a link from the root, the same on
// every page, may be shared.
func TestRelativeVerdictsAreNotShared(t *testing.T) {
	for _, first := range []string{"a", "b"} { // whichever page is judged first
		h := handSite{base: "https://site.example/", files: map[string][]byte{
			"a/index.html":   page(`<a href="x/">x</a> <a href="/a/x/">abs</a> <a href="#here">h</a>`),
			"b/index.html":   page(`<a href="x/">x</a> <a href="/a/x/">abs</a> <a href="#here">h</a>`),
			"a/x/index.html": page(`<p id="here">`),
		}}
		if first == "b" {
			h.files["b/index.html"], h.files["a/index.html"] = h.files["a/index.html"], page(`<p id="here"><a href="x/">x</a> <a href="/a/x/">abs</a> <a href="#here">h</a>`)
		}
		errs, _ := check(t, h.site(t), linkcheck.Scans{}, maphash.MakeSeed())
		if !strings.Contains(errs, `broken link "x/" on b/index.html: no such page`) || strings.Contains(errs, `"x/" on a/`) || strings.Contains(errs, `"/a/x/"`) {
			t.Errorf("errors:\n%s\nwant x/ broken on b/ alone", errs)
		}
	}
}

// TestBasePathAndNotFoundPage: under a subpath, a link that resolves
// outside it is broken, whether written from the root, climbing out, or
// as a full URL to the site's host; on the 404 page, served at any
// address, a relative link is broken, a link from the root or a fragment
// is not.
func TestBasePathAndNotFoundPage(t *testing.T) {
	h := handSite{base: "https://site.example/sub/", files: map[string][]byte{
		"index.html":        page(`<a href="/events/">root</a> <a href="../../out/">up</a> <a href="https://site.example/other/">full</a> <a href="events/">ok</a> <a href="/sub/events/">ok</a>`),
		"404.html":          page(`<a href="events/">rel</a> <a href="./">dot</a> <a href="/sub/events/">ok</a> <a href="#top">top</a> <a href="?q=1">q</a> <a href="https://other.example/x">x</a>`),
		"events/index.html": page(""),
	}, templates: map[string]string{"404.html": "404.html", "index.html": "home.html"}}
	errs, _ := check(t, h.site(t), linkcheck.Scans{}, maphash.MakeSeed())
	leaves := `: it leaves the site's base path /sub/`
	for _, want := range []string{
		`home.html: broken link "/events/" on index.html` + leaves,
		`home.html: broken link "../../out/" on index.html` + leaves,
		`home.html: broken link "https://site.example/other/" on index.html` + leaves,
		`404.html: broken link "events/" on 404.html: the 404 page is served at any address`,
		`404.html: broken link "./" on 404.html: the 404 page is served at any address`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	if n := strings.Count(errs, "\n") + 1; n != 5 {
		t.Errorf("%d errors; want the 5 above:\n%s", n, errs)
	}
}

// TestReportedWhereWritten: a broken link that a content page's Markdown
// wrote is reported at its line there, by its link or by its other
// references (an image, an autolink); one a template wrote, once for all
// the pages it breaks, naming the first and counting the others.
func TestReportedWhereWritten(t *testing.T) {
	md := &content.Page{Meta: content.Meta{Path: "content/docs/guide.md"},
		Links: []content.Link{{Dest: "gone.md", Line: 7, Col: 3}, {Dest: "b.md", Line: 9, Col: 1}},
		Refs:  []content.Ref{{URL: "img.png", Line: 11, Col: 4}}}
	files := map[string][]byte{
		"docs/guide/index.html": page(`<a href="/b/">b</a> <a href="/gone/">g</a> <img src="img.png"> <a href="/nav-gone/">nav</a>`),
		"b/index.html":          page(""),
	}
	for i := range 3 {
		files[fmt.Sprintf("p%d/index.html", i)] = page(`<a href="/nav-gone/">nav</a>`)
	}
	h := handSite{base: "https://site.example/", files: files, pages: map[string]linkcheck.Origin{
		"docs/guide/index.html": {Template: "doc.html", Page: md, LinkURLs: []string{"/gone/", "/b/"}},
	}}
	errs, _ := check(t, h.site(t), linkcheck.Scans{}, maphash.MakeSeed())
	want := strings.Join([]string{
		`content/docs/guide.md:7:3: broken link gone.md: no such page or file in the site`,
		`content/docs/guide.md:11:4: broken link "img.png": no such page or file in the site`,
		`templates/doc.html: broken link "/nav-gone/" on docs/guide/index.html: no such page or file in the site`,
		`templates/t.html: broken link "/nav-gone/" on p0/index.html and 2 more pages: no such page or file in the site`,
	}, "\n")
	if errs != want {
		t.Errorf("errors:\n%s\nwant:\n%s", errs, want)
	}
}

// TestManyPages: every page of a site larger than the runs the pages are
// checked in is checked.
func TestManyPages(t *testing.T) {
	h := handSite{base: "https://site.example/", files: map[string][]byte{}}
	for i := range 70 {
		h.files[fmt.Sprintf("p%02d/index.html", i)] = page(fmt.Sprintf(`<a href="#no-%d">x</a>`, i))
	}
	errs, _ := check(t, h.site(t), linkcheck.Scans{}, maphash.MakeSeed())
	if n := strings.Count(errs, "broken link"); n != 70 {
		t.Errorf("%d broken links found on 70 pages with one each", n)
	}
}

// TestReuseBetweenChecks: as in watch mode, each check is given the last
// one's scans, and the pages that did not change keep their bytes (the
// same slices): whatever changed (a page, the pages a #fragment points
// into, the file list, a page that failed, the base URL), every verdict
// must be the one a check from scratch gives (check compares them).
func TestReuseBetweenChecks(t *testing.T) {
	seed := maphash.MakeSeed()
	h := handSite{base: "https://site.example/", files: map[string][]byte{
		"a/index.html": page(`<a href="/c/#cx">c</a> <a href="/d/">d</a> <a href="/e/">e</a>`),
		"f/index.html": page(`<a href="/b/#sec">b</a>`),
		"b/index.html": page(`<h2 id="sec">S</h2>`),
		"c/index.html": page(`<a href="#top" id="cx">t</a>`),
	}, failed: map[string]bool{"d/index.html": true, "e/index.html": true}}
	s := h.site(t)
	errs, scans := check(t, s, linkcheck.Scans{}, seed)
	if errs != "" {
		t.Fatalf("first check: %s", errs)
	}
	steps := []struct {
		name string
		edit func(s *linkcheck.Site)
		want string // a substring of the errors, "" for none
	}{
		{"nothing changed, the same paths", func(*linkcheck.Site) {}, ""},
		{"the section linked to is gone", func(s *linkcheck.Site) {
			s.Out.Files["b/index.html"] = page(`<h2 id="other">S</h2>`)
		}, `"/b/#sec" on f/index.html: the page has no element with id "sec"`},
		{"it is back", func(s *linkcheck.Site) {
			s.Out.Files["b/index.html"] = page(`<h2 id="sec">S</h2>`)
		}, ""},
		{"a page is removed", func(s *linkcheck.Site) {
			delete(s.Out.Files, "c/index.html")
			s.Paths = s.Out.Paths()
		}, `"/c/#cx" on a/index.html: no such page`},
		{"it is back, the paths listed anew", func(s *linkcheck.Site) {
			s.Out.Files["c/index.html"] = page(`<a href="#top" id="cx">t</a>`)
			s.Paths = s.Out.Paths()
		}, ""},
		{"the same paths in a new list", func(s *linkcheck.Site) {
			s.Paths = s.Out.Paths()
		}, ""},
		{"a failed page is gone, not failed any more", func(s *linkcheck.Site) {
			s.Failed = map[string]bool{"d/index.html": true}
		}, `"/e/" on a/index.html: no such page`},
		{"it failed again", func(s *linkcheck.Site) {
			s.Failed = map[string]bool{"d/index.html": true, "e/index.html": true}
		}, ""},
		{"no page failed", func(s *linkcheck.Site) {
			s.Failed = nil
		}, `"/d/" on a/index.html: no such page`},
		{"both failed again", func(s *linkcheck.Site) {
			s.Failed = map[string]bool{"d/index.html": true, "e/index.html": true}
		}, ""},
		{"a subpath, the same paths", func(s *linkcheck.Site) {
			s.BaseURL, _ = url.Parse("https://site.example/sub/")
			s.BasePath = "/sub/"
		}, `leaves the site's base path /sub/`},
		{"back at the root", func(s *linkcheck.Site) {
			s.BaseURL, _ = url.Parse("https://site.example/")
			s.BasePath = "/"
		}, ""},
		{"a page scanned as it was staged", func(s *linkcheck.Site) {
			b := page(`<a href="/nowhere/" id="cx">n</a>`)
			s.Scans = map[string]linkcheck.Scan{"c/index.html": linkcheck.ScanStaged(b, linkcheck.NewNames())}
			s.Out.Files["c/index.html"] = nil
		}, `"/nowhere/" on c/index.html`},
		{"staged again, without the id linked to", func(s *linkcheck.Site) {
			b := page(`<a href="/nowhere/">n</a>`)
			s.Scans = map[string]linkcheck.Scan{"c/index.html": linkcheck.ScanStaged(b, linkcheck.NewNames())}
		}, `"/c/#cx" on a/index.html: the page has no element with id "cx"`},
	}
	for _, st := range steps {
		st.edit(s)
		errs, scans = check(t, s, scans, seed)
		if st.want == "" && errs != "" || st.want != "" && !strings.Contains(errs, st.want) {
			t.Errorf("%s: errors\n%s\nwant %q", st.name, errs, st.want)
		}
	}
}

// TestVerdictsAcrossNames: pages scanned with different Names (as watch
// mode keeps the last check's scans beside new ones) share no numbers, so
// a verdict kept by number for one must not answer for the other; each
// page's links are judged all the same.
func TestVerdictsAcrossNames(t *testing.T) {
	h := handSite{base: "https://site.example/", files: map[string][]byte{
		"ok/index.html": page(`<h2 id="s">S</h2>`),
	}}
	s := h.site(t)
	s.Scans = map[string]linkcheck.Scan{}
	for i, names := range []*linkcheck.Names{linkcheck.NewNames(), linkcheck.NewNames()} {
		// Different pages, in the same order of numbering in each Names:
		// "/gone/" in one is the number of "/ok/" in the other.
		links := []string{`<a href="/ok/">o</a> <a href="/gone/">g</a>`, `<a href="/gone/">g</a> <a href="/ok/#s">o</a>`}[i]
		for _, p := range []string{"p%d/index.html", "q%d/index.html"} {
			f := fmt.Sprintf(p, i)
			s.Out.Files[f] = nil
			s.Scans[f] = linkcheck.ScanStaged(page(links), names)
		}
	}
	s.Paths = s.Out.Paths()
	errs, _ := check(t, s, linkcheck.Scans{}, maphash.MakeSeed())
	if want := `: broken link "/gone/" on p0/index.html and 3 more pages: no such page or file in the site`; !strings.HasSuffix(errs, want) || strings.Count(errs, "\n") > 0 {
		t.Errorf("errors\n%s\nwant\n%s", errs, want)
	}
}
