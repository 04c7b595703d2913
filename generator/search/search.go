// Package search writes the site's search index, which the browser's own
// small script (search.js) reads a piece at a time: a manifest, shards of
// terms with their postings cut by prefix, and shards of a few documents
// each. A first query downloads the manifest and the shards it needs, not
// the whole index, and a rebuild after one edit rewrites only the shards
// that edit touched (see Memo).
package search

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// The search index in the output. The search box fetches the manifest on
// first use, then for each word typed the one shard of the term index
// that holds it, and for the results it shows the document shards that
// hold them: a query costs a few small files, not the whole index.
const (
	// File is the manifest: how many documents, how many to a
	// document shard, and the term index's shards with their sizes.
	File = "search/index.json"
	// searchTerms holds the term index's shards, named by shardName.
	searchTerms = "search/t/"
	// searchDocs holds the document shards, named by number.
	searchDocs = "search/d/"
	// DocsPerShard is how many documents a document shard holds: few, so
	// that the shards of the results shown cost little; more than one, so
	// that the index is not a file per page.
	DocsPerShard = 4
)

// searchDoc is one searchable page as a document shard holds it, to show
// a result and cut its snippet. Keys are one letter: assets/js/search.js
// reads them.
type searchDoc struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Kind    string `json:"k"`           // "Resolution", "Guide", "Actor": shown with the result
	Date    string `json:"d,omitempty"` // the event's date at its precision, for readers
	Summary string `json:"s,omitempty"`
	Actors  string `json:"a,omitempty"`
	Text    string `json:"x,omitempty"` // body text without markup
}

// Memo is what Write keeps for the next build under the
// same site key: the term index, which that build updates in place for
// the documents that changed, and the files it wrote. It is handed on
// from build to build, never shared by two.
type Memo struct {
	index  *termIndex
	others [][]byte // the entries of the documents that are not events
	shards [][]byte // the document shards, by number
}

// Write adds the site-wide search index to out: every event,
// documentation page and actor page, by its title, actors, summary and
// body text. Documents are numbered events first, in timeline order, then
// the home page, documentation and actors; search.js breaks ties in rank
// by that number.
//
// pages is export.EventPages(s). reuse holds the events' entries the build
// before made, when this build may reuse them (see export.EntryMemo), and memo
// the rest of what it kept; next, when not nil, receives this build's
// entries at File, and the returned memo is for the next build
// (nil when next is nil). A rebuild after one body edit encodes that
// event's entry alone, updates the term index for its changed terms, and
// makes again only the shards that hold them and its document shard.
func Write(s *site.Site, pages []*content.Page, out *output.Output, reuse export.EntryMemo, next map[string]export.EntryMemo, memo *Memo) (*Memo, diag.List) {
	cs := newCollectors()
	others, err := otherEntries(s, cs)
	nDocs := len(s.Events) + len(others)
	incremental := memo != nil && memo.index != nil && len(reuse.Pages) == len(pages) && len(reuse.Entries) == len(pages) &&
		len(memo.others) == len(others) && len(memo.shards) == shardCount(nDocs)
	w := &searchWriter{out: out, index: newTermIndex()}
	if next != nil {
		w.shards = make([][]byte, shardCount(nDocs)) // kept for the next build
	}
	if incremental {
		w.index, w.old = memo.index, memo.shards
		memo.index = nil // updated in place: it is this build's now
	}
	var entries *export.EntryMemo
	if next != nil {
		entries = &export.EntryMemo{}
	}
	if err == nil {
		err = export.EventEntries(pages, false, reuse, entries, func(i int) ([]byte, error) {
			return eventEntry(s.Events[i], cs)
		}, func(b []byte) {
			var old []byte
			if incremental {
				old = reuse.Entries[w.n]
			}
			w.doc(b, old, !incremental)
		})
	}
	if err != nil {
		// Only a bug can get here: the documents hold plain strings.
		return nil, diag.List{{File: File, Msg: "cannot encode the search index: " + err.Error()}}
	}
	for j, b := range others {
		var old []byte
		if incremental {
			old = memo.others[j]
			if bytes.Equal(old, b) {
				b = old
			}
		}
		w.doc(b, old, !incremental)
	}
	w.flushDocs()
	w.finish(nDocs, len(s.Events))
	if w.err != nil {
		return nil, diag.List{{File: File, Msg: w.err.Error()}}
	}
	if next == nil {
		return nil, nil
	}
	next[File] = *entries
	return &Memo{index: w.index, others: others, shards: w.shards}, nil
}

// shardCount is the number of document shards for n documents.
func shardCount(n int) int { return (n + DocsPerShard - 1) / DocsPerShard }

// searchWriter takes the documents in order and writes the document
// shards as they fill up, and the term index at the end.
type searchWriter struct {
	out    *output.Output
	index  *termIndex
	n      int      // documents taken
	cur    [][]byte // the current shard's entries (see doc)
	dirty  bool     // the current shard differs from the build before's
	old    [][]byte // the build before's shards, when updating
	shards [][]byte // the shards written, when kept for the next build
	err    error
}

