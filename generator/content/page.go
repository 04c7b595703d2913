// Package content turns one Markdown file into a Page.
//
// Parse is a pure function of a file's path, its bytes and the parser's
// Options: it decodes and validates the YAML front matter (YAML 1.2, through
// internal/yamltree), renders the body with goldmark, and records the body's
// headings and internal links with their source positions. Because it looks
// at nothing else, its result can be cached on the file's contents; links
// between pages are resolved later, by the site package, which replaces the
// link markers Parse leaves in Page.Body.
package content

import (
	"strings"
)

// Kind says what a content file is, which follows from where it lives.
type Kind int

// The kinds of page.
const (
	KindDoc   Kind = iota // any other Markdown under content/
	KindEvent             // content/events/<slug>.md
	KindActor             // content/actors/<slug>.md: a description of an actor
	KindHome              // content/_index.md
)

// String names the kind for messages and templates.
func (k Kind) String() string {
	return [...]string{"doc", "event", "actor", "home"}[k]
}

// KindOf returns the kind of the content file at path, a slash-separated path
// relative to the project root such as "content/events/x.md".
func KindOf(path string) Kind {
	rel := strings.TrimPrefix(path, "content/")
	switch {
	case rel == "_index.md":
		return KindHome
	case strings.HasPrefix(rel, "events/") && strings.Count(rel, "/") == 1 && !strings.HasSuffix(rel, "/_index.md"):
		return KindEvent
	case strings.HasPrefix(rel, "actors/") && strings.Count(rel, "/") == 1 && !strings.HasSuffix(rel, "/_index.md"):
		return KindActor
	}
	return KindDoc
}

// Source is one citation of an event.
type Source struct {
	Title     string
	URL       string
	Publisher string
	Date      Date
}

// Heading is a section heading of a page's body, for its table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// MarkerPrefix starts every link marker: Parse writes link i's destination
// as MarkerPrefix followed by i, which the site package replaces.
const MarkerPrefix = "sitegen-link-"

// Link is an internal link written in a page's body. Parse replaces its
// destination in Body with Marker; the site package puts the final URL there.
type Link struct {
	Dest     string // as written, e.g. "../events/x.md#vote"
	Target   string // a content file ("content/events/x.md"), a site path ("/timeline/"), or "" for this page
	Fragment string // without the '#'
	Marker   string // the placeholder in Body
	Line     int
	Col      int
	Source   string // the text of the line, for error messages
}

// Pos locates a front matter key in its file.
type Pos struct {
	Line   int
	Col    int // column of the value, or of the key when the value is empty
	Source string
}

// Page is one parsed content file. Parse fills it and nothing changes it
// afterwards: the site package wraps it rather than writing to it, so a
// cached Page can be shared between builds. (A one-shot staged build, which
// shares it with no other, lets its Body, most Links and what locates
// its fields go once the site is assembled: see site.AssembleOnce.)
type Page struct {
	Meta

	Body     string    // rendered HTML, with Link markers in place of internal link destinations
	Headings []Heading // a documentation page's every heading, in order, for its table of contents; nil for other kinds
	Links    []Link
	Refs     []Ref          // the body's other link and image destinations, for the link check
	Fields   map[string]Pos // where each front matter key was written
	// BodyStart is the offset in the file where the Markdown body begins,
	// just past the front matter: Meta depends on the file's bytes before
	// it (and its path) only.
	BodyStart int
}

// Meta is what a page's path and front matter say about it: everything of
// a page but its body. The site package lets templates reach the Meta of
// every page but the body of the page being rendered only, which is what
// lets watch mode skip re-rendering pages when only another page's body
// changed.
type Meta struct {
	Path string // slash-separated, relative to the project root
	Kind Kind
	Slug string // the last URL segment: front matter `slug`, else the file name

	Title       string
	Description string
	Summary     string
	Weight      int
	Audience    string // a documentation page's: readers (the default) or contributors; see Audiences
	Date        Date
	End         Date
	Actors      []string
	Roles       []string // parallel to Actors: a key of site.yaml `roles:`, or ""
	ActorPos    []Pos    // parallel to Actors: where each is named, for errors (no Source)
	Type        string
	Track       string // a key of site.yaml `tracks:`, or "" when it declares none
	Votes       []Vote
	Follows     []string // slugs of the events this one follows from
	Sources     []Source
	Documents   []string
	Draft       bool
	Params      map[string]any // the free-form `params` map, for templates
}

// Blurb returns the page's summary, or its description when it has no
// summary: the one line that lists show under a title.
func (p *Meta) Blurb() string {
	if p.Summary != "" {
		return p.Summary
	}
	return p.Description
}
