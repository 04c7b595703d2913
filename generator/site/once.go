package site

import (
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
)

// What a one-shot assembly (see AssembleOnce) lets go of, as soon as
// nothing will read it again: the build owns its pages and keeps nothing
// for a next one.

// dropAssembled lets go of what a one-shot assembly (see AssembleOnce)
// has read for the last time: where each front matter field and each
// actor was written (for errors, which assembly is the last to report)
// and the headings (documentation pages copied theirs into their tables
// of contents). At 100,000 events they were a hundred megabytes held to
// the end of the build.
func dropAssembled(pages []*content.Page) {
	for _, p := range pages {
		if p != nil {
			p.Fields, p.Headings, p.ActorPos = nil, nil, nil
		}
	}
}

// letRawGo drops p's raw Body, once resolved, in a one-shot assembly (see
// AssembleOnce), whose pages nothing else reads afterwards: at 100,000
// events the raw and the resolved bodies together were hundreds of
// megabytes more than either.
func (a *assembler) letRawGo(p *content.Page) {
	if a.once {
		p.Body = ""
		forgetTargets(p.Links)
	}
}

// forgetTargets lets go of what resolving a page's links read and
// nothing reads again: their targets and markers. What locates a broken
// link in its file (Dest, Line, Col, Source) stays. A large site's bodies
// hold a few links each: at 100,000 events the targets alone were half a
// million strings held to the end of the build.
func forgetTargets(links []content.Link) {
	for i := range links {
		links[i].Target, links[i].Fragment, links[i].Marker = "", "", ""
	}
}

// checkable returns, of a resolved page's links and their final URLs
// (parallel), those the link check may yet find broken, in new slices of
// their own length, nil when none is: a link to another content file
// without a #fragment has been checked whole by resolving it (its page
// exists, or resolving reported it), and the link check, which locates
// a broken link by its final URL among these, never needs it. Most links
// of a large site are such links, and a page kept them all, with their
// URLs, to the end of the build: at 100,000 events 40 MB of pointers the
// garbage collector read on every cycle.
func checkable(links []content.Link, urls []string) ([]content.Link, []string) {
	n := 0
	for i, l := range links {
		if mayBreak(l, urls[i]) {
			n++
		}
	}
	if n == len(links) {
		return links, urls
	}
	if n == 0 {
		return nil, nil
	}
	kept, keptURLs := make([]content.Link, 0, n), make([]string, 0, n)
	for i, l := range links {
		if mayBreak(l, urls[i]) {
			kept, keptURLs = append(kept, l), append(keptURLs, urls[i])
		}
	}
	return kept, keptURLs
}

// mayBreak reports whether the link check may find link l, resolved to
// url, broken: unless it is a link to a content file, resolved, with no
// fragment (see resolve).
func mayBreak(l content.Link, url string) bool {
	return l.Target == "" || strings.HasPrefix(l.Target, "/") || l.Fragment != "" || url == "#"
}
