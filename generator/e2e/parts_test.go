package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/site"
)

// partsEvents and partsCap make the multi-part site of these tests: a
// corpus of a few thousand events over some 75 years, with a cap that
// cuts most years in two or three parts.
const (
	partsEvents = 2000
	partsCap    = 12
)

// serveParts builds a synthetic site whose timeline is in many parts and
// serves it until the test ends.
func serveParts(t *testing.T) *served {
	t.Helper()
	return serveCorpus(t, partsEvents, partsCap)
}

// serveCorpus builds the synthetic site of n events (seed 1), its
// timeline cut in parts of at most partCap events (0: the default, sized
// to the data), and serves it until the test ends.
func serveCorpus(t *testing.T, n, partCap int) *served {
	t.Helper()
	if testing.Short() {
		t.Skipf("builds %d events", n)
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: n, Seed: 1, Repo: testtool.RepoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	if partCap > 0 {
		cfg := filepath.Join(dir, "site.yaml")
		b, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cfg, append(b, fmt.Sprintf("\ntimelinePart: %d\n", partCap)...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := build.NewBuilder(build.Options{FS: os.DirFS(dir), BaseURL: "http://localhost" + basePath}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the corpus does not build:\n%v", res.Errors)
	}
	if len(res.Site.Parts) < 3 {
		t.Fatalf("the corpus's timeline has %d parts; the test needs several", len(res.Site.Parts))
	}
	srv := httptest.NewServer(&testtool.PagesHost{Prefix: basePath, Files: res.Output.All()})
	t.Cleanup(srv.Close)
	return &served{site: res.Site, out: res.Output, url: srv.URL + basePath, host: strings.TrimPrefix(srv.URL, "http://")}
}

// allMatches waits until a filtered timeline in parts has listed every
// match, asking for more as a reader would, and returns the slugs listed
// and the status line.
func allMatches(t *testing.T, ctx context.Context) (slugs []string, status string) {
	t.Helper()
	run(t, ctx, "list every match",
		chromedp.Poll(`(() => {
			const more = document.querySelector('.filter-more');
			if (more) { more.click(); return false; }
			return document.querySelector('.filter-results') !== null || !document.getElementById('f-empty').hidden;
		})()`, nil),
		chromedp.Evaluate(`[...document.querySelectorAll('.filter-results .event')].filter(e => e.checkVisibility()).map(e => e.dataset.slug)`, &slugs),
		chromedp.Text("#f-count", &status, chromedp.ByID))
	return slugs, status
}

// eventsWhere returns the slugs of the events ok accepts, in timeline order.
func eventsWhere(st *site.Site, ok func(e *site.Event) bool) []string {
	var out []string
	for _, e := range st.Events {
		if ok(e) {
			out = append(out, e.Meta.Slug)
		}
	}
	return out
}

// hasActor reports whether e names the actor a.
func hasActor(e *site.Event, a *site.Actor) bool { return slices.Contains(e.Actors, a) }

// optionCounts returns each option's count, by value, of the select id.
func optionCounts(t *testing.T, ctx context.Context, id string) map[string]int {
	t.Helper()
	var texts map[string]string
	run(t, ctx, "read #"+id, chromedp.Evaluate(`Object.fromEntries([...document.getElementById('`+id+`').options].filter(o => o.value).map(o => [o.value, o.textContent]))`, &texts))
	counts := map[string]int{}
	for v, s := range texts {
		var n int
		if i := strings.LastIndex(s, "("); i >= 0 {
			fmt.Sscanf(s[i:], "(%d)", &n)
		}
		counts[v] = n
	}
	return counts
}

// TestTimelineInParts builds a timeline in many parts once and checks in
// Chromium its filters across parts, its permalinks and its sticky year
// bar.
func TestTimelineInParts(t *testing.T) {
	s := serveParts(t)
	t.Run("filters", func(t *testing.T) { partsFilters(t, s) })
	t.Run("permalinks", func(t *testing.T) { partsPermalinks(t, s) })
	t.Run("sticky bar", func(t *testing.T) { stickyBarHidesNothing(t, s) })
	t.Run("axe", func(t *testing.T) { partsAccessible(t, s) })
	t.Run("Nu checker", func(t *testing.T) { partsValid(t, s) })
}

// TestTimelineAtScale opens the timeline of a 10,000-event site, in the
// parts the generator sizes to the data, and checks in Chromium that a
// filtered URL lists every match across the parts and that permalinks
// reach their events: what issue 18 asks of the real site's browser tests
// at that size.
func TestTimelineAtScale(t *testing.T) {
	s := serveCorpus(t, 10000, 0)
	t.Run("filters", func(t *testing.T) { partsFilters(t, s) })
	t.Run("permalinks", func(t *testing.T) { partsPermalinks(t, s) })
}

// partsSample returns a few parts: the first, a piece of a year cut in
// pieces, and the last.
func partsSample(st *site.Site) []*site.TimelinePart {
	sample := []*site.TimelinePart{st.Parts[0], st.Parts[len(st.Parts)-1]}
	for _, p := range st.Parts {
		if p.Piece == 2 {
			return append(sample, p)
		}
	}
	return sample
}

// partsAccessible runs axe-core on parts of the timeline, and on one
// filtered across parts: no serious or critical violation.
func partsAccessible(t *testing.T, s *served) {
	src, err := os.ReadFile(testtool.NodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(browser(t), 3*time.Minute)
	defer cancel()
	var pages []string
	for _, p := range partsSample(s.site) {
		pages = append(pages, strings.TrimPrefix(p.Path, "/"))
	}
	pages = append(pages, pages[len(pages)-1]+"?type="+s.site.Types[0].Key+"&actor="+busiest(s.site).Slug)
	lists := listSample(s.site)
	pages = append(pages, lists...)
	for i, page := range pages {
		var out string
		wait := chromedp.WaitVisible("#filters", chromedp.ByID)
		if i >= len(pages)-len(lists) {
			wait = chromedp.WaitVisible(".pager", chromedp.ByQuery)
		}
		run(t, ctx, "axe on "+page, chromedp.Navigate(s.url+page), wait)
		if strings.Contains(page, "?") {
			allMatches(t, ctx)
		}
		run(t, ctx, "axe on "+page, chromedp.Evaluate(string(src), nil),
			chromedp.Evaluate(axeRun, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			t.Fatalf("axe result: %v", err)
		}
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s %s: %s\n\t%s", page, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n\t"))
			}
		}
	}
}

// listSample returns a few pages of the paginated lists of events (see
// site.ListPage): a type's second page, the busiest actor's first and a
// track's last, without the leading slash.
func listSample(st *site.Site) []string {
	typ := st.ListPages(st.Types[0].Path, st.Types[0].Events)
	actor := busiest(st)
	track := st.ListPages(st.Tracks[0].Path, st.Tracks[0].Events)
	var paths []string
	for _, p := range []*site.ListPage{typ[1], st.ListPages(actor.Path, actor.Events)[0], track[len(track)-1]} {
		paths = append(paths, strings.TrimPrefix(p.Path, "/"))
	}
	return paths
}

// partsValid runs the Nu HTML checker on parts of the timeline and on
// pages of the paginated lists.
func partsValid(t *testing.T, s *served) {
	jar := testtool.NodeModule(t, "vnu-jar/build/dist/vnu.jar")
	java := testtool.Java(t)
	dir := t.TempDir()
	var files []string
	var paths []string
	for _, p := range partsSample(s.site) {
		paths = append(paths, strings.TrimPrefix(p.Path, "/"))
	}
	for i, p := range append(paths, listSample(s.site)...) {
		f := filepath.Join(dir, fmt.Sprintf("part%d.html", i))
		if err := os.WriteFile(f, s.out.File(p+"index.html"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "gnu"}, files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("the Nu checker on parts of the timeline (%v):\n%s", err, out)
	}
}

// partsFilters opens a filtered URL of a timeline in parts, from a
// part that holds none of the matches, and checks that every match of the
// whole timeline is listed, in order; that the selects' counts follow the
// other filters; that the words filter works across parts; that an
// invalid value leaves the URL; and that "Clear filters" is disabled,
// and looks it, when nothing is filtered.
func partsFilters(t *testing.T, s *served) {
	ctx, cancel := context.WithTimeout(browser(t), 3*time.Minute)
	defer cancel()
	p := watch(ctx, s.host)
	defer func() {
		for _, msg := range p.Take() {
			t.Error(msg)
		}
	}()
	st := s.site
	actor := busiest(st)
	typ := st.Types[0]
	want := eventsWhere(st, func(e *site.Event) bool { return e.Type == typ && hasActor(e, actor) })
	if len(want) < 3 {
		t.Fatalf("type %s with actor %s match %d events; the test needs several", typ.Key, actor.Slug, len(want))
	}
	last := st.Parts[len(st.Parts)-1]
	run(t, ctx, "open a filtered URL on the last part",
		chromedp.Navigate(s.url+strings.TrimPrefix(last.Path, "/")+"?type="+typ.Key+"&actor="+actor.Slug))
	got, status := allMatches(t, ctx)
	if !slices.Equal(got, want) {
		t.Errorf("type %s and actor %s list %d events across parts, want %d:\n got %v\nwant %v", typ.Key, actor.Slug, len(got), len(want), got, want)
	}
	if wantStatus := fmt.Sprintf("%d of %d events match", len(want), len(st.Events)); status != wantStatus {
		t.Errorf("status %q, want %q", status, wantStatus)
	}

	// Counts follow the other filters: each type's count is its events
	// with the actor; each actor's, its events of the type.
	types, actors := optionCounts(t, ctx, "f-type"), optionCounts(t, ctx, "f-actor")
	for _, ty := range st.Types {
		if n := len(eventsWhere(st, func(e *site.Event) bool { return e.Type == ty && hasActor(e, actor) })); len(ty.Events) > 0 && types[ty.Key] != n {
			t.Errorf("with actor %s, type %s counts %d, want %d", actor.Slug, ty.Key, types[ty.Key], n)
		}
	}
	for _, a := range st.Actors {
		if n := len(eventsWhere(st, func(e *site.Event) bool { return e.Type == typ && hasActor(e, a) })); actors[a.Slug] != n {
			t.Errorf("with type %s, actor %s counts %d, want %d", typ.Key, a.Slug, actors[a.Slug], n)
		}
	}

	// An invalid value is dropped from the URL; the valid one stays.
	var search string
	run(t, ctx, "an invalid type",
		chromedp.Navigate(s.url+"timeline/?type=no-such-type&actor="+actor.Slug),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Evaluate(`location.search`, &search))
	if search != "?actor="+actor.Slug {
		t.Errorf("?type=no-such-type&actor=%s became %q; want the invalid type dropped from the URL", actor.Slug, search)
	}

	// Words: every event whose title or summary has a word starting with
	// the one typed, across parts.
	word, wantWord := rareWord(st)
	run(t, ctx, "filter by a word", chromedp.Navigate(s.url+"timeline/?q="+word))
	gotWord, _ := allMatches(t, ctx)
	if !slices.Equal(gotWord, wantWord) {
		t.Errorf("?q=%s lists %d events, want %d", word, len(gotWord), len(wantWord))
	}

	// Clear: enabled while filtered; then disabled, and dimmed.
	var disabled bool
	var opacity string
	run(t, ctx, "clear",
		chromedp.Click("#f-clear", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('f-clear').disabled`, &disabled),
		chromedp.Evaluate(`getComputedStyle(document.getElementById('f-clear')).opacity`, &opacity),
		chromedp.Evaluate(`location.search`, &search))
	if !disabled || opacity == "1" || search != "" {
		t.Errorf("after Clear: disabled %v, opacity %s, query %q; want a disabled, dimmed button and no query", disabled, opacity, search)
	}
}

// rareWord returns a word of the titles that starts words of a few
// events (the fewest, three or more) and those events: a match in a
// few parts, which the browser lists quickly however loaded the machine.
func rareWord(st *site.Site) (string, []string) {
	var word string
	var events []string
	tried := map[string]bool{}
	for _, e := range st.Events[:min(len(st.Events), 300)] {
		for _, w := range strings.Fields(strings.ToLower(e.Meta.Title)) {
			if len(w) < 5 || tried[w] || !hasWordPrefix(w, w) {
				continue
			}
			tried[w] = true
			m := eventsWhere(st, func(e *site.Event) bool { return hasWordPrefix(e.Meta.Title+" "+e.Meta.Summary, w) })
			if len(m) >= 3 && (word == "" || len(m) < len(events)) {
				word, events = w, m
			}
		}
	}
	return word, events
}

// hasWordPrefix reports whether a word of text starts with w, words being
// runs of letters and digits.
func hasWordPrefix(text, w string) bool {
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}) {
		if strings.HasPrefix(f, w) {
			return true
		}
	}
	return false
}

// partsPermalinks checks that an old /timeline/#slug link to an event
// of a later part lands on that part, on the event, in view below the
// sticky year bar; and that without scripts the parts link to each other
// so that every event is reachable.
func partsPermalinks(t *testing.T, s *served) {
	ctx, cancel := context.WithTimeout(browser(t), 3*time.Minute)
	defer cancel()
	st := s.site
	e := st.Parts[len(st.Parts)/2].Years[0].Events[1]
	var state struct {
		Path   string
		Target bool
		Top    float64
		Bar    float64
	}
	run(t, ctx, "an old permalink",
		chromedp.Navigate(s.url+"timeline/#"+e.Meta.Slug),
		chromedp.WaitVisible(`[id="`+e.Meta.Slug+`"].is-target`, chromedp.ByQuery),
		chromedp.Evaluate(`({Path: location.pathname, Target: document.activeElement.id === `+jsString(e.Meta.Slug)+`,
			Top: document.getElementById(`+jsString(e.Meta.Slug)+`).getBoundingClientRect().top,
			Bar: document.querySelector('.year-index').getBoundingClientRect().bottom})`, &state))
	if state.Path != basePath+strings.TrimPrefix(site.TimelinePartOf(e).Path, "/") || !state.Target || state.Top < state.Bar {
		t.Errorf("/timeline/#%s: %+v; want the event focused on %s, below the year bar", e.Meta.Slug, state, site.TimelinePartOf(e).Path)
	}
	if got := st.TimelineURL(e); !strings.HasSuffix(got, site.TimelinePartOf(e).Path+"#"+e.Meta.Slug) {
		t.Errorf("TimelineURL = %q", got)
	}
}

// stickyBarHidesNothing jumps to a year and tabs through a part's
// links at a desktop and a phone size, and checks that neither the
// anchor's target nor the focused link is ever under the sticky year bar.
func stickyBarHidesNothing(t *testing.T, s *served) {
	ctx, cancel := context.WithTimeout(browser(t), 3*time.Minute)
	defer cancel()
	// A later part that begins its year: the bar links to its heading.
	var part *site.TimelinePart
	for _, p := range s.site.Parts[1:] {
		if p.Piece == 1 && part == nil {
			part = p
		}
	}
	for _, size := range []struct{ w, h int64 }{{1366, 900}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			y := part.Years[0]
			var r struct{ Top, Bar float64 }
			run(t, ctx, "jump to a year",
				emulation.SetDeviceMetricsOverride(size.w, size.h, 1, size.w < 500),
				chromedp.Navigate(s.url+strings.TrimPrefix(part.Path, "/")),
				chromedp.WaitVisible("#filters", chromedp.ByID),
				chromedp.Click(`.year-index a[href="#`+y.ID+`"]`, chromedp.ByQuery),
				chromedp.Poll(`location.hash === '#`+y.ID+`'`, nil),
				chromedp.Evaluate(`({Top: document.getElementById('`+y.ID+`-h').getBoundingClientRect().top,
					Bar: getComputedStyle(document.querySelector('.year-index')).position === 'sticky' ? document.querySelector('.year-index').getBoundingClientRect().bottom : 0})`, &r))
			if r.Top < r.Bar-0.5 {
				t.Errorf("the heading of %d is at %.0f, under the year bar ending at %.0f", y.Year, r.Top, r.Bar)
			}
			// Tab from the year heading through the part's events, then
			// back up with Shift+Tab, which brings links in from above,
			// where the bar is.
			for i := range 60 {
				key := chromedp.KeyEvent(kb.Tab)
				if i >= 30 {
					key = chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift))
				}
				var f struct {
					Top, Bottom, Bar, H float64
					In                  bool
				}
				run(t, ctx, "Tab", key, chromedp.Evaluate(`(() => {
					const a = document.activeElement, r = a.getBoundingClientRect(), bar = document.querySelector('.year-index');
					const pinned = getComputedStyle(bar).position === 'sticky' && bar.getBoundingClientRect().top <= 0.5;
					return {Top: r.top, Bottom: r.bottom, Bar: pinned ? bar.getBoundingClientRect().bottom : 0, H: innerHeight, In: !!a.closest('.timeline-list')};
				})()`, &f))
				if f.In && (f.Top < f.Bar-0.5 || f.Bottom > f.H+0.5) {
					t.Errorf("Tab %d: the focused link spans %.0f–%.0f, under the year bar (ends %.0f) or off the screen (%.0f)", i, f.Top, f.Bottom, f.Bar, f.H)
				}
			}
		})
	}
}
