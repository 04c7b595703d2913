package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"sync"
)

// partials renders shared templates for the partialCached function: each
// (template, data, variants) once per build, however many pages ask.
//
// Hugo has a partialCached of the same name; ours differs on purpose in
// that the data is part of the key. Hugo caches by name and variants only,
// so two pages passing different data get whichever was rendered first,
// and the output depends on the order pages happen to render in. Keyed on
// the data too (a pointer, or a plain comparable value), the same call
// always gives the same bytes, so builds stay deterministic and a page the
// build reuses is the page it would render.
type partials struct {
	root *template.Template // a clone of the shared set, executed only here
	t    *Templates
	mu   sync.Mutex
	done map[partialKey]*partialResult
}

// reset drops every result, for a build that reuses the set: a result is
// keyed on its data's identity, and a site updated in place keeps its
// pointers while their contents change.
func (p *partials) reset() {
	p.mu.Lock()
	p.done = map[partialKey]*partialResult{}
	p.mu.Unlock()
}

type partialKey struct {
	name     string
	data     any
	variants string
}

// partialResult is one rendering, done once: the first call for its key
// renders it, the others wait for that. A sync.Once rather than a
// channel: a large site keeps a result for each of its events for the
// whole build, and a channel would be one more object each.
type partialResult struct {
	once sync.Once
	html template.HTML
	err  error
}

// call is the partialCached template function:
//
//	{{partialCached "partials/event-item.html" .}}
//	{{partialCached "partials/footer.html" .Site}}
//
// Its data must be comparable: a pointer (an *Event, the *Site) or a plain
// value, or a slice of them (.Breadcrumbs), which is keyed by its elements;
// a map cannot be a key and is an error. Variants, if any, are added to the
// key. The result is HTML for an HTML text context, as {{template}} gives
// there.
func (p *partials) call(name string, data any, variants ...any) (template.HTML, error) {
	k, ok := dataKey(data)
	if !ok {
		return "", fmt.Errorf("partialCached %q: its data is a %T, which cannot be a cache key; pass a pointer (such as .Site or an event), a plain value or a slice of them", name, data)
	}
	var vs strings.Builder
	for _, v := range variants {
		fmt.Fprintf(&vs, "%T:%v\x00", v, v)
	}
	key := partialKey{name: name, data: k, variants: vs.String()}
	p.mu.Lock()
	r, ok := p.done[key]
	if !ok {
		r = &partialResult{}
		p.done[key] = r
	}
	p.mu.Unlock()
	r.once.Do(func() { r.html, r.err = p.render(name, data) })
	return r.html, r.err
}

// render executes the shared template name on data, for call.
func (p *partials) render(name string, data any) (template.HTML, error) {
	if p.root.Lookup(name) == nil {
		return "", fmt.Errorf("partialCached: no shared template %q (partials live under templates/, in a subfolder such as partials/)", name)
	}
	var buf bytes.Buffer
	if err := p.root.ExecuteTemplate(&buf, name, data); err != nil {
		e := p.t.locate(err)
		return "", fmt.Errorf("partialCached %q: %s", name, e.Error())
	}
	return template.HTML(buf.String()), nil
}

// sliceKey is the key of a slice passed as a partial's data: an array of
// its elements. It is a type of its own so that a slice and an array with
// the same elements, which a template may treat differently, never share
// a key.
type sliceKey struct{ elems any }

// dataKey returns the cache key for a partial's data, and false when the
// data cannot be one. A slice is keyed by its elements, not its identity:
// they are all that a template reads of it, and a page's data is made anew
// for each page, so two pages with the same breadcrumbs hold two slices
// with equal elements, and share one rendering.
func dataKey(data any) (any, bool) {
	if data == nil {
		return nil, true
	}
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		return data, v.Comparable()
	}
	a := reflect.New(reflect.ArrayOf(v.Len(), v.Type().Elem())).Elem()
	reflect.Copy(a, v)
	if !a.Comparable() {
		return nil, false
	}
	return sliceKey{a.Interface()}, true
}
