package build

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	atomfeed "github.com/mmcdole/gofeed/atom"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/tools/txtar"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// feedBase is the published base URL the feed tests build with: under a
// subpath, so that a link that forgot the base path shows.
const feedBase = "https://user.example.org/repo/"

// buildPublished builds the repository's real project in memory, as CI
// publishes it, and fails the test on any build error.
func buildPublished(t *testing.T, opts Options) *Result {
	t.Helper()
	opts.FS = os.DirFS(testtool.RepoRoot(t))
	res := NewBuilder(opts).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the real site does not build:\n%v", res.Errors)
	}
	return res
}

// feedLen is how many entries the feeds carry: one per event, the
// newest feedLimit of them when site.yaml sets a limit the events exceed.
func feedLen(res *Result) int {
	n := len(res.Site.Events)
	if l := res.Site.Config.FeedLimit; l > 0 && l < n {
		return l
	}
	return n
}

// wantID is the feed id of an event: made from site.yaml's siteID and the
// slug (see export/ids.go), or its page's URL when there is no siteID.
func wantID(res *Result, e *site.Event) string {
	if id := res.Site.Config.SiteID; id != "" {
		return "urn:uuid:" + export.NameUUID(id, "events/"+e.Slug)
	}
	return feedBase + strings.TrimPrefix(e.Path, "/")
}

// htmlURLs returns every href and src in an HTML fragment, parsed as HTML.
func htmlURLs(t *testing.T, fragment string) []string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("parsing HTML: %v", err)
	}
	var urls []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" {
				urls = append(urls, a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return urls
}

// checkAbsoluteLinks fails for any link of an HTML body that is not an
// absolute URL, or that points into the site but outside the base URL.
func checkAbsoluteLinks(t *testing.T, where, body string) {
	t.Helper()
	for _, raw := range htmlURLs(t, body) {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			t.Errorf("%s: link %q is not absolute", where, raw)
			continue
		}
		if u.Host == "user.example.org" && !strings.HasPrefix(raw, feedBase) {
			t.Errorf("%s: link %q leaves the base URL %s", where, raw, feedBase)
		}
	}
}

// sitePageExists reports whether an absolute URL under feedBase is a page
// of the output.
func sitePageExists(out *output.Output, abs string) bool {
	if !strings.HasPrefix(abs, feedBase) {
		return false
	}
	u, err := url.Parse(abs)
	if err != nil {
		return false
	}
	return out.Has(output.FilePath("/" + strings.TrimPrefix(u.Path, "/repo/")))
}

