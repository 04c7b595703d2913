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
