package site

import (
	"html/template"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
)

// Site is the assembled site that templates read: every page with its URL,
// the timeline, actors, types and documentation navigation. Assembly builds
// a new Site for each build from the (possibly cached) parsed pages; nothing
// in it is shared with another build except the read-only content.Page values.
type Site struct {
	Config   *config.Config
	BasePath string // "/" or "/repo/"

	Home    *Doc     // content/_index.md; nil when absent
	Events  []*Event // in timeline order (see sortEvents)
	Years   []*Year  // Events grouped by year, oldest first
	Actors  []*Actor // sorted by name
	Types   []*Type  // in the order the config declares them
	Tracks  []*Track // in the order the config declares them; none when it declares none
	Docs    []*Doc   // documentation pages, sorted by section, weight, title
	Section []*Section

	// Parts are the pages of the timeline, oldest first: one when the
	// events fit on one page (see TimelinePart).
	Parts    []*TimelinePart
	overview *PageData // see OverviewData

	// PeriodEvents counts the events inside the config's headline period.
	PeriodEvents int

	// linkURLs holds, per page, the final URL of each of its Markdown links
	// (parallel to Page.Links), so a broken one is reported at its line.
	linkURLs map[*content.Page][]string
	// bodies holds every resolved body, for the next build to reuse.
	bodies Bodies
}

// Event is an event as templates see it. The fields it declares shadow the
// raw front matter values of the embedded Meta with resolved ones: Type is
// the type's entry, Track the track's, Actors the actors' pages, Roles
// each actor with its role, Votes each vote with its source, Follows the
// events followed from.
//
// Its body is unexported on purpose: a template reaches the body of the
// page it renders only, as PageData.Body. Every other page's output then
// depends on the events' front matter, never their bodies, and watch mode
// can skip re-rendering the other 9,999 pages when one event's text changes.
type Event struct {
	*content.Meta
	page   *content.Page
	body   template.HTML // links resolved
	packed []byte        // or the body packed (see AssembleOnce)
	URL    string        // with the base path: "/repo/events/<slug>/"
	Path   string        // without the base path: "/events/<slug>/"
	Type   *Type
	Track  *Track // nil when the config declares no tracks
	Actors []*Actor
	Roles  []ActorRole // parallel to Actors
	Votes  []*Vote
	// Follows are the events this one follows from, as front matter lists
	// them; LedTo the events that follow from this one, in timeline order.
	// LedTo depends on other events' front matter, which the render memo's
	// site key covers (see build/memo.go).
	Follows []*Event
	LedTo   []*Event
	// Prev and Next are the neighbours in the event's track (in the whole
	// timeline when there are no tracks).
	Prev *Event
	Next *Event
	Year int
	part *TimelinePart // its page of the timeline (see Site.TimelineURL)
}

// DateHuman is the event's date or span for readers: "12 September 2011",
// "10–12 May 2021".
func (e *Event) DateHuman() string { return content.HumanSpan(e.Date, e.End) }

// Datetime is the event's date in machine form at its precision, for
// <time datetime="...">.
func (e *Event) Datetime() string { return e.Date.String() }

// Year is one year of the timeline.
type Year struct {
	Year   int
	ID     string // anchor on the timeline page: "y2011"
	Events []*Event
}

// Actor is an actor page: one per name that any event gives.
type Actor struct {
	Name        string
	Slug        string
	URL         string
	Path        string
	Description string
	Events      []*Event
	page        *content.Page // content/actors/<slug>.md; nil when there is none
	body        template.HTML // its body, for PageData.Body (see Event)
}

// Type is an event type from the config, with its events.
type Type struct {
	Key         string
	Label       string
	Description string
	URL         string
	Path        string
	Events      []*Event
}

// Doc is a documentation page (or the home page). Its body reaches
// templates as PageData.Body of its own page only (see Event); its table
// of contents is public, for navigation.
type Doc struct {
	*content.Meta
	page    *content.Page
	body    template.HTML
	URL     string
	Path    string
	Section string            // first folder under content/ ("docs"), "" at the top
	TOC     []content.Heading // level 2 and 3 headings
}

