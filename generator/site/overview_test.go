package site

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
)

func mustDate(t *testing.T, s string) content.Date {
	t.Helper()
	d, err := content.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOverviewLayout checks the overview's geometry: marks in date order
// along the axis, inside the chart, never overlapping, and stacked only
// where they would.
func TestOverviewLayout(t *testing.T) {
	dates := []string{"2010", "2011-06", "2011-09-12", "2011-09-12", "2011-09-13", "2015-07-01", "2019-12-27"}
	s := &Site{Config: &config.Config{PeriodFrom: 2012, PeriodTo: 2014}}
	for i, d := range dates {
		p := &content.Page{Meta: content.Meta{Title: d, Date: mustDate(t, d)}}
		s.Events = append(s.Events, &Event{Meta: &p.Meta, page: p, Year: p.Date.Time.Year(), Path: "/e/" + string(rune('a'+i)) + "/"})
	}
	o := s.Overview()
	if len(o.Ticks) != 2019-2010+1 || o.Ticks[0].Year != 2010 || o.Ticks[len(o.Ticks)-1].Year != 2019 {
		t.Fatalf("ticks %+v, want one per year 2010–2019", o.Ticks)
	}
	if len(o.Marks) != len(dates) {
		t.Fatalf("%d marks for %d events", len(o.Marks), len(dates))
	}
	r := o.MarkR()
	for i, m := range o.Marks {
		if m.X < o.Left || m.X > o.Right || m.Y-r < 0 || m.Y+r > o.AxisY {
			t.Errorf("mark %d (%s) at %d,%d lies outside the chart %+v", i, dates[i], m.X, m.Y, o)
		}
		if i > 0 && m.X < o.Marks[i-1].X {
			t.Errorf("mark %d (%s) is left of the one before it", i, dates[i])
		}
		for j := range i {
			n := o.Marks[j]
			if dx, dy := m.X-n.X, m.Y-n.Y; dx*dx+dy*dy < 4*r*r {
				t.Errorf("marks %d (%s) and %d (%s) overlap", j, dates[j], i, dates[i])
			}
		}
	}
	// The two 12 September marks cannot share a row; 2015 and 2019 stand alone.
	if o.Marks[2].Y == o.Marks[3].Y {
		t.Error("two marks on the same day share a row")
	}
	if base := o.AxisY - r - 2; o.Marks[5].Y != base || o.Marks[6].Y != base {
		t.Errorf("lone marks at y %d and %d, want them on the bottom row %d", o.Marks[5].Y, o.Marks[6].Y, base)
	}
	// A year-precision date sits mid-year, not on 1 January.
	if o.Marks[0].X <= o.Ticks[0].X+5 {
		t.Errorf("the mark for 2010 is at %d, on the year's start %d; want mid-year", o.Marks[0].X, o.Ticks[0].X)
	}
	if o.Period.X != o.Ticks[2].X || o.Period.X+o.Period.Width != o.Ticks[5].X {
		t.Errorf("period band %+v, want from the 2012 tick %d to the 2015 tick %d", o.Period, o.Ticks[2].X, o.Ticks[5].X)
	}
	if (&Site{}).Overview() != nil {
		t.Error("a site without events has an overview")
	}
}

// TestRowEndsAsScan checks rowEnds against the row-by-row search it
// replaces, on marks in and out of order, many on the same x.
func TestRowEndsAsScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 64, 1000, 5000} {
		var scan []int
		tree := newRowEnds(n)
		for k := range n {
			x := 16 + rng.IntN(100) + k/8 // mostly rising, with ties and steps back
			row := 0
			for row < len(scan) && x-scan[row] < ovMarkGap {
				row++
			}
			if row == len(scan) {
				scan = append(scan, x)
			} else {
				scan[row] = x
			}
			if got := tree.lowest(x - ovMarkGap); got != row {
				t.Fatalf("n=%d mark %d at x %d: row %d, want %d", n, k, x, got, row)
			}
			tree.set(row, x)
		}
	}
}

