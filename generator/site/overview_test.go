package site

import (
	"math/rand/v2"
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
