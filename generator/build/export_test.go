package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/export"
	"golang.org/x/tools/txtar"
)

// documentedTimeline is timeline.json's schema as README.md documents it,
// written out here rather than reusing the encoder's types, so that a field
// added, renamed or retyped in the code and not in README fails the test.
type documentedTimeline struct {
	Version     int    `json:"version"`
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	Types       []struct {
		Key, Label, Description, URL string
	} `json:"types"`
	Tracks []struct {
		Key, Label, Description, Colour, URL string
	} `json:"tracks"`
	Roles []struct {
		Key, Label, Description string
	} `json:"roles"`
	Actors []struct {
		Slug, Name, URL string
	} `json:"actors"`
	Events []struct {
		ID            string            `json:"id"`
		URL           string            `json:"url"`
		Title         string            `json:"title"`
		Summary       string            `json:"summary"`
		Date          string            `json:"date"`
		DatePrecision string            `json:"date_precision"`
		End           *string           `json:"end"`
		EndPrecision  *string           `json:"end_precision"`
		DateDisplay   string            `json:"date_display"`
		Type          string            `json:"type"`
		Track         string            `json:"track"`
		Actors        []string          `json:"actors"`
		Roles         map[string]string `json:"roles"`
		Documents     []string          `json:"documents"`
		Sources       []struct {
			Title     string  `json:"title"`
			URL       string  `json:"url"`
			Publisher *string `json:"publisher"`
			Date      *string `json:"date"`
		} `json:"sources"`
		Votes    []documentedVote `json:"votes"`
		Follows  []string         `json:"follows"`
		LedTo    []string         `json:"led_to"`
		BodyHTML string           `json:"body_html"`
	} `json:"events"`
}

// documentedVote is one vote of an event in timeline.json.
type documentedVote struct {
	Body               string          `json:"body"`
	AdoptedWithoutVote bool            `json:"adopted_without_vote"`
	Yes                documentedCount `json:"yes"`
	No                 documentedCount `json:"no"`
	Abstain            documentedCount `json:"abstain"`
	Absent             *int            `json:"absent"`
	Source             int             `json:"source"`
	Note               string          `json:"note"`
}

// documentedCount is yes, no or abstain of a vote in timeline.json: there
// (Set) for a recorded vote, left out for a text adopted without a vote;
// a whole number, or null (Null) for a count no source gives.
type documentedCount struct {
	Set, Null bool
	N         int
}

func (c *documentedCount) UnmarshalJSON(b []byte) error {
	c.Set = true
	if string(b) == "null" {
		c.Null = true
		return nil
	}
	if err := json.Unmarshal(b, &c.N); err != nil || c.N < 0 {
		return fmt.Errorf("a count is a whole number, 0 or more, or null; got %s", b)
	}
	return nil
}

