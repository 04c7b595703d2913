package e2e

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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

// The two screens the timeline is designed for: a laptop and a phone.
var (
	laptop = screen{"1366x900", 1366, 900, false}
	phone  = screen{"390x844", 390, 844, true}
)

type screen struct {
	name   string
	w, h   int64
	mobile bool
}

// size emulates the screen (touch too, on the phone).
func (sc screen) size() chromedp.Action {
	return chromedp.Tasks{
		emulation.SetDeviceMetricsOverride(sc.w, sc.h, 1, sc.mobile),
		emulation.SetTouchEmulationEnabled(sc.mobile),
	}
}

// ovState is what the tests read of the overview.
type ovState struct {
	Active string // the focused mark's href, "" when the focus is elsewhere
	InSVG  bool   // the focus is in the chart
	Name   string // the name line
	Shown  bool   // the name line is on screen
	Hash   string
	Open   bool
}

const readOverview = `(() => { const a = document.activeElement, svg = document.querySelector('.overview-chart');
	return {Active: svg.contains(a) ? a.getAttribute('href') : '', InSVG: svg.contains(a),
		Name: document.getElementById('ov-name').textContent, Hash: location.hash,
		Shown: (r => r.width > 0 && r.top >= 0 && r.bottom <= innerHeight)(document.getElementById('ov-name').getBoundingClientRect()),
		Open: document.getElementById('overview').open}; })()`

// marksOf returns the hrefs and names of the overview's marks, in order.
func marksOf(t *testing.T, ctx context.Context) (hrefs, labels []string) {
	t.Helper()
	run(t, ctx, "read the marks",
		chromedp.Evaluate(`[...document.querySelectorAll('.overview-chart a')].map(a => a.getAttribute('href'))`, &hrefs),
		chromedp.Evaluate(`[...document.querySelectorAll('.overview-chart a')].map(a => a.getAttribute('aria-label'))`, &labels))
	if len(hrefs) < 3 {
		t.Fatalf("the overview has %d marks", len(hrefs))
	}
	return hrefs, labels
}

