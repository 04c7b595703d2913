package export

import (
	"hash/maphash"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
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
		s := &site.Site{Config: &config.Config{BaseURL: u}, BasePath: u.Path}
		out := output.New("", "")
		pages := []string{"index.html", "events/a-b_c.d~/index.html", "actors/российская-федерация/index.html", "a b/index.html", "q&a/index.html", "x'y/index.html", "404.html"}
		for _, p := range pages {
			out.Files[p] = []byte("<p>")
		}
		if paths, want := WriteExtras(s, out, maphash.MakeSeed(), nil), out.Paths(); !slices.Equal(paths, want) {
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

// TestExtrasMemo: with a memo, writeExtras reuses the last sitemap while
// the output's paths and the base URL are the same, and makes it again
// when either changed.
func TestExtrasMemo(t *testing.T) {
	seed := maphash.MakeSeed()
	var memo ExtrasMemo
	build := func(base string, pages ...string) (*output.Output, []string) {
		t.Helper()
		u, err := config.ParseBaseURL(base)
		if err != nil {
			t.Fatal(err)
		}
		s := &site.Site{Config: &config.Config{BaseURL: u}, BasePath: u.Path}
		out := output.New("", "")
		for _, p := range pages {
			out.Files[p] = []byte("<p>")
		}
		paths := WriteExtras(s, out, seed, &memo)
		if want := out.Paths(); !slices.Equal(paths, want) {
			t.Errorf("paths %q; want %q", paths, want)
		}
		return out, paths
	}
	a, pa := build("https://example.org/", "index.html", "b/index.html")
	b, pb := build("https://example.org/", "b/index.html", "index.html")
	if !sameslice.Is(a.Files["sitemap.xml"], b.Files["sitemap.xml"]) || &pa[0] != &pb[0] {
		t.Error("the same paths made the sitemap again")
	}
	c, _ := build("https://example.org/repo/", "index.html", "b/index.html")
	if !strings.Contains(string(c.Files["sitemap.xml"]), "https://example.org/repo/b/") || !strings.Contains(string(c.Files["robots.txt"]), "/repo/sitemap.xml") {
		t.Errorf("a new base URL kept the old extras:\n%s%s", c.Files["sitemap.xml"], c.Files["robots.txt"])
	}
	d, _ := build("https://example.org/repo/", "index.html", "b/index.html", "c/index.html")
	if !strings.Contains(string(d.Files["sitemap.xml"]), "https://example.org/repo/c/") {
		t.Errorf("a new page is not in the sitemap:\n%s", d.Files["sitemap.xml"])
	}
}
