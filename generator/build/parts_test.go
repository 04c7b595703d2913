package build

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/site"
	"golang.org/x/tools/txtar"
)

// partsFixture builds testdata/build/ok-parts.txtar: five events, two to
// a part, over 2018–2020.
func partsFixture(t *testing.T) (*Builder, func(file, old, new string)) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/build/ok-parts.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fixtureFS(t, ar)
	edit := func(file, old, new string) {
		t.Helper()
		if !bytes.Contains(fsys[file].Data, []byte(old)) {
			t.Fatalf("%s holds no %q", file, old)
		}
		fsys[file].Data = bytes.Replace(fsys[file].Data, []byte(old), []byte(new), 1)
	}
	return NewBuilder(Options{FS: fsys}), edit
}

var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// TestTimelineParts checks the parts of a timeline over its cap: where
// they are, that each links to the previous and the next and to every
// other, that every event is reachable from /timeline/ by following the
// timeline's links alone (no script), and that the links to an event's
// place on the timeline (the event page's, the overview's) are
// Site.TimelineURL and reach its anchor.
func TestTimelineParts(t *testing.T) {
	b, _ := partsFixture(t)
	res := b.Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	s, out := res.Site, res.Output
	var paths []string
	for _, p := range s.Parts {
		paths = append(paths, p.Path+" "+p.Label())
	}
	want := []string{"/timeline/ 2018", "/timeline/2019/ 2019, part 1 of 2", "/timeline/2019/2/ 2019, part 2 of 2", "/timeline/2020/ 2020"}
	if !slices.Equal(paths, want) {
		t.Fatalf("parts %q, want %q", paths, want)
	}
	page := func(p string) string { return string(out.File(strings.TrimPrefix(p, "/") + "index.html")) }
	// The site index of a timeline in parts lists years, each linking its
	// first part, not every event (it would outgrow every other page).
	ix := page("/site-index/")
	for _, y := range s.PartYears() {
		if !strings.Contains(ix, `href="`+y.Part.URL+"#"+y.ID+`"`) {
			t.Errorf("the site index does not link %d to its part %s", y.Year, y.Part.Path)
		}
	}
	for _, e := range s.Events {
		if strings.Contains(ix, `href="`+e.URL+`"`) {
			t.Errorf("the site index of a timeline in parts lists the event %s", e.Meta.Slug)
		}
	}
	for _, p := range s.Parts {
		h := page(p.Path)
		if p.Prev != nil && !strings.Contains(h, `rel="prev" href="`+p.Prev.URL+`"`) {
			t.Errorf("%s does not link to the previous part %s", p.Path, p.Prev.Path)
		}
		if p.Next != nil && !strings.Contains(h, `rel="next" href="`+p.Next.URL+`"`) {
			t.Errorf("%s does not link to the next part %s", p.Path, p.Next.Path)
		}
		for _, q := range s.Parts {
			if !strings.Contains(h, `href="`+q.URL+`"`) && q != p {
				t.Errorf("%s does not link to the part %s", p.Path, q.Path)
			}
		}
	}
	// Without scripts: follow the timeline's links from /timeline/.
	seen, todo, reached := map[string]bool{"/timeline/": true}, []string{"/timeline/"}, map[string]bool{}
	for len(todo) > 0 {
		h := page(todo[0])
		todo = todo[1:]
		for _, e := range s.Events {
			if strings.Contains(h, `<article class="event`) && strings.Contains(h, `id="`+e.Meta.Slug+`"`) {
				reached[e.Meta.Slug] = true
			}
		}
		for _, m := range hrefRe.FindAllStringSubmatch(h, -1) {
			u, _, _ := strings.Cut(m[1], "#")
			if strings.HasPrefix(u, "/timeline/") && !strings.Contains(u, "?") && !seen[u] {
				seen[u] = true
				todo = append(todo, u)
			}
		}
	}
	if len(reached) != len(s.Events) {
		t.Errorf("from /timeline/ its links reach %d of %d events", len(reached), len(s.Events))
	}
	for _, e := range s.Events {
		u := s.TimelineURL(e)
		part, slug, _ := strings.Cut(u, "#")
		if !strings.Contains(page(part), `id="`+slug+`"`) {
			t.Errorf("TimelineURL(%s) = %s, whose page has no such anchor", e.Meta.Slug, u)
		}
		if !strings.Contains(string(out.File(strings.TrimPrefix(e.Path, "/")+"index.html")), `class="to-timeline"><a href="`+u+`"`) {
			t.Errorf("the page of %s does not link to its place on the timeline, %s", e.Meta.Slug, u)
		}
		if !strings.Contains(page("/timeline/"), `class="ov-mark" href="`+u+`"`) {
			t.Errorf("the overview's mark of %s does not link to %s", e.Meta.Slug, u)
		}
	}
	if got := site.TimelinePartOf(s.Events[3]).Path; got != "/timeline/2019/2/" {
		t.Errorf("event d (June 2019) is on %s, want /timeline/2019/2/", got)
	}
}

// TestTimelinePartsMemo checks what an edit rewrites: a body edit renders
// its event's page alone and no part of the timeline; a summary edit
// changes the bytes of the one part that shows it (the others are the
// same bytes, which the output folder then leaves as they are). Both
// equal a clean build.
func TestTimelinePartsMemo(t *testing.T) {
	b, edit := partsFixture(t)
	first := b.Build()
	if len(first.Errors) > 0 {
		t.Fatal(first.Errors)
	}
	edit("content/events/d.md", "The body of d.", "The body of d, edited.")
	body := b.Build()
	if len(body.Errors) > 0 {
		t.Fatal(body.Errors)
	}
	if body.Stats.Rendered != 1 {
		t.Errorf("a body edit rendered %d pages, want 1 (its event's)", body.Stats.Rendered)
	}
	edit("content/events/d.md", "summary: About d.", "summary: About d, edited.")
	summary := b.Build()
	if len(summary.Errors) > 0 {
		t.Fatal(summary.Errors)
	}
	var changed []string
	for _, p := range summary.Site.Parts {
		f := strings.TrimPrefix(p.Path, "/") + "index.html"
		if !bytes.Equal(body.Output.File(f), summary.Output.File(f)) {
			changed = append(changed, p.Path)
		}
	}
	if !slices.Equal(changed, []string{"/timeline/2019/2/"}) {
		t.Errorf("a summary edit changed the parts %v, want only /timeline/2019/2/", changed)
	}
	clean := NewBuilder(Options{FS: b.opts.FS}).Build()
	sameOutput(t, "after the edits", summary.Output, clean.Output)
}

// TestTimelineOnePage checks that a timeline within its cap stays one
// page, /timeline/, with no data files: the script filters the page.
func TestTimelineOnePage(t *testing.T) {
	b, edit := partsFixture(t)
	edit("site.yaml", "timelinePart: 2", "timelinePart: 5")
	res := b.Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if len(res.Site.Parts) != 1 || res.Output.Has("timeline/2019/index.html") || res.Output.Has("timeline/data/index.json") {
		t.Errorf("5 events under a cap of 5: %d parts; want one page and no data files", len(res.Site.Parts))
	}
	h := string(res.Output.File("timeline/index.html"))
	if strings.Contains(h, "part-nav") || !strings.Contains(h, `<a href="#y2019">2019</a>`) {
		t.Error("the one-page timeline has a part navigation, or its year bar does not link to its years' headings")
	}
}
