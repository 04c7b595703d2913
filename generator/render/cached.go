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

type partialKey struct {
	name     string
	data     any
	variants string
}

type partialResult struct {
	ready chan struct{}
	html  template.HTML
	err   error
}

// call is the partialCached template function:
//
//	{{partialCached "partials/event-item.html" .}}
//	{{partialCached "partials/footer.html" .Site}}
//
// Its data must be comparable: a pointer (an *Event, the *Site) or a plain
// value; a map or a slice cannot be a key and is an error. Variants, if
// any, are added to the key. The result is HTML for an HTML text context,
// as {{template}} gives there.
func (p *partials) call(name string, data any, variants ...any) (template.HTML, error) {
	if data != nil && !reflect.ValueOf(data).Comparable() {
		return "", fmt.Errorf("partialCached %q: its data is a %T, which cannot be a cache key; pass a pointer (such as .Site or an event) or a plain value", name, data)
	}
	var vs strings.Builder
	for _, v := range variants {
		fmt.Fprintf(&vs, "%T:%v\x00", v, v)
	}
	key := partialKey{name: name, data: data, variants: vs.String()}
	p.mu.Lock()
	r, ok := p.done[key]
	if !ok {
		r = &partialResult{ready: make(chan struct{})}
		p.done[key] = r
	}
	p.mu.Unlock()
	if ok {
		<-r.ready
		return r.html, r.err
	}
	defer close(r.ready)
	if p.root.Lookup(name) == nil {
		r.err = fmt.Errorf("partialCached: no shared template %q (partials live under templates/, in a subfolder such as partials/)", name)
		return "", r.err
	}
	var buf bytes.Buffer
	if err := p.root.ExecuteTemplate(&buf, name, data); err != nil {
		e := p.t.locate(err)
		r.err = fmt.Errorf("partialCached %q: %s", name, e.Error())
		return "", r.err
	}
	r.html = template.HTML(buf.String())
	return r.html, nil
}
