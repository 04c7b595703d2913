package export

import (
	"errors"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/site"
)

// EntryMemo is one generated file's encoded entries (a feed's items, the
// search index's documents), each with the content it was made from, in
// the order of the events EventEntries was given. Under an unchanged site
// key the events come in the same order (it is a function of their Metas,
// which the key covers), so the next build finds an event's entry at the
// same index, and an entry depends on its own page only, as a page does.
// Finding it there costs a comparison of two pointers; at 10,000 events
// and six files, looking entries up by page in maps cost milliseconds of
// every rebuild.
type EntryMemo struct {
	Pages   []*content.Page
	Entries [][]byte
}

// EventEntries makes the entries of events in one generated file, pages
// being the events' pages in order, and hands them to emit in that order,
// or newest first (reversed): reuse's bytes for an event whose page it
// holds at the same index, and otherwise encode(i)'s, made on every core
// since encoding thousands of bodies is most of a feed's cost. Every
// entry, reused or new, goes into next unless next is nil, so that the
// build after this one finds it: a rebuild after one event's body changed
// encodes that event's entry alone. A nil page is never reused: it would
// stand for no content in particular. The callers take pages from one
// slice made per build (see newFeeder): following each Event to its page
// in each of six files was most of their cost on a save.
//
// The entries are made a batch at a time and emitted before the next
// batch, so that a staged build, which keeps no entry for a next build,
// holds a batch of them, not the whole file's.
func EventEntries(pages []*content.Page, newestFirst bool, reuse EntryMemo, next *EntryMemo, encode func(i int) ([]byte, error), emit func(b []byte)) error {
	const batch = 512
	index := func(k int) int {
		if newestFirst {
			return len(pages) - 1 - k
		}
		return k
	}
	usable := len(reuse.Pages) == len(pages) && len(reuse.Entries) == len(pages)
	if next != nil {
		// pages is not changed once made, so the memo shares it.
		*next = EntryMemo{Pages: pages, Entries: make([][]byte, len(pages))}
	}
	entries := make([][]byte, min(batch, len(pages)))
	for lo := 0; lo < len(pages); lo += batch {
		hi := min(lo+batch, len(pages))
		var todo []int
		for k := lo; k < hi; k++ {
			i := index(k)
			if p := pages[i]; usable && p != nil && reuse.Pages[i] == p {
				entries[k-lo] = reuse.Entries[i]
				continue
			}
			todo = append(todo, k)
		}
		errs := make([]error, len(todo))
		parallel.For(len(todo), func(j int) {
			k := todo[j]
			entries[k-lo], errs[j] = encode(index(k))
		})
		if err := errors.Join(errs...); err != nil {
			return err
		}
		for k := lo; k < hi; k++ {
			b := entries[k-lo]
			if next != nil {
				next.Entries[index(k)] = b
			}
			emit(b)
			entries[k-lo] = nil
		}
	}
	return nil
}

// EventPages returns the pages of s's events, in order.
func EventPages(s *site.Site) []*content.Page {
	pages := make([]*content.Page, len(s.Events))
	for i, e := range s.Events {
		pages[i] = site.EventPage(e)
	}
	return pages
}
