// Command browser is the browser half of make bench (bench/run.sh): it
// serves a built site from a folder and measures in headless Chromium what a
// reader waits for and downloads, on the synthetic corpus the site was built
// from:
//
//	go run ./bench/browser -site /dev/shm/out -corpus /dev/shm/corpus -runs 5
//
// It prints one line per figure, tab-separated (name, value, what it is),
// for bench/run.sh to put into its table:
//
//   - first-event-ms: opening /timeline/, the time from the start of the
//     navigation until the first `.timeline-list .event` is painted
//     (median of -runs).
//   - filtered-ms: opening /timeline/?type=T&actor=A, the time until exactly
//     the events of type T that name actor A are visible, every one of them
//     (median of -runs); the expected events come from the corpus's Markdown
//     files, not from the site.
//   - search-bytes: the bytes the browser downloads for search when a reader
//     types a first query into the search box of an event page, counted by
//     Chromium's Resource Timing.
//
// Every run is a newly started Chromium with an empty profile (an empty
// cache, as for a first visit). How each figure is read is explained where it is measured
// (timeline.go, search.go) and in README, "Performance".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// options are the command's flags.
type options struct {
	site, corpus, query, typ, actor, figures string
	runs                                     int
	timeout                                  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.site, "site", "", "built site folder, served at /")
	flag.StringVar(&o.corpus, "corpus", "", "the corpus project it was built from (generator/internal/corpus)")
	flag.IntVar(&o.runs, "runs", 5, "page loads per timed figure (the median is printed)")
	flag.StringVar(&o.query, "query", "indonesia", "the first query typed into the search box (a place name in 471 of the 10,000 events of seed 1, the query of the search commit's measurement)")
	flag.StringVar(&o.typ, "type", "", "the filtered URL's type (default: the type and actor with the most events together)")
	flag.StringVar(&o.actor, "actor", "", "the filtered URL's actor slug (see -type)")
	flag.StringVar(&o.figures, "figures", "first,filtered,search", "which figures to measure, comma-separated")
	flag.DurationVar(&o.timeout, "timeout", 3*time.Minute, "the longest one page load may take")
	flag.Parse()
	if o.site == "" || o.corpus == "" || o.runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: browser -site DIR -corpus DIR [-runs 5] [-query WORD] [-type T -actor A]")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	c, err := readCorpus(o.corpus)
	if err != nil {
		return err
	}
	typ, actor, want := c.filterCase(o.typ, o.actor)
	if len(want) == 0 {
		return fmt.Errorf("no event of type %q names actor %q", typ, actor)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(o.site)), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	origin := "http://" + ln.Addr().String()

	b := &bench{origin: origin, timeout: o.timeout, runs: o.runs}
	// Each figure on its own: one that fails (a timeline the benchmark
	// does not understand) is reported, and the others still measured.
	figures := []struct {
		name, flag string
		measure    func() (float64, string, error)
	}{
		{"first-event-ms", "first", b.firstFigure},
		{"filtered-ms", "filtered", func() (float64, string, error) { return b.filteredFigure(typ, actor, want) }},
		{"search-bytes", "search", func() (float64, string, error) {
			return b.searchFigure("/events/"+c.slugs[len(c.slugs)/2]+"/", o.query)
		}},
	}
	failed := 0
	for _, f := range figures {
		if !slices.Contains(strings.Split(o.figures, ","), f.flag) {
			continue
		}
		v, note, err := f.measure()
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "browser: %s: %v\n", f.name, err)
			fmt.Printf("%s\tfailed\t%s\n", f.name, strings.ReplaceAll(err.Error(), "\t", " "))
			continue
		}
		fmt.Printf("%s\t%.0f\t%s\n", f.name, v, note)
	}
	if failed > 0 {
		return fmt.Errorf("%d figures failed", failed)
	}
	return nil
}

// firstFigure is the median time to the first event over the runs.
func (b *bench) firstFigure() (float64, string, error) {
	first, how, err := b.repeat(b.runs, b.firstEvent)
	if err != nil {
		return 0, "", err
	}
	fmt.Fprintf(os.Stderr, "browser: time to first event read by %s\n", how)
	return median(first), fmt.Sprintf("median of %d (%s); all: %s", len(first), strings.SplitN(how, ";", 2)[0], list(first)), nil
}

// filteredFigure is the median time until the filtered URL shows every
// match, over the runs.
func (b *bench) filteredFigure(typ, actor string, want []string) (float64, string, error) {
	filtered, _, err := b.repeat(b.runs, func(ctx context.Context) (float64, string, error) {
		return b.filtered(ctx, typ, actor, want)
	})
	if err != nil {
		return 0, "", err
	}
	return median(filtered), fmt.Sprintf("?type=%s&actor=%s, %d matches; median of %d; all: %s",
		typ, actor, len(want), len(filtered), list(filtered)), nil
}

// searchFigure is the bytes of a first query from page.
func (b *bench) searchFigure(page, query string) (float64, string, error) {
	bytes, files, err := b.searchBytes(page, query)
	if err != nil {
		return 0, "", err
	}
	fmt.Fprintf(os.Stderr, "browser: search, first query %q from %s: %s\n", query, page, files)
	return bytes, fmt.Sprintf("query %q, %s", query, strings.SplitN(files, ":", 2)[0]), nil
}

// bench holds what every measurement needs: the site's origin, the
// longest a load may take and the number of runs of a timed figure.
type bench struct {
	origin  string
	timeout time.Duration
	runs    int
}

// repeat runs measure n times, each in a fresh browser, and returns
// the values and the last description of how they were read.
func (b *bench) repeat(n int, measure func(context.Context) (float64, string, error)) ([]float64, string, error) {
	var vals []float64
	var how string
	for i := 0; i < n; i++ {
		err := b.fresh(func(ctx context.Context) error {
			v, h, err := measure(ctx)
			vals, how = append(vals, v), h
			return err
		})
		if err != nil {
			return nil, "", err
		}
		fmt.Fprintf(os.Stderr, "browser: run %d of %d: %.0f ms\n", i+1, n, vals[len(vals)-1])
	}
	return vals, how, nil
}

// fresh calls f with the tab of a newly started Chromium (an empty profile:
// no cache, no storage), stopped afterwards. (A new browser context in one
// Chromium would be quicker, but this Chromium, 156, refuses to open a tab
// in one when headless.)
func (b *bench) fresh(f func(context.Context) error) error {
	ctx, stop, err := startChromium()
	if err != nil {
		return err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	return f(ctx)
}

// startChromium starts headless Chromium with the flags the browser tests
// use (generator/internal/testtool.Browser), in a fresh profile.
func startChromium() (context.Context, func(), error) {
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		return nil, nil, errors.New("chromium not found (apt-get install -y chromium)")
	}
	profile, err := os.MkdirTemp("", "bench-browser-")
	if err != nil {
		return nil, nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	ctx, cancel := chromedp.NewContext(alloc)
	stop := func() {
		_ = chromedp.Cancel(ctx) // waits for Chromium to exit before its profile is removed
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}
	if err := chromedp.Run(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting chromium: %w", err)
	}
	return ctx, stop, nil
}

// median of xs, which is not empty.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// list writes xs as whole numbers in the order measured.
func list(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, " ")
}