// doc takes the next document's entry. old is its entry in the build
// before (nil in a clean build): the very same slice when it was reused.
// fresh says the index is being made, not updated.
//
// An entry reused from the build before is not read at all: cur holds
// whole entries, split only when their shard is written anew. At 10,000
// events, reading each entry's first bytes to split it cost a rebuild
// some milliseconds of cache misses.
func (w *searchWriter) doc(b, old []byte, fresh bool) {
	switch {
	case fresh:
		_, terms := splitEntry(b)
		w.index.add(w.n, terms)
		w.dirty = true
	case len(b) != len(old) || len(b) == 0 || &b[0] != &old[0]:
		_, terms := splitEntry(b)
		_, oldTerms := splitEntry(old)
		w.index.replace(w.n, oldTerms, terms)
		w.dirty = true
	}
	w.cur = append(w.cur, b)
	w.n++
	if len(w.cur) == DocsPerShard {
		w.flushDocs()
	}
}

// flushDocs writes the current document shard: a JSON array of its
// documents, or the build before's bytes when none of them changed.
func (w *searchWriter) flushDocs() {
	if len(w.cur) == 0 {
		return
	}
	k := (w.n - 1) / DocsPerShard
	var b []byte
	if !w.dirty && w.old != nil {
		b = w.old[k]
	} else {
		n := 1
		for i, e := range w.cur {
			w.cur[i], _ = splitEntry(e) // the document's JSON
			n += len(w.cur[i]) + 1
		}
		b = make([]byte, 0, n)
		for i, d := range w.cur {
			if i == 0 {
				b = append(b, '[')
			} else {
				b = append(b, ',')
			}
			b = append(b, d...)
		}
		b = append(b, ']')
	}
	if w.shards != nil {
		w.shards[k] = b
	}
	w.put(searchDocs+strconv.Itoa(k)+".json", b)
	clear(w.cur)
	w.cur, w.dirty = w.cur[:0], false
}

// finish writes the term index's shards and the manifest. The manifest
// says how many documents there are and how many of them, first, are
// events: search.js ranks a page named by the query (an actor, a guide)
// above the events that mention it.
func (w *searchWriter) finish(nDocs, nEvents int) {
	list := w.index.finish()
	var m bytes.Buffer
	m.WriteString(`{"docs":` + strconv.Itoa(nDocs) + `,"events":` + strconv.Itoa(nEvents) + `,"perShard":` + strconv.Itoa(DocsPerShard) + `,"shards":[`)
	for i, e := range list {
		if i > 0 {
			m.WriteByte(',')
		}
		p, _ := json.Marshal(e.prefix) // a string: cannot fail
		m.WriteByte('[')
		m.Write(p)
		m.WriteString("," + strconv.Itoa(e.size))
		if e.split {
			m.WriteString(",1")
		}
		m.WriteByte(']')
		w.put(searchTerms+shardName(e.prefix)+".bin", w.index.shards[e.prefix].b)
	}
	m.WriteString("]}\n")
	w.put(File, m.Bytes())
}

// put adds a file whole: one piece, so that it is hashed and written the
// same way in memory and staged.
func (w *searchWriter) put(p string, b []byte) {
	if w.err != nil {
		return
	}
	if !w.out.Staged() {
		w.err = w.out.Put(p, b)
		return
	}
	f, err := w.out.StageFile(p, b)
	if err != nil {
		w.err = err
		return
	}
	w.out.AddStaged(p, f)
}

// eventEntry encodes an event's document (see docEntry).
func eventEntry(e *site.Event, cs *collectors) ([]byte, error) {
	d := searchDoc{URL: e.URL, Title: e.Title, Date: e.DateHuman(), Summary: e.Blurb(), Text: plainText(string(site.EventBody(e)))}
	if e.Type != nil {
		d.Kind = e.Type.Label
	}
	names := make([]string, len(e.Actors))
	for i, a := range e.Actors {
		names[i] = a.Name
	}
	d.Actors = strings.Join(names, ", ")
	return docEntry(d, cs)
}

// otherEntries encodes the documents that are not events: the home page,
// documentation and actors. They are few, and made again by every build.
func otherEntries(s *site.Site, cs *collectors) ([][]byte, error) {
	var docs []searchDoc
	if s.Home != nil {
		docs = append(docs, searchDoc{URL: s.Home.URL, Title: s.Config.Title, Kind: "Home", Summary: s.Home.Blurb(), Text: plainText(string(site.DocBody(s.Home)))})
	}
	for _, d := range s.Docs {
		docs = append(docs, searchDoc{URL: d.URL, Title: d.Title, Kind: "Guide", Summary: d.Blurb(), Text: plainText(string(site.DocBody(d)))})
	}
	for _, a := range s.Actors {
		docs = append(docs, searchDoc{URL: a.URL, Title: a.Name, Kind: "Actor", Summary: a.Description, Text: plainText(string(site.ActorBody(a)))})
	}
	entries := make([][]byte, len(docs))
	for i, d := range docs {
		var err error
		if entries[i], err = docEntry(d, cs); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// docEntry encodes one document as the memo keeps it: uvarint length,
// the document's JSON as its document shard holds it, then its terms as
// docTerms encodes them.
func docEntry(d searchDoc, cs *collectors) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // served as JSON, never inlined into HTML
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	js := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	terms := cs.docTerms([4]string{d.Title, d.Actors, d.Summary, d.Text})
	// One allocation at the exact length: every entry is kept until its
	// shard is written (and by watch mode's memo).
	b := make([]byte, 0, binary.MaxVarintLen64+len(js)+len(terms))
	b = binary.AppendUvarint(b, uint64(len(js)))
	b = append(b, js...)
	return append(b, terms...), nil
}

// splitEntry returns the JSON and the terms of a docEntry encoding.
func splitEntry(b []byte) (js, terms []byte) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil // not docEntry's encoding: only a bug gets here
	}
	return b[k : k+int(n)], b[k+int(n):]
}
