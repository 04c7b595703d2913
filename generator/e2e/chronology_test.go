package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/site"
)

// The thread the chronology tests follow: the Third Committee's vote on
// the draft, the Assembly's resolution 74/247, and the reactions known
// only to the month.
const (
	committeeVote = "2019-11-third-committee-cybercrime-convention-draft"
	resolution    = "2019-12-ga-resolution-74-247"
	reactions     = "2019-12-russian-officials-react"
)

// chronologyOverlay is front matter the tests add to an event that lacks
// the field, so that the browser tests see votes, roles and follows while
// the content is still gaining them. A field the event already has is
// left as the content gives it.
var chronologyOverlay = map[string]map[string]string{
	resolution: {
		"votes:": `votes:
  - body: "General Assembly plenary"
    yes: 79
    no: 60
    abstain: 33
    source: 3
    note: "As reported by the Associated Press"
`,
		"follows:": "follows: [" + committeeVote + "]\n",
		"actor:": `actor:
  - UN General Assembly: adopted-by
  - Russia: sponsor
  - China: co-sponsor
  - United States: opposed
  - European Union: opposed
  - Ad Hoc Committee on Cybercrime
`,
	},
	reactions: {"follows:": "follows: [" + resolution + "]\n"},
}

// chronologyFS is the repository's project (config, content, templates,
// assets) in memory, with chronologyOverlay applied.
func chronologyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	root := testtool.RepoRoot(t)
	fsys := fstest.MapFS{}
	for _, dir := range []string{"site.yaml", "content", "templates", "assets"} {
		if _, err := os.Stat(filepath.Join(root, dir)); errors.Is(err, fs.ErrNotExist) {
			continue // the built-in theme has what the repository does not override
		}
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b, Mode: 0o644}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for slug, fields := range chronologyOverlay {
		// An event the content has renamed or split is left alone: the
		// tests find what they check in the site model.
		if f := fsys["content/events/"+slug+".md"]; f != nil {
			f.Data = overlayFrontMatter(f.Data, fields)
		}
	}
	return fsys
}

// overlayFrontMatter adds each field the front matter lacks; a one-line
// actor list ("actor: [A, B]") counts as lacking roles and is replaced.
func overlayFrontMatter(src []byte, fields map[string]string) []byte {
	end := bytes.Index(src[3:], []byte("\n---")) + 4 // the newline before the closing ---
	fm, rest := string(src[:end]), src[end:]
	for key, text := range fields {
		lines := strings.Split(fm, "\n")
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, key) })
		switch {
		case i < 0:
			fm += text
		case key == "actor:" && strings.HasPrefix(lines[i], "actor: ["):
			lines[i] = strings.TrimSuffix(text, "\n")
			fm = strings.Join(lines, "\n")
		}
	}
	return append([]byte(fm), rest...)
}

// eventWithVotes returns the resolution, whose page shows votes and roles.
func eventWithVotes(t *testing.T, st *site.Site) *site.Event {
	t.Helper()
	for _, e := range st.Events {
		if e.Meta.Slug == resolution {
			if len(e.Votes) == 0 || !e.HasRoles() {
				t.Fatalf("%s has no votes or roles", resolution)
			}
			return e
		}
	}
	t.Fatalf("no event %s", resolution)
	return nil
}

// voteFigure is what a vote figure shows, read from the page.
type voteFigure struct {
	Body, Numbers, Source, SourceURL string
	Widths                           []float64 // of the bar's segments, in its units
	BarHidden                        bool      // the bar is hidden from assistive technology
}

const readVotes = `(sel) => [...document.querySelectorAll(sel + ' .vote')].map(f => ({
	Body: f.querySelector('.vote-body').textContent.trim(),
	Numbers: f.querySelector('.vote-numbers') ? f.querySelector('.vote-numbers').textContent.replace(/\s+/g, ' ').trim() : '',
	Source: f.querySelector('.vote-source a').textContent.trim(),
	SourceURL: f.querySelector('.vote-source a').href,
	Widths: [...f.querySelectorAll('.vote-bar rect')].map(r => r.width.baseVal.value),
	BarHidden: !!f.querySelector('.vote-bar[aria-hidden="true"]'),
}))`

