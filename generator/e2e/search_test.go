package e2e

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/site"
)

// searchResult is one result as the search box shows it.
type searchResult struct {
	Href, Title, Meta string
}

// TestSearch checks what the site search finds: an event by the document
// symbol in its title, a guide and an actor by title, and a page by a word
// that only its body text contains. Expectations come from the built site
// and its search.json, so they follow the content.
func TestSearch(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	var index []struct{ U, T, K, D, S, A, X string }
	if err := json.Unmarshal(s.out.File(export.SearchFile), &index); err != nil {
		t.Fatalf("%s: %v", export.SearchFile, err)
	}
	search := func(q string) []searchResult {
		t.Helper()
		var res []searchResult
		run(t, ctx, "search "+q,
			chromedp.Navigate(s.url),
			chromedp.SendKeys("#search-input", q, chromedp.ByQuery),
			chromedp.WaitVisible(".search-results a", chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('.search-results a')].map(a => ({
				Href: a.href, Title: a.querySelector('.r-title').textContent, Meta: a.querySelector('.r-meta').textContent}))`, &res))
		return res
	}
	abs := func(u string) string { return strings.TrimSuffix(s.url, basePath) + u }

	// A document symbol, slash and all, ranks its event first.
	symbol := regexp.MustCompile(`\((\d+/\d+)\)`)
	var ev *site.Event
	for _, e := range s.site.Events {
		if symbol.MatchString(e.Title) {
			ev = e
			break
		}
	}
	if ev == nil {
		t.Fatal("no event title carries a document symbol like (74/247)")
	}
	sym := symbol.FindStringSubmatch(ev.Title)[1]
	res := search(sym)
	if res[0].Href != abs(ev.URL) {
		t.Errorf("searching %q: first result %+v, want %s", sym, res[0], ev.URL)
	}
	if want := ev.Type.Label + " · " + ev.DateHuman(); res[0].Meta != want {
		t.Errorf("searching %q: the first result's line is %q, want type and date %q", sym, res[0].Meta, want)
	}

	// A guide and an actor, by their titles.
	doc, actor := s.site.Docs[len(s.site.Docs)-1], busiest(s.site)
	for _, c := range []struct{ q, url, kind string }{{doc.Title, doc.URL, "Guide"}, {actor.Name, actor.URL, "Actor"}} {
		res := search(c.q)
		i := slices.IndexFunc(res, func(r searchResult) bool { return r.Href == abs(c.url) })
		if i < 0 {
			t.Errorf("searching %q does not find %s", c.q, c.url)
		} else if res[i].Meta != c.kind {
			t.Errorf("searching %q: %s is labelled %q, want %q", c.q, c.url, res[i].Meta, c.kind)
		}
	}

	// A word found only in some page's body text.
	word := regexp.MustCompile(`[a-z]{9,}`)
	for _, d := range index {
		for _, w := range word.FindAllString(strings.ToLower(d.X), -1) {
			elsewhere := false
			for _, o := range index {
				if strings.Contains(strings.ToLower(o.T+" "+o.S+" "+o.A), w) {
					elsewhere = true
					break
				}
			}
			if elsewhere {
				continue
			}
			res := search(w)
			if !slices.ContainsFunc(res, func(r searchResult) bool { return r.Href == abs(d.U) }) {
				t.Errorf("searching %q, a word of the body of %s only, does not find it: %+v", w, d.U, res)
			}
			return
		}
	}
	t.Error("no word is found only in body text: the test found nothing to check")
}