// TestExportTimelineJSON decodes timeline.json strictly against the
// documented schema and checks it against the site.
func TestExportTimelineJSON(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	src := res.Output.File(export.TimelineFile)
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	var doc documentedTimeline
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("timeline.json does not match the documented schema: %v", err)
	}
	if doc.Version != export.TimelineSchemaVersion || doc.URL != feedBase || doc.Title != res.Site.Config.Title {
		t.Errorf("version %d, url %q, title %q", doc.Version, doc.URL, doc.Title)
	}
	// Lists are [] when empty, never null: consumers can loop without a
	// check. The one null is a vote's count that no source gives.
	if counts := regexp.MustCompile(`"(yes|no|abstain)": null`); bytes.Contains(counts.ReplaceAll(src, nil), []byte(": null")) {
		t.Errorf("timeline.json has a null other than a vote's unknown count")
	}
	types := map[string]bool{}
	for _, ty := range doc.Types {
		types[ty.Key] = true
	}
	actors := map[string]bool{}
	for _, a := range doc.Actors {
		actors[a.Slug] = true
		if !sitePageExists(res.Output, a.URL) {
			t.Errorf("actor %s: url %q is not a page of the site", a.Slug, a.URL)
		}
	}
	if len(doc.Types) != len(res.Site.Types) || len(doc.Actors) != len(res.Site.Actors) {
		t.Errorf("%d types and %d actors, want %d and %d", len(doc.Types), len(doc.Actors), len(res.Site.Types), len(res.Site.Actors))
	}
	if len(doc.Events) != len(res.Site.Events) {
		t.Fatalf("%d events, want %d", len(doc.Events), len(res.Site.Events))
	}
	checkChronology(t, &doc)
	written := regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	for i, ev := range doc.Events {
		e := res.Site.Events[i] // timeline order
		if ev.ID != e.Slug || ev.Title != e.Title || ev.Summary != e.Summary || !sitePageExists(res.Output, ev.URL) {
			t.Errorf("event %d: id %q, title %q, url %q; want %s", i, ev.ID, ev.Title, ev.URL, e.Slug)
		}
		// The date as written, at its precision: "2015" stays "2015".
		if ev.Date != e.Date.String() || ev.DatePrecision != content.PrecisionName(e.Date.Precision) || !written.MatchString(ev.Date) {
			t.Errorf("event %s: date %q (%s), want %q", e.Slug, ev.Date, ev.DatePrecision, e.Date.String())
		}
		if got, err := content.ParseDate(ev.Date); err != nil || got.Precision != e.Date.Precision {
			t.Errorf("event %s: date %q does not read back at its precision: %v", e.Slug, ev.Date, err)
		}
		if e.End.IsZero() != (ev.End == nil) || (ev.End != nil && (*ev.End != e.End.String() || *ev.EndPrecision != content.PrecisionName(e.End.Precision))) {
			t.Errorf("event %s: end %v, want %q", e.Slug, ev.End, e.End.String())
		}
		if !types[ev.Type] {
			t.Errorf("event %s: type %q is not in types", e.Slug, ev.Type)
		}
		for _, a := range ev.Actors {
			if !actors[a] {
				t.Errorf("event %s: actor %q is not in actors", e.Slug, a)
			}
		}
		if len(ev.Sources) != len(e.Sources) || len(ev.Sources) == 0 || ev.Sources[0].URL == "" {
			t.Errorf("event %s: %d sources, want %d", e.Slug, len(ev.Sources), len(e.Sources))
		}
		checkAbsoluteLinks(t, "timeline.json "+e.Slug, ev.BodyHTML)
	}
}

// TestExportTimelineJSDates checks the TimelineJS export's dates at the
// written precision and its text escaping; the browser test shows that
// TimelineJS itself reads it.
func TestExportTimelineJSDates(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	var doc struct {
		Title struct {
			Text struct{ Headline, Text string }
		}
		Events []struct {
			UniqueID  string                     `json:"unique_id"`
			StartDate map[string]json.RawMessage `json:"start_date"`
			EndDate   map[string]json.RawMessage `json:"end_date"`
			Text      struct{ Headline, Text string }
			Group     string `json:"group"`
		}
	}
	if err := json.Unmarshal(res.Output.File(export.TimelineJSFile), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Events) != len(res.Site.Events) {
		t.Fatalf("%d slides, want %d", len(doc.Events), len(res.Site.Events))
	}
	keys := func(m map[string]json.RawMessage) string {
		var ks []string
		for _, k := range []string{"year", "month", "day", "hour"} {
			if _, ok := m[k]; ok {
				ks = append(ks, k)
			}
		}
		return strings.Join(ks, ",")
	}
	want := map[content.Precision]string{content.Year: "year", content.Month: "year,month", content.Day: "year,month,day", content.Instant: "year,month,day,hour"}
	for i, ev := range doc.Events {
		e := res.Site.Events[i]
		if ev.UniqueID != e.Slug || ev.Group != e.Type.Label {
			t.Errorf("slide %d: id %q, group %q; want %s in %s", i, ev.UniqueID, ev.Group, e.Slug, e.Type.Label)
		}
		if got := keys(ev.StartDate); got != want[e.Date.Precision] {
			t.Errorf("slide %s: start_date has %s, want %s for %s", e.Slug, got, want[e.Date.Precision], e.Date)
		}
		if e.End.IsZero() != (ev.EndDate == nil) || (ev.EndDate != nil && keys(ev.EndDate) != want[e.End.Precision]) {
			t.Errorf("slide %s: end_date %v for end %q", e.Slug, ev.EndDate, e.End.String())
		}
		if string(ev.StartDate["year"]) != e.Date.Time.Format("2006") {
			t.Errorf("slide %s: year %s", e.Slug, ev.StartDate["year"])
		}
		// Headline and text are HTML to TimelineJS: text must arrive escaped.
		if strings.ContainsAny(strings.ReplaceAll(ev.Text.Headline, "&#39;", ""), "<>\"'") {
			t.Errorf("slide %s: headline %q is not HTML-escaped", e.Slug, ev.Text.Headline)
		}
		if !strings.Contains(ev.Text.Text, `href="`+feedBase+strings.TrimPrefix(e.Path, "/")+`"`) {
			t.Errorf("slide %s: text does not link to the event page: %q", e.Slug, ev.Text.Text)
		}
	}
}

