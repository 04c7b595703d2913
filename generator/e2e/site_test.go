package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// basePath is where the tests publish the site: a subpath, like a GitHub
// Pages project site, so any link that forgets the base path breaks here.
const basePath = "/repo/"

// served is the real site, built in memory and served over HTTP.
type served struct {
	site *site.Site
	out  *output.Output
	url  string // the site's root: "http://127.0.0.1:port/repo/"
	host string // "127.0.0.1:port"
}

// serve builds the repository's site (with the chronology fields of one
// thread filled in where its content does not have them yet: see
// chronologyFS) and serves it until the test ends.
func serve(t *testing.T) *served {
	t.Helper()
	res := build.NewBuilder(build.Options{
		FS:      chronologyFS(t),
		BaseURL: "http://localhost" + basePath,
	}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the site does not build:\n%v", res.Errors)
	}
	srv := httptest.NewServer(&testtool.PagesHost{Prefix: basePath, Files: res.Output.All()})
	t.Cleanup(srv.Close)
	return &served{site: res.Site, out: res.Output, url: srv.URL + basePath, host: strings.TrimPrefix(srv.URL, "http://")}
}

// pageType is one kind of page, represented by one example.
type pageType struct {
	name string // for messages and file names
	path string // relative to the site root
}

// pageTypes returns one page of every template the site has.
func (s *served) pageTypes(t *testing.T) []pageType {
	t.Helper()
	st := s.site
	if len(st.Events) == 0 || len(st.Actors) == 0 || len(st.Types) == 0 || len(st.Docs) == 0 || len(st.Section) == 0 {
		t.Fatal("the real site lacks events, actors, types or docs")
	}
	rel := func(p string) string { return strings.TrimPrefix(p, "/") }
	// The event in the middle has a previous and a next one.
	ev := st.Events[len(st.Events)/2]
	var doc *site.Doc
	for _, d := range st.Docs {
		if d.Path != st.Section[0].Path {
			doc = d
			break
		}
	}
	return []pageType{
		{"home", ""},
		{"timeline", "timeline/"},
		{"event", rel(ev.Path)},
		{"actors", "actors/"},
		{"actor", rel(busiest(st).Path)},
		{"types", "types/"},
		{"type", rel(st.Types[0].Path)},
		{"event with votes", rel(eventWithVotes(t, st).Path)},
		{"tracks", "tracks/"},
		{"track", rel(st.Tracks[0].Path)},
		{"section", rel(st.Section[0].Path)},
		{"doc", rel(doc.Path)},
		{"guide for contributors", rel(contributorsGuide(t, st).Path)},
		{"search", "search/?q=convention"},
		{"subscribe", "subscribe/"},
		{"site index", "site-index/"},
		{"404", "404.html"},
	}
}

// busiest returns the actor with the most events.
func busiest(s *site.Site) *site.Actor {
	best := s.Actors[0]
	for _, a := range s.Actors {
		if len(a.Events) > len(best.Events) {
			best = a
		}
	}
	return best
}

// watch starts collecting problems of the browser tab in ctx.
func watch(ctx context.Context, host string) *testtool.Problems {
	return testtool.WatchProblems(ctx, host)
}

// browser returns a chromedp tab in a headless Chromium for this test
// (testtool closes it gracefully when the test ends).
func browser(t *testing.T) context.Context {
	t.Helper()
	return testtool.Browser(t)
}

// run runs chromedp actions and fails the test on error.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// artifacts returns the folder test artifacts (screenshots) go to:
// $TEST_ARTIFACTS/<test name> when that is set, so CI can keep them, and a
// temporary folder otherwise.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
