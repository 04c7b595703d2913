package build

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/export"
)

// TestICalReadsBack reads events.ics with golang-ical, an iCalendar
// library: one VEVENT per event with a unique, stable UID, all-day dates at
// the written precision with an exclusive end, and the precision said in
// the description when the calendar has to show more than the sources.
func TestICalReadsBack(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	src := res.Output.File(export.ICalFile)
	cal, err := ics.ParseCalendar(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("golang-ical cannot read %s: %v", export.ICalFile, err)
	}
	vevents := cal.Events()
	events := res.Site.Events
	if len(vevents) != len(events) {
		t.Fatalf("%d VEVENTs, want one per event (%d)", len(vevents), len(events))
	}
	seen := map[string]bool{}
	newest := time.Time{}
	for _, e := range events {
		if e.Date.Time.After(newest) {
			newest = e.Date.Time
		}
	}
	for i, v := range vevents {
		e := events[i]
		uid := v.Id()
		if "urn:uuid:"+uid != wantID(res, e) && uid != wantID(res, e) || seen[uid] {
			t.Errorf("event %s: UID %q, want the UUID of its siteID and slug (or its page URL), once", e.Slug, uid)
		}
		seen[uid] = true
		if got := v.GetProperty(ics.ComponentPropertySummary).Value; got != e.Title {
			t.Errorf("event %s: SUMMARY %q, want %q", e.Slug, got, e.Title)
		}
		if v.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("event %s: DTSTART is not VALUE=DATE (an all-day event)", e.Slug)
		}
		start, err := v.GetAllDayStartAt()
		if err != nil {
			t.Fatalf("event %s: %v", e.Slug, err)
		}
		end, err := v.GetAllDayEndAt()
		if err != nil {
			t.Fatalf("event %s: %v", e.Slug, err)
		}
		last := e.Date
		if !e.End.IsZero() {
			last = e.End
		}
		wantStart := e.Date.Time
		wantEnd := map[content.Precision]time.Time{
			content.Year:  time.Date(last.Time.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC),
			content.Month: time.Date(last.Time.Year(), last.Time.Month()+1, 1, 0, 0, 0, 0, time.UTC),
			content.Day:   last.Time.AddDate(0, 0, 1),
		}[last.Precision]
		// golang-ical reads a floating date in the local zone; compare the
		// calendar days, which is what VALUE=DATE means.
		if start.Format("20060102") != wantStart.Format("20060102") || end.Format("20060102") != wantEnd.Format("20060102") {
			t.Errorf("event %s (%s): %s to %s, want %s to %s (exclusive)", e.Slug, e.DateHuman(),
				start.Format("2006-01-02"), end.Format("2006-01-02"), wantStart.Format("2006-01-02"), wantEnd.Format("2006-01-02"))
		}
		desc := v.GetProperty(ics.ComponentPropertyDescription).Value
		if !strings.HasPrefix(desc, "Date: "+e.DateHuman()+".") || !strings.Contains(desc, e.Summary) || !strings.HasSuffix(desc, "\n\n"+feedBase+strings.TrimPrefix(e.Path, "/")) {
			t.Errorf("event %s: description %q lacks the date, the summary or the page", e.Slug, desc)
		}
		switch e.Date.Precision {
		case content.Year:
			if !strings.Contains(desc, "only to the year") {
				t.Errorf("event %s: a year-precision date, but the description does not say so: %q", e.Slug, desc)
			}
		case content.Month:
			if !strings.Contains(desc, "only to the month") {
				t.Errorf("event %s: a month-precision date, but the description does not say so: %q", e.Slug, desc)
			}
		case content.Day:
			if strings.Contains(desc, "only to the") {
				t.Errorf("event %s: a day-precision date described as coarser: %q", e.Slug, desc)
			}
		}
		// A whole month or year is free time (TRANSP:TRANSPARENT): the
		// sources give no day, so the reader is not busy all of it.
		coarse := e.Date.Precision
		if !e.End.IsZero() && e.End.Precision < coarse {
			coarse = e.End.Precision
		}
		transp := ""
		if p := v.GetProperty(ics.ComponentPropertyTransp); p != nil {
			transp = p.Value
		}
		if wantTransp := map[bool]string{true: "TRANSPARENT"}[coarse == content.Year || coarse == content.Month]; transp != wantTransp {
			t.Errorf("event %s (%s): TRANSP %q, want %q", e.Slug, e.DateHuman(), transp, wantTransp)
		}
		stamp, err := v.GetDtStampTime()
		if err != nil || !stamp.Equal(newest) {
			t.Errorf("event %s: DTSTAMP %v (%v), want the newest event's date %v", e.Slug, stamp, err, newest)
		}
	}
	// The real content has every precision; make sure the test saw them.
	have := map[content.Precision]bool{}
	spans := 0
	for _, e := range events {
		have[e.Date.Precision] = true
		if !e.End.IsZero() {
			spans++
		}
	}
	if !have[content.Year] || !have[content.Month] || !have[content.Day] || spans == 0 {
		t.Errorf("the real content no longer has year, month and day dates and spans (%v, %d spans): add a fixture", have, spans)
	}
}

// TestICalLines holds events.ics to RFC 5545's line rules: CRLF endings,
// at most 75 octets a line, folds that start with one space and never split
// a UTF-8 character.
func TestICalLines(t *testing.T) {
	res := buildPublished(t, Options{BaseURL: feedBase})
	checkICalLines(t, res.Output.File(export.ICalFile))
}

func checkICalLines(t *testing.T, src []byte) {
	t.Helper()
	if !bytes.HasSuffix(src, []byte("\r\n")) {
		t.Errorf("the file does not end in CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(src, []byte("\r\n")), []byte("\r\n"))
	folded := 0
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, over 75: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			folded++
			if i == 0 {
				t.Errorf("the first line is a continuation")
			}
		}
	}
	if folded == 0 {
		t.Errorf("no line was folded; the real content has long descriptions, so folding is not being exercised")
	}
}
