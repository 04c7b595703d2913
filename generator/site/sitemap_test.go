package site

import (
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/config"
)

// TestSitemapURLs: the sitemap names every page but the 404 page by its
// absolute URL, escaped as net/url escapes it (the sitemap takes a short
// cut for paths with nothing to escape), under a base URL with a path.
func TestSitemapURLs(t *testing.T) {
	for _, base := range []string{"https://example.org/repo/", "http://127.0.0.1:8080/", "https://user:pw@example.org/x/"} {
		u, err := config.ParseBaseURL(base)
		if err != nil {
			t.Fatal(err)
		}
		s := &Site{Config: &config.Config{BaseURL: u}, BasePath: u.Path}
		out := newOutput("", "")
		pages := []string{"index.html", "events/a-b_c.d~/index.html", "actors/российская-федерация/index.html", "a b/index.html", "q&a/index.html", "x'y/index.html", "404.html"}
		for _, p := range pages {
			out.Files[p] = []byte("<p>")
		}
		if paths, want := writeExtras(s, out), out.Paths(); !slices.Equal(paths, want) {
			t.Errorf("writeExtras returned paths %q; the output's are %q", paths, want)
		}
		sitemap := string(out.Files["sitemap.xml"])
		for _, p := range pages {
			want := *u
			want.Path = s.BasePath + strings.TrimSuffix(p, "index.html")
			loc := "<loc>" + xmlEscape(want.String()) + "</loc>"
			if has := strings.Contains(sitemap, loc); has != (p != "404.html") {
				t.Errorf("base %s: sitemap has %s: %v\n%s", base, loc, has, sitemap)
			}
		}
		if n := strings.Count(sitemap, "<loc>"); n != len(pages)-1 {
			t.Errorf("base %s: %d URLs in the sitemap, want %d", base, n, len(pages)-1)
		}
	}
}
