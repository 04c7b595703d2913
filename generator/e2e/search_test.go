package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/search"
	"github.com/unictimeline/sitegen/generator/site"
)

// The targets of a first query (issue 18): what the browser downloads
// for search, and the largest single file it fetches for it.
const (
	firstQueryBudget = 500 << 10 // at 10,000 events (1 MB at 100,000)
	searchFileBudget = 1 << 20
)

// searchResult is one result as the search box or the results page shows
// it.
type searchResult struct {
	Href, Title, Meta, Snippet string
	Marks                      []string // the words the title and snippet mark
}

// readResults reads the results listed by the elements that sel selects.
const readResults = `[...document.querySelectorAll(%q)].map(a => ({
	Href: a.href, Title: a.querySelector('.r-title').textContent, Meta: a.querySelector('.r-meta').textContent,
	Snippet: a.querySelector('.r-snippet').textContent,
	Marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))`

// searchDoc is a document of the index as its document shard holds it.
type searchDoc struct{ U, T, K, D, S, A, X string }

// indexDocs reads every document of the search index in out, in order.
func indexDocs(t *testing.T, out *output.Output) []searchDoc {
	t.Helper()
	var m struct {
		Docs, PerShard int
	}
	if err := json.Unmarshal(out.File(search.File), &m); err != nil {
		t.Fatalf("%s: %v", search.File, err)
	}
	var docs []searchDoc
	for k := 0; k*m.PerShard < m.Docs; k++ {
		var shard []searchDoc
		f := "search/d/" + strconv.Itoa(k) + ".json"
		if err := json.Unmarshal(out.File(f), &shard); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs = append(docs, shard...)
	}
	if len(docs) != m.Docs {
		t.Fatalf("the document shards hold %d documents; the manifest says %d", len(docs), m.Docs)
	}
	return docs
}

// words splits text as the oracle below reads it: words of letters,
// digits and marks, split at everything else (the index keeps "74/247"
// whole too, but a plain word must match its parts).
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// oracle answers plain-word queries from the documents' text rather than
// from the index: what search must list.
type oracle struct {
	docs  []searchDoc
	words map[string][]int // word → the documents that hold it, ascending
}

func newOracle(docs []searchDoc) *oracle {
	o := &oracle{docs: docs, words: map[string][]int{}}
	for i, d := range docs {
		for _, f := range []string{d.T, d.A, d.S, d.X} {
			for _, w := range words(f) {
				if ds := o.words[w]; len(ds) == 0 || ds[len(ds)-1] != i {
					o.words[w] = append(ds, i)
				}
			}
		}
	}
	return o
}

// matching returns the URLs of the documents with a word that starts with
// w, a word of ASCII letters, sorted.
func (o *oracle) matching(w string) []string {
	seen := map[int]bool{}
	var urls []string
	for word, ds := range o.words {
		if !strings.HasPrefix(word, w) {
			continue
		}
		for _, i := range ds {
			if !seen[i] {
				seen[i] = true
				urls = append(urls, o.docs[i].U)
			}
		}
	}
	slices.Sort(urls)
	return urls
}

