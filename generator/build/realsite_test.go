package build

import (
	"os"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// buildRealSite builds the repository's own project in memory.
func buildRealSite(t *testing.T, baseURL string) *Result {
	t.Helper()
	res := NewBuilder(Options{FS: os.DirFS(testtool.RepoRoot(t)), BaseURL: baseURL}).Build()
	if len(res.Errors) > 0 {
		t.Fatalf("the real site does not build:\n%v", res.Errors)
	}
	return res
}

// TestRealSiteBuilds builds content/ at the root and under a subpath: every
// page type is there and every internal link and anchor resolves (Build
// fails otherwise).
func TestRealSiteBuilds(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://user.github.io/un-cyber-timeline/"} {
		res := buildRealSite(t, base)
		s := res.Site
		files := res.Output.All()
		mustHave := []string{"index.html", "timeline/index.html", "actors/index.html", "types/index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll"}
		for _, e := range s.Events {
			mustHave = append(mustHave, output.FilePath(e.Path))
		}
		for _, a := range s.Actors {
			mustHave = append(mustHave, output.FilePath(a.Path))
		}
		for _, ty := range s.Types {
			mustHave = append(mustHave, output.FilePath(ty.Path))
		}
		for _, d := range s.Docs {
			mustHave = append(mustHave, output.FilePath(d.Path))
		}
		for _, f := range mustHave {
			if _, ok := files[f]; !ok {
				t.Errorf("%s: output lacks %s", base, f)
			}
		}
		// Every event is on the timeline as an article with its date.
		tl := string(files["timeline/index.html"])
		for _, e := range s.Events {
			if !strings.Contains(tl, `id="`+e.Slug+`"`) || !strings.Contains(tl, `<time datetime="`+e.Datetime()+`"`) {
				t.Errorf("timeline lacks the article or date of %s", e.Slug)
			}
		}
		if !strings.Contains(string(files["sitemap.xml"]), "<loc>"+base+"timeline/</loc>") {
			t.Errorf("sitemap lacks the absolute timeline URL under %s", base)
		}
	}
}

// TestRealContentRules holds the content to the project's rules: at least
// 30 events, each with a summary, a valid type, an actor, and at least one
// source with a URL; the required actors and docs exist.
func TestRealContentRules(t *testing.T) {
	res := buildRealSite(t, "")
	s := res.Site
	if len(s.Events) < 30 {
		t.Errorf("%d events; the timeline needs at least 30", len(s.Events))
	}
	for _, e := range s.Events {
		switch {
		case strings.TrimSpace(e.Summary) == "":
			t.Errorf("%s: no summary", e.Meta.Path)
		case e.Type == nil:
			t.Errorf("%s: no valid type", e.Meta.Path)
		case len(e.Actors) == 0:
			t.Errorf("%s: no actor", e.Meta.Path)
		case len(e.Sources) == 0 || e.Sources[0].URL == "":
			t.Errorf("%s: no source with a URL", e.Meta.Path)
		}
		if e.Meta.Kind != content.KindEvent {
			t.Errorf("%s is not an event", e.Meta.Path)
		}
	}
	actors := map[string]*site.Actor{}
	for _, a := range s.Actors {
		actors[a.Name] = a
	}
	for _, name := range []string{"Russia", "China", "United States", "European Union", "Shanghai Cooperation Organization",
		"UN General Assembly", "First Committee", "Third Committee", "Group of Governmental Experts", "Open-ended Working Group",
		"Council of Europe", "Expert Group on Cybercrime", "Ad Hoc Committee on Cybercrime"} {
		a := actors[name]
		if a == nil || site.ActorPage(a) == nil || a.Description == "" {
			t.Errorf("actor %q lacks a page with a description", name)
		}
	}
	docs := map[string]bool{}
	for _, d := range s.Docs {
		docs[d.Path] = true
	}
	for _, p := range []string{"/docs/overview/", "/docs/glossary/", "/docs/how-to-read/", "/docs/sources-and-method/", "/docs/authoring/"} {
		if !docs[p] {
			t.Errorf("documentation page %s is missing", p)
		}
	}
	if s.Home == nil {
		t.Error("content/_index.md is missing")
	}
}