// TestFeedAtom reads feed.atom with gofeed, a feed reader's parser: every
// event is an entry, newest first, dated by its content, with absolute
// links that lead to its page.
func TestFeedAtom(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	src := res.Output.File(export.AtomFile)
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("gofeed cannot read %s: %v", export.AtomFile, err)
	}
	if feed.FeedType != "atom" || feed.FeedVersion != "1.0" {
		t.Fatalf("gofeed reads %s as %s %s, want atom 1.0", export.AtomFile, feed.FeedType, feed.FeedVersion)
	}
	events := res.Site.Events
	if want := feedLen(res); len(feed.Items) != want {
		t.Fatalf("%d entries, want one per event up to feedLimit (%d)", len(feed.Items), want)
	}
	if feed.Title != res.Site.Config.Title || feed.Link != feedBase+"timeline/" || feed.FeedLink != feedBase+export.AtomFile {
		t.Errorf("feed title %q, link %q, self %q", feed.Title, feed.Link, feed.FeedLink)
	}
	newest := events[0].Date.Time
	for i, it := range feed.Items {
		e := events[len(events)-1-i] // newest first
		if e.Date.Time.After(newest) {
			newest = e.Date.Time
		}
		if it.Title != e.Title {
			t.Errorf("entry %d: title %q, want %q", i, it.Title, e.Title)
		}
		if it.GUID != wantID(res, e) || it.Link != feedBase+strings.TrimPrefix(e.Path, "/") || !sitePageExists(res.Output, it.Link) {
			t.Errorf("entry %q: id %q, link %q: want the id of its siteID and slug and the event page's absolute URL", e.Title, it.GUID, it.Link)
		}
		if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(e.Date.Time) || it.PublishedParsed == nil || !it.PublishedParsed.Equal(e.Date.Time) {
			t.Errorf("entry %q: updated %v, published %v; want the event's date %v", e.Title, it.UpdatedParsed, it.PublishedParsed, e.Date.Time)
		}
		// Newest first, in reverse timeline order: an event known only to
		// the month or year comes after the events dated inside that
		// period (see README, "Reading the timeline"), so an entry may
		// start before the one after it, but never after the end of the
		// period of the one before it.
		if i > 0 && e.Date.Time.After(events[len(events)-i].Date.Last()) {
			t.Errorf("entry %d (%s) is newer than the one before it: the feed must be newest first", i, it.Updated)
		}
		if it.Description != e.Summary {
			t.Errorf("entry %q: summary %q, want %q", e.Title, it.Description, e.Summary)
		}
		if !strings.Contains(it.Content, "<p>") {
			t.Errorf("entry %q: content is not the HTML body: %.80q", e.Title, it.Content)
		}
		checkAbsoluteLinks(t, "atom entry "+e.Slug, it.Content)
		// gofeed shows a category by its label: the type's, then the actors'.
		if want := append([]string{e.Type.Label}, namesOf(e.Actors)...); strings.Join(it.Categories, "|") != strings.Join(want, "|") {
			t.Errorf("entry %q: categories %v, want %v", e.Title, it.Categories, want)
		}
	}
	if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(newest) {
		t.Errorf("feed updated %v, want the newest event's date %v", feed.UpdatedParsed, newest)
	}

	// The Atom-specific parser sees the entry's own link relation and the
	// language, which the universal one folds away.
	af, err := (&atomfeed.Parser{}).Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if af.Language != res.Site.Config.Language {
		t.Errorf("xml:lang %q, want %q", af.Language, res.Site.Config.Language)
	}
	if len(af.Authors) != 1 || af.Authors[0].Name == "" {
		t.Errorf("the feed needs an author (RFC 4287 4.1.1): %v", af.Authors)
	}
	for _, en := range af.Entries {
		if len(en.Links) != 1 || en.Links[0].Rel != "alternate" || en.Links[0].Type != "text/html" {
			t.Errorf("entry %q: links %+v, want one alternate text/html", en.Title, en.Links)
		}
	}
}

