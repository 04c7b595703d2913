package content

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in        string
		precision Precision
		machine   string
		human     string
	}{
		{"2011", Year, "2011", "2011"},
		{"2011-09", Month, "2011-09", "September 2011"},
		{"2011-09-12", Day, "2011-09-12", "12 September 2011"},
		{"2019-12-27T15:04:00Z", Instant, "2019-12-27T15:04:00Z", "27 December 2019, 15:04 UTC"},
		{"2012-02-29", Day, "2012-02-29", "29 February 2012"},
		{" 2011-09-12 ", Day, "2011-09-12", "12 September 2011"},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if d.Precision != tt.precision || d.String() != tt.machine || d.Human() != tt.human {
			t.Errorf("ParseDate(%q) = precision %d, %q, %q; want %d, %q, %q", tt.in, d.Precision, d.String(), d.Human(), tt.precision, tt.machine, tt.human)
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct{ in, why string }{
		{"2011-02-30", "February 2011 has no day 30"},
		{"2011-02-29", "February 2011 has no day 29"},
		{"2011-13", "month must be 01 to 12"},
		{"2011-00-10", "month must be 01 to 12"},
		{"20111", "not a recognised form"},
		{"next year", "not a recognised form"},
		{"2011-09-12T25:00:00Z", "hour out of range"},
		{"2011-9-12", "not a recognised form"},
		{"", "not a recognised form"},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) succeeded; want an error", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.why) || !strings.Contains(err.Error(), DateForms) {
			t.Errorf("ParseDate(%q) error %q; want it to say %q and list the accepted forms", tt.in, err, tt.why)
		}
	}
}

func TestCompareCoarserFirst(t *testing.T) {
	y, _ := ParseDate("2019")
	m, _ := ParseDate("2019-01")
	d, _ := ParseDate("2019-01-01")
	if !(y.Compare(m) < 0 && m.Compare(d) < 0 && y.Compare(d) < 0) {
		t.Fatalf("want 2019 < 2019-01 < 2019-01-01 on ties")
	}
	later, _ := ParseDate("2018-12-31")
	if later.Compare(y) >= 0 {
		t.Fatalf("2018-12-31 must sort before 2019")
	}
}

