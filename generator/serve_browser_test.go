package generator

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// waitFor evaluates a JavaScript expression in the page until it is true.
// It polls from Go rather than with chromedp.Poll, because the page may
// reload between two checks, which ends any function running in it.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(serveGuard)
	for time.Now().Before(deadline) {
		var ok bool
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := chromedp.Run(actx, chromedp.Evaluate(expr, &ok))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Bounded too: a page that is loading answers nothing.
	var body string
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = chromedp.Run(actx, chromedp.Evaluate(`document.documentElement.outerHTML`, &body))
	t.Fatalf("waiting for %s (%s): not true; the page is:\n%.3000s", what, expr, body)
}

func eval(t *testing.T, ctx context.Context, expr string, res any) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Evaluate(expr, res)); err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
}

// keepScreenshot saves the page as $TEST_ARTIFACTS/<test>/name when
// TEST_ARTIFACTS is set (as the e2e tests do), for a person to look at.
func keepScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		return
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	var png []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

const overlay = `document.getElementById("__sitegen-overlay")`

// TestServeBrowser opens a page in Chromium and, without touching the
// browser, sees a Markdown edit, a stylesheet swapped in place, the error
// overlay for a broken front matter, and the fix.
func TestServeBrowser(t *testing.T) {
	ctx := testtool.Browser(t)
	dir := writeProject(t, miniProject)
	p := startServe(t, dir, "")
	src := filepath.Join(dir, "content", "events", "first.md")

	if err := chromedp.Run(ctx, chromedp.Navigate(p.url+"events/first/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the page", `document.body.innerText.includes("Body.")`)
	// Wait for the stream to be open, so the edit is not made before
	// the page listens (it would then see it through hello anyway).
	waitFor(t, ctx, "the reload stream", `window.__sitegenConnected === true`)

	save(t, src, firstEvent+"Text from the browser test.\n")
	waitFor(t, ctx, "the edited text", `document.body.innerText.includes("Text from the browser test.")`)

	// A stylesheet change is swapped without a reload: a value set in the
	// page survives it.
	eval(t, ctx, `window.sitegenMarker = 42`, nil)
	css := filepath.Join(dir, "assets", "css", "site.css")
	save(t, css, readFile(t, css)+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	waitFor(t, ctx, "the new stylesheet", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	var marker int
	eval(t, ctx, `window.sitegenMarker || 0`, &marker)
	if marker != 42 {
		t.Error("the page reloaded for a CSS-only change")
	}

	save(t, src, strings.Replace(firstEvent, "date: 2011-09-12", "date: 2011-13-45", 1)+"Broken.\n")
	waitFor(t, ctx, "the error overlay", overlay+` !== null`)
	var text string
	eval(t, ctx, overlay+`.shadowRoot.textContent`, &text)
	keepScreenshot(t, ctx, "overlay.png")
	for _, want := range []string{"content/events/first.md:3:", "date: 2011-13-45"} {
		if !strings.Contains(text, want) {
			t.Errorf("overlay lacks %q:\n%s", want, text)
		}
	}

	save(t, src, firstEvent+"Fixed in the browser test.\n")
	waitFor(t, ctx, "the fix", overlay+` === null && document.body.innerText.includes("Fixed in the browser test.")`)
}

// TestServeBrowserRestart stops the server under an open page, changes a
// file, starts a new server on the same port, and sees the page reload by
// itself onto the new server.
func TestServeBrowserRestart(t *testing.T) {
	ctx := testtool.Browser(t)
	dir := writeProject(t, miniProject)
	// A free port to reuse for both servers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	run := func() (url string, stop func()) {
		ready := make(chan string, 1)
		sctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		var out lockedBuffer
		c := serveConfig{source: dir, dest: filepath.Join(dir, "public"), addr: addr, ready: func(u string) { ready <- u }}
		go func() { done <- serve(sctx, func() {}, c, &out, &out) }()
		select {
		case url = <-ready:
		case <-done:
			t.Fatalf("serve ended:\n%s", out.String())
		case <-time.After(serveGuard):
			t.Fatal("serve did not start")
		}
		return url, func() { cancel(); <-done }
	}

	url, stop := run()
	if err := chromedp.Run(ctx, chromedp.Navigate(url+"events/first/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the page", `document.body.innerText.includes("Body.")`)
	stop()
	save(t, filepath.Join(dir, "content", "events", "first.md"), firstEvent+"Written while the server was down.\n")
	_, stop = run()
	defer stop()
	waitFor(t, ctx, "the page from the new server", `document.body.innerText.includes("Written while the server was down.")`)
}

// browserTabs is how many tabs of the preview TestServeBrowserTabs opens:
// twice Chromium's six connections per host, which a stream per tab
// used up.
const browserTabs = 12

// TestServeBrowserTabs opens twelve tabs of the preview in one browser:
// every tab loads, reloads after an edit, and swaps the stylesheet in
// place after a CSS-only change. It runs with the SharedWorker that holds
// the one stream, and again without one, where a tab elected by a Web
// Lock holds it.
func TestServeBrowserTabs(t *testing.T) {
	for _, tc := range []struct{ name, setup string }{
		{"shared worker", ""},
		{"elected tab", "delete window.SharedWorker;"},
	} {
		t.Run(tc.name, func(t *testing.T) { serveBrowserTabs(t, tc.setup) })
	}
}

func serveBrowserTabs(t *testing.T, setup string) {
	ctx := testtool.Browser(t)
	dir := writeProject(t, miniProject)
	p := startServe(t, dir, "")
	pages := []string{"events/first/", "events/second/", ""}
	tabs := make([]context.Context, browserTabs)
	for i := range tabs {
		tab, cancel := chromedp.NewContext(ctx)
		t.Cleanup(cancel)
		tabs[i] = tab
		// Open the tab on its own context: the context of the first Run
		// on a tab is the one its event loop lives on.
		if err := chromedp.Run(tab); err != nil {
			t.Fatal(err)
		}
		actions := []chromedp.Action{}
		if setup != "" {
			actions = append(actions, chromedp.ActionFunc(func(ctx context.Context) error {
				_, err := page.AddScriptToEvaluateOnNewDocument(setup).Do(ctx)
				return err
			}))
		}
		// A bounded wait: with a stream per tab, the seventh tab's page
		// never came.
		nctx, ncancel := context.WithTimeout(tab, serveGuard)
		err := chromedp.Run(nctx, append(actions, chromedp.Navigate(p.url+pages[i%len(pages)]))...)
		ncancel()
		if err != nil {
			t.Fatalf("tab %d: loading %s: %v", i+1, pages[i%len(pages)], err)
		}
	}
	for i, tab := range tabs {
		waitFor(t, tab, fmt.Sprintf("tab %d listening", i+1), `window.__sitegenConnected === true`)
		eval(t, tab, `window.sitegenMarker = 42`, nil)
	}

	// A CSS-only change: every tab swaps the stylesheet and keeps its state.
	css := filepath.Join(dir, "assets", "css", "site.css")
	save(t, css, readFile(t, css)+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	for i, tab := range tabs {
		waitFor(t, tab, fmt.Sprintf("tab %d: the new stylesheet", i+1), `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	}
	for i, tab := range tabs {
		var marker int
		eval(t, tab, `window.sitegenMarker || 0`, &marker)
		if marker != 42 {
			t.Errorf("tab %d reloaded for a CSS-only change", i+1)
		}
	}

	// An edit that changes every page (the site's title): every tab
	// reloads and shows it.
	cfg := filepath.Join(dir, "site.yaml")
	save(t, cfg, strings.Replace(readFile(t, cfg), `title: "`, `title: "Retitled `, 1))
	for i, tab := range tabs {
		waitFor(t, tab, fmt.Sprintf("tab %d: the new title", i+1), `document.title.includes("Retitled") && !window.sitegenMarker`)
	}
}