// TestVoteFigure: the resolution's vote is shown on its page and its card
// with the right numbers as text, a bar in proportion, and the source
// that gives the tally; the roles are named on both.
func TestVoteFigure(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	e := eventWithVotes(t, s.site)
	v := e.Votes[0]
	wantNumbers := fmt.Sprintf("Recorded vote: %d yes %d no %d abstain", v.Yes, v.No, v.Abstain)
	if v.HasAbsent {
		wantNumbers += fmt.Sprintf(" %d absent", v.Absent)
	}
	check := func(where string, figs []voteFigure) {
		t.Helper()
		if len(figs) != len(e.Votes) {
			t.Fatalf("%s: %d vote figures, want %d", where, len(figs), len(e.Votes))
		}
		f := figs[0]
		if f.Body != v.Body || f.Numbers != wantNumbers || f.SourceURL != v.SourceRef.URL || f.Source == "" || !f.BarHidden {
			t.Errorf("%s: vote figure %+v; want %q, %q, source %s, the bar hidden from screen readers", where, f, v.Body, wantNumbers, v.SourceRef.URL)
		}
		if len(f.Widths) != 3 || f.Widths[0] < f.Widths[1] || f.Widths[1] < f.Widths[2] {
			t.Fatalf("%s: bar segments %v, want three, yes widest", where, f.Widths)
		}
		total := f.Widths[0] + f.Widths[1] + f.Widths[2]
		for i, n := range []int{v.Yes, v.No, v.Abstain} {
			if want := 100 * float64(n) / float64(v.Total()); f.Widths[i] < want-0.1 || f.Widths[i] > want+0.1 || total < 99.8 {
				t.Errorf("%s: segment %d is %.1f of %.1f, want %.1f", where, i, f.Widths[i], total, want)
			}
		}
	}
	var page, card []voteFigure
	var facts, roles string
	run(t, ctx, "the event page",
		chromedp.Navigate(s.url+strings.TrimPrefix(e.Path, "/")),
		chromedp.Evaluate(`(`+readVotes+`)('.facts')`, &page),
		chromedp.Text(".facts", &facts, chromedp.ByQuery))
	check("event page", page)
	var wantRoles []string // "Sponsor: Russia, China", as the card says it
	for _, g := range e.RoleGroups() {
		var names []string
		for _, a := range g.Actors {
			names = append(names, a.Name)
			if !strings.Contains(facts, a.Name) {
				t.Errorf("the fact box does not name %q:\n%s", a.Name, facts)
			}
		}
		if g.Role != nil {
			wantRoles = append(wantRoles, g.Role.Label+": "+strings.Join(names, ", "))
			if !strings.Contains(facts, g.Role.Label) {
				t.Errorf("the fact box does not say %q:\n%s", g.Role.Label, facts)
			}
		}
	}
	if !strings.Contains(facts, "Track") || !strings.Contains(facts, e.Track.Label) {
		t.Errorf("the fact box does not give the track:\n%s", facts)
	}
	run(t, ctx, "the timeline card",
		chromedp.Navigate(s.url+"timeline/"),
		chromedp.Evaluate(`(`+readVotes+`)('[id="`+resolution+`"]')`, &card),
		chromedp.Text(`[id="`+resolution+`"] .event-actors`, &roles, chromedp.ByQuery))
	check("timeline card", card)
	for _, want := range wantRoles {
		if !strings.Contains(roles, want) {
			t.Errorf("the card's roles say %q; want %q in them", roles, want)
		}
	}
}

// TestVoteFigureUnknownCount: a vote whose abstentions no source gives
// (the real site has such votes) says "abstain not known" on its event
// page, as text a screen reader reads, and draws no bar; the track's table
// says "not known" in that row and draws no bar there either.
func TestVoteFigureUnknownCount(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var e *site.Event
	var v *site.Vote
	for _, ev := range s.site.Events {
		for _, vt := range ev.Votes {
			if e == nil && vt.AbstainUnknown && !vt.YesUnknown && !vt.NoUnknown {
				e, v = ev, vt
			}
		}
	}
	if e == nil {
		t.Fatal("no event has a vote with its abstentions written unknown")
	}
	var figs []voteFigure
	var rows []string
	run(t, ctx, "the event page",
		chromedp.Navigate(s.url+strings.TrimPrefix(e.Path, "/")),
		chromedp.Evaluate(`(`+readVotes+`)('.facts')`, &figs))
	want := fmt.Sprintf("Recorded vote: %d yes %d no abstain not known", v.Yes, v.No)
	found := false
	for _, f := range figs {
		if f.Body == v.Body && f.Numbers == want {
			found = true
			if len(f.Widths) != 0 {
				t.Errorf("the vote with abstentions not known has a bar: %v", f.Widths)
			}
		}
	}
	if !found {
		t.Errorf("event page %s: no vote figure says %q: %+v", e.Path, want, figs)
	}
	run(t, ctx, "the track page",
		chromedp.Navigate(s.url+strings.TrimPrefix(e.Track.Path, "/")),
		chromedp.Evaluate(`[...document.querySelectorAll('.vote-chart tbody tr')].filter(r => r.querySelector('a').pathname.endsWith('`+e.Path+`')).map(r => [...r.querySelectorAll('td')].map(c => c.textContent.trim()).join(' ') + (r.querySelector('svg') ? ' [bar]' : ''))`, &rows))
	if len(rows) == 0 {
		t.Fatalf("the track page has no row for %s", e.Path)
	}
	if want := fmt.Sprintf("%d %d not known", v.Yes, v.No); !slices.Contains(rows, want) {
		t.Errorf("track rows of %s: %q; want one that is %q, with no bar", e.Path, rows, want)
	}
}