func TestHumanSpan(t *testing.T) {
	p := func(s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct{ start, end, want string }{
		{"2021-05-10", "2021-05-12", "10–12 May 2021"},
		{"2021-11-30", "2021-12-02", "30 November – 2 December 2021"},
		{"2021-12-30", "2022-01-02", "30 December 2021 – 2 January 2022"},
		{"2011", "2013", "2011–2013"},
		{"2020-08", "2020-09", "August–September 2020"},
		{"2020-08", "2021-01", "August 2020 – January 2021"},
		{"2020", "2021-05-12", "2020 – 12 May 2021"},
	}
	for _, tt := range tests {
		if got := HumanSpan(p(tt.start), p(tt.end)); got != tt.want {
			t.Errorf("HumanSpan(%s, %s) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
	if got := HumanSpan(p("2011-09"), Date{}); got != "September 2011" {
		t.Errorf("HumanSpan without end = %q", got)
	}
}

// TestHumanSpanEveryPrecisionPair: for each pair of precisions, an end
// inside the start's period, a start inside the end's, the same period
// and periods apart are each written once, never "27–27 December 2019"
// or "2019 – 4 March 2019".
func TestHumanSpanEveryPrecisionPair(t *testing.T) {
	tests := []struct{ start, end, want string }{
		// Year, then each precision.
		{"2019", "2019", "2019"},
		{"2019", "2021", "2019–2021"},
		{"2019", "2019-03", "2019, until March"},
		{"2019", "2020-03", "2019 – March 2020"},
		{"2019", "2019-03-04", "2019, until 4 March"},
		{"2019", "2020-03-04", "2019 – 4 March 2020"},
		{"2019", "2019-03-04T15:00:00Z", "2019, until 4 March, 15:00 UTC"},
		{"2019", "2020-03-04T15:00:00Z", "2019 – 4 March 2020, 15:00 UTC"},
		// Month, then each precision.
		{"2019-03", "2019", "March 2019, until later in 2019"},
		{"2019-03", "2020", "March 2019 – 2020"},
		{"2019-03", "2019-03", "March 2019"},
		{"2019-03", "2019-05", "March–May 2019"},
		{"2019-12", "2020-02", "December 2019 – February 2020"},
		{"2019-03", "2019-03-27", "March 2019, until 27 March"},
		{"2019-03", "2019-05-27", "March – 27 May 2019"},
		{"2019-12", "2020-01-02", "December 2019 – 2 January 2020"},
		{"2019-03", "2019-03-27T15:00:00Z", "March 2019, until 27 March, 15:00 UTC"},
		{"2019-03", "2019-05-27T15:00:00Z", "March 2019 – 27 May 2019, 15:00 UTC"},
		// Day, then each precision.
		{"2019-03-04", "2019", "4 March 2019, until later in 2019"},
		{"2019-03-04", "2020", "4 March 2019 – 2020"},
		{"2019-03-04", "2019-03", "4 March 2019, until later in March 2019"},
		{"2019-03-04", "2019-05", "4 March – May 2019"},
		{"2019-12-04", "2020-01", "4 December 2019 – January 2020"},
		{"2019-12-27", "2019-12-27", "27 December 2019"},
		{"2019-12-27", "2019-12-29", "27–29 December 2019"},
		{"2019-11-30", "2019-12-02", "30 November – 2 December 2019"},
		{"2019-12-27", "2019-12-27T15:00:00Z", "27 December 2019, until 15:00 UTC"},
		{"2019-12-27", "2019-12-28T15:00:00Z", "27 December 2019 – 28 December 2019, 15:00 UTC"},
		// Instant, then each precision.
		{"2019-12-27T15:00:00Z", "2019", "27 December 2019, 15:00 UTC, until later in 2019"},
		{"2019-12-27T15:00:00Z", "2020", "27 December 2019, 15:00 UTC – 2020"},
		{"2019-12-27T15:00:00Z", "2019-12", "27 December 2019, 15:00 UTC, until later in December 2019"},
		{"2019-12-27T15:00:00Z", "2020-01", "27 December 2019, 15:00 UTC – January 2020"},
		{"2019-12-27T15:00:00Z", "2019-12-27", "27 December 2019, 15:00 UTC, until later that day"},
		{"2019-12-27T15:00:00Z", "2019-12-28", "27 December 2019, 15:00 UTC – 28 December 2019"},
		{"2019-12-27T15:00:00Z", "2019-12-27T15:00:00Z", "27 December 2019, 15:00 UTC"},
		{"2019-12-27T15:00:00Z", "2019-12-27T17:30:00Z", "27 December 2019, 15:00–17:30 UTC"},
		{"2019-12-27T15:00:00Z", "2019-12-28T09:00:00Z", "27 December 2019, 15:00 UTC – 28 December 2019, 09:00 UTC"},
	}
	for _, tt := range tests {
		a, err1 := ParseDate(tt.start)
		b, err2 := ParseDate(tt.end)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got := HumanSpan(a, b); got != tt.want {
			t.Errorf("HumanSpan(%s, %s) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestSlugs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"UN General Assembly", "un-general-assembly"},
		{"Ad Hoc Committee on Cybercrime", "ad-hoc-committee-on-cybercrime"},
		{"  Russia!  ", "russia"},
		{"Côte d’Ivoire", "côte-d-ivoire"},
		{"Организация Объединённых Наций", "организация-объединённых-наций"},
		{"A/RES/74/247", "a-res-74-247"},
		{"---", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "../x", "a/b", `a\b`, "/abs", ".hidden", "a\x00b", "a b"} {
		if ValidSlug(bad) == nil {
			t.Errorf("ValidSlug(%q) = nil; want an error", bad)
		}
	}
	for _, good := range []string{"2011-sco-code", "résolution", "v1.2", "a_b"} {
		if err := ValidSlug(good); err != nil {
			t.Errorf("ValidSlug(%q) = %v", good, err)
		}
	}
}

func TestClosest(t *testing.T) {
	types := []string{"proposal", "committee-vote", "resolution", "report"}
	if got := Closest("resolutoin", types); got != "resolution" {
		t.Errorf("Closest(resolutoin) = %q", got)
	}
	if got := Closest("xyzzy", types); got != "" {
		t.Errorf("Closest(xyzzy) = %q, want none", got)
	}
}