// checkChronology checks the chronology fields of timeline.json against
// its own vocabularies: every track, role and actor is declared, every
// follows and led_to names an event, and each is the other's mirror.
func checkChronology(t *testing.T, doc *documentedTimeline) {
	t.Helper()
	tracks, roles, actors, ids := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, tr := range doc.Tracks {
		tracks[tr.Key] = true
	}
	for _, r := range doc.Roles {
		roles[r.Key] = true
	}
	for _, a := range doc.Actors {
		actors[a.Slug] = true
	}
	for _, ev := range doc.Events {
		ids[ev.ID] = true
	}
	follows := map[[2]string]bool{}
	for _, ev := range doc.Events {
		if len(tracks) > 0 && !tracks[ev.Track] {
			t.Errorf("event %s: track %q is not in tracks", ev.ID, ev.Track)
		}
		for a, r := range ev.Roles {
			if !actors[a] || !roles[r] || !slices.Contains(ev.Actors, a) {
				t.Errorf("event %s: role %q of %q: not a declared role of one of its actors", ev.ID, r, a)
			}
		}
		for _, f := range ev.Follows {
			follows[[2]string{ev.ID, f}] = true
		}
		for _, v := range ev.Votes {
			recorded := v.Yes.Set && v.No.Set && v.Abstain.Set
			none := !v.Yes.Set && !v.No.Set && !v.Abstain.Set
			if v.AdoptedWithoutVote && !none || !v.AdoptedWithoutVote && !recorded || v.Yes.Null && v.No.Null && v.Abstain.Null || v.Source < 1 || v.Source > len(ev.Sources) {
				t.Errorf("event %s: vote %+v", ev.ID, v)
			}
		}
	}
	for _, ev := range doc.Events {
		for _, f := range ev.Follows {
			if !ids[f] {
				t.Errorf("event %s follows %q, which is not an event", ev.ID, f)
			}
		}
		for _, l := range ev.LedTo {
			if !follows[[2]string{l, ev.ID}] {
				t.Errorf("event %s led to %q, which does not follow it", ev.ID, l)
			}
			delete(follows, [2]string{l, ev.ID})
		}
	}
	for f := range follows {
		t.Errorf("event %s follows %s, whose led_to does not list it", f[0], f[1])
	}
}

