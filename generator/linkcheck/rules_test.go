package linkcheck_test

import (
	"html"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"golang.org/x/tools/txtar"
)

// ruleSite is a mini-site with one event and one doc; each case below
// replaces the type page's or the 404 page's template to put links on
// them, and a doc to put a Markdown link.
const ruleSite = `
-- content/events/a.md --
---
title: a
date: 2011
actor: Russia
type: report
track: cybercrime
---
Body.
-- content/docs/guide.md --
---
title: Guide
---
## Start
Text.
`

// checkLinks builds ruleSite with extra files at baseURL and returns the
// build's errors, one per line.
func checkLinks(t *testing.T, baseURL string, extra map[string]string) string {
	t.Helper()
	ar := txtar.Parse([]byte(ruleSite))
	for name, body := range extra {
		ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(body)})
	}
	res := build.NewBuilder(build.Options{FS: testtool.ProjectFS(t, ar), BaseURL: baseURL}).Build()
	var b strings.Builder
	for _, e := range res.Errors {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}

func typePage(links string) map[string]string {
	return map[string]string{"templates/type.html": "{{define \"main\"}}\n<p>" + links + "</p>\n{{end}}\n"}
}

func notFoundPage(links string) map[string]string {
	return map[string]string{"templates/404.html": "{{define \"main\"}}\n<p>" + links + "</p>\n{{end}}\n"}
}

// TestLinksMustStayUnderTheBasePath: under a subpath every link to the
// site must start with it. A root-relative link works on a local preview
// at the root and breaks once published: it is an error, reported once for
// all the pages its template writes it on.
func TestLinksMustStayUnderTheBasePath(t *testing.T) {
	const base = "https://user.github.io/repo/"
	tests := []struct {
		name, links string
		want        []string // substrings of the errors; none when empty
	}{
		{"root-relative link", `<a href="/timeline/">t</a>`,
			[]string{`templates/type.html:2:13: broken link "/timeline/" on types/committee-vote/index.html and 7 more pages: it leaves the site's base path /repo/`}},
		{"up and out of the base path", `<a href="../../../elsewhere/">t</a>`,
			[]string{`templates/type.html:2:13: broken link "../../../elsewhere/"`, "leaves the site's base path /repo/"}},
		{"own host, full URL, outside the base path", `<a href="https://user.github.io/other/">t</a>`,
			[]string{`templates/type.html:2:13: broken link "https://user.github.io/other/"`, "leaves the site's base path /repo/"}},
		{"written after another link", `<a href="/repo/timeline/">t</a> <a href="/actors/">a</a>`,
			[]string{`templates/type.html:2:45: broken link "/actors/" on types/committee-vote/index.html and 7 more pages: it leaves the site's base path /repo/`}},
		{"own host, full URL, missing page", `<a href="https://user.github.io/repo/nope/">t</a>`,
			[]string{`broken link "https://user.github.io/repo/nope/"`, "no such page or file in the site"}},
		{"other scheme to own host", `<a href="ftp://user.github.io/x/">t</a>`, nil},
		{"under the base path", `<a href="/repo/timeline/">t</a> <a href="../../timeline/">t</a> <a href="https://user.github.io/repo/timeline/">t</a>`, nil},
		{"another site", `<a href="https://example.org/timeline/">t</a> <a href="//example.org/x/">t</a> <a href="mailto:a@example.org">m</a>`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := checkLinks(t, base, typePage(tc.links))
			if len(tc.want) == 0 && errs != "" {
				t.Fatalf("errors for links that stay on the site or leave it for another:\n%s", errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("errors lack %q:\n%s", w, errs)
				}
			}
			if len(tc.want) > 0 && strings.Count(errs, "\n") != 1 {
				t.Errorf("want the link reported once, for all pages:\n%s", errs)
			}
		})
	}
	// At the root, the same root-relative link is fine.
	if errs := checkLinks(t, "", typePage(`<a href="/timeline/">t</a>`)); errs != "" {
		t.Errorf("a root-relative link at the root: %s", errs)
	}
}

