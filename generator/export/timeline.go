package export

import (
	"bytes"
	"html"
	"strconv"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// TimelineSchemaVersion is the "version" field of timeline.json. It goes up
// only when a field is removed or changes meaning; new fields may appear
// without it. README.md ("Feeds and exports") documents every field.
//
// Version 2: the events' order changed meaning (an event known only to the
// month or year comes after the events dated inside that period, and
// follows orders overlapping events), and events gained track, roles,
// votes, follows and led_to, the document tracks and roles.
//
// Version 3: a vote's yes, no or abstain may be null, a count no source
// gives (the author wrote `unknown`); a reader that took every count for a
// number would have misread it.
const TimelineSchemaVersion = 3

// timelineDoc is timeline.json: the events as data, in timeline order, with
// the types and actors they refer to. Field names are snake_case like JSON
// Feed's; every list is present, possibly empty, never null.
type timelineDoc struct {
	Version     int             `json:"version"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	URL         string          `json:"url"`
	Types       []timelineType  `json:"types"`
	Tracks      []timelineTrack `json:"tracks"`
	Roles       []timelineRole  `json:"roles"`
	Actors      []timelineActor `json:"actors"`
	Events      []timelineEvent `json:"events"`
}

type timelineTrack struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Colour      string `json:"colour"`
	URL         string `json:"url"`
}

type timelineRole struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// timelineVote is one vote of an event. A text adopted without a vote has
// no yes, no or abstain; a recorded vote has all three, each a number or
// null for a count no source gives; absent is there only when the source
// gives it.
type timelineVote struct {
	Body               string     `json:"body"`
	AdoptedWithoutVote bool       `json:"adopted_without_vote"`
	Yes                *voteCount `json:"yes,omitempty"`
	No                 *voteCount `json:"no,omitempty"`
	Abstain            *voteCount `json:"abstain,omitempty"`
	Absent             *int       `json:"absent,omitempty"`
	Source             int        `json:"source"` // 1-based, into the event's sources
	Note               string     `json:"note,omitempty"`
}

// voteCount is yes, no or abstain of a recorded vote: a number, or JSON
// null for a count the sources do not give (front matter: unknown). Null
// rather than leaving the key out: a recorded vote always has the three
// keys, and a reader that meets null knows the count was not given, where
// a missing key could be read as an old file or an adopted text.
type voteCount struct {
	n       int
	unknown bool
}

// MarshalJSON writes the count, or null when it is unknown.
func (c voteCount) MarshalJSON() ([]byte, error) {
	if c.unknown {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(c.n), 10), nil
}

type timelineType struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
	URL         string `json:"url"`
}

type timelineActor struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type timelineEvent struct {
	ID            string            `json:"id"`
	URL           string            `json:"url"`
	Title         string            `json:"title"`
	Summary       string            `json:"summary"`
	Date          string            `json:"date"`
	DatePrecision string            `json:"date_precision"`
	End           string            `json:"end,omitempty"`
	EndPrecision  string            `json:"end_precision,omitempty"`
	DateDisplay   string            `json:"date_display"`
	Type          string            `json:"type"`
	Track         string            `json:"track"`
	Actors        []string          `json:"actors"`
	Roles         map[string]string `json:"roles"` // actor slug → role key, for the actors that have one
	Documents     []string          `json:"documents"`
	Sources       []timelineSource  `json:"sources"`
	Votes         []timelineVote    `json:"votes"`
	Follows       []string          `json:"follows"` // ids of the events this one follows from
	LedTo         []string          `json:"led_to"`  // ids of the events that follow from this one
	BodyHTML      string            `json:"body_html"`
}

type timelineSource struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
}

// timeline writes timeline.json. Dates stay at the precision they were
// written at ("2011", "2011-09", "2011-09-12"), so a consumer can tell "in
// September 2011" from "on 1 September 2011".
//
// The types and actors are few and encoded with the document; the events
// are encoded one by one (see EventEntries) and joined into it.
func (f *feeder) timeline(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	doc := timelineDoc{
		Version:     TimelineSchemaVersion,
		Title:       cfg.Title,
		Description: cfg.Description,
		URL:         f.abs("/"),
		Types:       []timelineType{},
		Tracks:      []timelineTrack{},
		Roles:       []timelineRole{},
		Actors:      []timelineActor{},
		Events:      []timelineEvent{},
	}
	for _, t := range f.s.Types {
		doc.Types = append(doc.Types, timelineType{Key: t.Key, Label: t.Label, Description: t.Description, URL: f.abs(t.Path)})
	}
	for _, t := range f.s.Tracks {
		doc.Tracks = append(doc.Tracks, timelineTrack{Key: t.Key, Label: t.Label, Description: t.Description, Colour: t.Colour, URL: f.abs(t.Path)})
	}
	for _, r := range cfg.Roles {
		doc.Roles = append(doc.Roles, timelineRole{Key: r.Key, Label: r.Label, Description: r.Description})
	}
	for _, a := range f.s.Actors {
		doc.Actors = append(doc.Actors, timelineActor{Slug: a.Slug, Name: a.Name, URL: f.abs(a.Path)})
	}
	head, err := marshalJSON(doc)
	if err != nil {
		return err
	}
	return writeJSONArray(fw, head, "events", func(elem func([]byte)) error {
		return EventEntries(f.pages, false, reuse, next, func(i int) ([]byte, error) {
			te := f.timelineEvent(i)
			b := te.appendJSON(make([]byte, 0, len(te.BodyHTML)+len(te.BodyHTML)/16+1024))
			if next != nil && cap(b)-len(b) > len(b)/8 {
				b = bytes.Clone(b) // kept by watch mode's memo
			}
			return b, nil
		}, elem)
	})
}

// timelineEvent is s.Events[i] as timeline.json carries it.
func (f *feeder) timelineEvent(i int) timelineEvent {
	e := f.s.Events[i]
	te := timelineEvent{
		ID:            e.Slug,
		URL:           f.abs(e.Path),
		Title:         e.Title,
		Summary:       e.Summary,
		Date:          e.Date.String(),
		DatePrecision: content.PrecisionName(e.Date.Precision),
		DateDisplay:   e.DateHuman(),
		Type:          e.Meta.Type,
		Track:         e.Meta.Track,
		Actors:        make([]string, 0, len(e.Actors)),
		Roles:         map[string]string{},
		Documents:     append([]string{}, e.Documents...),
		Sources:       make([]timelineSource, 0, len(e.Sources)),
		Votes:         make([]timelineVote, 0, len(e.Votes)),
		Follows:       eventIDs(e.Follows),
		LedTo:         eventIDs(e.LedTo),
		BodyHTML:      f.absBody(i),
	}
	for _, r := range e.Roles {
		if r.Role != nil {
			te.Roles[r.Actor.Slug] = r.Role.Key
		}
	}
	for _, v := range e.Votes {
		te.Votes = append(te.Votes, newTimelineVote(v))
	}
	if !e.End.IsZero() {
		te.End = e.End.String()
		te.EndPrecision = content.PrecisionName(e.End.Precision)
	}
	for _, a := range e.Actors {
		te.Actors = append(te.Actors, a.Slug)
	}
	for _, src := range e.Sources {
		ts := timelineSource{Title: src.Title, URL: src.URL, Publisher: src.Publisher}
		if !src.Date.IsZero() {
			ts.Date = src.Date.String()
		}
		te.Sources = append(te.Sources, ts)
	}
	return te
}

// eventIDs gives the ids (slugs) of events, never nil.
func eventIDs(events []*site.Event) []string {
	ids := make([]string, 0, len(events))
	for _, e := range events {
		ids = append(ids, e.Slug)
	}
	return ids
}

func newTimelineVote(v *site.Vote) timelineVote {
	tv := timelineVote{Body: v.Body, AdoptedWithoutVote: v.AdoptedWithoutVote, Source: v.Source, Note: v.Note}
	if !v.AdoptedWithoutVote {
		tv.Yes = &voteCount{v.Yes, v.YesUnknown}
		tv.No = &voteCount{v.No, v.NoUnknown}
		tv.Abstain = &voteCount{v.Abstain, v.AbstainUnknown}
	}
	if v.HasAbsent {
		absent := v.Absent
		tv.Absent = &absent
	}
	return tv
}

// The TimelineJS JSON format (https://timeline.knightlab.com/docs/json-format.html).
type tljsDoc struct {
	Title  *tljsSlide  `json:"title,omitempty"`
	Events []tljsSlide `json:"events"`
	Scale  string      `json:"scale"`
}

type tljsSlide struct {
	UniqueID    string    `json:"unique_id,omitempty"`
	StartDate   *tljsDate `json:"start_date,omitempty"`
	EndDate     *tljsDate `json:"end_date,omitempty"`
	Text        tljsText  `json:"text"`
	Group       string    `json:"group,omitempty"`
	DisplayDate string    `json:"display_date,omitempty"`
}

// tljsDate carries only the fields the written date has: TimelineJS shows a
// date with just a year as a year, with a month as a month.
type tljsDate struct {
	Year   int  `json:"year"`
	Month  int  `json:"month,omitempty"`
	Day    int  `json:"day,omitempty"`
	Hour   *int `json:"hour,omitempty"`
	Minute *int `json:"minute,omitempty"`
	Second *int `json:"second,omitempty"`
}

// tljsText holds HTML: TimelineJS inserts headline and text as markup.
type tljsText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

// timelineJS writes the events in Knight Lab's TimelineJS JSON format, so
// that any TimelineJS embed can show the timeline: one slide per event,
// grouped by type, with a title slide from the site config.
func (f *feeder) timelineJS(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	doc := tljsDoc{
		Title: &tljsSlide{Text: tljsText{
			Headline: html.EscapeString(cfg.Title),
			Text:     "<p>" + html.EscapeString(cfg.Description) + "</p>",
		}},
		Events: []tljsSlide{},
		Scale:  "human",
	}
	head, err := marshalJSON(doc)
	if err != nil {
		return err
	}
	return writeJSONArray(fw, head, "events", func(elem func([]byte)) error {
		return EventEntries(f.pages, false, reuse, next, f.timelineJSSlide, elem)
	})
}

// timelineJSSlide encodes the slide of s.Events[i].
func (f *feeder) timelineJSSlide(i int) ([]byte, error) {
	e := f.s.Events[i]
	u := f.abs(e.Path)
	text := ""
	if e.Summary != "" {
		text = "<p>" + html.EscapeString(e.Summary) + "</p>"
	}
	text += `<p><a href="` + html.EscapeString(u) + `">Read the full entry and its sources</a></p>`
	slide := tljsSlide{
		UniqueID:    e.Slug,
		StartDate:   tljsDateOf(e.Date),
		Text:        tljsText{Headline: html.EscapeString(e.Title), Text: text},
		Group:       typeLabel(e),
		DisplayDate: e.DateHuman(),
	}
	if !e.End.IsZero() {
		slide.EndDate = tljsDateOf(e.End)
	}
	return marshalJSONEntry(slide)
}

// tljsDateOf gives a date's year, month and day down to its precision.
func tljsDateOf(d content.Date) *tljsDate {
	t := d.Time
	td := &tljsDate{Year: t.Year()}
	if d.Precision >= content.Month {
		td.Month = int(t.Month())
	}
	if d.Precision >= content.Day {
		td.Day = t.Day()
	}
	if d.Precision == content.Instant {
		h, m, s := t.Hour(), t.Minute(), t.Second()
		td.Hour, td.Minute, td.Second = &h, &m, &s
	}
	return td
}
