package build

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestListPagesBuilt builds the parts fixture with one event a page and
// checks the type, actor and track pages: where the pages of each list
// are, that the first keeps the heading's description (and an actor's
// body, a track's votes) and the others do not, that each page links to
// the previous and the next, and that following the pager from the
// first page reaches every event of the list, once, in order.
func TestListPagesBuilt(t *testing.T) {
	b, edit := partsFixture(t)
	edit("site.yaml", "timelinePart: 2", "timelinePart: 1")
	res := b.Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	s, out := res.Site, res.Output
	page := func(p string) string { return string(out.File(strings.TrimPrefix(p, "/") + "index.html")) }
	if got := page("/actors/russia/page/3/"); !strings.Contains(got, "<title>Russia, page 3 of 3") {
		t.Errorf("/actors/russia/page/3/ is not the third page of Russia's events:\n%.600s", got)
	}
	type list struct {
		path, lead string
		slugs      []string
	}
	lists := []list{
		{"/types/report/", "A report of an expert group", []string{"a", "c", "e"}},
		{"/actors/russia/", "", []string{"a", "c", "d"}},
		{"/tracks/cybercrime/", "Criminal use of ICTs", []string{"a", "b", "d"}},
	}
	for _, l := range lists {
		first := page(l.path)
		if !strings.Contains(first, l.lead) || !strings.Contains(first, `<nav class="pager"`) {
			t.Errorf("%s lacks its description or its pager", l.path)
		}
		var reached []string
		for u, n := l.path, 1; u != ""; n++ {
			h := page(u)
			if h == "" {
				t.Fatalf("%s: no page at %s", l.path, u)
			}
			if n > 1 && (l.lead != "" && strings.Contains(h, l.lead) || strings.Contains(h, `id="track-votes"`)) {
				t.Errorf("%s repeats the first page's description or votes", u)
			}
			if !strings.Contains(h, `aria-current="page">`+strconv.Itoa(n)+`</a>`) {
				t.Errorf("%s does not mark itself as page %d in its pager", u, n)
			}
			for _, e := range s.Events {
				if strings.Contains(h, `id="`+e.Meta.Slug+`"`) {
					reached = append(reached, e.Meta.Slug)
				}
			}
			next := ""
			if m := nextRe.FindStringSubmatch(h); m != nil {
				next = m[1]
			}
			if n > 1 && !strings.Contains(h, `<li><a href="`+prevURL(l.path, n)+`">Previous`) {
				t.Errorf("%s does not link to the previous page %s", u, prevURL(l.path, n))
			}
			u = next
		}
		if !slices.Equal(reached, l.slugs) {
			t.Errorf("following %s's pager reaches %v, want %v", l.path, reached, l.slugs)
		}
	}
}

var nextRe = regexp.MustCompile(`<li><a href="([^"]*)">Next<`)

// prevURL is the URL of page n-1 of the list at path.
func prevURL(path string, n int) string {
	if n == 2 {
		return path
	}
	return path + "page/" + strconv.Itoa(n-1) + "/"
}
