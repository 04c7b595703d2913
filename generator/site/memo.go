package site

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/render"
)

// memo holds what the last build made that is a pure function of inputs a
// cheap key covers, so that the next build can reuse it: every rendered
// page and every resolved body. Watch mode rebuilds a 10,000-event site
// after one event's text changed by rendering that event's page alone.
//
// The key has two parts. The site key covers what every page may read:
// the site config, the build options, the templates, and the Meta (path
// and front matter) of every event; for the few other content files (home,
// documentation, actors), whose tables of contents and bodies the site
// model carries, the whole file. The page part is the page's own parsed
// content, *content.Page, which the parse cache replaces exactly when its
// file's bytes change. Templates reach no body but that of the page they
// render (Event and Doc keep bodies unexported; PageData.Body is the page's
// own) and the template functions are pure, so a page whose two key parts
// are unchanged renders to the same bytes as before: reusing them keeps an
// incremental build equal to a clean one.
type memo struct {
	site   uint64
	pages  pagesMemo                      // every page rendered (see renderAll)
	bodies map[*content.Page]resolvedBody // content → its body with links resolved
	// entries holds, per generated file (a feed, an export, the search
	// index), each entry's encoded bytes by the content it was made from.
	entries map[string]entryMemo
}

// entryMemo is one generated file's encoded entries (a feed's items, the
// search index's documents), each with the content it was made from, in
// the order of the events eventEntries was given. Under an unchanged site
// key the events come in the same order (it is a function of their Metas,
// which the key covers), so the next build finds an event's entry at the
// same index, and an entry depends on its own page only, as a page does.
// Finding it there costs a comparison of two pointers; at 10,000 events
// and six files, looking entries up by page in maps cost milliseconds of
// every rebuild.
type entryMemo struct {
	pages   []*content.Page
	entries [][]byte
}

// pagesMemo is what renderAll made, page by page in the order of
// pageJobs: each page's site path and output file, the content it was made
// from (nil for generated list pages) and its bytes (nil when it failed).
// Under an unchanged site key pageJobs lists the same pages in the same
// order, so a page is found at its index: at 10,000 events, maps by output
// file cost more of a rebuild than rendering the one edited page.
type pagesMemo struct {
	paths []string
	files []string
	pages []*content.Page
	out   [][]byte
}

// reusable returns the part of the last build's memo that a build with
// site key site may reuse: all of it when the key is unchanged, else none.
func (m *memo) reusable(site uint64) memo {
	if m.site != site {
		return memo{site: site}
	}
	return *m
}

// siteKey hashes everything that every page may read (see memo). files,
// pages and entries are parallel, as parseAll returns them; a nil page is
// a file that failed to parse.
func (b *Builder) siteKey(cfgSrc []byte, tmpl *render.Templates, files []string, pages []*content.Page, entries []cached) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	num := func(n uint64) {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], n)
		h.Write(buf[:])
	}
	str := func(s string) {
		num(uint64(len(s)))
		h.WriteString(s)
	}
	num(uint64(len(cfgSrc)))
	h.Write(cfgSrc)
	str(b.opts.BaseURL)
	str(boolKey(b.opts.Drafts))
	str(b.opts.SourceDate.Format(time.RFC3339Nano))
	if tmpl != nil {
		tmpl.WriteKey(&h)
	}
	for i, f := range files {
		str(f)
		c := entries[i]
		switch {
		case pages[i] == nil:
			str("failed")
		case pages[i].Kind == content.KindEvent:
			num(c.metaHash)
		default:
			num(c.hash)
			num(uint64(c.size))
		}
	}
	return h.Sum64()
}

// eventEntries makes the entries of events in one generated file, pages
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
func eventEntries(pages []*content.Page, newestFirst bool, reuse entryMemo, next *entryMemo, encode func(i int) ([]byte, error), emit func(b []byte)) error {
	const batch = 512
	index := func(k int) int {
		if newestFirst {
			return len(pages) - 1 - k
		}
		return k
	}
	usable := len(reuse.pages) == len(pages) && len(reuse.entries) == len(pages)
	if next != nil {
		// pages is not changed once made, so the memo shares it.
		*next = entryMemo{pages: pages, entries: make([][]byte, len(pages))}
	}
	entries := make([][]byte, min(batch, len(pages)))
	for lo := 0; lo < len(pages); lo += batch {
		hi := min(lo+batch, len(pages))
		var todo []int
		for k := lo; k < hi; k++ {
			i := index(k)
			if p := pages[i]; usable && p != nil && reuse.pages[i] == p {
				entries[k-lo] = reuse.entries[i]
				continue
			}
			todo = append(todo, k)
		}
		errs := make([]error, len(todo))
		parallel(len(todo), func(j int) {
			k := todo[j]
			entries[k-lo], errs[j] = encode(index(k))
		})
		if err := errors.Join(errs...); err != nil {
			return err
		}
		for k := lo; k < hi; k++ {
			b := entries[k-lo]
			if next != nil {
				next.entries[index(k)] = b
			}
			emit(b)
			entries[k-lo] = nil
		}
	}
	return nil
}

// eventPages returns the pages of s's events, in order.
func eventPages(s *Site) []*content.Page {
	pages := make([]*content.Page, len(s.Events))
	for i, e := range s.Events {
		pages[i] = e.page
	}
	return pages
}
