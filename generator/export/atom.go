package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/output"
)

// The Atom 1.0 document (RFC 4287), as encoding/xml writes it. Structs
// rather than a text template, so that escaping is the encoder's job.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// atomHTML is an HTML construct in CDATA, which keeps the markup readable
// in the file; encoding/xml splits any "]]>" in the text so it stays valid.
type atomHTML struct {
	Type string `xml:"type,attr"`
	Text string `xml:",cdata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomHTML       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

// atom writes the Atom feed of the newest events (Config.FeedLimit), newest
// first. Each entry is
// dated (published and updated) by the event's own date, and the feed by
// its newest entry: the content has no revision dates, and the build clock
// would change the feed on every build.
//
// The feed element is encoded without entries and each entry on its own
// (see EventEntries), indented as they would be inside it, then joined:
// the same bytes as encoding the whole feed at once.
func (f *feeder) atom(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	feed := atomFeed{
		Lang:      cfg.Language,
		ID:        f.feedID(),
		Title:     cfg.Title,
		Subtitle:  cfg.Description,
		Updated:   atomTime(f.newestEntryTime()),
		Generator: Generator,
		Author:    atomPerson{Name: cfg.Title, URI: f.abs("/")},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: f.abs(AtomFile)},
			{Rel: "alternate", Type: "text/html", Href: f.abs("/timeline/")},
		},
	}
	var head bytes.Buffer
	head.WriteString(xml.Header)
	enc := xml.NewEncoder(&head)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	// The entries go before the closing tag, the document's last line.
	const end = "\n</feed>"
	h := head.Bytes()
	if !bytes.HasSuffix(h, []byte(end)) {
		return fmt.Errorf("the feed element does not end in %q", end)
	}
	fw.Write(h[:len(h)-len(end)])
	nl := []byte("\n")
	from := f.feedFrom()
	err := EventEntries(f.pages[from:], true, reuse, next, func(i int) ([]byte, error) { return f.atomEntry(from + i) },
		func(b []byte) { fw.Write(nl, b) })
	fw.Write([]byte(end + "\n"))
	return err
}

// atomEntry encodes the entry of s.Events[i] as the feed element holds it:
// indented one level, with no newline before or after it.
func (f *feeder) atomEntry(i int) ([]byte, error) {
	e := f.s.Events[i]
	u := f.abs(e.Path)
	entry := atomEntry{
		// Made from the siteID and the slug when site.yaml has a
		// siteID, else the page's URL (see eventID).
		ID:        f.eventID(e),
		Title:     atomText{Type: "text", Text: e.Title},
		Link:      atomLink{Rel: "alternate", Type: "text/html", Href: u},
		Published: atomTime(entryTime(e)),
		Updated:   atomTime(entryTime(e)),
		Content:   atomHTML{Type: "html", Text: xmlChars(f.absBody(i))},
	}
	if e.Summary != "" {
		entry.Summary = &atomText{Type: "text", Text: e.Summary}
	}
	if e.Type != nil {
		entry.Categories = append(entry.Categories, atomCategory{Term: e.Type.Key, Scheme: f.abs("/types/"), Label: e.Type.Label})
	}
	for _, a := range e.Actors {
		entry.Categories = append(entry.Categories, atomCategory{Term: a.Slug, Scheme: f.abs("/actors/"), Label: a.Name})
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("  ", "  ")
	if err := enc.EncodeElement(entry, xml.StartElement{Name: xml.Name{Local: "entry"}}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlChars replaces with U+FFFD each character XML 1.0 cannot carry (a
// C0 control other than tab, newline and CR; U+FFFE; U+FFFF). encoding/xml
// does so in text and attributes but not in CDATA, where a body puts
// them when its Markdown names one by reference ("&#1;", "&#xFFFE;"):
// content files cannot hold them raw (content.checkControls).
func xmlChars(s string) string {
	if strings.IndexFunc(s, notXMLChar) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if notXMLChar(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func notXMLChar(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff
}

// atomTime formats an Atom date (RFC 3339, seconds precision).
func atomTime(t time.Time) string { return t.Format(time.RFC3339) }
