package export

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// ical writes the events as an iCalendar file (RFC 5545).
//
// An event dated to a day is an all-day event (DTSTART;VALUE=DATE). One
// dated only to a month or a year covers that whole month or year, since a
// calendar cannot show "sometime in September 2011" any other way, and its
// description says at what precision the date is known, and it is marked
// TRANSP:TRANSPARENT so that a calendar does not show that whole month or
// year as busy time. Spans run to the
// end of their end date. DTEND is exclusive, as RFC 5545 defines it. Events
// written to the second keep their time, in UTC.
//
// UID is a UUID made from site.yaml's siteID and the event's slug, which
// survives a move to another domain, or without a siteID the event's
// absolute URL (see eventID): stable from build to build and unique even
// between two sites on one host. DTSTAMP is SOURCE_DATE_EPOCH when set
// and otherwise the newest event's date, never the build clock.
//
// Each VEVENT is written on its own (see EventEntries) and the calendar is
// the header, the events and the footer joined.
func (f *feeder) ical(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	stamp := f.stamp
	if stamp.IsZero() {
		stamp = f.newestEntryTime()
	}
	dtstamp := stamp.UTC().Format("20060102T150405Z")

	w := &icalWriter{}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//" + Generator + "//NONSGML timeline export//EN")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.line("NAME:" + icalText(cfg.Title))
	w.line("X-WR-CALNAME:" + icalText(cfg.Title))
	if cfg.Description != "" {
		w.line("DESCRIPTION:" + icalText(cfg.Description))
		w.line("X-WR-CALDESC:" + icalText(cfg.Description))
	}
	w.line("URL:" + f.abs("/"))
	head := w.b.String()
	// DTSTAMP is the same in every event, and a function of every event's
	// date or of SOURCE_DATE_EPOCH: the site key covers both (see memo), so
	// a reused entry still carries the right one.
	fw.Write([]byte(head))
	err := EventEntries(f.pages, false, reuse, next, func(i int) ([]byte, error) {
		e := f.s.Events[i]
		u := f.abs(e.Path)
		ev := &icalWriter{}
		ev.line("BEGIN:VEVENT")
		ev.line("UID:" + f.eventUID(e))
		ev.line("DTSTAMP:" + dtstamp)
		start, end := icalSpan(e.Date, e.End)
		ev.line("DTSTART" + start)
		if end != "" {
			ev.line("DTEND" + end)
		}
		if p := coarsest(e); p == content.Year || p == content.Month {
			// A whole month or year stands for a date the sources do not
			// give: it must not show the reader as busy all that time.
			ev.line("TRANSP:TRANSPARENT")
		}
		ev.line("SUMMARY:" + icalText(e.Title))
		ev.line("DESCRIPTION:" + icalText(icalDescription(e, u)))
		if label := typeLabel(e); label != "" {
			ev.line("CATEGORIES:" + icalText(label))
		}
		ev.line("URL:" + u)
		ev.line("END:VEVENT")
		return []byte(ev.b.String()), nil
	}, func(b []byte) { fw.Write(b) })
	if err != nil {
		return err
	}
	w = &icalWriter{}
	w.line("END:VCALENDAR")
	fw.Write([]byte(w.b.String()))
	return nil
}

// icalSpan returns the DTSTART and DTEND values (with their ";VALUE=DATE"
// parameter where needed, and the leading ':'). end is "" when DTSTART alone
// says it all: an instant with no end.
func icalSpan(start, end content.Date) (string, string) {
	if start.Precision == content.Instant && (end.IsZero() || end.Precision == content.Instant) {
		s := ":" + start.Time.UTC().Format("20060102T150405Z")
		if end.IsZero() {
			return s, ""
		}
		return s, ":" + end.Time.UTC().Format("20060102T150405Z")
	}
	// A date (and a mixed span): all-day, from the first day the start
	// covers to the day after the last day the end covers. RFC 5545 wants
	// both ends of one type, so an instant at either end becomes its day.
	last := start
	if !end.IsZero() {
		last = end
	}
	from := day(start.Time.UTC())
	to := day(last.Last().UTC()).AddDate(0, 0, 1)
	return ";VALUE=DATE:" + from.Format("20060102"), ";VALUE=DATE:" + to.Format("20060102")
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// icalDescription is an event's calendar description: its date as written,
// a note when the calendar shows more than the sources say, its summary and
// its page.
func icalDescription(e *site.Event, pageURL string) string {
	var b strings.Builder
	b.WriteString("Date: " + e.DateHuman() + ".")
	b.WriteString(precisionNote(e))
	if e.Summary != "" {
		b.WriteString("\n\n" + e.Summary)
	}
	b.WriteString("\n\n" + pageURL)
	return b.String()
}

// precisionNote says where the calendar shows more than the sources say:
// a date known only to its month or year covers all of it, and at either
// end of a span it stretches the span to that period's first or last day.
func precisionNote(e *site.Event) string {
	period := func(p content.Precision) string {
		switch p {
		case content.Year:
			return "year"
		case content.Month:
			return "month"
		}
		return ""
	}
	if e.End.IsZero() {
		if p := period(e.Date.Precision); p != "" {
			return " The sources date this only to the " + p + ", so the calendar shows the whole " + p + "."
		}
		return ""
	}
	var note string
	if p := period(e.Date.Precision); p != "" {
		note += " The sources date its start only to the " + p + ", so the calendar starts it on the first day of that " + p + "."
	}
	if p := period(e.End.Precision); p != "" {
		note += " The sources date its end only to the " + p + ", so the calendar ends it on the last day of that " + p + "."
	}
	return note
}

// coarsest is the least precise of an event's start and end dates.
func coarsest(e *site.Event) content.Precision {
	p := e.Date.Precision
	if !e.End.IsZero() && e.End.Precision < p {
		p = e.End.Precision
	}
	return p
}

// icalText escapes a TEXT value (RFC 5545 section 3.3.11): a backslash,
// a semicolon and a comma get a backslash; a line break (CRLF, LF or a
// lone CR) becomes \n. It used to build a strings.Replacer per value,
// whose setup cost more than the escaping: a second of CPU in a
// 100,000-event build.
func icalText(s string) string {
	if !strings.ContainsAny(s, "\\;,\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// icalWriter writes content lines ending in CRLF and folded at 75 octets
// (RFC 5545 section 3.1), never inside a UTF-8 sequence.
type icalWriter struct{ b strings.Builder }

func (w *icalWriter) line(s string) {
	const limit = 75
	first := true
	for {
		room := limit
		if !first {
			room = limit - 1 // the leading space of a continuation counts
		}
		if len(s) <= room {
			if !first {
				w.b.WriteByte(' ')
			}
			w.b.WriteString(s)
			w.b.WriteString("\r\n")
			return
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if !first {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
}