// TestExportTimelineChronology: a vote with its numbers (the keys yes and
// no, which YAML 1.1 reads as booleans, included), one adopted without a
// vote, roles and follows come out in timeline.json as documented.
func TestExportTimelineChronology(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(chronologySite))), Options{BaseURL: feedBase})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	dec := json.NewDecoder(bytes.NewReader(res.Output.File(export.TimelineFile)))
	dec.DisallowUnknownFields()
	var doc documentedTimeline
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("timeline.json does not match the documented schema: %v", err)
	}
	checkChronology(t, &doc)
	byID := map[string]int{}
	for i, ev := range doc.Events {
		byID[ev.ID] = i
	}
	vote := doc.Events[byID["vote"]]
	if len(vote.Votes) != 2 {
		t.Fatalf("votes %+v", vote.Votes)
	}
	v, w := vote.Votes[0], vote.Votes[1]
	if v.Body != "General Assembly plenary" || v.Yes.N != 79 || v.No.N != 60 || v.Abstain.N != 33 || v.Yes.Null || v.No.Null || v.Abstain.Null || v.Absent != nil || v.Source != 2 || v.Note != "As reported." {
		t.Errorf("vote 1: %+v", v)
	}
	if !w.AdoptedWithoutVote || w.Yes.Set || w.Source != 1 {
		t.Errorf("vote 2: %+v", w)
	}
	// A count written unknown is null; the others are numbers.
	p := doc.Events[byID["partial"]].Votes
	if len(p) != 1 || p[0].Yes.N != 139 || p[0].Yes.Null || p[0].No.N != 11 || !p[0].Abstain.Set || !p[0].Abstain.Null {
		t.Errorf("partial vote: %+v; want 139, 11 and abstain null", p)
	}
	if raw := string(res.Output.File(export.TimelineFile)); !strings.Contains(raw, `"abstain": null`) {
		t.Error(`timeline.json has no "abstain": null for the count written unknown`)
	}
	if vote.Track != "cybercrime" || vote.Roles["russia"] != "sponsor" || vote.Roles["united-states"] != "opposed" || len(vote.Roles) != 2 {
		t.Errorf("track %q, roles %v", vote.Track, vote.Roles)
	}
	if strings.Join(vote.Follows, ",") != "draft" || strings.Join(doc.Events[byID["draft"]].LedTo, ",") != "vote,reaction" {
		t.Errorf("follows %v, led_to %v", vote.Follows, doc.Events[byID["draft"]].LedTo)
	}
	// The reaction, known only to the month, comes after the vote of 27
	// December that it follows.
	if byID["reaction"] < byID["vote"] {
		t.Errorf("order %v: the month-only reaction comes before the vote", byID)
	}
}

// chronologySite is a small site using every chronology field.
const chronologySite = `
-- content/actors/russia.md --
---
title: Russia
---
-- content/actors/united-states.md --
---
title: United States
---
-- content/actors/un-general-assembly.md --
---
title: UN General Assembly
---
-- content/events/draft.md --
---
title: The draft
date: 2019-11-01
actor:
  - Russia: sponsor
type: proposal
track: cybercrime
---
The draft.
-- content/events/vote.md --
---
title: The vote
date: 2019-12-27
actor:
  - Russia: sponsor
  - United States: opposed
  - UN General Assembly
type: resolution
track: cybercrime
votes:
  - body: "General Assembly plenary"
    yes: 79
    no: 60
    abstain: 33
    source: 2
    note: "As reported."
  - body: "Third Committee"
    adopted_without_vote: true
    source: 1
sources:
  - title: Resolution
    url: https://undocs.org/A/RES/74/247
  - title: Press release
    url: https://press.un.org/en/2019/ga12235.doc.htm
follows: [draft]
---
The vote.
-- content/events/partial.md --
---
title: The committee's vote
date: 2019-11-18
actor: Russia
type: committee-vote
track: cybercrime
votes:
  - body: "Third Committee"
    yes: 139
    no: 11
    abstain: unknown
    source: 1
    note: "The agency gives no abstentions."
sources:
  - title: Agency report
    url: https://example.org/report
---
A vote whose abstentions no source gives.
-- content/events/reaction.md --
---
title: Officials react
date: 2019-12
actor: Russia
type: statement
track: cybercrime
follows: [vote, draft]
---
A reaction.
-- content/events/other.md --
---
title: Another thread
date: 2019-12-28
actor: United States
type: report
track: information-security
---
Other.
`
