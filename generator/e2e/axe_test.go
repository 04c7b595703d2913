package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// axeRun runs axe-core on the current document and returns its violations.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => ({
	ID: v.id, Impact: v.impact || '', Help: v.help,
	Nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))}))))`

// TestAccessibility runs axe-core on every page type, on a phone (390 px)
// and a laptop (1366 px), in light and in dark (colour contrast differs),
// and on the timeline's two dynamic states: filtered, and with the search
// results open. A violation of impact
// serious or critical fails; lesser ones are logged.
func TestAccessibility(t *testing.T) {
	src, err := os.ReadFile(testtool.NodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	s := serve(t)
	ctx := browser(t)
	typ, actor, _ := filterCase(t, s.site)
	type state struct {
		name, path string
		setup      []chromedp.Action
	}
	var states []state
	for _, pt := range s.pageTypes(t) {
		states = append(states, state{name: pt.name, path: pt.path})
	}
	states = append(states,
		state{name: "timeline filtered", path: "timeline/?type=" + typ.Key + "&actor=" + actor.Slug},
		state{name: "timeline, nothing matches", path: "timeline/?q=zzzzzz"},
		state{name: "search results open", path: "", setup: []chromedp.Action{
			chromedp.SendKeys("#search-input", "convention", chromedp.ByQuery),
			chromedp.WaitVisible(".search-results a", chromedp.ByQuery),
		}})
	for _, c := range axeConditions() {
		scheme := c.scheme
		run(t, ctx, "emulate "+c.name, emulation.SetDeviceMetricsOverride(c.width, 900, 1, c.width < 600),
			emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}))
		for _, st := range states {
			var out string
			actions := append([]chromedp.Action{chromedp.Navigate(s.url + st.path)}, st.setup...)
			actions = append(actions,
				chromedp.Evaluate(string(src), nil),
				chromedp.Evaluate(axeRun, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
			run(t, ctx, "axe on "+st.name, actions...)
			var vs []axeViolation
			if err := json.Unmarshal([]byte(out), &vs); err != nil {
				t.Fatalf("axe result: %v", err)
			}
			for _, v := range vs {
				msg := st.name + " (" + c.name + "): " + v.Impact + " " + v.ID + ": " + v.Help + "\n\t" + strings.Join(v.Nodes, "\n\t")
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Error(msg)
				} else {
					t.Log(msg)
				}
			}
		}
	}
}

// axeCondition is a screen width and a colour scheme to check pages in.
type axeCondition struct {
	name   string
	width  int64
	scheme string
}

// axeConditions are a phone and a laptop, each in light and dark.
func axeConditions() []axeCondition {
	var cs []axeCondition
	for _, w := range []int64{390, 1366} {
		for _, scheme := range []string{"light", "dark"} {
			cs = append(cs, axeCondition{name: fmt.Sprintf("%d px, %s", w, scheme), width: w, scheme: scheme})
		}
	}
	return cs
}
