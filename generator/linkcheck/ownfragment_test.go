package linkcheck_test

import (
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/linkcheck"
)

// TestOwnFragmentAsCheckOne checks that a link to a fragment of its own
// page gets the verdict checkOne gives it, on every page of a site, at the
// root and under a subpath, for the fragments the pages link to and for
// ones they lack.
func TestOwnFragmentAsCheckOne(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: 40, Seed: 3, Repo: testtool.RepoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	for _, baseURL := range []string{"", "https://sitegen.test/sub/"} {
		res := build.NewBuilder(build.Options{FS: os.DirFS(dir), BaseURL: baseURL}).Build()
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		s, out := res.Site, res.Output
		base, _ := url.Parse(s.Config.BaseURL.String())
		files := slices.DeleteFunc(out.Paths(), func(p string) bool { return !strings.HasSuffix(p, ".html") })
		scans := map[string]linkcheck.Scan{}
		for _, f := range files {
			scans[f] = linkcheck.ScanPage(out.File(f))
		}
		ids := linkcheck.PageIDs(scans)
		tried := 0
		for _, f := range files {
			pageURL := base.ResolveReference(&url.URL{Path: s.BasePath + strings.TrimSuffix(f, "index.html")})
			if f == "404.html" {
				pageURL = base.ResolveReference(&url.URL{Path: s.BasePath + "404.html"})
			}
			ls := &linkcheck.Site{BaseURL: s.Config.BaseURL, BasePath: s.BasePath, Out: out}
			own := linkcheck.ResolveOwn(ls, pageURL, out)
			for _, href := range append(linkcheck.Links(scans[f]), "#nowhere", "#fn:1", "#a#b", "#with space", "#%41", "#\x01", "#", "#+") {
				frag, ok := linkcheck.OwnFragment(href)
				if !ok {
					if len(href) > 1 && href[0] == '#' && !strings.ContainsAny(href, "%\x01") {
						t.Errorf("ownFragment(%q) refused", href)
					}
					continue
				}
				tried++
				gotWhy, gotDep := linkcheck.CheckOwn(own, frag, ids)
				wantWhy, wantDep := linkcheck.CheckOne(ls, base, pageURL, href, f, out, ids)
				if gotWhy != wantWhy || gotDep != wantDep {
					t.Errorf("%s: %q: (%q, %q); checkOne gives (%q, %q)", f, href, gotWhy, gotDep, wantWhy, wantDep)
				}
			}
		}
		if tried < 100 {
			t.Errorf("only %d fragment links tried", tried)
		}
	}
}
