package build

import (
	"bytes"
	"path"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// Stylesheets and scripts are minified on their way to the output: what a
// reader downloads is what counts (the timeline's budget, README
// "Reading the timeline"), and the theme's comments say why as much as
// what, at a third of the bytes. tdewolff/minify is the minifier Hugo's
// --minify uses; it parses CSS and JavaScript rather than stripping text,
// so a rule or a statement never changes meaning.

// minifier returns the minifier for assets: CSS and JavaScript only (HTML
// pages stay as the templates write them, so their errors and link check
// point at readable lines).
func minifier() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	return m
}

// minifiedAsset is an asset's source bytes and what minifying made of
// them, kept between builds: a rebuild in watch mode minifies only the
// assets that changed (all of the theme's take about 2 ms, a few percent
// of an edit's rebuild at 10,000 events).
type minifiedAsset struct{ src, out []byte }

// assetMinifier minifies assets, reusing the last build's results for
// unchanged bytes and recording this build's in next.
type assetMinifier struct {
	m     *minify.M // made on first need
	reuse map[string]minifiedAsset
	next  map[string]minifiedAsset
}

// minify returns b minified when name is a stylesheet or a script.
// A file the minifier cannot parse (a syntax it does not know yet) is
// published as written: minifying is a saving, never a reason to refuse a
// file the browser may well accept.
func (a *assetMinifier) minify(name string, b []byte) []byte {
	var mediatype string
	switch path.Ext(name) {
	case ".css":
		mediatype = "text/css"
	case ".js", ".mjs":
		mediatype = "text/javascript"
	default:
		return b
	}
	if prev, ok := a.reuse[name]; ok && bytes.Equal(prev.src, b) {
		a.next[name] = prev
		return prev.out
	}
	if a.m == nil {
		a.m = minifier()
	}
	// The minifier writes into the bytes it is given (tdewolff/minify
	// rewrites some CSS and JavaScript tokens in place): it gets a copy,
	// so that src stays the source the next build compares with.
	src := bytes.Clone(b)
	out, err := a.m.Bytes(mediatype, b)
	if err != nil {
		out = src
	}
	a.next[name] = minifiedAsset{src: src, out: out}
	return out
}
