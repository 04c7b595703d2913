package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/unictimeline/sitegen/generator/site"
)

// visibleEvents lists the ids of the timeline's events a reader can see.
const visibleEvents = `[...document.querySelectorAll('.timeline-list .event')].filter(e => e.checkVisibility()).map(e => e.id)`

// TestPagesLoadCleanly loads one page of every type and fails on any
// console error or warning, uncaught exception, failed request, HTTP error
// or request to another host. On the timeline it also uses the search box,
// so the lazily loaded index is covered.
func TestPagesLoadCleanly(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	p := watch(ctx, s.host)
	for _, pt := range s.pageTypes(t) {
		var title string
		run(t, ctx, pt.name, chromedp.Navigate(s.url+pt.path), chromedp.Title(&title))
		if title == "" {
			t.Errorf("%s (%s): the page has no title", pt.name, pt.path)
		}
		if pt.name == "timeline" {
			var n int
			run(t, ctx, "search on the timeline",
				chromedp.SendKeys("#search-input", "resolution", chromedp.ByQuery),
				chromedp.WaitVisible(".search-results a", chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelectorAll('.search-results a').length`, &n))
			if n == 0 {
				t.Errorf("searching for %q from the timeline found nothing", "resolution")
			}
		}
		for _, msg := range p.Take() {
			t.Errorf("%s (%s): %s", pt.name, pt.path, msg)
		}
	}
}

// filterCase picks a type and an actor that narrow the timeline to some
// but not all of the type's events, from the built site itself, so the test
// follows the content as it grows.
func filterCase(t *testing.T, st *site.Site) (typ *site.Type, actor *site.Actor, want []string) {
	t.Helper()
	actor = busiest(st)
	for _, ty := range st.Types {
		var ids []string
		for _, e := range ty.Events {
			if slices.Contains(e.Actors, actor) {
				ids = append(ids, e.Slug)
			}
		}
		if len(ids) > 0 && len(ids) < len(ty.Events) {
			return ty, actor, ids
		}
	}
	t.Fatalf("no type has some but not all of its events with %s", actor.Name)
	return nil, nil, nil
}

// textMatches lists the events whose title or summary contains word,
// ignoring case: what the text filter must show.
func textMatches(st *site.Site, word string) []string {
	var ids []string
	for _, e := range st.Events {
		if strings.Contains(strings.ToLower(e.Title+" "+e.Summary), strings.ToLower(word)) {
			ids = append(ids, e.Slug)
		}
	}
	return ids
}

func allEvents(st *site.Site) []string {
	ids := make([]string, len(st.Events))
	for i, e := range st.Events {
		ids[i] = e.Slug
	}
	return ids
}

// TestTimelineFilters chooses a type and an actor, and checks that exactly
// the matching events show, that the URL says so, that a reload keeps the
// view, and that clearing brings every event back. It then checks the text
// filter, and that a link to an event the filters hide reveals it.
func TestTimelineFilters(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	typ, actor, want := filterCase(t, s.site)
	timeline := s.url + "timeline/"

	var got []string
	var search, count string
	run(t, ctx, "choose a type and an actor",
		chromedp.Navigate(timeline),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.SetValue("#f-type", typ.Key, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('f-type').dispatchEvent(new Event('change'))`, nil),
		chromedp.SetValue("#f-actor", actor.Slug, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('f-actor').dispatchEvent(new Event('change'))`, nil),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`location.search`, &search),
		chromedp.Text("#f-count", &count, chromedp.ByID))
	if !slices.Equal(got, want) {
		t.Errorf("type %s and actor %s show\n%v\nwant\n%v", typ.Key, actor.Slug, got, want)
	}
	wantSearch := "?" + url.Values{"type": {typ.Key}, "actor": {actor.Slug}}.Encode()
	if q, _ := url.ParseQuery(strings.TrimPrefix(search, "?")); q.Get("type") != typ.Key || q.Get("actor") != actor.Slug {
		t.Errorf("URL query is %q, want the filters in it, like %q", search, wantSearch)
	}
	if wantCount := fmt.Sprintf("%d of %d events match", len(want), len(s.site.Events)); count != wantCount {
		t.Errorf("count says %q, want %q", count, wantCount)
	}

	var typeVal, actorVal string
	got = nil
	run(t, ctx, "reload",
		chromedp.Reload(),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Value("#f-type", &typeVal, chromedp.ByID),
		chromedp.Value("#f-actor", &actorVal, chromedp.ByID),
		chromedp.Evaluate(visibleEvents, &got))
	if typeVal != typ.Key || actorVal != actor.Slug || !slices.Equal(got, want) {
		t.Errorf("after a reload: type %q, actor %q, events %v; want %q, %q, %v", typeVal, actorVal, got, typ.Key, actor.Slug, want)
	}

	got = nil
	run(t, ctx, "clear",
		chromedp.Click("#f-clear", chromedp.ByID),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`location.search`, &search),
		chromedp.Value("#f-type", &typeVal, chromedp.ByID))
	if !slices.Equal(got, allEvents(s.site)) || search != "" || typeVal != "" {
		t.Errorf("after clearing: %d events, query %q, type %q; want all %d, no query, no type", len(got), search, typeVal, len(s.site.Events))
	}

	const word = "convention"
	wantText := textMatches(s.site, word)
	got = nil
	run(t, ctx, "text filter from the URL",
		chromedp.Navigate(timeline+"?q="+word),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Evaluate(visibleEvents, &got))
	if len(wantText) == 0 || !slices.Equal(got, wantText) {
		t.Errorf("?q=%s shows %v, want %v", word, got, wantText)
	}

	// A link to an event that the URL's filters hide: the filters give
	// way, and the event is shown, highlighted and in view.
	var hidden *site.Event
	for _, e := range s.site.Events {
		if e.Type != typ {
			hidden = e
			break
		}
	}
	var state struct {
		Visible, Target, InView bool
		Search                  string
	}
	run(t, ctx, "anchor to a filtered-out event",
		chromedp.Navigate(timeline+"?type="+typ.Key+"#"+hidden.Slug),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Evaluate(`(() => { const e = document.getElementById(`+jsString(hidden.Slug)+`), r = e.getBoundingClientRect();
			return {Visible: e.checkVisibility(), Target: e.classList.contains('is-target') && e.matches(':target'),
				InView: r.top >= 0 && r.top < innerHeight, Search: location.search}; })()`, &state))
	if !state.Visible || !state.Target || !state.InView || state.Search != "" {
		t.Errorf("/timeline/?type=%s#%s: %+v; want the event visible, highlighted, in view, and the filters cleared", typ.Key, hidden.Slug, state)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestKeyboard works the filters and the search with the keyboard alone:
// Tab to each control (which must show its focus), arrows to choose,
// typing, Enter on the clear button; then "/" to search and arrows and
// Enter to open a result.
func TestKeyboard(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	typ, actor, want := filterCase(t, s.site)

	// tabTo presses Tab until the element with id has focus, and checks
	// that the focus is visible.
	tabTo := func(id string) {
		t.Helper()
		for range 250 {
			var active string
			run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.id`, &active))
			if active == id {
				var outline string
				run(t, ctx, "focus style", chromedp.Evaluate(`(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; })()`, &outline))
				if strings.HasPrefix(outline, "none") || strings.HasSuffix(outline, " 0px") {
					t.Errorf("#%s has focus but no visible outline (%s)", id, outline)
				}
				return
			}
		}
		t.Fatalf("Tab never reaches #%s", id)
	}
	// arrowTo presses ArrowDown on the focused select until it shows value.
	arrowTo := func(id, value string) {
		t.Helper()
		for range 100 {
			var v string
			run(t, ctx, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown), chromedp.Value("#"+id, &v, chromedp.ByID))
			if v == value {
				return
			}
		}
		t.Fatalf("ArrowDown on #%s never selects %q", id, value)
	}

	run(t, ctx, "open the timeline", chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID))
	tabTo("f-type")
	arrowTo("f-type", typ.Key)
	tabTo("f-actor")
	arrowTo("f-actor", actor.Slug)
	var got []string
	var search string
	run(t, ctx, "read", chromedp.Evaluate(visibleEvents, &got), chromedp.Evaluate(`location.search`, &search))
	if !slices.Equal(got, want) || !strings.Contains(search, "actor="+actor.Slug) {
		t.Errorf("by keyboard, type %s and actor %s show %v with query %q; want %v", typ.Key, actor.Slug, got, search, want)
	}

	tabTo("f-q")
	var q, active string
	run(t, ctx, "type in the text filter",
		chromedp.KeyEvent("a/b"),
		chromedp.Value("#f-q", &q, chromedp.ByID),
		chromedp.Evaluate(`document.activeElement.id`, &active))
	if q != "a/b" || active != "f-q" {
		t.Errorf(`typing "a/b" in the text filter gave %q with focus on #%s: "/" must type, not jump to search`, q, active)
	}
	tabTo("f-clear")
	got = nil
	run(t, ctx, "Enter on Clear", chromedp.KeyEvent(kb.Enter), chromedp.Evaluate(visibleEvents, &got), chromedp.Evaluate(`location.search`, &search))
	if len(got) != len(s.site.Events) || search != "" {
		t.Errorf("after Enter on Clear: %d events, query %q; want %d and none", len(got), search, len(s.site.Events))
	}

	// The overview's marks are links too: Tab reaches the first, which
	// shows its focus, and Enter brings its event into view, highlighted.
	firstEvent := s.site.Events[0]
	run(t, ctx, "reopen the timeline", chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID))
	for i := 0; ; i++ {
		var onMark bool
		run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.classList.contains('ov-mark')`, &onMark))
		if onMark {
			break
		}
		if i == 100 {
			t.Fatal("Tab never reaches a mark of the overview")
		}
	}
	var mark struct {
		Slug, Stroke   string
		Target, InView bool
	}
	run(t, ctx, "Enter on a mark",
		chromedp.Evaluate(`({Slug: document.activeElement.dataset.slug, Stroke: getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth})`, &mark),
		chromedp.ActionFunc(func(context.Context) error {
			if mark.Stroke != "3px" {
				t.Errorf("the focused mark %s has stroke %q: its focus does not show", mark.Slug, mark.Stroke)
			}
			return nil
		}),
		chromedp.KeyEvent(kb.Enter),
		// The highlight comes from the page's hashchange handler, which
		// runs after the navigation to the fragment: wait for it (up to
		// 5 s), then report whatever state the page is in.
		chromedp.Evaluate(`new Promise(done => {
			const t0 = performance.now();
			const state = () => { const e = document.querySelector(':target'); const r = e ? e.getBoundingClientRect() : {top: -1};
				return {Slug: e ? e.id : '', Stroke: '', Target: !!e && e.classList.contains('is-target'), InView: r.top >= 0 && r.top < innerHeight}; };
			(function check() { const s = state(); if ((s.Target && s.InView) || performance.now() - t0 > 5000) done(s); else setTimeout(check, 20); })();
		})`, &mark, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if mark.Slug != firstEvent.Slug || !mark.Target || !mark.InView {
		t.Errorf("Enter on the first mark: target %+v, want event %s highlighted and in view", mark, firstEvent.Slug)
	}

	// Search: "/" from anywhere on a page focuses the box.
	const query = "budapest"
	var first, firstHref string
	run(t, ctx, "search by keyboard",
		chromedp.Navigate(s.url),
		chromedp.WaitVisible("#search-input", chromedp.ByID),
		chromedp.KeyEvent("/"),
		chromedp.Evaluate(`document.activeElement.id`, &active))
	if active != "search-input" {
		t.Fatalf(`after "/", focus is on #%q, want the search box`, active)
	}
	run(t, ctx, "type a query",
		chromedp.KeyEvent(query),
		chromedp.WaitVisible(".search-results a", chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Evaluate(`document.activeElement.textContent`, &first),
		chromedp.Evaluate(`document.activeElement.href`, &firstHref))
	if !strings.Contains(strings.ToLower(first), query) {
		t.Errorf("ArrowDown focuses %q, want the first result, which mentions %q in its title", first, query)
	}
	var meta, loc string
	run(t, ctx, "result meta", chromedp.Text(".search-results .r-meta", &meta, chromedp.ByQuery))
	if !strings.Contains(meta, "·") {
		t.Errorf("the first result's line is %q, want its type and date", meta)
	}
	run(t, ctx, "Enter opens the result",
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("article.event-page h1", chromedp.ByQuery),
		chromedp.Location(&loc))
	if loc != firstHref {
		t.Errorf("Enter on the first result went to %s, want %s", loc, firstHref)
	}
}

