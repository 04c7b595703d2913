package export

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// The output paths of the feeds and exports, relative to the output root.
// templates/partials/alternate.html announces each of them on every page and
// README.md ("Feeds and exports") documents them: keep the three in step.
const (
	AtomFile       = "feed.atom"       // Atom 1.0, application/atom+xml
	JSONFeedFile   = "feed.json"       // JSON Feed 1.1, application/feed+json
	ICalFile       = "events.ics"      // iCalendar (RFC 5545), text/calendar
	TimelineFile   = "timeline.json"   // the events as data, schema in README.md
	TimelineJSFile = "timelinejs.json" // Knight Lab TimelineJS JSON
)

// Generator names the program in the feeds' generator fields and the
// calendar's PRODID.
const Generator = "sitegen"

// WriteFeeds adds the feeds and data exports of the events to out. Every
// date in them comes from the content, except the iCalendar DTSTAMP, which
// is stamp when it is set (from SOURCE_DATE_EPOCH) and content-derived
// otherwise: nothing reads the clock, so two builds of the same files are
// byte-identical.
//
// reuse holds the entries the build before encoded, by file, when this
// build may reuse them (see memo), and is nil otherwise; every entry this
// build encodes or reuses goes into next, by file, unless next is nil (a
// staged build, which keeps nothing for another).
//
// pages is eventPages(s), made once per build for the feeds and the
// search index.
func WriteFeeds(s *site.Site, pages []*content.Page, out *output.Output, stamp time.Time, reuse, next map[string]EntryMemo) diag.List {
	f := newFeeder(s, pages, stamp)
	var errs diag.List
	// One writer at a time: Build runs them beside the page templates,
	// which keep the other cores busy, and on a large site each file is
	// hundreds of megabytes. Each writer encodes its new entries on every
	// core (see EventEntries).
	for _, w := range []struct {
		file  string
		write func(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error
	}{
		{AtomFile, f.atom},
		{JSONFeedFile, f.jsonFeed},
		{ICalFile, f.ical},
		{TimelineFile, f.timeline},
		{TimelineJSFile, f.timelineJS},
	} {
		if out.Has(w.file) {
			errs.Add(diag.Error{File: "assets/" + w.file, Msg: fmt.Sprintf("this asset has the name of the generated %s; rename or move it", w.file)})
			continue
		}
		var entries *EntryMemo
		if next != nil {
			entries = &EntryMemo{}
		}
		fw := out.Create(w.file)
		if w.file != AtomFile && w.file != JSONFeedFile {
			fw.Grow(2*len(s.Events) + 8) // an entry and a separator each
		}
		if err := w.write(fw, reuse[w.file], entries); err != nil {
			// Only a bug can get here: the encoders are given plain strings.
			fw.Abort()
			errs.Add(diag.Error{File: w.file, Msg: "cannot encode: " + err.Error()})
			continue
		}
		if err := fw.Close(); err != nil {
			errs.Add(diag.Error{File: w.file, Msg: err.Error()})
			continue
		}
		if next != nil {
			next[w.file] = *entries
		}
	}
	return errs
}

// feedFrom is the index in the site's events of the oldest event the Atom
// feed and the JSON Feed carry: they carry the newest Config.FeedLimit.
func (f *feeder) feedFrom() int {
	if n := f.s.Config.FeedLimit; n > 0 && len(f.s.Events) > n {
		return len(f.s.Events) - n
	}
	return 0
}

// ParseSourceDateEpoch reads the SOURCE_DATE_EPOCH convention of
// reproducible builds (https://reproducible-builds.org/specs/source-date-epoch/):
// a decimal count of seconds since 1970-01-01 UTC. An empty value gives the
// zero time, meaning "not set". A malformed one is an error rather than
// being ignored, because the spec asks builds not to fall back silently.
func ParseSourceDateEpoch(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a non-negative whole number of seconds since 1970-01-01 UTC", v)
	}
	// The stamp is written as the feeds' and the sitemap's updated time
	// and the calendar's DTSTAMP, all with a four-digit year: it must lie
	// within the years a content date may have.
	if last := time.Date(content.MaxYear, 12, 31, 23, 59, 59, 0, time.UTC); n > last.Unix() {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is after %s, the last moment the feeds and the calendar can write (years %04d to %04d)", v, last.Format(time.RFC3339), content.MinYear, content.MaxYear)
	}
	return time.Unix(n, 0).UTC(), nil
}

// feeder holds what every feed writer needs: the site, its absolute base
// URL and the optional SOURCE_DATE_EPOCH stamp.
type feeder struct {
	s     *site.Site
	base  *url.URL
	stamp time.Time
	// bodies holds, parallel to s.Events, the body absBody returned for
	// each event the feeds carry (see feedFrom): three files carry those,
	// so each is made once, and only when an entry that carries it is
	// encoded (a rebuild reuses the entries of every unchanged event). The
	// older events' bodies go into timeline.json alone and are not kept:
	// on a large site they would hold as much memory as the export.
	bodies []lazyBody
	// newest is newestEntryTime's answer, found once for the two files
	// that carry it: a pass over every event.
	newest time.Time
	// pages is the events' pages, in order (see EventEntries).
	pages []*content.Page
}

