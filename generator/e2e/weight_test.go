package e2e

import (
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/search"
)

// timelineBudget is the most the timeline page may weigh with everything
// it loads up front (HTML, CSS, JS, icon), uncompressed. The search index
// is fetched only when someone uses the search box, so it is not counted.
const timelineBudget = 150 * 1024

// TestTimelineWeight builds the real site with its own config (not the
// test base path) and adds up the timeline page and every file it loads.
func TestTimelineWeight(t *testing.T) {
	// What a page makes the browser fetch on load; the generator's
	// templates always write double-quoted attributes.
	resourceRe := regexp.MustCompile(`<(?:link|script|img|iframe|source)\b[^>]*?\s(?:href|src)="([^"]*)"[^>]*>`)
	res := build.NewBuilder(build.Options{FS: os.DirFS(testtool.RepoRoot(t))}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the site does not build:\n%v", res.Errors)
	}
	base := res.Site.Config.BaseURL
	page := base.ResolveReference(&url.URL{Path: res.Site.BasePath + "timeline/"})
	html := res.Output.Files["timeline/index.html"]
	total := len(html)
	t.Logf("timeline/index.html: %d bytes", len(html))
	for _, m := range resourceRe.FindAllSubmatch(html, -1) {
		tag, ref := string(m[0]), string(m[1])
		if strings.Contains(tag, `rel="alternate"`) || strings.Contains(tag, `rel="canonical"`) {
			continue // links, not fetched on load
		}
		u, err := url.Parse(ref)
		if err != nil {
			t.Errorf("bad URL %q in %s", ref, tag)
			continue
		}
		abs := page.ResolveReference(u)
		if abs.Host != base.Host || abs.Scheme != base.Scheme {
			t.Errorf("the timeline loads %s from another host", abs)
			continue
		}
		file := strings.TrimPrefix(abs.Path, res.Site.BasePath)
		b := res.Output.File(file)
		if !res.Output.Has(file) {
			t.Errorf("the timeline loads %s, which is not in the output", abs.Path)
			continue
		}
		t.Logf("%s: %d bytes", file, len(b))
		total += len(b)
	}
	t.Logf("timeline page in all: %d bytes (%.1f KB) of a %d KB budget; search.json (loaded on first search): %d bytes",
		total, float64(total)/1024, timelineBudget/1024, len(res.Output.File(search.File)))
	if total > timelineBudget {
		t.Errorf("the timeline page weighs %d bytes with what it loads, over the budget of %d", total, timelineBudget)
	}
}
