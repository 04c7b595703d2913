package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// firstEventJS runs in the page before any of its own scripts, at the
// start of every document. A MutationObserver sees the parser insert the
// first `.timeline-list .event` (its callbacks run before the next paint),
// marks that event and every element in it with the elementtiming
// attribute, and Chromium's Element Timing API then reports the frame
// that first painted them: renderTime, in milliseconds since the
// navigation started. Text is attributed to its nearest block, which is
// why the children are marked too; the earliest entry wins. Chromium
// paints, and reports, an element below the fold too when it is within a
// few thousand pixels of the window (on the single-page timeline of 10,000
// events the first event is 4,100 px or more down, under the overview): the figure
// is when the event is painted, ready for the reader to scroll to. As a
// cross check (and a fallback for a browser without Element Timing, or an
// event too far down to be painted), it also records the first animation
// frame after the event exists ("raf"): the frame that can first show it,
// not a paint the compositor confirmed.
const firstEventJS = `(() => {
  const r = window.__bench = {};
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries())
        if (e.identifier === 'bench-first' && (!r.element || e.renderTime < r.element)) r.element = e.renderTime || e.loadTime;
    }).observe({type: 'element', buffered: true});
  } catch (e) { r.noElementTiming = true; }
  const mark = () => {
    const ev = document.querySelector('.timeline-list .event');
    if (!ev) return;
    for (const el of [ev, ...ev.querySelectorAll('*')]) if (!el.hasAttribute('elementtiming')) el.setAttribute('elementtiming', 'bench-first');
    if (r.found) return;
    r.found = performance.now();
    r.top = ev.getBoundingClientRect().top + scrollY;
    requestAnimationFrame(() => { r.raf = performance.now(); });
  };
  const mo = new MutationObserver(mark);
  mo.observe(document, {childList: true, subtree: true});
  addEventListener('load', () => { mark(); mo.disconnect(); });
})();`

// firstEvent opens /timeline/ and returns the time to its first painted
// event. It waits for the load event and then for Element Timing's entry,
// which Chromium reports shortly after the paint.
func (b *bench) firstEvent(ctx context.Context) (float64, string, error) {
	var res struct {
		Element, Raf, FCP, Top float64
	}
	err := chromedp.Run(ctx,
		addScript(firstEventJS),
		chromedp.Navigate(b.origin+"/timeline/"),
		// The entry comes after the paint; give up on it (and use the
		// frame) once two seconds have passed since the load event.
		chromedp.Poll(`(r => r && r.raf && (r.element || r.noElementTiming || (n => n.loadEventEnd > 0 && performance.now() - n.loadEventEnd > 2000)(performance.getEntriesByType('navigation')[0])))(window.__bench)`,
			nil, chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.Evaluate(`({Element: __bench.element || 0, Raf: __bench.raf, Top: __bench.top, FCP: (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime})`, &res))
	if err != nil {
		return 0, "", err
	}
	if res.Element > 0 {
		return res.Element, fmt.Sprintf("Element Timing renderTime; last run: first frame after it existed %.0f ms, first contentful paint %.0f ms, the event %.0f px from the top of a 900 px window", res.Raf, res.FCP, res.Top), nil
	}
	return res.Raf, fmt.Sprintf("no Element Timing entry: the first animation frame after it existed; last run: first contentful paint %.0f ms, the event %.0f px from the top of a 900 px window", res.FCP, res.Top), nil
}

// filteredJS checks on every animation frame whether the filtered view is
// complete, and records the time (ms since the navigation started) of the
// first frame at which it is: exactly as many `.timeline-list .event`
// elements are visible (checkVisibility) as the corpus has matches. The
// count of visible events is taken only once the page says so itself (its
// filter count, #f-count, shows the expected number), or, on a page
// without that element, once the document has loaded; the visible events
// are then compared with the expected ones by id (or, for a match listed
// from another part, its data-slug), in Go. A timeline in
// parts lists its matches a batch at a time, the next when the reader
// scrolls to the end of the list: the script scrolls there, as a reader
// reading on would, whenever the list's "more" button (.filter-more) is
// on the page.
const filteredJS = `(() => {
  const r = window.__bench = {}, want = %d, num = new RegExp('(^|\\D)' + want + '(\\D|$)');
  const visible = () => [...document.querySelectorAll('.timeline-list .event')].filter(e => e.checkVisibility());
  const tick = () => {
    const m = document.querySelector('.filter-more');
    if (m) m.scrollIntoView({block: 'end'});
    const c = document.getElementById('f-count');
    if (c ? num.test(c.textContent) : document.readyState === 'complete') {
      const v = visible();
      if (v.length === want) { r.done = performance.now(); r.ids = v.map(e => e.id || e.getAttribute('data-slug')); r.count = c ? c.textContent : ''; return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`

// filtered opens the filtered URL and returns the time until it shows
// every match; it fails when the events shown are not the expected ones.
func (b *bench) filtered(ctx context.Context, typ, actor string, want []string) (float64, string, error) {
	var res struct {
		Done  float64
		IDs   []string
		Count string
	}
	url := fmt.Sprintf("%s/timeline/?type=%s&actor=%s", b.origin, typ, actor)
	err := chromedp.Run(ctx,
		addScript(fmt.Sprintf(filteredJS, len(want))),
		chromedp.Navigate(url),
		chromedp.Poll(`!!(window.__bench && __bench.done)`, nil, chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.Evaluate(`({Done: __bench.done, IDs: __bench.ids, Count: __bench.count})`, &res))
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w (does the page show %d events?)", url, err, len(want))
	}
	got := slices.Clone(res.IDs)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		return 0, "", fmt.Errorf("%s shows %d events, but not the %d expected: %s", url, len(got), len(want), strings.Join(got, " "))
	}
	return res.Done, res.Count, nil
}

// addScript makes src run at the start of every document the tab opens.
func addScript(src string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(src).Do(ctx)
		return err
	})
}
