package content

import (
	"strings"
	"testing"
	"time"
)

// TestParseDateFormsExactly pins each accepted form to the exact instant and
// precision it means, at the edges of every field: a date that parses but
// shifts (a two-digit year read as year 0099, the 0th of a month read as
// the last day of the one before) is the failure this guards against.
func TestParseDateFormsExactly(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		prec Precision
	}{
		{"0001", utc(1, 1, 1, 0, 0), Year},
		{"1999", utc(1999, 1, 1, 0, 0), Year},
		{"9998", utc(9998, 1, 1, 0, 0), Year},
		{"9998-12-31", utc(9998, 12, 31, 0, 0), Day},
		{"0001-01-01T00:00:00+14:00", utc(0, 12, 31, 10, 0), Instant},
		{"2011-01", utc(2011, 1, 1, 0, 0), Month},
		{"2011-12", utc(2011, 12, 1, 0, 0), Month},
		{"2011-01-01", utc(2011, 1, 1, 0, 0), Day},
		{"2011-12-31", utc(2011, 12, 31, 0, 0), Day},
		{"2011-04-30", utc(2011, 4, 30, 0, 0), Day},
		{"2000-02-29", utc(2000, 2, 29, 0, 0), Day},
		{"2019-12-27T15:04:00Z", utc(2019, 12, 27, 15, 4), Instant},
		{"2019-12-27t15:04:00Z", utc(2019, 12, 27, 15, 4), Instant},
		{"2019-12-27 15:04:00Z", utc(2019, 12, 27, 15, 4), Instant},
		{"2019-12-27T17:04:00+02:00", utc(2019, 12, 27, 15, 4), Instant},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if !d.Time.Equal(tt.want) || d.Precision != tt.prec {
			t.Errorf("ParseDate(%q) = %v at precision %d; want %v at %d", tt.in, d.Time, d.Precision, tt.want, tt.prec)
		}
		if d.IsZero() {
			t.Errorf("ParseDate(%q).IsZero() = true", tt.in)
		}
	}
	if !(Date{}).IsZero() {
		t.Error("Date{}.IsZero() = false")
	}
}

// TestParseDateRefusesShortAndMalformed: every form has an exact length and
// only ASCII digits in its fields. A two-digit year ("99"), a one-digit
// month or day, letters or non-ASCII digits in a field, or a wrong separator
// must be an error, never a date.
func TestParseDateRefusesShortAndMalformed(t *testing.T) {
	for _, in := range []string{
		"0000", "9999", "9999-12-31", "0000-01-01T00:00:00Z", "9999-01-01T00:00:00Z",
		"9", "99", "199", "20111", "-2011", "+2011", "201a", "2 11", "２０１１", "٢٠١١",
		"2011-", "2011-1", "2011-001", "2011-1a", "2011-a1", "2011/09", "2011-٠٩", "2011_09",
		"11-09-12", "2011-9-12", "2011-09-1", "2011-09-123", "2011/09/12", "2011-09/12", "2011.09.12",
		"2011-0a-12", "2011-09-1a", "a011-09-12", "2011-09-12T", "2011-09-12X10:00:00Z",
		"2011-09-12T10:00", "2011-09-12T10:00:00", "99-09-12T10:00:00Z", "2011-09-12T10:00:00Zjunk",
	} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v at precision %d; want an error", in, d.Time, d.Precision)
		} else if !strings.Contains(err.Error(), DateForms) {
			t.Errorf("ParseDate(%q) error %q does not list the accepted forms", in, err)
		}
	}
}

// TestParseDateRefusesImpossible: a day or month outside its range is an
// error saying which, at both ends of the range.
func TestParseDateRefusesImpossible(t *testing.T) {
	tests := []struct{ in, why string }{
		{"2011-00", "month must be 01 to 12"},
		{"2011-13", "month must be 01 to 12"},
		{"2011-99", "month must be 01 to 12"},
		{"2011-00-01", "month must be 01 to 12"},
		{"2011-13-01", "month must be 01 to 12"},
		{"2011-09-00", "September 2011 has no day 0"},
		{"2011-09-31", "September 2011 has no day 31"},
		{"2011-01-32", "January 2011 has no day 32"},
		{"1900-02-29", "February 1900 has no day 29"},
		{"2011-09-99", "September 2011 has no day 99"},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("ParseDate(%q) error = %v; want one saying %q", tt.in, err, tt.why)
		}
	}
}

// TestDatePeriods: Last is the final instant of the period the author
// wrote, and Compare orders by start then coarser first; both are what
// span checks and sorting rely on.
func TestDatePeriods(t *testing.T) {
	p := func(s string) Date {
		t.Helper()
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	last := []struct{ in, want string }{
		{"2011", "2011-12-31T23:59:59.999999999Z"},
		{"2012-02", "2012-02-29T23:59:59.999999999Z"},
		{"2011-09-12", "2011-09-12T23:59:59.999999999Z"},
		{"2011-09-12T10:00:00Z", "2011-09-12T10:00:00Z"},
	}
	for _, tt := range last {
		if got := p(tt.in).Last().Format(time.RFC3339Nano); got != tt.want {
			t.Errorf("ParseDate(%q).Last() = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := (Date{}).Last(); !got.IsZero() {
		t.Errorf("Date{}.Last() = %v, want the zero time", got)
	}
	order := []string{"2018-12-31", "2019", "2019-01", "2019-01-01", "2019-01-01T00:00:00Z", "2019-01-02"}
	for i := range order {
		for j := range order {
			got := p(order[i]).Compare(p(order[j]))
			if (i < j && got >= 0) || (i > j && got <= 0) || (i == j && got != 0) {
				t.Errorf("Compare(%s, %s) = %d; want the sign of %d", order[i], order[j], got, i-j)
			}
		}
	}
}

// TestDateNames: every precision prints in machine and reader form, and a
// zero Date prints as nothing rather than as year 1.
func TestDateNames(t *testing.T) {
	names := map[Precision]string{Year: "year", Month: "month", Day: "day", Instant: "instant", 0: "", 9: ""}
	for p, want := range names {
		if got := PrecisionName(p); got != want {
			t.Errorf("PrecisionName(%d) = %q, want %q", p, got, want)
		}
	}
	if s, h := (Date{}).String(), (Date{}).Human(); s != "" || h != "" {
		t.Errorf("Date{} prints as %q / %q; want empty", s, h)
	}
	span := []struct{ start, end, want string }{
		{"2019-12-27T15:04:00Z", "2019-12-27T17:00:00Z", "27 December 2019, 15:04–17:00 UTC"},
		{"2021-05-10", "2021-06", "10 May – June 2021"},
	}
	for _, tt := range span {
		a, _ := ParseDate(tt.start)
		b, _ := ParseDate(tt.end)
		if got := HumanSpan(a, b); got != tt.want {
			t.Errorf("HumanSpan(%s, %s) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}