// TestNoSidewaysScroll loads every page type on a phone and on a laptop,
// in light and dark, checks that nothing is wider than the viewport, and
// keeps a full-page screenshot of each (see README, "Reading the timeline").
func TestNoSidewaysScroll(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	dir := artifacts(t)
	t.Logf("screenshots in %s", dir)
	sizes := []struct {
		w, h   int64
		mobile bool
	}{{375, 812, true}, {1280, 800, false}}
	for _, size := range sizes {
		for _, scheme := range []string{"light", "dark"} {
			run(t, ctx, "emulate",
				emulation.SetDeviceMetricsOverride(size.w, size.h, 1, size.mobile),
				emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}))
			for _, pt := range s.pageTypes(t) {
				var m struct {
					Scroll, Inner float64
					Bg            string
				}
				var png []byte
				run(t, ctx, pt.name,
					chromedp.Navigate(s.url+pt.path),
					chromedp.Evaluate(`({Scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), Inner: innerWidth, Bg: getComputedStyle(document.body).backgroundColor})`, &m),
					chromedp.FullScreenshot(&png, 70))
				where := fmt.Sprintf("%s at %dx%d, %s", pt.name, size.w, size.h, scheme)
				if m.Inner != float64(size.w) {
					t.Errorf("%s: the layout viewport grew to %.0f px for content wider than the %d px screen: the page zooms out or scrolls sideways", where, m.Inner, size.w)
				}
				if m.Scroll > m.Inner {
					t.Errorf("%s: the page is %.0f px wide in a %.0f px viewport: it scrolls sideways", where, m.Scroll, m.Inner)
				}
				if dark := m.Bg != "rgb(255, 255, 255)"; dark != (scheme == "dark") {
					t.Errorf("%s: body background is %s", where, m.Bg)
				}
				name := fmt.Sprintf("%s-%dx%d-%s.jpg", pt.name, size.w, size.h, scheme)
				if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestNoPageScrollsSideways checks every page of the site, not only one of
// each type, on the narrow phone: a long word or URL in one event's text
// would pass the screenshot test above and still break that page.
func TestNoPageScrollsSideways(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	run(t, ctx, "emulate a phone", emulation.SetDeviceMetricsOverride(360, 740, 1, true))
	n := 0
	for _, p := range s.out.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		path := strings.TrimSuffix(p, "index.html")
		var w []float64
		run(t, ctx, p, chromedp.Navigate(s.url+path),
			chromedp.Evaluate(`[Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), innerWidth]`, &w))
		if w[0] > 360 || w[1] > 360 {
			t.Errorf("%s at 360 px: content %.0f px wide, layout viewport %.0f px", p, w[0], w[1])
		}
		n++
	}
	t.Logf("%d pages checked at 360 px", n)
}

// TestPrint checks that the timeline prints as a plain list: every event,
// and none of the screen's controls or the overview chart.
func TestPrint(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var got []string
	var shown []string
	run(t, ctx, "print the timeline",
		chromedp.Navigate(s.url+"timeline/"),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`['.overview', '#filters', '.search', '.site-header nav', '.year-index', '.breadcrumbs', '.browse']
			.filter(sel => { const e = document.querySelector(sel); return e && e.checkVisibility(); })`, &shown))
	if !slices.Equal(got, allEvents(s.site)) {
		t.Errorf("printing shows %d events, want all %d", len(got), len(s.site.Events))
	}
	if len(shown) > 0 {
		t.Errorf("printing shows screen-only parts: %v", shown)
	}
}

