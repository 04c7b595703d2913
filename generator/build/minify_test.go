package build

import (
	"testing"

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