// TestOverviewLanes: one lane per track, in the config's order, each mark
// inside its track's lane; and a month-only event listed after a day in
// that month is never drawn left of it.
func TestOverviewLanes(t *testing.T) {
	a, b := &Track{Key: "a"}, &Track{Key: "b"}
	s := &Site{Config: &config.Config{}, Tracks: []*Track{a, b}}
	for i, d := range []string{"2019-12-27", "2019-12", "2019-12-28", "2020"} {
		p := &content.Page{Meta: content.Meta{Title: d, Date: mustDate(t, d)}}
		tr := a
		if i%2 == 1 {
			tr = b
		}
		s.Events = append(s.Events, &Event{Meta: &p.Meta, page: p, Year: p.Date.Time.Year(), Track: tr})
	}
	o := s.Overview()
	if len(o.Lanes) != 2 || o.Lanes[0].Track != a || o.Lanes[1].Track != b || o.Lanes[0].Bottom > o.Lanes[1].Top || o.Lanes[1].Bottom != o.AxisY {
		t.Fatalf("lanes %+v, axis %d", o.Lanes, o.AxisY)
	}
	for i, m := range o.Marks {
		l := o.Lanes[i%2]
		if m.Y-o.MarkR() < l.Top || m.Y+o.MarkR() > l.Bottom {
			t.Errorf("mark %d at y %d is outside its lane %+v", i, m.Y, l)
		}
		if i > 0 && m.X < o.Marks[i-1].X {
			t.Errorf("mark %d (%s) is left of the one before it in the list", i, m.Event.Title)
		}
	}
}

// ovSite makes a site of events on the given dates, with types a
// (landmark, documents) and b in turn, and tracks x and y in turn.
func ovSite(t *testing.T, dates []string) *Site {
	t.Helper()
	cfg := &config.Config{Types: []config.Type{{Key: "a", Label: "Resolution", Landmark: true}, {Key: "b", Label: "Meeting"}}}
	a, b := &Type{Key: "a", Label: "Resolution"}, &Type{Key: "b", Label: "Meeting"}
	x, y := &Track{Key: "x", Label: "X"}, &Track{Key: "y", Label: "Y"}
	s := &Site{Config: cfg, Types: []*Type{a, b}, Tracks: []*Track{x, y}}
	years := map[int]*Year{}
	for i, d := range dates {
		p := &content.Page{Meta: content.Meta{Title: "Event " + d, Slug: "e" + d + "-" + string(rune('a'+i%26)), Date: mustDate(t, d), Documents: []string{"A/RES/7/" + d[:4]}}}
		e := &Event{Meta: &p.Meta, page: p, Year: p.Date.Time.Year(), Type: []*Type{a, b}[i%2], Track: []*Track{x, y}[i/2%2]}
		if years[e.Year] == nil {
			years[e.Year] = &Year{Year: e.Year, ID: "y" + d[:4]}
			s.Years = append(s.Years, years[e.Year])
		}
		s.Events = append(s.Events, e)
	}
	return s
}

// TestOverviewShapesAndLabels: each type has its own shape, every mark
// has its type's shape and leads to its event; landmarks (and only they)
// are labelled with their short name, above their mark, inside their
// lane, and no two labels overlap.
func TestOverviewShapesAndLabels(t *testing.T) {
	s := ovSite(t, []string{"2001-03-01", "2001-03-02", "2001-03-03", "2001-03-04", "2005-01-01", "2005-06-01", "2009-01-01", "2009-02-01"})
	o := s.Overview()
	if o.Binned || len(o.Shapes) != 2 || o.Shapes[0].Path == o.Shapes[1].Path || o.Shapes[0].ID == o.Shapes[1].ID {
		t.Fatalf("binned %v, shapes %+v: want two distinct shapes", o.Binned, o.Shapes)
	}
	if o.Landmarks != "resolutions" {
		t.Errorf("landmarks named %q", o.Landmarks)
	}
	for _, m := range o.Marks {
		if want := o.Shapes[slices.Index(s.Types, m.Event.Type)].ID; m.Shape != want {
			t.Errorf("%s (%s) has shape %s, want %s", m.Event.Slug, m.Event.Type.Key, m.Shape, want)
		}
		if m.Href != s.TimelineURL(m.Event) || !strings.HasSuffix(m.Href, "timeline/#"+m.Event.Slug) {
			t.Errorf("%s leads to %s", m.Event.Slug, m.Href)
		}
	}
	if len(o.Labels) == 0 {
		t.Fatal("no landmark is labelled")
	}
	for i, lb := range o.Labels {
		if !strings.HasPrefix(lb.Text, "7/") {
			t.Errorf("label %q: want the document symbol without A/RES/", lb.Text)
		}
		var mark *OverviewMark
		for j := range o.Marks {
			if m := &o.Marks[j]; m.Event.Type.Key == "a" && shortName(m.Event) == lb.Text && abs(m.X-lb.X) <= len(lb.Text)*ovCharW {
				mark = m
			}
		}
		if mark == nil || lb.Y >= mark.Y-ovMarkR {
			t.Errorf("label %+v is not above a landmark's mark", lb)
		}
		for _, other := range o.Labels[:i] {
			w1, w2 := len(lb.Text)*ovCharW/2, len(other.Text)*ovCharW/2
			if abs(lb.X-other.X) < w1+w2 && abs(lb.Y-other.Y) < ovTextH {
				t.Errorf("labels %+v and %+v overlap", lb, other)
			}
		}
	}
}

