package build

import (
	"sync"

	"github.com/unictimeline/sitegen/generator/site"
)

// bodyRelease lets each event's body go in a staged build as soon as
// nothing will read it again: once its page is rendered, and the feeds
// and the search index, which read every body, are written. The pages
// render on one goroutine while the feeds and the index are written on
// another, in either order; a 100,000-event build would otherwise hold
// every body (half a gigabyte) until the last page is rendered. A nil
// bodyRelease, a build that keeps its site for the next, lets nothing go.
type bodyRelease struct {
	mu sync.Mutex
	// read is set when the feeds and the search index are written;
	// rendered holds the events whose pages were rendered before that.
	read     bool
	rendered []*site.Event
}

// pageDone says that e's page is rendered: its body goes now if the
// feeds and the search index have read it, else when they have.
func (r *bodyRelease) pageDone(e *site.Event) {
	if r == nil || e == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.read {
		site.DropEventBody(e)
		return
	}
	r.rendered = append(r.rendered, e)
}

// othersDone says that the feeds and the search index are written: the
// bodies of the pages rendered so far go, and every other as its page is
// rendered.
func (r *bodyRelease) othersDone() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.read = true
	for _, e := range r.rendered {
		site.DropEventBody(e)
	}
	r.rendered = nil
}
