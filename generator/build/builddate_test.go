package build

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/output"
	"golang.org/x/tools/txtar"
)

// clockSite is a mini-site whose content has fixed dates, so that the day a
// test runs is never a date of its content (unless the clock is in 2011).
const clockSite = `
-- content/_index.md --
---
title: Home
---
Welcome.
-- content/events/first.md --
---
title: First
date: 2011-09-12
actor: Russia
type: proposal
track: cybercrime
summary: A draft.
---
Body.
-- content/events/span.md --
---
title: Span
date: 2015-05-10
end: 2015-05-12
actor: Russia
type: meeting
track: cybercrime
summary: A meeting.
---
Body.
`

// dateForms are the ways the outputs write a date: ISO (HTML datetime,
// feeds, JSON), the calendar's basic form, for readers, and RFC 1123.
var dateForms = []string{"2006-01-02", "20060102", "2 January 2006", "Mon, 02 Jan 2006"}

// filesWithDate returns the output files that carry day in one of
// dateForms. The day is an input, so that a test says which day it means
// rather than reading the clock.
func filesWithDate(out *output.Output, day time.Time) []string {
	var found []string
	for p, body := range out.All() {
		for _, form := range dateForms {
			if bytes.Contains(body, []byte(day.Format(form))) {
				found = append(found, p+" ("+day.Format(form)+")")
				break
			}
		}
	}
	slices.Sort(found)
	return found
}

// TestNoOutputCarriesTheBuildDate: a build writes no date it did not read
// from the content: not the day it ran, nor the day before (a build just
// after midnight UTC). The content's dates are fixed and far from today,
// so the check cannot trip on an event that happens to be dated today.
func TestNoOutputCarriesTheBuildDate(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(clockSite))), Options{BaseURL: feedBase})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	today := time.Now().UTC()
	for _, day := range []time.Time{today, today.AddDate(0, 0, -1)} {
		if day.Year() < 2016 {
			t.Fatalf("the clock says %s, inside the fixture's dates; the check would mean nothing", day)
		}
		if found := filesWithDate(res.Output, day); len(found) > 0 {
			t.Errorf("outputs carry the build date %s: %v", day.Format("2006-01-02"), found)
		}
	}
}

// TestFilesWithDateSeesContentDates: the check above can see a date: given
// the day of one of the fixture's events, it finds it in the feeds, the
// calendar and the event's page.
func TestFilesWithDateSeesContentDates(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(clockSite))), Options{BaseURL: feedBase})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	found := filesWithDate(res.Output, time.Date(2011, 9, 12, 0, 0, 0, 0, time.UTC))
	for _, want := range []string{"events/first/index.html", "feed.atom", "feed.json", "events.ics", "timeline.json"} {
		if !slices.ContainsFunc(found, func(f string) bool { return strings.HasPrefix(f, want+" (") }) {
			t.Errorf("the event's date is not found in %s; found in %v", want, found)
		}
	}
}