// TestWithoutJavaScript checks the timeline with scripts off: every event
// is listed, no dead filter or search control is shown, and a type page
// links to the timeline filtered to that type (which, with scripts on,
// shows exactly that type's events).
func TestWithoutJavaScript(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	typ := s.site.Types[0]
	var got, shown []string
	run(t, ctx, "timeline without scripts",
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(s.url+"timeline/"),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`['#filters', '.search'].filter(sel => document.querySelector(sel).checkVisibility())`, &shown))
	if !slices.Equal(got, allEvents(s.site)) {
		t.Errorf("without scripts the timeline shows %d events, want all %d", len(got), len(s.site.Events))
	}
	if len(shown) > 0 {
		t.Errorf("without scripts these controls show but cannot work: %v", shown)
	}

	var want []string
	for _, e := range typ.Events {
		want = append(want, e.Slug)
	}
	got = nil
	var search string
	run(t, ctx, "from a type page to the filtered timeline",
		emulation.SetScriptExecutionDisabled(false),
		chromedp.Navigate(s.url+strings.TrimPrefix(typ.Path, "/")),
		chromedp.Click(`a[href$="/timeline/?type=`+typ.Key+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`location.search`, &search))
	if !slices.Equal(got, want) || search != "?type="+typ.Key {
		t.Errorf("the type page's timeline link shows %v at %q, want %v", got, search, want)
	}
}
