package site

import "strconv"

// ListPage is one page of the events of a type, an actor or a track. A
// list of no more events than the config's TimelinePart is one page, at
// the list's own path; a longer one is cut into pages of that many
// events, as Hugo and Jekyll paginate: the first at the list's path
// (/types/resolution/), so that its address stays, the others at
// <path>page/<n>/ (/types/resolution/page/2/). The same cap as the
// timeline's parts, because a list item (partials/event-item.html) weighs
// about what a timeline item does, and one number keeps every list page of
// the site under the same size.
type ListPage struct {
	Number int    // from 1
	Path   string // without the base path
	URL    string // with the base path
	// First is the index in the whole list of the page's first event.
	First  int
	Events []*Event // the page's events
	// All is every page of the list, in order (this one included).
	All        []*ListPage
	Prev, Next *ListPage
	// Total is how many events the whole list holds.
	Total int
}

// Pages is how many pages the list has.
func (p *ListPage) Pages() int { return len(p.All) }

// From is the position in the whole list of the page's first event, from
// 1.
func (p *ListPage) From() int { return p.First + 1 }

// Last is the position in the whole list of the page's last event, from 1:
// with From, "events 301–600 of 9,000".
func (p *ListPage) Last() int { return p.First + len(p.Events) }

// PagerLink is one item of a pager (templates/partials/pager.html): a
// page, or a gap (Page nil) standing for the pages left out.
type PagerLink struct {
	Page    *ListPage
	Current bool
}

// Pager returns the numbered links of a compact pager: the first and last
// pages and a window of two either side of this one, with a gap where
// pages are left out. A list of one page has no pager (nil), so a small
// site's list pages render as they did before lists were paginated.
func (p *ListPage) Pager() []PagerLink {
	n := len(p.All)
	if n < 2 {
		return nil
	}
	const window = 2
	shown := func(i int) bool {
		d := i - p.Number
		// A gap of one page is shown as that page: "…" would take the
		// same room and hide it.
		return i == 1 || i == n || (d >= -window && d <= window) ||
			(i == 2 && d == -window-1) || (i == n-1 && d == window+1)
	}
	var links []PagerLink
	for i := 1; i <= n; i++ {
		switch {
		case shown(i):
			links = append(links, PagerLink{Page: p.All[i-1], Current: i == p.Number})
		case shown(i - 1):
			links = append(links, PagerLink{}) // the gap, once
		}
	}
	return links
}

// Label names the page for readers in titles: "page 2 of 31".
func (p *ListPage) Label() string {
	return "page " + strconv.Itoa(p.Number) + " of " + strconv.Itoa(len(p.All))
}

// ListPages cuts events, the whole list of a page at path, into pages of
// at most the config's TimelinePart events (see ListPage). An empty list
// is one empty page, as the list's page shows "no events yet".
func (s *Site) ListPages(path string, events []*Event) []*ListPage {
	limit := s.Config.TimelinePart
	if limit < 1 {
		limit = 1 // config rejects it; a Site made by hand may hold anything
	}
	n := (len(events) + limit - 1) / limit
	if n == 0 {
		n = 1
	}
	all := make([]*ListPage, n)
	for i := range all {
		lo, hi := i*limit, min((i+1)*limit, len(events))
		p := &ListPage{Number: i + 1, Path: path, First: lo, Events: events[lo:hi], All: all, Total: len(events)}
		if i > 0 {
			p.Path = path + "page/" + strconv.Itoa(i+1) + "/"
			p.Prev, all[i-1].Next = all[i-1], p
		}
		p.URL = s.url(p.Path)
		all[i] = p
	}
	return all
}