// TestOverviewKeyboard: the chart is one tab stop; Left and Right move
// along it, Home and End go to its ends, the name of the focused mark
// shows in the name line, Tab leaves the chart and Shift+Tab comes back to
// the same mark, and Enter follows it.
func TestOverviewKeyboard(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	run(t, ctx, "open the timeline", laptop.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID))
	hrefs, labels := marksOf(t, ctx)
	var st ovState
	key := func(what string, keys ...string) ovState {
		t.Helper()
		var acts []chromedp.Action
		for _, k := range keys {
			acts = append(acts, chromedp.KeyEvent(k))
		}
		run(t, ctx, what, append(acts, chromedp.Evaluate(readOverview, &st))...)
		return st
	}
	for i := 0; !key("Tab", kb.Tab).InSVG; i++ {
		if i == 60 {
			t.Fatal("Tab never reaches the overview")
		}
	}
	if st.Active != hrefs[0] || !strings.HasPrefix(st.Name, labels[0]) || !st.Shown {
		t.Errorf("Tab into the chart: focus on %q, name line %q (on screen: %v); want the first mark %q named %q", st.Active, st.Name, st.Shown, hrefs[0], labels[0])
	}
	if key("ArrowRight", kb.ArrowRight, kb.ArrowRight); st.Active != hrefs[2] || !strings.HasPrefix(st.Name, labels[2]) {
		t.Errorf("two Right arrows: focus on %q, name %q; want %q, %q", st.Active, st.Name, hrefs[2], labels[2])
	}
	if key("ArrowLeft", kb.ArrowLeft); st.Active != hrefs[1] {
		t.Errorf("Left: focus on %q, want %q", st.Active, hrefs[1])
	}
	if key("End", kb.End); st.Active != hrefs[len(hrefs)-1] {
		t.Errorf("End: focus on %q, want the last mark %q", st.Active, hrefs[len(hrefs)-1])
	}
	if key("Right at the end", kb.ArrowRight); st.Active != hrefs[len(hrefs)-1] {
		t.Errorf("Right on the last mark moved the focus to %q", st.Active)
	}
	if key("Home", kb.Home); st.Active != hrefs[0] {
		t.Errorf("Home: focus on %q, want the first mark", st.Active)
	}
	key("Right", kb.ArrowRight)
	if key("Tab out", kb.Tab); st.InSVG {
		t.Errorf("Tab from a mark moved to another mark (%q): the chart must be one tab stop", st.Active)
	}
	run(t, ctx, "Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift)), chromedp.Evaluate(readOverview, &st))
	if st.Active != hrefs[1] {
		t.Errorf("Shift+Tab back into the chart: focus on %q, want the mark left there, %q", st.Active, hrefs[1])
	}
	if key("Enter", kb.Enter); st.Hash != hrefs[1][strings.Index(hrefs[1], "#"):] {
		t.Errorf("Enter on a mark: location.hash %q, want %q", st.Hash, hrefs[1])
	}

	// Filtered, the arrows skip the marks the filters dim.
	var want []string
	for _, e := range s.site.Types[2].Events {
		want = append(want, s.site.TimelineURL(e))
	}
	run(t, ctx, "filter by type", chromedp.Navigate(s.url+"timeline/?type="+s.site.Types[2].Key), chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Focus(".ov-mark", chromedp.ByQuery))
	if key("End", kb.End); st.Active != want[len(want)-1] {
		t.Errorf("filtered to %s, End: focus on %q, want its last event %q", s.site.Types[2].Key, st.Active, want[len(want)-1])
	}
	if key("Left", kb.ArrowLeft); len(want) > 1 && st.Active != want[len(want)-2] {
		t.Errorf("filtered to %s, Left from the last: focus on %q, want %q", s.site.Types[2].Key, st.Active, want[len(want)-2])
	}
	// Followed, a mark keeps the reader's filters: the query stays and
	// only the fragment changes.
	var loc struct{ Search, Hash string }
	run(t, ctx, "Enter while filtered", chromedp.KeyEvent(kb.Enter), chromedp.Evaluate(`({Search: location.search, Hash: location.hash})`, &loc))
	if frag := st.Active[strings.Index(st.Active, "#"):]; loc.Search != "?type="+s.site.Types[2].Key || loc.Hash != frag {
		t.Errorf("Enter on %q while filtered went to %+v; want the query ?type=%s kept and the fragment %s", st.Active, loc, s.site.Types[2].Key, frag)
	}
}