// approxFollower finds an event known only to the month that follows an
// event dated inside that month: the case the order rule is for.
func approxFollower(t *testing.T, st *site.Site) (month, day *site.Event) {
	t.Helper()
	for _, e := range st.Events {
		for _, f := range e.Follows {
			if e.Date.Precision == content.Month && f.Date.Precision >= content.Day && f.Date.Time.Format("2006-01") == e.Date.String() {
				return e, f
			}
		}
	}
	t.Fatal("no event known only to the month follows an event dated in that month (see chronologyOverlay)")
	return nil, nil
}

// TestFollowsAndOrder: "Follows from" and "Led to" link a thread's events
// both ways, and an event known only to the month comes after the event
// dated in that month that it follows, in the list and on the overview,
// and is marked as approximate.
func TestFollowsAndOrder(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	month, day := approxFollower(t, s.site)
	var from, to []string
	links := func(heading string, out *[]string) chromedp.Action {
		return chromedp.Evaluate(`[...document.querySelectorAll('.sequence h3')].filter(h => h.textContent === '`+heading+`').map(h => [...h.nextElementSibling.querySelectorAll('a')].map(a => a.pathname)).flat()`, out)
	}
	run(t, ctx, "the followed event's page", chromedp.Navigate(s.url+strings.TrimPrefix(day.Path, "/")), links("Led to", &to))
	run(t, ctx, "the following event's page", chromedp.Navigate(s.url+strings.TrimPrefix(month.Path, "/")), links("Follows from", &from))
	if !slices.Contains(to, month.URL) || !slices.Contains(from, day.URL) {
		t.Errorf("%s led to %v, %s follows from %v; want each to link the other", day.Slug, to, month.Slug, from)
	}
	var order struct {
		List, Overview []string
		Approx         string
	}
	run(t, ctx, "the timeline",
		chromedp.Navigate(s.url+"timeline/"),
		chromedp.Evaluate(`({List: [...document.querySelectorAll('.timeline-list .event')].map(e => e.id),
			Overview: [...document.querySelectorAll('.ov-mark')].sort((a, b) => a.querySelector('circle').cx.baseVal.value - b.querySelector('circle').cx.baseVal.value).map(m => m.getAttribute('href').split('#')[1]),
			Approx: document.querySelector('[id="`+month.Slug+`"] .approx').textContent})`, &order))
	for name, ids := range map[string][]string{"list": order.List, "overview": order.Overview} {
		if i, j := slices.Index(ids, day.Slug), slices.Index(ids, month.Slug); i < 0 || j < i {
			t.Errorf("%s: %s (%s) at %d, %s (%s) at %d; want the month after the day", name, month.Slug, month.DateHuman(), j, day.Slug, day.DateHuman(), i)
		}
	}
	if order.Approx != "(day not known)" {
		t.Errorf("the month-only date is marked %q", order.Approx)
	}
}

// TestTrackFilter: the track filter shows exactly the track's events,
// keeps the choice in the URL, drops an unknown track from it, and the
// track's page lists the same events in the same order.
func TestTrackFilter(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	tr := s.site.Tracks[len(s.site.Tracks)-1]
	var want []string
	for _, e := range tr.Events {
		want = append(want, e.Slug)
	}
	var got, onPage []string
	var search, label string
	run(t, ctx, "choose a track",
		chromedp.Navigate(s.url+"timeline/"),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.SetValue("#f-track", tr.Key, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('f-track').dispatchEvent(new Event('change'))`, nil),
		chromedp.Evaluate(visibleEvents, &got),
		chromedp.Evaluate(`location.search`, &search),
		chromedp.Text(`[id="`+want[0]+`"] .track-label`, &label, chromedp.ByQuery))
	if !slices.Equal(got, want) || search != "?track="+tr.Key || label != tr.Label {
		t.Errorf("track %s shows %v (query %q, label %q); want %v", tr.Key, got, search, label, want)
	}
	if len(want) == len(s.site.Events) {
		t.Errorf("track %s has every event: the filter is not tested", tr.Key)
	}
	var trackVal string
	run(t, ctx, "an unknown track in the URL",
		chromedp.Navigate(s.url+"timeline/?track=nope"),
		chromedp.WaitVisible("#filters", chromedp.ByID),
		chromedp.Value("#f-track", &trackVal, chromedp.ByID),
		chromedp.Evaluate(visibleEvents, &got))
	if trackVal != "" || len(got) != len(s.site.Events) {
		t.Errorf("?track=nope: filter %q, %d events shown; want no filter, all %d", trackVal, len(got), len(s.site.Events))
	}
	run(t, ctx, "the track's page",
		chromedp.Navigate(s.url+strings.TrimPrefix(tr.Path, "/")),
		chromedp.Evaluate(`[...document.querySelectorAll('.thread .event')].map(e => e.id)`, &onPage))
	if !slices.Equal(onPage, want) {
		t.Errorf("the track's page lists %v; want %v", onPage, want)
	}
}
