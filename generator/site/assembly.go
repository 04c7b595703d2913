package site

import (
	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
)

// Assembly is a site as a build assembled it, kept so that the next build
// can update it in place when the site key (see build/memo.go) is unchanged.
//
// An unchanged key means that the same files exist, that every content
// file but the events is byte for byte the same, and that every event's
// Meta (path and front matter) is the same: only event bodies changed. All
// that assemble derives from Metas (order, years, actors, types, URLs) is
// then the same, and what a changed body touches is its own event: the
// page it points to and its resolved body. At 10,000 events assembling
// afresh costs tens of milliseconds of every rebuild; the update costs
// what the changed bodies do. TestIncrementalEqualsClean checks that the
// result equals a clean build.
type Assembly struct {
	Site   *Site
	asm    *assembler
	events map[string]*Event // content file → its event
}

// NewAssembly assembles a site as Assemble does, and keeps what Update
// needs to update it in place.
func NewAssembly(cfg *config.Config, pages []*content.Page, files []string, drafts bool, reuse Bodies) (*Assembly, diag.List) {
	s, a, errs := assemble(cfg, pages, files, drafts, reuse, false)
	events := make(map[string]*Event, len(s.Events))
	for _, e := range s.Events {
		events[e.page.Path] = e
	}
	return &Assembly{Site: s, asm: a, events: events}, errs
}

// Assemble builds the Site model from parsed pages (nil entries are files
// that failed to parse; files lists every content file, so links to a
// failed file are not reported as missing as well).
//
// reuse holds bodies resolved by the build before, which may be reused
// when the page's content is the same (see build/memo.go); it is nil when
// they may not. Every body resolved, or reused, is kept for the next build
// (see BodiesOf).
func Assemble(cfg *config.Config, pages []*content.Page, files []string, drafts bool, reuse Bodies) (*Site, diag.List) {
	s, _, errs := assemble(cfg, pages, files, drafts, reuse, false)
	return s, errs
}

// AssembleOnce is Assemble for a one-shot build, which owns its pages and
// builds nothing after: it lets each page's raw Body go as soon as its
// links are resolved, with the links the link check cannot find broken
// (see checkable), and its Fields, Headings and ActorPos once assembled,
// shares one string for each actor's name among its events, and
// keeps no bodies for a next build (BodiesOf returns none). A large
// site's bodies are the largest part of what a build holds; this way it
// holds one copy of each, not two, the events' packed (see packer), and
// DropEventBody can let that one go too.
func AssembleOnce(cfg *config.Config, pages []*content.Page, files []string, drafts bool) (*Site, diag.List) {
	s, _, errs := assemble(cfg, pages, files, drafts, nil, true)
	return s, errs
}

// DropEventBody lets the resolved body of an event go, in a site from
// AssembleOnce, once its page is rendered and everything else that reads
// it (the feeds, the search index) is written: EventBody returns ""
// afterwards. A 100,000-event build then lets go of its bodies as it
// renders the event pages instead of holding them all to the end.
func DropEventBody(e *Event) { e.body, e.packed = "", nil }

// Bodies holds resolved bodies by the content they were resolved from.
type Bodies map[*content.Page]resolvedBody

// BodiesOf returns every body s resolved or reused, for the next build.
func BodiesOf(s *Site) Bodies { return s.bodies }

// Update points the events whose files were parsed again (the indexes
// parsed of pages) at their new pages and resolves their bodies, and
// returns the site and the errors resolving found.
func (l *Assembly) Update(cfg *config.Config, pages []*content.Page, parsed []int) (*Site, diag.List) {
	var errs diag.List
	s, a := l.Site, l.asm
	s.Config = cfg // the same bytes, parsed again
	a.errs, a.reuse = &errs, nil
	for _, i := range parsed {
		p := pages[i]
		if p == nil {
			continue // a failed file changes the key; a read error is reported
		}
		e, ok := l.events[p.Path]
		if !ok || e.page == p {
			continue // a draft, left out as before
		}
		delete(s.bodies, e.page)
		delete(s.linkURLs, e.page)
		e.page, e.Meta = p, &p.Meta
		e.body = a.record(p, a.resolveBody(p))
	}
	return s, errs
}
