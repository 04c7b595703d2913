package export

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// SearchFile is the search index's path in the output. The search box
// fetches it on first use, so it does not weigh on any page's first load.
const SearchFile = "search.json"

// searchDoc is one searchable page. Keys are one letter because the index
// is downloaded whole; assets/js/site.js reads them.
type searchDoc struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Kind    string `json:"k"`           // "Resolution", "Guide", "Actor": shown with the result
	Date    string `json:"d,omitempty"` // the event's date at its precision, for readers
	Summary string `json:"s,omitempty"`
	Actors  string `json:"a,omitempty"`
	Text    string `json:"x,omitempty"` // body text without markup
}

// WriteSearchIndex adds the site-wide search index to out: every event,
// documentation page and actor page with its title, summary, actors and
// body text. The site's own small script searches it in the browser (see
// README, "Reading the timeline"), so the index is plain data, not a
// library's serialised format.
//
// pages is eventPages(s). reuse holds the documents the build before
// encoded, when this build may reuse them (see memo); every document's
// encoding goes into next[SearchFile].
// Only the events' documents are kept: they are thousands, each body's
// plainText is most of the index's cost, and a rebuild after one body
// edit then encodes that event's document alone. Home, documentation and
// actor pages are few and encoded again each time.
func WriteSearchIndex(s *site.Site, pages []*content.Page, out *output.Output, reuse EntryMemo, next map[string]EntryMemo) diag.List {
	var memo *EntryMemo
	if next != nil {
		memo = &EntryMemo{}
	}
	var others []searchDoc
	if s.Home != nil {
		others = append(others, searchDoc{URL: s.Home.URL, Title: s.Config.Title, Kind: "Home", Summary: s.Home.Blurb(), Text: plainText(string(site.DocBody(s.Home)))})
	}
	for _, d := range s.Docs {
		others = append(others, searchDoc{URL: d.URL, Title: d.Title, Kind: "Guide", Summary: d.Blurb(), Text: plainText(string(site.DocBody(d)))})
	}
	for _, a := range s.Actors {
		others = append(others, searchDoc{URL: a.URL, Title: a.Name, Kind: "Actor", Summary: a.Description, Text: plainText(string(site.ActorBody(a)))})
	}

	// The index is a JSON array of the documents, as encoding/json writes
	// a slice of them: null when there is none.
	fw := out.Create(SearchFile)
	fw.Grow(2*(len(s.Events)+len(others)) + 2) // a document and a separator each
	if len(s.Events)+len(others) == 0 {
		fw.Write([]byte("null\n"))
	}
	n := 0
	open, sep := []byte("["), []byte(",") // one of each for every document
	doc := func(b []byte) {
		if n == 0 {
			fw.Write(open, b)
		} else {
			fw.Write(sep, b)
		}
		n++
	}
	err := eventEntries(pages, false, reuse, memo, func(i int) ([]byte, error) {
		e := s.Events[i]
		d := searchDoc{URL: e.URL, Title: e.Title, Date: e.DateHuman(), Summary: e.Blurb(), Text: plainText(string(site.EventBody(e)))}
		if e.Type != nil {
			d.Kind = e.Type.Label
		}
		names := make([]string, len(e.Actors))
		for i, a := range e.Actors {
			names[i] = a.Name
		}
		d.Actors = strings.Join(names, ", ")
		return encodeSearchDoc(d)
	}, doc)
	for _, d := range others {
		if err != nil {
			break
		}
		var b []byte
		if b, err = encodeSearchDoc(d); err == nil {
			doc(b)
		}
	}
	if err != nil {
		// Only a bug can get here: the documents hold plain strings.
		fw.Abort()
		return diag.List{{File: SearchFile, Msg: "cannot encode the search index: " + err.Error()}}
	}
	if n > 0 {
		fw.Write([]byte("]\n"))
	}
	if err := fw.Close(); err != nil {
		return diag.List{{File: SearchFile, Msg: err.Error()}}
	}
	if next != nil {
		next[SearchFile] = *memo
	}
	return nil
}

// encodeSearchDoc encodes one document as encoding/json writes it in the
// array of the index, which is not indented.
func encodeSearchDoc(d searchDoc) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // served as JSON, never inlined into HTML
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	// A copy at its exact length: the buffer grew by doubling, and every
	// entry is kept until the index is written (and by watch mode's memo).
	return bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// plainText reduces rendered HTML to its text: tags dropped, entities
// decoded, runs of white space collapsed. Bodies come from goldmark, which
// writes well-formed markup, so a tag scan is enough. A block tag ends a
// word (goldmark writes "</p>\n<p>" but "</li><li>" too); an inline tag
// does not, so "<em>UN</em>'s" stays one word.
func plainText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i])
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		name := strings.TrimPrefix(h[i+1:i+j], "/")
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		if isBlockTag(strings.ToLower(name)) {
			b.WriteByte(' ')
		}
		h = h[i+j+1:]
	}
	return collapseSpace(html.UnescapeString(b.String()))
}

// collapseSpace is strings.Join(strings.Fields(s), " ") without the slice
// of every word: s's words, as unicode.IsSpace separates them, joined by
// single spaces.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is owed before the next word
	for i := 0; i < len(s); {
		c := s[i]
		n := 1
		var isSpace bool
		if c < utf8.RuneSelf {
			isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = b.Len() > 0
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isBlockTag reports whether the edges of an element separate words. A
// switch rather than a package map: no package-level mutable state.
func isBlockTag(name string) bool {
	switch name {
	case "p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "table", "tr", "td", "th", "hr", "figure", "figcaption":
		return true
	}
	return false
}
