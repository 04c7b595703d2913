package content

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date its author wrote down.
type Precision int

// The precisions a date can be written at, coarsest first. The order matters:
// events on the same day sort coarser-first.
const (
	Year    Precision = iota + 1 // "2011"
	Month                        // "2011-09"
	Day                          // "2011-09-12"
	Instant                      // "2011-09-12T10:00:00Z"
)

// Date is a point in time at the precision its author wrote. Time holds the
// start of the period (1 January for a year, the 1st for a month) in UTC, or
// the exact instant, kept in its written offset, for an Instant.
type Date struct {
	Time      time.Time
	Precision Precision
}

// DateForms lists the accepted ways of writing a date, for error messages.
const DateForms = "YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 timestamp such as 2019-12-27T15:00:00Z"

// MinYear and MaxYear bound the years a date may have: every export writes
// a year in four digits (Atom and the sitemap in RFC 3339 / W3C form, the
// JSON files, iCalendar's DATE and DATE-TIME), and an all-day calendar
// event ends on the day after its last (DTEND is exclusive), so 9999-12-31
// would need the year 10000. Year 0 (1 BC) is left out: no export agrees
// on it. A timestamp's offset may take its UTC form a day past either
// bound, to 0000-12-31 or 9999-01-01, which four digits still hold.
const (
	MinYear = 1
	MaxYear = 9998
)

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d.Precision == 0 }

// ParseDate reads a date written as YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339
// timestamp. It refuses dates that do not exist (2011-02-30) rather than
// normalising them, because a silently shifted date is worse than an error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("invalid date %q: %s; expected %s", s, why, DateForms)
	}
	if len(s) >= 4 {
		if y, err := strconv.Atoi(s[:4]); err == nil && (y < MinYear || y > MaxYear) {
			return bad(fmt.Sprintf("the year must be %04d to %04d, which every export (feeds, calendar, JSON) can write", MinYear, MaxYear))
		}
	}
	digits := func(t string) bool {
		if t == "" {
			return false
		}
		for _, c := range t {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case len(s) > 10 && (s[10] == 'T' || s[10] == 't' || s[10] == ' '):
		t, err := time.Parse(time.RFC3339, s[:10]+"T"+s[11:])
		if err != nil {
			var pe *time.ParseError
			if errors.As(err, &pe) && pe.Message != "" {
				return bad("not a valid timestamp (" + strings.TrimPrefix(pe.Message, ": ") + ")")
			}
			return bad("not a valid timestamp")
		}
		return Date{Time: t, Precision: Instant}, nil
	case len(s) == 4 && digits(s):
		y, _ := strconv.Atoi(s)
		return Date{Time: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), Precision: Year}, nil
	case len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:]):
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:])
		if m < 1 || m > 12 {
			return bad("month must be 01 to 12")
		}
		return Date{Time: time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), Precision: Month}, nil
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:]):
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:7])
		d, _ := strconv.Atoi(s[8:])
		if m < 1 || m > 12 {
			return bad("month must be 01 to 12")
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if d < 1 || t.Day() != d {
			return bad(fmt.Sprintf("%s %d has no day %d", time.Month(m), y, d))
		}
		return Date{Time: t, Precision: Day}, nil
	}
	return bad("not a recognised form")
}

// String returns the date as written in machine form at its precision:
// "2011", "2011-09", "2011-09-12" or an RFC 3339 timestamp. It is what a
// <time datetime> attribute and the data exports carry.
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return d.Time.Format("2006")
	case Month:
		return d.Time.Format("2006-01")
	case Day:
		return d.Time.Format("2006-01-02")
	case Instant:
		return d.Time.Format(time.RFC3339)
	}
	return ""
}

// Human returns the date for readers at its precision: "2011",
// "September 2011", "12 September 2011", or "12 September 2011, 15:00 UTC".
func (d Date) Human() string {
	switch d.Precision {
	case Year:
		return d.Time.Format("2006")
	case Month:
		return d.Time.Format("January 2006")
	case Day:
		return d.Time.Format("2 January 2006")
	case Instant:
		return d.Time.Format("2 January 2006, 15:04 MST")
	}
	return ""
}

// Compare orders dates by the start of their period, then coarser precision
// first, so that "2019" comes before "2019-01-01".
func (d Date) Compare(o Date) int {
	if c := d.Time.Compare(o.Time); c != 0 {
		return c
	}
	return int(d.Precision) - int(o.Precision)
}

// Last returns the last instant the date covers: 31 December for a year, the
// month's last day for a month. Spans are compared on it, so that an event
// ending "2021-05" may start on 2021-05-10.
func (d Date) Last() time.Time {
	switch d.Precision {
	case Year:
		return d.Time.AddDate(1, 0, 0).Add(-time.Nanosecond)
	case Month:
		return d.Time.AddDate(0, 1, 0).Add(-time.Nanosecond)
	case Day:
		return d.Time.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return d.Time
}

// PrecisionName names a date precision in the data exports and README.
func PrecisionName(p Precision) string {
	switch p {
	case Year:
		return "year"
	case Month:
		return "month"
	case Day:
		return "day"
	case Instant:
		return "instant"
	}
	return ""
}