// TestSearch checks what the site search finds on the real site: an event
// by the document symbol in its title and by a full symbol in its text, a
// guide and an actor by title, and a page by a word only its body text
// contains, with that word marked in the result's snippet. Expectations
// come from the built site and its index, so they follow the content.
func TestSearch(t *testing.T) {
	s := serve(t)
	ctx := browser(t)
	docs := indexDocs(t, s.out)
	o := newOracle(docs)
	search := func(q string) []searchResult {
		t.Helper()
		var res []searchResult
		run(t, ctx, "search "+q,
			chromedp.Navigate(s.url),
			chromedp.SendKeys("#search-input", q, chromedp.ByQuery),
			// The results of the whole query, not of a part typed so far.
			chromedp.WaitVisible(fmt.Sprintf(".search-results[data-q=%q] a", q), chromedp.ByQuery),
			chromedp.Evaluate(fmt.Sprintf(readResults, ".search-results a"), &res))
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

	// A full symbol, as the documents' text writes it, finds every
	// document that holds it.
	full := regexp.MustCompile(`A/RES/\d+/\d+`)
	var q string
	var want []string
	for _, d := range docs {
		if m := full.FindString(d.T + " " + d.S + " " + d.X); m != "" && q == "" {
			q = m
		}
	}
	if q == "" {
		t.Fatal("no document holds a full symbol like A/RES/74/247")
	}
	for _, d := range docs {
		if strings.Contains(d.T+" "+d.A+" "+d.S+" "+d.X, q) {
			want = append(want, abs(d.U))
		}
	}
	var got []string
	for _, r := range resultsPages(t, ctx, s.url+"search/?q="+q) {
		got = append(got, r.Href)
	}
	if !sameSet(got, want) {
		t.Errorf("the results page for %q lists %d documents; want the %d that hold it:\n got %v\nwant %v", q, len(got), len(want), got, want)
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

	// A word found only in some page's body text, marked in its snippet.
	word := regexp.MustCompile(`[a-z]{9,}`)
	for _, d := range docs {
		for _, w := range word.FindAllString(strings.ToLower(d.X), -1) {
			if !slices.Equal(o.matching(w), []string{d.U}) {
				continue
			}
			res := search(w)
			i := slices.IndexFunc(res, func(r searchResult) bool { return r.Href == abs(d.U) })
			if i < 0 {
				t.Fatalf("searching %q, a word of the body of %s only, does not find it: %+v", w, d.U, res)
			}
			if len(res[i].Marks) == 0 || !strings.Contains(res[i].Snippet, res[i].Marks[0]) || !strings.HasPrefix(strings.ToLower(res[i].Marks[0]), w) {
				t.Errorf("searching %q: the snippet %q marks %q; want the word marked", w, res[i].Snippet, res[i].Marks)
			}
			return
		}
	}
	t.Error("no word is found only in body text: the test found nothing to check")
}

// resultsPages opens the results page at url and follows its "Next"
// links to the last page, returning every result listed.
func resultsPages(t *testing.T, ctx context.Context, url string) []searchResult {
	t.Helper()
	var all []searchResult
	for page := 1; url != ""; page++ {
		var res []searchResult
		var next string
		run(t, ctx, "results page "+url,
			chromedp.Navigate(url),
			chromedp.Poll(searchDone, nil),
			chromedp.Evaluate(fmt.Sprintf(readResults, ".search-page-results a"), &res),
			chromedp.Evaluate(`(document.querySelector('.search-pager a[rel=next]') || {href: ''}).href`, &next))
		for _, r := range res {
			if len(r.Marks) == 0 {
				t.Errorf("%s: result %s marks no word of the query", url, r.Href)
			}
		}
		all = append(all, res...)
		url = next
		if page > 1000 {
			t.Fatal("the results pages do not end")
		}
	}
	return all
}

// searchDone is true once the results page has answered its query.
const searchDone = `(s => s !== '' && s !== 'Searching…')(document.querySelector('.search-page-status').textContent)`

// sameSet reports whether a and b hold the same strings, once each.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b) && len(slices.Compact(a)) == len(a)
}

// TestSearchAtScale builds a synthetic site of 10,000 events (SEARCH_EVENTS
// to change it) and searches it in Chromium as a reader would: the box's
// first query must download at most firstQueryBudget for search, counted
// by the browser (Resource Timing), no file over searchFileBudget; the
// results show snippets; and the results page lists every match, page
// after page.
func TestSearchAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 events")
	}
	events := 10000
	if n, err := strconv.Atoi(os.Getenv("SEARCH_EVENTS")); err == nil {
		events = n
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: events, Seed: 1, Repo: testtool.RepoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := build.NewBuilder(build.Options{FS: os.DirFS(dir), BaseURL: "http://localhost" + basePath}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the corpus does not build:\n%v", res.Errors)
	}
	t.Logf("built %d events in %v", events, time.Since(start))
	srv := httptest.NewServer(&testtool.PagesHost{Prefix: basePath, Files: res.Output.All()})
	t.Cleanup(srv.Close)
	url := srv.URL + basePath
	docs := indexDocs(t, res.Output)
	ctx, cancel := context.WithTimeout(browser(t), 3*time.Minute)
	defer cancel()
	p := watch(ctx, strings.TrimPrefix(srv.URL, "http://"))
	defer func() {
		for _, msg := range p.Take() {
			t.Error(msg)
		}
	}()

	// A word of a title, matched by the fewest documents that still fill
	// three pages of results.
	var q string
	var want []string
	o := newOracle(docs)
	tried := map[string]bool{}
	for _, d := range docs[:min(len(docs), 500)] {
		for _, w := range words(d.T) {
			if len(w) < 5 || tried[w] {
				continue
			}
			tried[w] = true
			if m := o.matching(w); len(m) > 40 && (q == "" || len(m) < len(want)) {
				q, want = w, m
			}
		}
	}
	if q == "" {
		t.Fatal("no title word is in over 40 documents")
	}
	t.Logf("searching %q, which %d documents hold", q, len(want))
	for i := range want {
		want[i] = srv.URL + want[i]
	}

	// The box, from an event page: the bytes of a first query.
	var box []searchResult
	var sizes []struct {
		Name string
		Size float64
	}
	run(t, ctx, "search "+q,
		chromedp.Navigate(url+strings.TrimPrefix(res.Site.Events[len(res.Site.Events)/2].Path, "/")),
		chromedp.SendKeys("#search-input", q, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(".search-results[data-q=%q] a", q), chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(readResults, ".search-results a"), &box),
		chromedp.Evaluate(`performance.getEntriesByType('resource').filter(r => /\/search\/|search\.js/.test(r.name)).map(r => ({Name: r.name, Size: r.transferSize}))`, &sizes))
	checkBytes(t, "the box's first query for "+q, sizes)
	if len(box) == 0 || slices.ContainsFunc(box, func(r searchResult) bool { return len(r.Marks) == 0 }) {
		t.Errorf("searching %q: some result does not mark the word: %+v", q, box)
	}

	// The results page, opened afresh: its first page's bytes, then every
	// page.
	ctx2 := browser(t)
	run(t, ctx2, "results page",
		chromedp.Navigate(url+"search/?q="+q),
		chromedp.Poll(searchDone, nil),
		chromedp.Evaluate(`performance.getEntriesByType('resource').filter(r => /\/search\/|search\.js/.test(r.name)).map(r => ({Name: r.name, Size: r.transferSize}))`, &sizes))
	checkBytes(t, "the results page's first query for "+q, sizes)
	var got []string
	for _, r := range resultsPages(t, ctx2, url+"search/?q="+q) {
		got = append(got, r.Href)
	}
	if !sameSet(got, want) {
		t.Errorf("the results pages for %q list %d documents; want the %d whose words start with it", q, len(got), len(want))
	}
}

// checkBytes fails when the files the browser fetched for search add up
// to more than the first query's budget, or one of them is over the
// budget of a file.
func checkBytes(t *testing.T, what string, sizes []struct {
	Name string
	Size float64
}) {
	t.Helper()
	total := 0.0
	for _, f := range sizes {
		total += f.Size
		if f.Size > searchFileBudget {
			t.Errorf("%s: %s is %.0f bytes, over %d", what, f.Name, f.Size, searchFileBudget)
		}
	}
	t.Logf("%s: %d files, %.0f bytes (%.1f KB) transferred", what, len(sizes), total, total/1024)
	if total > firstQueryBudget || len(sizes) == 0 {
		t.Errorf("%s: %.0f bytes in %d files; want at most %d", what, total, len(sizes), firstQueryBudget)
	}
}
