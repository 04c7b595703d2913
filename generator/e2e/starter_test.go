package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/starter"
)

// TestStarterSite drives the site sitegen init makes, on the default theme
// alone: every page type at a phone's width (390 px) and a laptop's
// (1366 px), in light and dark, must load without a console error, a
// failed request or a request to another host, must not scroll sideways,
// and must pass axe-core with no serious or critical violation.
func TestStarterSite(t *testing.T) {
	axe, err := os.ReadFile(testtool.NodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := starter.Files("", "0b5f3c1e-6d2a-4c8e-9f1b-2a7d4e6c8b90")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for p, b := range files {
		fsys[p] = &fstest.MapFile{Data: b}
	}
	res := build.NewBuilder(build.Options{FS: fsys, BaseURL: "http://localhost" + basePath}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the starter site does not build:\n%v", res.Errors)
	}
	srv := httptest.NewServer(&testtool.PagesHost{Prefix: basePath, Files: res.Output.All()})
	t.Cleanup(srv.Close)
	url, host := srv.URL+basePath, strings.TrimPrefix(srv.URL, "http://")
	st := res.Site
	pages := map[string]string{
		"home": "", "timeline": "timeline/", "event": strings.TrimPrefix(st.Events[0].Path, "/"),
		"actors": "actors/", "actor": strings.TrimPrefix(st.Actors[0].Path, "/"),
		"types": "types/", "type": strings.TrimPrefix(st.Types[0].Path, "/"),
		"section": "docs/", "doc": "docs/adding-events/", "404": "404.html",
	}
	ctx := browser(t)
	p := watch(ctx, host)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{390, 844, true}, {1366, 768, false}} {
		for _, scheme := range []string{"light", "dark"} {
			run(t, ctx, "emulate",
				emulation.SetDeviceMetricsOverride(size.w, size.h, 1, size.mobile),
				emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}))
			for name, path := range pages {
				where := fmt.Sprintf("%s at %d px, %s", name, size.w, scheme)
				var out string
				var scroll, inner float64
				run(t, ctx, where,
					chromedp.Navigate(url+path),
					chromedp.Evaluate(`Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`, &scroll),
					chromedp.Evaluate(`innerWidth`, &inner),
					chromedp.Evaluate(string(axe), nil),
					chromedp.Evaluate(axeRun, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
				if scroll > inner || inner != float64(size.w) {
					t.Errorf("%s: %.0f px of content in a %.0f px viewport", where, scroll, inner)
				}
				var vs []axeViolation
				if err := json.Unmarshal([]byte(out), &vs); err != nil {
					t.Fatalf("axe result: %v", err)
				}
				for _, v := range vs {
					msg := where + ": " + v.Impact + " " + v.ID + ": " + v.Help + "\n\t" + strings.Join(v.Nodes, "\n\t")
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Error(msg)
					} else {
						t.Log(msg)
					}
				}
				for _, msg := range p.Take() {
					if name == "404" && strings.Contains(msg, "HTTP 404") {
						continue // the 404 page is served with its status
					}
					t.Errorf("%s: %s", where, msg)
				}
			}
		}
	}
}
