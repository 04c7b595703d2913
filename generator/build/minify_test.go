package build

import (
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
)

// TestMinifiedAssetsReused checks that a rebuild takes every minified
// stylesheet and script from the build before, its source unchanged, and
// that a reused asset is still the bytes a clean build publishes.
func TestMinifiedAssetsReused(t *testing.T) {
	b, edit := partsFixture(t)
	if res := b.Build(); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	first := b.memo.assets
	if len(first) == 0 {
		t.Fatal("the build minified no asset")
	}
	edit("content/events/d.md", "The body of d.", "The body of d, edited.")
	res := b.Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	for name, a := range b.memo.assets {
		if !sameslice.Is(a.out, first[name].out) {
			t.Errorf("%s was minified again, its source unchanged", name)
		}
	}
	sameOutput(t, "after an edit", res.Output, NewBuilder(Options{FS: b.opts.FS}).Build().Output)
}

// TestSiteKeyUnchanged checks the site key a rebuild takes without
// hashing (see keyInputs.same): after a body edit it is the key a full
// hash of the same inputs gives; after a front matter edit it is a new
// one, again the full hash's.
func TestSiteKeyUnchanged(t *testing.T) {
	b, edit := partsFixture(t)
	full := func() uint64 {
		k := b.keyed
		pages := make([]*content.Page, len(k.entries))
		for i, e := range k.entries {
			pages[i] = e.page
		}
		return b.hashSiteKey(k.cfg, k.tmpl, k.files, pages, k.entries)
	}
	build := func(changed string) uint64 {
		t.Helper()
		b.Changed([]string{changed})
		if res := b.Build(); len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		if got, want := b.keyed.key, full(); got != want {
			t.Fatalf("after a change of %s the site key is %x, a full hash %x", changed, got, want)
		}
		return b.keyed.key
	}
	first := build(".")
	if build("content/events/d.md") != first {
		t.Error("a rebuild with nothing changed has a new site key")
	}
	edit("content/events/d.md", "The body of d.", "The body of d, edited.")
	if build("content/events/d.md") != first {
		t.Error("a body edit changed the site key")
	}
	edit("content/events/d.md", "summary: About d.", "summary: About d, edited.")
	if build("content/events/d.md") == first {
		t.Error("a front matter edit left the site key as it was")
	}
}
