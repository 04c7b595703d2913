package linkcheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"golang.org/x/tools/txtar"
)

// rebuildSite links from a doc to an event's section and to another event.
const rebuildSite = `
-- content/events/a.md --
---
title: a
date: 2011
actor: Russia
type: report
track: cybercrime
---
## Details
Body.
-- content/events/b.md --
---
title: b
date: 2012
actor: Russia
type: report
track: cybercrime
---
Body.
-- content/docs/guide.md --
---
title: Guide
---
See [the details](../events/a.md#details) and [event b](/events/b/).
`

// TestRebuildRechecksWhatChanged: in watch mode the link check keeps its
// verdicts between builds and reuses those that cannot have changed. A
// verdict kept too long hides a broken link until the next full build, so
// each edit below must give exactly the errors a clean build gives.
func TestRebuildRechecksWhatChanged(t *testing.T) {
	dir := t.TempDir()
	testtool.WriteFS(t, dir, testtool.ProjectFS(t, txtar.Parse([]byte(rebuildSite))))
	b := build.NewBuilder(build.Options{FS: os.DirFS(dir)})
	errs := func() string {
		var s strings.Builder
		for _, e := range b.Build().Errors {
			s.WriteString(e.Error() + "\n")
		}
		return s.String()
	}
	clean := func() string {
		var s strings.Builder
		for _, e := range build.NewBuilder(build.Options{FS: os.DirFS(dir)}).Build().Errors {
			s.WriteString(e.Error() + "\n")
		}
		return s.String()
	}
	if e := errs(); e != "" {
		t.Fatalf("first build: %s", e)
	}
	a := filepath.Join(dir, "content/events/a.md")
	steps := []struct {
		name    string
		edit    func()
		changed string
		want    string // a substring of the errors; "" for none
	}{
		{"the section linked to is renamed", func() {
			testtool.WriteFile(t, a, "---\ntitle: a\ndate: 2011\nactor: Russia\ntype: report\ntrack: cybercrime\n---\n## Summary\nBody.\n")
		}, "content/events/a.md", `broken link ../events/a.md#details`},
		{"the section is back", func() {
			testtool.WriteFile(t, a, "---\ntitle: a\ndate: 2011\nactor: Russia\ntype: report\ntrack: cybercrime\n---\n## Details\nBody.\n")
		}, "content/events/a.md", ""},
		{"the event linked to is removed", func() {
			if err := os.Remove(filepath.Join(dir, "content/events/b.md")); err != nil {
				t.Fatal(err)
			}
		}, "content/events/b.md", `broken link /events/b/`},
		{"the event is back", func() {
			testtool.WriteFile(t, filepath.Join(dir, "content/events/b.md"), "---\ntitle: b\ndate: 2012\nactor: Russia\ntype: report\ntrack: cybercrime\n---\nBody.\n")
		}, "content/events/b.md", ""},
		{"a link to an event not written yet", func() {
			testtool.WriteFile(t, filepath.Join(dir, "content/docs/guide.md"), "---\ntitle: Guide\n---\nSee [the details](../events/a.md#details), [event b](/events/b/) and [event c](/events/c/).\n")
		}, "content/docs/guide.md", `broken link /events/c/`},
		{"the event is written", func() {
			testtool.WriteFile(t, filepath.Join(dir, "content/events/c.md"), "---\ntitle: c\ndate: 2013\nactor: Russia\ntype: report\ntrack: cybercrime\n---\nBody.\n")
		}, "content/events/c.md", ""},
	}
	for _, s := range steps {
		s.edit()
		b.Changed([]string{s.changed})
		got, want := errs(), clean()
		if got != want {
			t.Fatalf("%s: the rebuild's errors differ from a clean build's.\n--- rebuild\n%s--- clean\n%s", s.name, got, want)
		}
		if s.want == "" && got != "" || s.want != "" && !strings.Contains(got, s.want) {
			t.Fatalf("%s: errors %q; want %q", s.name, got, s.want)
		}
	}
}
