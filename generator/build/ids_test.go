package build

import (
	"regexp"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/export"
)

// idRe finds the ids of the Atom feed, the JSON Feed and the calendar.
var idRe = regexp.MustCompile(`<id>[^<]*</id>|"id": ?"[^"]*"|UID:[^\r]*`)

// TestIDsSurviveAMove builds the real site (which has a siteID) for two
// domains: every Atom and JSON Feed id and every calendar UID is the same
// in both, and none holds either address.
func TestIDsSurviveAMove(t *testing.T) {
	a := buildPublished(t, Options{BaseURL: "https://user.github.io/repo/"})
	b := buildPublished(t, Options{BaseURL: "https://timeline.example.org/"})
	if a.Site.Config.SiteID == "" {
		t.Fatal("site.yaml has no siteID")
	}
	for _, f := range []string{export.AtomFile, export.JSONFeedFile, export.ICalFile} {
		idsA := idRe.FindAllString(string(a.Output.File(f)), -1)
		idsB := idRe.FindAllString(string(b.Output.File(f)), -1)
		if len(idsA) < len(a.Site.Events) && f == export.ICalFile || len(idsA) == 0 {
			t.Fatalf("%s: %d ids for %d events", f, len(idsA), len(a.Site.Events))
		}
		if strings.Join(idsA, "\n") != strings.Join(idsB, "\n") {
			t.Errorf("%s: the ids change with the domain", f)
		}
		for _, id := range idsA {
			if strings.Contains(id, "github.io") || strings.Contains(id, "example.org") {
				t.Errorf("%s: id %s holds the address", f, id)
			}
		}
	}
}
