package export

import (
	"bytes"
	"html"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/output"
)

// TimelineSchemaVersion is the "version" field of timeline.json. It goes up
// only when a field is removed or changes meaning; new fields may appear
// without it. README.md ("Feeds and exports") documents every field.
const TimelineSchemaVersion = 1

// timelineDoc is timeline.json: the events as data, in timeline order, with
// the types and actors they refer to. Field names are snake_case like JSON
// Feed's; every list is present, possibly empty, never null.
type timelineDoc struct {
	Version     int             `json:"version"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	URL         string          `json:"url"`
	Types       []timelineType  `json:"types"`
	Actors      []timelineActor `json:"actors"`
	Events      []timelineEvent `json:"events"`
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
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary"`
	Date          string           `json:"date"`
	DatePrecision string           `json:"date_precision"`
	End           string           `json:"end,omitempty"`
	EndPrecision  string           `json:"end_precision,omitempty"`
	DateDisplay   string           `json:"date_display"`
	Type          string           `json:"type"`
	Actors        []string         `json:"actors"`
	Documents     []string         `json:"documents"`
	Sources       []timelineSource `json:"sources"`
	BodyHTML      string           `json:"body_html"`
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
// are encoded one by one (see eventEntries) and joined into it.
func (f *feeder) timeline(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	doc := timelineDoc{
		Version:     TimelineSchemaVersion,
		Title:       cfg.Title,
		Description: cfg.Description,
		URL:         f.abs("/"),
		Types:       []timelineType{},
		Actors:      []timelineActor{},
		Events:      []timelineEvent{},
	}
	for _, t := range f.s.Types {
		doc.Types = append(doc.Types, timelineType{Key: t.Key, Label: t.Label, Description: t.Description, URL: f.abs(t.Path)})
	}
	for _, a := range f.s.Actors {
		doc.Actors = append(doc.Actors, timelineActor{Slug: a.Slug, Name: a.Name, URL: f.abs(a.Path)})
	}
	head, err := marshalJSON(doc)
	if err != nil {
		return err
	}
	return writeJSONArray(fw, head, "events", func(elem func([]byte)) error {
		return eventEntries(f.pages, false, reuse, next, func(i int) ([]byte, error) {
			te := f.timelineEvent(i)
			b := te.appendJSON(make([]byte, 0, len(te.BodyHTML)+len(te.BodyHTML)/16+1024))
			if cap(b)-len(b) > len(b)/8 {
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
		Actors:        make([]string, 0, len(e.Actors)),
		Documents:     append([]string{}, e.Documents...),
		Sources:       make([]timelineSource, 0, len(e.Sources)),
		BodyHTML:      f.absBody(i),
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
		return eventEntries(f.pages, false, reuse, next, f.timelineJSSlide, elem)
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