func abs(n int) int { return max(n, -n) }

// TestOverviewBins: above OverviewMaxMarks events the overview draws bins
// instead of marks: one per lane and period that has events, counting
// them and the landmarks among them, named for readers, leading to the
// year, and never more than the budget whatever the number of events.
func TestOverviewBins(t *testing.T) {
	var dates []string
	for i := range OverviewMaxMarks + 1 {
		dates = append(dates, fmt.Sprintf("2015-%02d-%02d", 1+i%3, 1+i%28)) // January to March 2015
	}
	o := ovSite(t, dates).Overview()
	if !o.Binned || len(o.Marks) != 0 || o.BinUnit != "month" {
		t.Fatalf("%d events: binned %v, %d marks, unit %q; want month bins", len(dates), o.Binned, len(o.Marks), o.BinUnit)
	}
	total := 0
	for _, b := range o.Bins {
		total += b.Count
		if !strings.HasSuffix(b.Href, "timeline/#y2015") || b.Height < 2 || b.FootHeight > b.Height || b.X < o.Left || b.X+b.Width > o.Right {
			t.Errorf("bin %+v", b)
		}
	}
	if total != len(dates) || len(o.Bins) != 3*2 {
		t.Errorf("%d bins count %d events; want 6 bins (3 months × 2 tracks) counting %d", len(o.Bins), total, len(dates))
	}
	if got := o.Bins[0].Label; !regexp.MustCompile(`^January 2015, X: \d+ events, \d+ resolutions$`).MatchString(got) {
		t.Errorf("first bin named %q", got)
	}
	if ovSite(t, dates[:OverviewMaxMarks]).Overview().Binned {
		t.Errorf("%d events are binned; want one mark each", OverviewMaxMarks)
	}

	// Over a century, bins grow to keep within the budget.
	dates = dates[:0]
	for y := 1900; y < 2026; y++ {
		dates = append(dates, strconv.Itoa(y)+"-05-01", strconv.Itoa(y)+"-06-01")
	}
	o = ovSite(t, dates).Overview()
	if len(o.Bins) > ovBinBudget || o.BinUnit != "2 years" {
		t.Errorf("126 years: %d bins of %s; want at most %d, of 2 years", len(o.Bins), o.BinUnit, ovBinBudget)
	}
	if got := o.Bins[0].Label; got != "1900–1901, X: 2 events, 1 resolution" {
		t.Errorf("first bin named %q", got)
	}
}

func TestPeriodNames(t *testing.T) {
	for _, c := range []struct {
		m, size int
		want    string
	}{{2015*12 + 2, 1, "March 2015"}, {2015 * 12, 3, "January–March 2015"}, {2015*12 + 9, 3, "October–December 2015"}, {2015 * 12, 12, "2015"}, {2010 * 12, 60, "2010–2014"}} {
		if got := periodName(c.m, c.size); got != c.want {
			t.Errorf("periodName(%d, %d) = %q, want %q", c.m, c.size, got, c.want)
		}
	}
	for in, want := range map[string]string{"Resolution": "resolutions", "Treaty": "treaties", "Day": "days", "Procedural decision": "procedural decisions", "Press": "presses"} {
		if got := pluralNoun(in); got != want {
			t.Errorf("pluralNoun(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOverviewNameRow: a lane whose stacks leave the corner under its
// track's name free has no row of its own for the name, unless a
// landmark would lose its label for it; a lane with marks in that corner
// keeps the row.
func TestOverviewNameRow(t *testing.T) {
	var dates []string
	for range 8 { // a tall stack late in the period, in both lanes
		dates = append(dates, "2019-06-01")
	}
	s := ovSite(t, append([]string{"2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01"}, dates...))
	for _, e := range s.Events {
		e.Type = s.Types[1] // no landmarks
	}
	o := s.Overview()
	for l, lane := range o.Lanes {
		if lane.Top != lane.BandTop {
			t.Errorf("lane %d: name row kept (band %d, marks from %d) though its corner is free", l, lane.BandTop, lane.Top)
		}
	}
	// Marks in 2001, in the corner, stacked to the lane's top row.
	s = ovSite(t, []string{"2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01", "2001-01-01", "2019-01-01"})
	for _, e := range s.Events {
		e.Type, e.Track = s.Types[1], s.Tracks[0]
	}
	if lane := s.Overview().Lanes[0]; lane.Top == lane.BandTop {
		t.Errorf("lane with marks under its name has no name row: %+v", lane)
	}
}