// TestOverviewTouch: on a phone, a first tap on a mark names it without
// leaving the page, and a second tap follows it.
func TestOverviewTouch(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	run(t, ctx, "open the timeline on a phone", phone.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Click("#overview summary", chromedp.ByQuery))
	hrefs, labels := marksOf(t, ctx)
	const i = 1
	var at struct{ X, Y float64 }
	run(t, ctx, "find a mark", chromedp.Evaluate(`(() => { const m = document.querySelectorAll('.overview-chart a')[1].querySelector('circle');
		m.scrollIntoView({block: 'center', inline: 'center'}); const r = m.getBoundingClientRect(); return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`, &at))
	tap := chromedp.Tasks{
		input.DispatchTouchEvent(input.TouchStart, []*input.TouchPoint{{X: at.X, Y: at.Y}}),
		input.DispatchTouchEvent(input.TouchEnd, []*input.TouchPoint{}),
	}
	var st ovState
	run(t, ctx, "first tap", tap, chromedp.Evaluate(readOverview, &st))
	if st.Hash != "" || !strings.HasPrefix(st.Name, labels[i]) {
		t.Errorf("first tap on a mark: hash %q, name line %q; want no navigation and the name %q", st.Hash, st.Name, labels[i])
	}
	run(t, ctx, "second tap", tap, chromedp.Evaluate(`new Promise(r => setTimeout(r, 0))`, nil, awaitPromise), chromedp.Evaluate(readOverview, &st))
	if want := hrefs[i][strings.Index(hrefs[i], "#"):]; st.Hash != want {
		t.Errorf("second tap on the mark: hash %q, want %q", st.Hash, want)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// TestOverviewShapes: each type's marks share one shape, no two types have
// the same shape, the legend shows each type's shape, and no type is in
// the link colour. Shapes are geometry, so colour blindness cannot merge
// them; the chart is also photographed under each simulated deficiency.
func TestOverviewShapes(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var got struct {
		Marks  map[string][]string // type key → the shapes of its marks
		Legend map[string]string   // type key → the legend's shape
		Paths  map[string]string   // shape id → its path
		Fills  map[string]string   // type key → computed fill
		Link   string
	}
	run(t, ctx, "read the shapes", laptop.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.Evaluate(`(() => {
		const typeOf = id => [...document.getElementById(id).classList].find(c => c.startsWith('type-')).slice(5);
		const r = {Marks: {}, Legend: {}, Paths: {}, Fills: {}, Link: getComputedStyle(document.querySelector('main a[href]')).color};
		for (const u of document.querySelectorAll('.ov-mark use')) {
			const id = u.getAttribute('href').slice(1); (r.Marks[typeOf(id)] ||= []).push(id);
		}
		for (const p of document.querySelectorAll('.overview defs path')) { r.Paths[p.id] = p.getAttribute('d'); r.Fills[typeOf(p.id)] = getComputedStyle(p).fill; }
		for (const li of document.querySelectorAll('.legend li')) r.Legend[li.className.slice(5)] = li.querySelector('use').getAttribute('href').slice(1);
		return r; })()`, &got))
	seen := map[string]string{}
	for typ, ids := range got.Marks {
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("type %s has marks of shapes %s and %s", typ, ids[0], id)
			}
		}
		if other, ok := seen[got.Paths[ids[0]]]; ok {
			t.Errorf("types %s and %s have the same shape", typ, other)
		}
		seen[got.Paths[ids[0]]] = typ
		if got.Legend[typ] != ids[0] {
			t.Errorf("type %s: legend shape %q, marks %q", typ, got.Legend[typ], ids[0])
		}
		if got.Fills[typ] == got.Link {
			t.Errorf("type %s is drawn in the link colour %s", typ, got.Link)
		}
	}
	if len(seen) < 5 {
		t.Errorf("only %d types on the chart: %v", len(seen), got.Marks)
	}
	dir := artifacts(t)
	for _, v := range []emulation.SetEmulatedVisionDeficiencyType{emulation.SetEmulatedVisionDeficiencyTypeDeuteranopia,
		emulation.SetEmulatedVisionDeficiencyTypeProtanopia, emulation.SetEmulatedVisionDeficiencyTypeTritanopia, emulation.SetEmulatedVisionDeficiencyTypeAchromatopsia} {
		var png []byte
		run(t, ctx, "photograph under "+string(v), emulation.SetEmulatedVisionDeficiency(v), chromedp.Screenshot("#overview", &png, chromedp.ByID))
		if err := os.WriteFile(filepath.Join(dir, "overview-"+string(v)+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOverviewPhone: on a phone the overview starts collapsed, so the
// first event is on the first screen; opened, the chart scrolls sideways
// inside its box, with a fade on the side that has more and a hint that
// goes once the reader has scrolled. On a laptop it starts open.
func TestOverviewPhone(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	type cue struct {
		Open, Hint, Wider bool
		Classes           string
		Mask              string
	}
	const readCue = `(() => { const sc = document.getElementById('ov-scroll');
		return {Open: document.getElementById('overview').open, Hint: document.getElementById('ov-hint').checkVisibility(),
			Wider: sc.scrollWidth > sc.clientWidth + 10, Classes: sc.className, Mask: getComputedStyle(sc).maskImage}; })()`
	var c cue
	run(t, ctx, "a phone", phone.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID), chromedp.Evaluate(readCue, &c))
	if c.Open {
		t.Error("on a phone the overview starts open")
	}
	run(t, ctx, "open it", chromedp.Click("#overview summary", chromedp.ByQuery), chromedp.Evaluate(readCue, &c))
	if !c.Open || !c.Wider || !c.Hint || !strings.Contains(c.Classes, "more-right") || c.Mask == "none" {
		t.Errorf("opened on a phone: %+v; want open, wider than its box, the hint shown, the right edge faded", c)
	}
	run(t, ctx, "scroll it", chromedp.Evaluate(`(s => { s.scrollLeft = s.scrollWidth; s.dispatchEvent(new Event('scroll')); })(document.getElementById('ov-scroll'))`, nil),
		chromedp.Evaluate(readCue, &c))
	if c.Hint || strings.Contains(c.Classes, "more-right") || !strings.Contains(c.Classes, "more-left") {
		t.Errorf("scrolled to the end: %+v; want the hint gone and only the left edge faded", c)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible("#filters", chromedp.ByID), chromedp.Evaluate(readCue, &c))
	if !c.Open {
		t.Error("opened once on a phone, the overview is collapsed again on the next visit")
	}
	ctx = browser(t)
	run(t, ctx, "a laptop", laptop.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID), chromedp.Evaluate(readCue, &c))
	if !c.Open || c.Hint || c.Wider {
		t.Errorf("on a laptop: %+v; want the overview open, whole, with no hint", c)
	}
}

// TestFirstEventOnFirstScreen: the timeline's first event is on the first
// screen, overview and filters included, at 1366×900 and at 390×844.
func TestFirstEventOnFirstScreen(t *testing.T) {
	s := serve(t)
	for _, sc := range []screen{laptop, phone} {
		ctx := browser(t)
		var got struct {
			Top, Height, Filters float64
			Above                []string
		}
		run(t, ctx, "the timeline at "+sc.name, sc.size(), chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID),
			chromedp.Evaluate(`(() => { const e = document.querySelector('.timeline-list .event'), r = e.getBoundingClientRect();
				const above = [...document.querySelectorAll('main > *, .timeline-list > *')].filter(x => x.checkVisibility() && x.getBoundingClientRect().top < r.top)
					.map(x => (x.id || x.className || x.tagName) + ' ' + Math.round(x.getBoundingClientRect().height) + 'px');
				return {Top: r.top + scrollY, Height: innerHeight, Above: above, Filters: document.getElementById('filters').getBoundingClientRect().height}; })()`, &got))
		// Its date and title, the first 3 rem, must show.
		if got.Top+48 > got.Height {
			t.Errorf("at %s the first event starts at %.0f px, below the first screen (%.0f px); above it: %s", sc.name, got.Top, got.Height, strings.Join(got.Above, ", "))
		} else {
			t.Logf("at %s the first event starts at %.0f px of %.0f", sc.name, got.Top, got.Height)
		}
	}
}

// TestOverviewAccessibility runs axe-core on the timeline at both screen
// sizes, light and dark, with the overview open, and keeps a picture of
// the overview in each.
func TestOverviewAccessibility(t *testing.T) {
	src, err := os.ReadFile(testtool.NodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	s := serve(t)
	ctx := browser(t)
	dir := artifacts(t)
	for _, sc := range []screen{laptop, phone} {
		for _, scheme := range []string{"light", "dark"} {
			var out string
			run(t, ctx, "axe at "+sc.name+" "+scheme, sc.size(),
				emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}),
				chromedp.Navigate(s.url+"timeline/"), chromedp.WaitVisible("#filters", chromedp.ByID),
				chromedp.Evaluate(`document.getElementById('overview').open = true`, nil),
				chromedp.Evaluate(string(src), nil),
				chromedp.Evaluate(axeRun, &out, awaitPromise))
			var png []byte
			run(t, ctx, "photograph the overview", chromedp.Screenshot("#overview", &png, chromedp.ByID))
			if err := os.WriteFile(filepath.Join(dir, "overview-"+sc.name+"-"+scheme+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
			var vs []axeViolation
			if err := json.Unmarshal([]byte(out), &vs); err != nil {
				t.Fatalf("axe result: %v", err)
			}
			for _, v := range vs {
				msg := sc.name + " " + scheme + ": " + v.Impact + " " + v.ID + ": " + v.Help + "\n\t" + strings.Join(v.Nodes, "\n\t")
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Error(msg)
				} else {
					t.Log(msg)
				}
			}
		}
	}
}

// TestOverviewAtScale builds synthetic sites: the overview's HTML stays
// under 40 KB with one mark per event up to the threshold and with bins
// above it; on the binned chart the arrow keys move between bars, each
// named for its period and counts, and Enter leads to its year.
func TestOverviewAtScale(t *testing.T) {
	const budget = 40 * 1024
	var big *build.Result
	for _, n := range []int{site.OverviewMaxMarks, 2000} {
		dir := t.TempDir()
		if err := corpus.Write(dir, corpus.Options{Events: n, Seed: 1, Repo: testtool.RepoRoot(t)}); err != nil {
			t.Fatal(err)
		}
		res := build.NewBuilder(build.Options{FS: os.DirFS(dir), BaseURL: "http://localhost" + basePath}).Build()
		if len(res.Errors) > 0 {
			t.Fatalf("%d events: %v", n, res.Errors)
		}
		html := string(res.Output.File("timeline/index.html"))
		i, j := strings.Index(html, `<details class="overview"`), strings.Index(html, "</details>")
		if i < 0 || j < i {
			t.Fatalf("%d events: no overview on the timeline", n)
		}
		binned := strings.Contains(html[i:j], `class="ov-bin"`)
		t.Logf("%d events: the overview is %d bytes (binned: %v)", n, j-i, binned)
		if j-i > budget || binned != (n > site.OverviewMaxMarks) {
			t.Errorf("%d events: the overview is %d bytes, binned %v; want at most %d, binned only above %d events", n, j-i, binned, budget, site.OverviewMaxMarks)
		}
		big = res
	}
	srv := httptest.NewServer(&testtool.PagesHost{Prefix: basePath, Files: big.Output.All()})
	t.Cleanup(srv.Close)
	ctx := browser(t)
	var bins []string
	var st ovState
	run(t, ctx, "the binned overview", laptop.size(), chromedp.Navigate(srv.URL+basePath+"timeline/"),
		chromedp.Evaluate(`[...document.querySelectorAll('.ov-bin')].map(a => a.getAttribute('aria-label') + ' ' + a.getAttribute('href'))`, &bins),
		chromedp.Focus(".ov-bin", chromedp.ByQuery), chromedp.KeyEvent(kb.ArrowRight), chromedp.Evaluate(readOverview, &st))
	nameRe := regexp.MustCompile(`^\d{4}(–\d{4})?(, [^:]+)?: \d+ events?(, \d+ [a-z ]+)* /\S*timeline/(\d{4}/)?#y\d{4}$`)
	for _, b := range bins {
		if !nameRe.MatchString(b) {
			t.Errorf("bar named and linked %q", b)
		}
	}
	if name, _, _ := strings.Cut(st.Name, " · "); len(bins) < 2 || st.Active == "" || !strings.HasPrefix(bins[1], name+" ") {
		t.Fatalf("Right from the first bar: focus on %q, name line %q; want the second bar %q", st.Active, st.Name, bins[1])
	}
	run(t, ctx, "Enter on a bar", chromedp.KeyEvent(kb.Enter), chromedp.Evaluate(readOverview, &st))
	if st.Hash == "" || !strings.HasSuffix(bins[1], st.Hash) {
		t.Errorf("Enter on the bar %q went to %q", bins[1], st.Hash)
	}
}
