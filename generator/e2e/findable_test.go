package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/site"
)

// awaitFetch makes chromedp.Evaluate wait for the promise it returns.
func awaitFetch(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// contributorsGuide returns the longest documentation page for
// contributors (by its number of headings).
func contributorsGuide(t *testing.T, st *site.Site) *site.Doc {
	t.Helper()
	var best *site.Doc
	for _, d := range st.Docs {
		if d.Audience == content.AudienceContributors && (best == nil || len(d.TOC) > len(best.TOC)) {
			best = d
		}
	}
	if best == nil {
		t.Fatal("no documentation page has audience: contributors")
	}
	return best
}

// TestCurrentSection checks that the header marks the link of the section
// each page is in, and only that one: aria-current="page" on the
// section's own page, "true" inside it, with a style that sets it apart.
func TestCurrentSection(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	st := s.site
	rel := func(p string) string { return strings.TrimPrefix(p, "/") }
	doc := contributorsGuide(t, st)
	cases := []struct{ path, link, current string }{
		{"", "", ""},
		{"timeline/", "Timeline", "page"},
		{rel(st.Events[0].Path), "Timeline", "true"},
		{"actors/", "Actors", "page"},
		{rel(busiest(st).Path), "Actors", "true"},
		{"types/", "Types", "page"},
		{rel(st.Types[0].Path), "Types", "true"},
		{"tracks/", "Tracks", "page"},
		{rel(st.Tracks[0].Path), "Tracks", "true"},
		{rel(st.Section[0].Path), st.Section[0].Title, "page"},
		{rel(doc.Path), st.Section[0].Title, "true"},
		{"site-index/", "", ""},
	}
	for _, c := range cases {
		var got []struct {
			Text, Current, Shadow, Weight string
		}
		run(t, ctx, c.path, chromedp.Navigate(s.url+c.path), chromedp.Evaluate(`[...document.querySelectorAll('.site-header nav a')].map(a => ({
			Text: a.textContent.trim(), Current: a.getAttribute('aria-current') || '',
			Shadow: getComputedStyle(a).boxShadow, Weight: getComputedStyle(a).fontWeight}))`, &got))
		var marked []string
		for _, a := range got {
			if a.Current == "" {
				if a.Shadow != "none" {
					t.Errorf("/%s: the link %q is not current but looks it (box-shadow %s)", c.path, a.Text, a.Shadow)
				}
				continue
			}
			marked = append(marked, a.Text)
			if a.Text == c.link && a.Current != c.current {
				t.Errorf("/%s: %q has aria-current=%q, want %q", c.path, a.Text, a.Current, c.current)
			}
			if a.Shadow == "none" || a.Weight != "700" {
				t.Errorf("/%s: the current link %q does not look current (box-shadow %s, weight %s)", c.path, a.Text, a.Shadow, a.Weight)
			}
		}
		want := []string{}
		if c.link != "" {
			want = []string{c.link}
		}
		if marked == nil {
			marked = []string{}
		}
		if !slices.Equal(marked, want) {
			t.Errorf("/%s: the header marks %v as current, want %v", c.path, marked, want)
		}
	}
}

// TestDocsNavigation checks a long guide on a laptop screen: every entry of
// its table of contents lands on its heading, below no bar and inside the
// window; the docs navigation and the table of contents stay in view while
// the guide scrolls; the guides for contributors are a group of their own.
func TestDocsNavigation(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	doc := contributorsGuide(t, s.site)
	if len(doc.TOC) < 3 {
		t.Fatalf("%s has only %d headings for its table of contents", doc.Path, len(doc.TOC))
	}
	run(t, ctx, "open the guide", emulation.SetDeviceMetricsOverride(1366, 900, 1, false),
		chromedp.Navigate(s.url+strings.TrimPrefix(doc.Path, "/")))

	var groups []struct {
		Title string
		Links []string
	}
	run(t, ctx, "read the docs nav", chromedp.Evaluate(`[...document.querySelectorAll('.docnav h3')].map(h => ({
		Title: h.textContent.trim(),
		Links: [...h.nextElementSibling.querySelectorAll('a')].map(a => new URL(a.href).pathname)}))`, &groups))
	var titles []string
	for _, g := range groups {
		titles = append(titles, g.Title)
		for _, l := range g.Links {
			var d *site.Doc
			for _, x := range s.site.Docs {
				if x.URL == l {
					d = x
				}
			}
			if d == nil {
				t.Errorf("the docs nav links %s, which is no guide", l)
			} else if want := "For " + d.Audience; g.Title != want {
				t.Errorf("the docs nav lists %s under %q, want %q", l, g.Title, want)
			}
		}
	}
	if !slices.Equal(titles, []string{"For readers", "For contributors"}) {
		t.Errorf("the docs nav's groups are %v, want readers then contributors", titles)
	}

	for _, h := range doc.TOC {
		var m struct {
			Top           float64
			InView, AtEnd bool
		}
		run(t, ctx, "follow the table of contents to "+h.ID,
			chromedp.Evaluate(`window.scrollTo(0, 0)`, nil),
			chromedp.Click(`.toc a[href="#`+h.ID+`"]`, chromedp.ByQuery),
			chromedp.Poll(`location.hash === `+jsString("#"+h.ID), nil),
			chromedp.Evaluate(`(() => { const r = document.getElementById(`+jsString(h.ID)+`).getBoundingClientRect();
				return {Top: r.top, InView: r.top >= -1 && r.bottom <= innerHeight,
					AtEnd: scrollY + innerHeight >= document.documentElement.scrollHeight - 1}; })()`, &m))
		// A heading near the end of the page stays lower: the page
		// cannot scroll further.
		if !m.InView || (m.Top > 100 && !m.AtEnd) {
			t.Errorf("the table of contents' link to #%s leaves its heading at %.0f px from the top of the window", h.ID, m.Top)
		}
	}

	for _, frac := range []float64{0.5, 1} {
		var m struct{ Nav, TOC, Current bool }
		run(t, ctx, fmt.Sprintf("scroll %.0f%% down", frac*100),
			chromedp.Evaluate(fmt.Sprintf(`window.scrollTo(0, %g * (document.documentElement.scrollHeight - innerHeight))`, frac), nil),
			chromedp.Evaluate(`(() => { const inView = sel => { const r = document.querySelector(sel).getBoundingClientRect();
				return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; };
				return {Nav: inView('.docnav h2'), TOC: inView('.toc h2'), Current: inView('.docnav [aria-current="page"]')}; })()`, &m))
		if !m.Nav || !m.TOC || !m.Current {
			t.Errorf("scrolled %.0f%% down the guide: docs nav in view %v, its current page %v, table of contents %v; want all", frac*100, m.Nav, m.Current, m.TOC)
		}
	}
}

// TestSiteIndex checks that the site index links every page of the site
// (but the 404 page and itself), and that every page's footer links the
// site index and the subscribe page instead of the raw sitemap.
func TestSiteIndex(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var links []string
	run(t, ctx, "site index", chromedp.Navigate(s.url+"site-index/"),
		chromedp.Evaluate(`[...document.querySelectorAll('main a')].map(a => new URL(a.href).pathname)`, &links))
	for _, p := range s.out.Paths() {
		if !strings.HasSuffix(p, ".html") || p == "404.html" || p == "site-index/index.html" {
			continue
		}
		want := basePath + strings.TrimSuffix(p, "index.html")
		if !slices.Contains(links, want) {
			t.Errorf("the site index does not link %s", want)
		}
	}
	for _, pt := range s.pageTypes(t) {
		var footer []string
		run(t, ctx, pt.name, chromedp.Navigate(s.url+pt.path),
			chromedp.Evaluate(`[...document.querySelectorAll('.site-footer a')].map(a => new URL(a.href).pathname)`, &footer))
		for _, want := range []string{basePath + "subscribe/", basePath + "site-index/"} {
			if !slices.Contains(footer, want) {
				t.Errorf("%s: the footer does not link %s", pt.name, want)
			}
		}
		if slices.Contains(footer, basePath+"sitemap.xml") {
			t.Errorf("%s: the footer links the raw sitemap.xml", pt.name)
		}
	}
}

// TestSubscribePage checks that the subscribe page links every feed and
// export, each of which is served with its media type.
func TestSubscribePage(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var got []struct {
		Path, Type string
		Status     int
	}
	run(t, ctx, "subscribe page", chromedp.Navigate(s.url+"subscribe/"),
		chromedp.Evaluate(`Promise.all([...document.querySelectorAll('.outputs dt a')].map(a =>
			fetch(a.href).then(r => ({Path: new URL(a.href).pathname, Type: r.headers.get('content-type') || '', Status: r.status}))))`,
			&got, awaitFetch))
	want := map[string]string{"feed.atom": "xml", "feed.json": "json", "events.ics": "calendar", "timeline.json": "json", "timelinejs.json": "json", "sitemap.xml": "xml"}
	seen := map[string]bool{}
	for _, g := range got {
		f := strings.TrimPrefix(g.Path, basePath)
		seen[f] = true
		if g.Status != 200 || !strings.Contains(g.Type, want[f]) {
			t.Errorf("%s: status %d, type %q", g.Path, g.Status, g.Type)
		}
	}
	for f := range want {
		if !seen[f] {
			t.Errorf("the subscribe page does not link %s", f)
		}
	}
}

// TestScreenshots keeps what a reader sees first of the timeline, the page
// of resolution 74/247 and a track page, on a phone (390x844) and a laptop
// (1366x900), in light: $TEST_ARTIFACTS/TestScreenshots, which CI keeps.
func TestScreenshots(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	dir := artifacts(t)
	pages := []struct{ name, path string }{
		{"timeline", "timeline/"},
		{"event-74-247", strings.TrimPrefix(eventWithVotes(t, s.site).Path, "/")},
		{"track", strings.TrimPrefix(s.site.Tracks[0].Path, "/")},
	}
	run(t, ctx, "light", emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}))
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{390, 844, true}, {1366, 900, false}} {
		run(t, ctx, "resize", emulation.SetDeviceMetricsOverride(size.w, size.h, 1, size.mobile))
		for _, p := range pages {
			var png []byte
			run(t, ctx, p.name, chromedp.Navigate(s.url+p.path), chromedp.CaptureScreenshot(&png))
			f := filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", p.name, size.w, size.h))
			if err := os.WriteFile(f, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", f)
		}
	}
}