// lazyBody is one event's absolutized body, made on first use by
// whichever writer's worker needs it first.
type lazyBody struct {
	once sync.Once
	s    string
}

func newFeeder(s *site.Site, pages []*content.Page, stamp time.Time) *feeder {
	f := &feeder{s: s, base: s.Config.BaseURL, stamp: stamp, bodies: make([]lazyBody, len(s.Events)), pages: pages}
	for _, e := range s.Events {
		if et := entryTime(e); et.After(f.newest) {
			f.newest = et
		}
	}
	if f.newest.IsZero() {
		// A site without events still needs a valid date; the epoch says
		// "nothing yet" without consulting the clock.
		f.newest = time.Unix(0, 0).UTC()
	}
	return f
}

// abs returns the absolute URL of a site path written without the base path
// ("/events/x/" → "https://user.github.io/repo/events/x/").
func (f *feeder) abs(sitePath string) string {
	u := *f.base
	u.Path = f.s.BasePath + strings.TrimPrefix(sitePath, "/")
	u.RawPath = ""
	return u.String()
}

// absBody returns the HTML body of s.Events[i] with every link and image
// made absolute against the event's page. Feed readers, calendars and
// embeds show the body away from the site, where "/repo/events/x/" or
// "#vote" would point nowhere. It is safe to call from several
// goroutines.
func (f *feeder) absBody(i int) string {
	if i < f.feedFrom() {
		return f.absolutizeBody(f.s.Events[i])
	}
	b := &f.bodies[i]
	b.once.Do(func() { b.s = f.absolutizeBody(f.s.Events[i]) })
	return b.s
}

func (f *feeder) absolutizeBody(e *site.Event) string {
	page, _ := url.Parse(f.abs(e.Path))
	return absolutizeHTML(string(site.EventBody(e)), page)
}

// absolutizeHTML resolves the double-quoted href and src attributes of an
// HTML fragment against page. goldmark (and so every event body) always
// writes attributes with double quotes, which is what makes a scan enough.
func absolutizeHTML(s string, page *url.URL) string {
	var b strings.Builder
	// Absolute URLs make the body a little longer; room for that up front
	// spares the builder's copies as it grows.
	b.Grow(len(s) + len(s)/8)
	// next[k] is where the next attrs[k] starts in s, -1 when there is
	// none; only the one consumed is searched for again, so a body with
	// many links and no image is not scanned to its end for each link.
	attrs := [2]string{` href="`, ` src="`}
	var next [2]int
	for k, a := range attrs {
		next[k] = strings.Index(s, a)
	}
	at := 0 // s[:at] is written
	for {
		k := 0
		if next[0] < 0 || (next[1] >= 0 && next[1] < next[0]) {
			k = 1
		}
		i := next[k]
		if i < 0 {
			b.WriteString(s[at:])
			return b.String()
		}
		start := i + len(attrs[k])
		b.WriteString(s[at:start])
		j := strings.IndexByte(s[start:], '"')
		if j < 0 {
			b.WriteString(s[start:])
			return b.String()
		}
		raw := html.UnescapeString(s[start : start+j])
		if ref, err := url.Parse(raw); err == nil && ref.Scheme == "" {
			raw = page.ResolveReference(ref).String()
		}
		b.WriteString(html.EscapeString(raw))
		at = start + j
		for k, a := range attrs {
			if next[k] >= 0 && next[k] < at {
				// Consumed, or inside the value just written.
				if n := strings.Index(s[at:], a); n >= 0 {
					next[k] = at + n
				} else {
					next[k] = -1
				}
			}
		}
	}
}

// entryTime is the instant a feed entry is dated: the start of the event's
// date at its written precision (1 January for a year), in UTC unless the
// author wrote an offset.
func entryTime(e *site.Event) time.Time { return e.Date.Time }

// newestEntryTime is the feed-level updated date: the latest entry date, so
// that it changes only when the content does.
func (f *feeder) newestEntryTime() time.Time { return f.newest }

// typeLabel is the label of an event's type, or its raw key when the type
// is unknown (only in a build that already reported that error).
func typeLabel(e *site.Event) string {
	if e.Type != nil {
		return e.Type.Label
	}
	return e.Meta.Type
}

// actorNames lists the names of an event's actors, never nil.
func actorNames(e *site.Event) []string {
	names := make([]string, 0, len(e.Actors))
	for _, a := range e.Actors {
		names = append(names, a.Name)
	}
	return names
}