// TestFeedJSON reads feed.json with gofeed and checks the JSON Feed 1.1
// rules that gofeed's lenient reader does not.
func TestFeedJSON(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	src := res.Output.File(export.JSONFeedFile)
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("gofeed cannot read %s: %v", export.JSONFeedFile, err)
	}
	if feed.FeedType != "json" || feed.FeedVersion != "https://jsonfeed.org/version/1.1" {
		t.Fatalf("gofeed reads %s as %s %q, want json 1.1", export.JSONFeedFile, feed.FeedType, feed.FeedVersion)
	}
	if feed.Link != feedBase || feed.FeedLink != feedBase+export.JSONFeedFile || feed.Title != res.Site.Config.Title {
		t.Errorf("home_page_url %q, feed_url %q, title %q", feed.Link, feed.FeedLink, feed.Title)
	}
	events := res.Site.Events
	if want := feedLen(res); len(feed.Items) != want {
		t.Fatalf("%d items, want %d", len(feed.Items), want)
	}
	for i, it := range feed.Items {
		e := events[len(events)-1-i]
		if it.Title != e.Title || it.GUID != wantID(res, e) || it.Link != feedBase+strings.TrimPrefix(e.Path, "/") {
			t.Errorf("item %d: title %q, id %q, url %q; want %q at its page", i, it.Title, it.GUID, it.Link, e.Title)
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(e.Date.Time) {
			t.Errorf("item %q: date_published %v, want %v", e.Title, it.PublishedParsed, e.Date.Time)
		}
		checkAbsoluteLinks(t, "json feed item "+e.Slug, it.Content)
	}

	// JSON Feed 1.1: items carry a string id and content_html or
	// content_text; dates are RFC 3339; "author" is deprecated for
	// "authors".
	var raw struct {
		Authors []map[string]any `json:"authors"`
		Author  any              `json:"author"`
		Items   []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(src, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Authors) == 0 || raw.Author != nil {
		t.Errorf("want authors (1.1), not author (1.0): %v / %v", raw.Authors, raw.Author)
	}
	for _, it := range raw.Items {
		id, ok := it["id"].(string)
		if !ok || id == "" {
			t.Errorf("item without a string id: %v", it["id"])
		}
		if _, ok := it["content_html"].(string); !ok {
			t.Errorf("item %s has no content_html", id)
		}
		if _, err := time.Parse(time.RFC3339, it["date_published"].(string)); err != nil {
			t.Errorf("item %s: date_published: %v", id, err)
		}
	}
}

// TestFeedOutputsIgnoreTheClock: the feeds and exports are the same bytes
// however often and whenever they are built, and SOURCE_DATE_EPOCH, the
// one outside date, reaches the calendar's DTSTAMP and nothing else.
func TestFeedOutputsIgnoreTheClock(t *testing.T) {
	a := buildPublished(t, Options{BaseURL: feedBase})
	b := buildPublished(t, Options{BaseURL: feedBase})
	epoch := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c := buildPublished(t, Options{BaseURL: feedBase, SourceDate: epoch})
	feeds := []string{export.AtomFile, export.JSONFeedFile, export.ICalFile, export.TimelineFile, export.TimelineJSFile}
	for _, f := range feeds {
		if !bytes.Equal(a.Output.File(f), b.Output.File(f)) {
			t.Errorf("%s differs between two builds of the same files", f)
		}
		if f != export.ICalFile && !bytes.Equal(a.Output.File(f), c.Output.File(f)) {
			t.Errorf("%s changes with SOURCE_DATE_EPOCH; only the calendar's DTSTAMP should", f)
		}
	}
	if !bytes.Contains(c.Output.File(export.ICalFile), []byte("DTSTAMP:20260304T050607Z\r\n")) {
		t.Errorf("SOURCE_DATE_EPOCH did not become the DTSTAMP")
	}
	// No output file carries the build date: see TestNoOutputCarriesTheBuildDate.
}

// TestParseSourceDateEpoch covers the variable's accepted and refused forms.
func TestParseSourceDateEpoch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"", time.Time{}, false},
		{"0", time.Unix(0, 0).UTC(), false},
		{"1700000000", time.Unix(1700000000, 0).UTC(), false},
		{" 1700000000\n", time.Unix(1700000000, 0).UTC(), false},
		{"-1", time.Time{}, true},
		{"2024-01-01", time.Time{}, true},
		{"1.5", time.Time{}, true},
		{"253370764799", time.Date(9998, 12, 31, 23, 59, 59, 0, time.UTC), false},
		{"253370764800", time.Time{}, true},
		{"9223372036854775807", time.Time{}, true},
		{"99999999999999999999", time.Time{}, true},
	} {
		got, err := export.ParseSourceDateEpoch(tc.in)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("export.ParseSourceDateEpoch(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestFeedLimit: the Atom feed and the JSON Feed carry the newest
// feedLimit events, newest first, as feed readers read them; the calendar
// and the data exports carry every event.
func TestFeedLimit(t *testing.T) {
	fsys := fixtureFS(t, txtar.Parse([]byte(`
-- content/events/a.md --
---
title: Oldest
date: 2011
actor: Russia
type: report
track: cybercrime
---
-- content/events/b.md --
---
title: Middle
date: 2012-05
actor: China
type: report
track: cybercrime
---
-- content/events/c.md --
---
title: Newest
date: 2013-01-02
actor: China
type: report
track: cybercrime
---
`)))
	fsys["site.yaml"].Data = append(fsys["site.yaml"].Data, "\nfeedLimit: 2\n"...)
	res := NewBuilder(Options{FS: fsys}).Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	for _, file := range []string{export.AtomFile, export.JSONFeedFile} {
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.Output.File(file)))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var titles []string
		for _, it := range feed.Items {
			titles = append(titles, it.Title)
		}
		if strings.Join(titles, ", ") != "Newest, Middle" {
			t.Errorf("%s carries %v; want the newest two, newest first", file, titles)
		}
	}
	var data struct{ Events []struct{ Title string } }
	if err := json.Unmarshal(res.Output.File(export.TimelineFile), &data); err != nil || len(data.Events) != 3 {
		t.Errorf("%s: %d events (%v); want all 3", export.TimelineFile, len(data.Events), err)
	}
	if n := bytes.Count(res.Output.File(export.ICalFile), []byte("BEGIN:VEVENT")); n != 3 {
		t.Errorf("%s: %d events; want all 3", export.ICalFile, n)
	}
}

// namesOf returns the actors' names, in order.
func namesOf(actors []*site.Actor) []string {
	var names []string
	for _, a := range actors {
		names = append(names, a.Name)
	}
	return names
}
