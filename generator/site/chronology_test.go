package site

import (
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
)

func testEvent(t *testing.T, title, date, end string) *Event {
	t.Helper()
	p := &content.Page{Meta: content.Meta{Title: title, Date: mustDate(t, date), Path: "content/events/" + title + ".md", Slug: title}}
	if end != "" {
		p.End = mustDate(t, end)
	}
	return &Event{Meta: &p.Meta, page: p, Year: p.Date.Time.Year()}
}

func titles(events []*Event) string {
	var s []string
	for _, e := range events {
		s = append(s, e.Title)
	}
	return strings.Join(s, " ")
}

// TestSortEvents: an event known only to the month or the year comes
// after the events dated inside that period, and before the next period's.
func TestSortEvents(t *testing.T) {
	events := []*Event{
		testEvent(t, "year2019", "2019", ""),
		testEvent(t, "dec2019", "2019-12", ""),
		testEvent(t, "dec27", "2019-12-27", ""),
		testEvent(t, "dec27noon", "2019-12-27T12:00:00Z", ""),
		testEvent(t, "dec3", "2019-12-03", ""),
		testEvent(t, "nov2019", "2019-11", ""),
		testEvent(t, "jan2020", "2020-01-02", ""),
		testEvent(t, "year2018", "2018", ""),
		testEvent(t, "may2019", "2019-05-10", "2019-05-12"),
	}
	sortEvents(events)
	want := "year2018 may2019 nov2019 dec3 dec27noon dec27 dec2019 year2019 jan2020"
	if got := titles(events); got != want {
		t.Errorf("order\n got %s\nwant %s", got, want)
	}
}

// TestSortFollows: among events whose dates overlap, follows comes first;
// follows between events that do not overlap does not move them.
func TestSortFollows(t *testing.T) {
	month := testEvent(t, "month", "2019-12", "")
	day := testEvent(t, "day", "2019-12-03", "")
	other := testEvent(t, "other", "2019-12-01", "")
	span := testEvent(t, "span", "2019-12-10", "2019-12-12")
	inSpan := testEvent(t, "inspan", "2019-12-11", "")
	later := testEvent(t, "later", "2020-03-01", "")
	earlier := testEvent(t, "earlier", "2019-06-01", "")
	// The month stays after the events dated inside it, and the day it
	// led to moves after it; span starts before inspan but follows it.
	day.Follows = []*Event{month}
	span.Follows = []*Event{inSpan}
	earlier.Follows = []*Event{later}
	events := []*Event{later, inSpan, span, day, month, other, earlier}
	sortEvents(events)
	want := "earlier other inspan span month day later"
	if got := titles(events); got != want {
		t.Errorf("order\n got %s\nwant %s", got, want)
	}
}

// TestVoteText: the words and the bar's shares of a vote.
func TestVoteText(t *testing.T) {
	v := &Vote{Vote: content.Vote{Yes: 79, No: 60, Abstain: 33}}
	if got := v.Summary(); got != "79 in favour, 60 against, 33 abstentions" {
		t.Errorf("summary %q", got)
	}
	if v.Share(v.Yes) != "45.9" || v.Share(v.No) != "34.9" || v.Share(v.Abstain) != "19.2" {
		t.Errorf("shares %s %s %s", v.Share(v.Yes), v.Share(v.No), v.Share(v.Abstain))
	}
	v = &Vote{Vote: content.Vote{Yes: 1, No: 0, Abstain: 1, Absent: 3, HasAbsent: true}}
	if got := v.Summary(); got != "1 in favour, 0 against, 1 abstention, 3 absent or not voting" {
		t.Errorf("summary %q", got)
	}
	if got := (&Vote{Vote: content.Vote{AdoptedWithoutVote: true}}).Summary(); got != "adopted without a vote" {
		t.Errorf("summary %q", got)
	}
}

// TestVoteUnknownCount: a count no source gives is said as not known, and
// the tally has no bar and no shares, since their total is not known.
func TestVoteUnknownCount(t *testing.T) {
	v := &Vote{Vote: content.Vote{Yes: 139, No: 11, AbstainUnknown: true}}
	if got := v.Summary(); got != "139 in favour, 11 against, abstentions not known" {
		t.Errorf("summary %q", got)
	}
	if bar := v.Bar(); bar != nil {
		t.Errorf("bar %+v, want none", bar)
	}
	if v.Share(v.Yes) != "0" {
		t.Errorf("share of yes %s, want 0 (no total)", v.Share(v.Yes))
	}
	v = &Vote{Vote: content.Vote{YesUnknown: true, No: 1, NoUnknown: false, Abstain: 0, Absent: 2, HasAbsent: true}}
	if got := v.Summary(); got != "votes in favour not known, 1 against, 0 abstentions, 2 absent or not voting" {
		t.Errorf("summary %q", got)
	}
	v = &Vote{Vote: content.Vote{Yes: 5, NoUnknown: true, AbstainUnknown: true}}
	if got := v.Summary(); got != "5 in favour, votes against not known, abstentions not known" || v.Bar() != nil {
		t.Errorf("summary %q, bar %v", got, v.Bar())
	}
	if got := len((&Vote{Vote: content.Vote{Yes: 5, No: 1}}).Bar()); got != 2 {
		t.Errorf("a complete tally has %d bar segments, want 2", got)
	}
}
