package build

import (
	"path/filepath"
	"testing"

	"github.com/unictimeline/sitegen/generator/outdir"
	"golang.org/x/tools/txtar"
)

// TestStagedBuildLocatesBrokenLinks: a staged (one-shot) build keeps of a
// page's Markdown links only those the link check may find broken (see
// site.AssembleOnce), yet reports every broken one at the same line and
// column as a build that keeps them all, with other links before, between
// and after them, under a base path too.
func TestStagedBuildLocatesBrokenLinks(t *testing.T) {
	mixed := txtar.Parse([]byte(`-- content/events/a.md --
---
title: a
date: 2011
actor: Russia
type: report
track: cybercrime
---
## Known

[fine](b.md), [frag](b.md#nope), [fine again](b.md) and [b's top](b.md#top).

Then [a path](/no/such/page/), [known](#known), [fine](b.md), [self](#unknown) and [gone](b.md#gone).
-- content/events/b.md --
---
title: b
date: 2012
actor: Russia
type: report
track: cybercrime
---
## Top
`))
	archives := map[string]*txtar.Archive{"mixed": mixed}
	for _, name := range []string{"err-links", "err-404-relative"} {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "build", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		archives[name] = ar
	}
	for name, ar := range archives {
		for _, base := range []string{"", "https://user.github.io/repo/"} {
			fsys := fixtureFS(t, ar)
			want := describe(buildFixture(t, fsys, Options{BaseURL: base}))
			stage, err := outdir.NewStage(filepath.Join(t.TempDir(), "public"))
			if err != nil {
				t.Fatal(err)
			}
			got := describe(buildFixture(t, fsys, Options{BaseURL: base, Stage: stage}))
			if got != want {
				t.Errorf("%s at %q: the staged build reports\n%s\nwhere the build in memory reports\n%s", name, base, got, want)
			}
			if name == "mixed" && base == "" && want != mixedWant {
				t.Errorf("mixed: the build in memory reports\n%s\nwant\n%s", want, mixedWant)
			}
		}
	}
}

// mixedWant is what building the "mixed" site reports: its four broken
// links, not the five that work.
const mixedWant = `content/events/a.md:10:15: broken link b.md#nope: the page has no element with id "nope"
    [fine](b.md), [frag](b.md#nope), [fine again](b.md) and [b's top](b.md#top).
                  ^
content/events/a.md:12:6: broken link /no/such/page/: no such page or file in the site
    Then [a path](/no/such/page/), [known](#known), [fine](b.md), [self](#unknown) and [gone](b.md#gone).
         ^
content/events/a.md:12:63: broken link #unknown: the page has no element with id "unknown"
    Then [a path](/no/such/page/), [known](#known), [fine](b.md), [self](#unknown) and [gone](b.md#gone).
                                                                  ^
content/events/a.md:12:84: broken link b.md#gone: the page has no element with id "gone"
    Then [a path](/no/such/page/), [known](#known), [fine](b.md), [self](#unknown) and [gone](b.md#gone).
                                                                                       ^
`
