package export

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/site"
)

// TestICalWriterFolds folds long ASCII and multi-byte text and reads it
// back: unfolding gives the original line.
func TestICalWriterFolds(t *testing.T) {
	for _, s := range []string{
		"SUMMARY:" + strings.Repeat("a", 200),
		"SUMMARY:" + strings.Repeat("é", 100),       // 2-octet characters
		"SUMMARY:x" + strings.Repeat("€", 70),       // 3-octet characters, offset by one
		"SUMMARY:" + strings.Repeat("🗓", 40),        // 4-octet characters
		"SUMMARY:" + strings.Repeat("b", 75-8),      // exactly 75 octets: no fold
		"SUMMARY:" + strings.Repeat("c", 75-8+1),    // 76: one fold
		"DESCRIPTION:" + strings.Repeat("d", 75+74), // exactly fills two lines
	} {
		w := &icalWriter{}
		w.line(s)
		out := w.b.String()
		checkICalLinesNoFoldRequired(t, []byte(out))
		if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != s {
			t.Errorf("unfolding gives %q, want %q", got, s)
		}
	}
}

func checkICalLinesNoFoldRequired(t *testing.T, src []byte) {
	t.Helper()
	for _, l := range bytes.Split(bytes.TrimSuffix(src, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 || !utf8.Valid(l) {
			t.Errorf("bad line %q (%d octets)", l, len(l))
		}
	}
}

// TestICalTextRoundTrip: TEXT escaping survives a real parser.
func TestICalTextRoundTrip(t *testing.T) {
	text := `Commas, semicolons; back\slashes and` + "\nnew lines, together; " + strings.Repeat("long ", 30)
	w := &icalWriter{}
	for _, l := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:u", "DTSTAMP:20200101T000000Z", "DTSTART;VALUE=DATE:20200101", "SUMMARY:" + icalText(text), "END:VEVENT", "END:VCALENDAR"} {
		w.line(l)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(w.b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value; got != text {
		t.Errorf("round trip:\n got %q\nwant %q", got, text)
	}
}

// TestICalSpan covers the date forms the real content lacks: instants and
// mixed precisions.
func TestICalSpan(t *testing.T) {
	d := func(s string) content.Date {
		t.Helper()
		v, err := content.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		start, end string
		wantS      string
		wantE      string
	}{
		{"2011-09-12", "", ";VALUE=DATE:20110912", ";VALUE=DATE:20110913"},
		{"2011-09", "", ";VALUE=DATE:20110901", ";VALUE=DATE:20111001"},
		{"2011-12", "", ";VALUE=DATE:20111201", ";VALUE=DATE:20120101"},
		{"2012-02", "", ";VALUE=DATE:20120201", ";VALUE=DATE:20120301"},
		{"2015", "", ";VALUE=DATE:20150101", ";VALUE=DATE:20160101"},
		{"2021-05-10", "2021-05-12", ";VALUE=DATE:20210510", ";VALUE=DATE:20210513"},
		{"2021-05-10", "2021-06", ";VALUE=DATE:20210510", ";VALUE=DATE:20210701"},
		{"2019", "2021", ";VALUE=DATE:20190101", ";VALUE=DATE:20220101"},
		{"2019-12-27T15:00:00Z", "", ":20191227T150000Z", ""},
		{"2019-12-27T15:00:00+03:00", "2019-12-27T17:30:00+03:00", ":20191227T120000Z", ":20191227T143000Z"},
		{"2019-12-27T23:30:00-02:00", "2019-12-30", ";VALUE=DATE:20191228", ";VALUE=DATE:20191231"},
	} {
		var end content.Date
		if tc.end != "" {
			end = d(tc.end)
		}
		s, e := icalSpan(d(tc.start), end)
		if s != tc.wantS || e != tc.wantE {
			t.Errorf("icalSpan(%s, %s) = %q, %q; want %q, %q", tc.start, tc.end, s, e, tc.wantS, tc.wantE)
		}
	}
}

// TestPrecisionNote: the calendar's note says which end of a span it
// stretched, and never claims a whole year for a span that ends in March.
func TestPrecisionNote(t *testing.T) {
	date := func(s string) content.Date {
		if s == "" {
			return content.Date{}
		}
		d, err := content.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct{ start, end, want string }{
		{"2019-12-27", "", ""},
		{"2019", "", " The sources date this only to the year, so the calendar shows the whole year."},
		{"2019-12", "", " The sources date this only to the month, so the calendar shows the whole month."},
		{"2019-12-01", "2019-12-27", ""},
		{"2019", "2019-03-04", " The sources date its start only to the year, so the calendar starts it on the first day of that year."},
		{"2019-03-04", "2019-12", " The sources date its end only to the month, so the calendar ends it on the last day of that month."},
		{"2018", "2019-06", " The sources date its start only to the year, so the calendar starts it on the first day of that year. The sources date its end only to the month, so the calendar ends it on the last day of that month."},
	} {
		e := &site.Event{Meta: &content.Meta{}}
		e.Date, e.End = date(tt.start), date(tt.end)
		if got := precisionNote(e); got != tt.want {
			t.Errorf("%s – %s: %q\nwant %q", tt.start, tt.end, got, tt.want)
		}
	}
}

// TestICalTextEscapes holds icalText to the strings.Replacer it replaced,
// on hand-picked values and on random strings of the characters it
// escapes.
func TestICalTextEscapes(t *testing.T) {
	want := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	cases := []string{"", "plain", `a\b`, "a;b,c", "l1\r\nl2", "l1\nl2", "l1\rl2", "\r\r\n\n", "é, ü; 日本\r", `\\;;,,`}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ab\\;,\r\né"
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, w := icalText(s), want.Replace(s); got != w {
			t.Errorf("icalText(%q) = %q, want %q", s, got, w)
		}
	}
}