// TestNotFoundPageLinksAreAbsolute: the 404 page is served at whatever
// address was missing, so a relative link on it resolves differently at
// each; only links from the root (with the base path), full URLs and
// fragments are allowed on it. A relative link there is reported at the
// line of templates/404.html that writes it, not at another template that
// happens to hold its path ({{url "/timeline/"}} in actor.html).
func TestNotFoundPageLinksAreAbsolute(t *testing.T) {
	for _, base := range []string{"", "https://user.github.io/repo/"} {
		prefix := "/"
		if base != "" {
			prefix = "/repo/"
		}
		for _, rel := range []string{"timeline/", "./timeline/", "../timeline/", "index.html", "actors/?q=1", "actors/?a=1&amp;b=2"} {
			errs := checkLinks(t, base, notFoundPage(`<a href="`+rel+`">x</a>`))
			want := `templates/404.html:2:13: broken link "` + html.UnescapeString(rel) + `" on 404.html: the 404 page is served at any address`
			if !strings.Contains(errs, want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("base %q, relative link %q on the 404 page: errors\n%s\nwant one, %s", base, rel, errs, want)
			}
		}
		fine := `<a href="` + prefix + `timeline/">t</a> <a href="#main">m</a> <a href="https://example.org/x">x</a> <a href="mailto:a@example.org">m</a> <a href="//example.org/y">y</a>`
		if errs := checkLinks(t, base, notFoundPage(fine)); errs != "" {
			t.Errorf("base %q, absolute links on the 404 page: %s", base, errs)
		}
	}
	// The rule is the 404 page's alone: the same relative link elsewhere
	// is judged by where it leads.
	if errs := checkLinks(t, "", typePage(`<a href="../../timeline/">t</a>`)); errs != "" {
		t.Errorf("a relative link on a type page: %s", errs)
	}
}

// TestBrokenLinkReportedWhereWritten: a broken link written in Markdown is
// reported at its line and column in the content file; one written in a
// template once, with the number of pages it breaks.
func TestBrokenLinkReportedWhereWritten(t *testing.T) {
	errs := checkLinks(t, "", map[string]string{
		"content/docs/guide.md": "---\ntitle: Guide\n---\n## Start\nSee [the glossary](/glossary/) and [the timeline](/timeline/).\n",
	})
	if !strings.Contains(errs, "content/docs/guide.md:5:5: broken link /glossary/: no such page or file in the site") || strings.Count(errs, "\n") != 1 {
		t.Errorf("a broken Markdown link: errors\n%s", errs)
	}
	errs = checkLinks(t, "", typePage(`<a href="/nope/">n</a> <a href="/timeline/#no-such-id">t</a>`))
	for _, w := range []string{
		`templates/type.html:2:13: broken link "/nope/" on types/committee-vote/index.html and 7 more pages: no such page or file in the site`,
		`broken link "/timeline/#no-such-id" on types/committee-vote/index.html and 7 more pages`,
	} {
		if !strings.Contains(errs, w) {
			t.Errorf("errors lack %q:\n%s", w, errs)
		}
	}
	if strings.Count(errs, "\n") != 2 {
		t.Errorf("want two errors, one per link:\n%s", errs)
	}
	// Written with the url function, which adds the base path: located at
	// the function's argument.
	errs = checkLinks(t, "https://user.github.io/repo/", typePage(`<a href="{{url "/timeline/"}}">t</a> <a href="{{url "/gone/"}}">g</a>`))
	if want := `templates/type.html:2:57: broken link "/repo/gone/" on types/committee-vote/index.html and 7 more pages: no such page or file in the site`; !strings.Contains(errs, want) || strings.Count(errs, "\n") != 1 {
		t.Errorf("a broken link written with the url function: errors\n%s\nwant %s", errs, want)
	}
}
