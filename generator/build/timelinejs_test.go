package build

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// timelineJSPage embeds TimelineJS the way Knight Lab's instructions do,
// pointed at our export by URL, so TimelineJS fetches and reads it itself.
// script_path names the local copy (as an absolute URL: TimelineJS resolves
// stylesheets against it with new URL()), from which it would load locales
// and fonts; its default is Knight Lab's CDN. font: null keeps it from
// loading a font stylesheet at all: the font CSS imports web fonts from
// another host, and this machine has no network but loopback. With these two
// options nothing leaves the test server, which the test checks.
const timelineJSPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS embed</title>
<link rel="stylesheet" href="/tl/css/timeline.css">
<script src="/tl/js/timeline.js"></script>
</head><body>
<div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
window.tlLoaded = false;
window.timeline = new TL.Timeline("timeline-embed", "/` + export.TimelineJSFile + `", {
  script_path: location.origin + "/tl/js/",
  font: null,
  language: "en",
  hash_bookmark: false
});
window.timeline.on("loaded", function () { window.tlLoaded = true; });
</script>
</body></html>`

// TestTimelineJSShowsEveryEvent loads TimelineJS from its npm package in
// headless Chromium with our export: one slide and one time-axis marker per
// event, every headline shown, one row per event type, and no console error,
// exception or request that leaves the test server.
func TestTimelineJSShowsEveryEvent(t *testing.T) {
	js := testtool.NodeModule(t, "@knight-lab/timelinejs/dist/js/timeline.js")
	dist := filepath.Dir(filepath.Dir(js))

	var files map[string][]byte
	mux := http.NewServeMux()
	mux.Handle("/tl/", http.StripPrefix("/tl/", http.FileServer(http.Dir(dist))))
	mux.HandleFunc("/embed.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, timelineJSPage)
	})
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	res := buildPublished(t, Options{BaseURL: srv.URL + "/"})
	files = res.Output.All()
	events := res.Site.Events

	ctx := testtool.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	host := strings.TrimPrefix(srv.URL, "http://")
	p := testtool.WatchProblems(ctx, host)

	var (
		valid     bool
		errs      []string
		nEvents   int
		slides    int
		markers   int
		groups    int
		headlines []string
	)
	err := chromedp.Run(ctx,
		network.Enable(),
		log.Enable(),
		chromedp.Navigate(srv.URL+"/embed.html"),
		chromedp.Poll(`window.tlLoaded === true`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`window.timeline.config.isValid()`, &valid),
		chromedp.Evaluate(`window.timeline.config.getErrors().map(String)`, &errs),
		chromedp.Evaluate(`window.timeline.config.events.length`, &nEvents),
		chromedp.Evaluate(`document.querySelectorAll(".tl-storyslider .tl-slide").length`, &slides),
		chromedp.Evaluate(`document.querySelectorAll(".tl-timenav .tl-timemarker").length`, &markers),
		chromedp.Evaluate(`document.querySelectorAll(".tl-timenav .tl-timegroup").length`, &groups),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".tl-storyslider .tl-slide .tl-headline")).map(h => h.textContent.trim())`, &headlines),
	)
	if err != nil {
		t.Fatalf("TimelineJS did not load our export: %v\nbrowser problems: %q", err, p.Take())
	}
	if !valid || len(errs) > 0 {
		t.Errorf("TimelineJS finds the export invalid: %q", errs)
	}
	if nEvents != len(events) {
		t.Errorf("TimelineJS read %d events, want %d", nEvents, len(events))
	}
	if slides != len(events)+1 { // and the title slide
		t.Errorf("%d slides, want %d (one per event and the title)", slides, len(events)+1)
	}
	if markers != len(events) {
		t.Errorf("%d time-axis markers, want %d", markers, len(events))
	}
	types := map[string]bool{}
	for _, e := range events {
		types[e.Type.Key] = true
	}
	if groups != len(types) {
		t.Errorf("%d groups on the time axis, want one per event type used (%d)", groups, len(types))
	}
	shown := map[string]bool{}
	for _, h := range headlines {
		shown[h] = true
	}
	for _, e := range events {
		if !shown[e.Title] {
			t.Errorf("no slide shows the headline %q", e.Title)
		}
	}
	probs := p.Take()
	sort.Strings(probs)
	for _, pr := range probs {
		t.Error(pr)
	}
	t.Logf("TimelineJS: %d events, %d slides, %d markers, %d groups, %d browser problems", nEvents, slides, markers, groups, len(probs))
}