// Section is one folder of documentation pages, for the sidebar.
type Section struct {
	Name  string // folder name
	Title string // from the folder's _index.md, else the name capitalised
	URL   string
	Path  string
	Index *Doc // the folder's _index.md, when it has one
	Docs  []*Doc
	// Groups are Docs by audience (content.Audiences, in that order),
	// those without pages left out: the docs navigation shows one group
	// each, the readers' guides apart from the contributors'.
	Groups []DocGroup
}

// DocGroup is the documentation pages of a section for one audience.
type DocGroup struct {
	Audience string // content.AudienceReaders or content.AudienceContributors
	Title    string // the group's heading: "For readers", "For contributors"
	Docs     []*Doc
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Title string
	URL   string
}

// PageData is what every page template receives as ".".
type PageData struct {
	Site        *Site
	Kind        string // home, timeline, event, actors, actor, types, type, tracks, track, doc, section, search, subscribe, siteindex, 404
	Title       string
	Description string
	URL         string // this page's URL with the base path
	Path        string // this page's path without the base path
	Breadcrumbs []Crumb
	// Body is this page's own body (an event's, an actor's, a document's,
	// the home page's or a section index's), links resolved; empty for
	// generated list pages.
	Body template.HTML

	Event   *Event
	Actor   *Actor
	Type    *Type
	Track   *Track
	Doc     *Doc
	Section *Section
	// Part is the part of the timeline a timeline page shows.
	Part *TimelinePart
	// List is the page of its list of events a type, actor or track
	// page shows (see ListPage).
	List *ListPage
}

// Nav returns what the site header (templates/partials/header.html) shows
// of this page: which of its links is the section the page belongs to.
func (p *PageData) Nav() Nav {
	n := Nav{Site: p.Site}
	switch p.Kind {
	case "timeline", "event":
		n.Current = "timeline"
	case "actors", "actor":
		n.Current = "actors"
	case "types", "type":
		n.Current = "types"
	case "tracks", "track":
		n.Current = "tracks"
	case "section", "doc":
		if p.Section != nil {
			n.Current = p.Section.URL
		}
	}
	// The list pages are the header's links themselves; an event, actor,
	// type, track or guide is inside the section the link leads to.
	switch p.Kind {
	case "timeline", "actors", "types", "tracks", "section":
		n.Self = n.Current != ""
	}
	return n
}

// Nav is what the site header needs of a page: the site, and which of the
// header's links leads to the page's section. It holds nothing else on
// purpose: it is comparable, and equal for every page whose header is the
// same bytes, so base.html renders the header once per distinct Nav
// (partialCached) instead of once per page, where its dozen escaped URLs
// are most of the work of a small page. Every event page shares one.
type Nav struct {
	Site *Site
	// Current names the header link of the page's section: "timeline",
	// "actors", "types", "tracks", or a documentation section's URL; ""
	// for a page in none (home, search, the site index).
	Current string
	// Self is true when the page is the one Current links to: the header
	// marks it aria-current="page", and a page inside it "true".
	Self bool
}

// The accessors below are functions, not methods, on purpose: templates can
// call methods, and a template that read another page's body could render
// differently when that page changed, which the render memo (see
// build/memo.go) assumes it cannot. Exports, the search index and the
// build, which are Go code, use these.

// EventBody returns an event's body, its links resolved.
func EventBody(e *Event) template.HTML {
	if e.packed != nil {
		return unpackBody(e.packed)
	}
	return e.body
}

// DocBody returns a documentation page's body, its links resolved.
func DocBody(d *Doc) template.HTML { return d.body }

// ActorBody returns an actor page's body, its links resolved.
func ActorBody(a *Actor) template.HTML { return a.body }

// EventPage returns the parsed content an event was made from.
func EventPage(e *Event) *content.Page { return e.page }

// DocPage returns the parsed content a documentation page was made from.
func DocPage(d *Doc) *content.Page { return d.page }

// ActorPage returns the parsed content of an actor's page; nil for an
// actor named by events that has no page of its own.
func ActorPage(a *Actor) *content.Page { return a.page }

// LinkURLs returns the final URL of each Markdown link of p (in the order
// of p.Links), so that a broken one is reported at its line.
func LinkURLs(s *Site, p *content.Page) []string { return s.linkURLs[p] }

// URL returns the URL of a site path: the path under the base path.
func (s *Site) URL(p string) string { return s.url(p) }
