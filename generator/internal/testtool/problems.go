package testtool

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Problems collects what a page must not cause: console errors and
// warnings, uncaught exceptions, browser log errors, failed requests, HTTP
// errors, and requests to any host but the test server's.
type Problems struct {
	mu   sync.Mutex
	list []string
}

func (p *Problems) add(format string, args ...any) {
	p.mu.Lock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

// Take returns the problems seen so far and forgets them.
func (p *Problems) Take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.list
	p.list = nil
	return l
}

// WatchProblems starts collecting the problems of the browser tab in ctx,
// whose pages are served from host ("127.0.0.1:port"). Call it before
// navigating.
func WatchProblems(ctx context.Context, host string) *Problems {
	p := &Problems{}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeWarning || ev.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.add("console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			p.add("uncaught exception at %s:%d: %s", d.URL, d.LineNumber, msg)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.LevelError || ev.Entry.Level == log.LevelWarning {
				p.add("browser log (%s, %s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if u := ev.Request.URL; !strings.HasPrefix(u, "http://"+host+"/") && !strings.HasPrefix(u, "data:") {
				p.add("request to another host: %s", u)
			}
		case *network.EventLoadingFailed:
			p.add("request failed: %s (%s)", ev.ErrorText, ev.BlockedReason)
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				p.add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
			}
		}
	})
	return p
}
