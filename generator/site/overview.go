package site

import (
	"math"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
)

// Overview is the geometry of the timeline's overview chart, computed at
// build time so the timeline page draws it as inline SVG with no script:
// one tick per year on a horizontal axis and one mark per event, stacked
// upwards where marks would overlap. Coordinates are in the SVG's viewBox
// units; the template only prints them.
type Overview struct {
	Width, Height int
	AxisY         int // y of the axis line
	Left, Right   int // x of the axis ends
	Ticks         []OverviewTick
	Marks         []OverviewMark
	// Lanes are one band per track, in site.yaml order, each with its
	// events' marks; one lane with no track when the site has none.
	Lanes []OverviewLane
	// Period is the config's headline period as a band on the axis; its
	// width is 0 when the period lies outside the events' years.
	Period struct{ X, Width int }
}

// OverviewTick is one year on the overview's axis.
type OverviewTick struct {
	Year  int
	X     int  // start of the year: where its tick is drawn
	Mid   int  // middle of the year: where its label is centred
	Label bool // false for years left unlabelled so labels do not collide
}

// OverviewLane is one track's band on the overview: its label sits at
// LabelY, its marks between Top and Bottom.
type OverviewLane struct {
	Track       *Track // nil on a site without tracks
	Top, Bottom int
	LabelY      int
}

// OverviewMark is one event on the overview.
type OverviewMark struct {
	Event *Event
	X, Y  int
	// Label names the event for the mark's aria-label and tooltip:
	// "12 May 2021: Title (Type)". It is made here, once, because the
	// template would otherwise assemble it twice per mark from five
	// lookups, two of them method calls, on a page with one mark per event.
	Label string
}

// Overview geometry, in viewBox units. A mark is a circle of markR; marks
// closer than markGap on the same row move up a row.
const (
	ovWidth   = 960
	ovMargin  = 16
	ovMarkR   = 7
	ovMarkGap = 2*ovMarkR + 3
	ovRowStep = 2*ovMarkR + 3
	ovLabelH  = 24 // room under the axis for year labels
	ovTopPad  = 6
	ovLaneH   = 18 // room above a lane's marks for its track's label
)

// Overview lays out the whole period of the site's events. It is a pure
// function of the events, computed when the timeline page asks for it, so it
// needs no field in Site. It returns nil when there are no events.
func (s *Site) Overview() *Overview {
	if len(s.Events) == 0 {
		return nil
	}
	first := s.Events[0].Year
	last := first
	for _, e := range s.Events {
		if e.Year > last {
			last = e.Year
		}
	}
	years := last - first + 1
	o := &Overview{Width: ovWidth, Left: ovMargin, Right: ovWidth - ovMargin}
	inner := float64(o.Right - o.Left)
	xOf := func(fracYear float64) int {
		return o.Left + int(inner*(fracYear-float64(first))/float64(years)+0.5)
	}
	// Label every year when there is room, else every other one, so that
	// labels never collide on the 960-unit axis.
	every := 1
	if inner/float64(years) < 34 {
		every = 2
	}
	for y := first; y <= last; y++ {
		o.Ticks = append(o.Ticks, OverviewTick{Year: y, X: xOf(float64(y)), Mid: xOf(float64(y) + .5), Label: (y-first)%every == 0})
	}
	if from, to := max(s.Config.PeriodFrom, first), min(s.Config.PeriodTo, last); from <= to && s.Config.PeriodFrom != 0 {
		o.Period.X = xOf(float64(from))
		o.Period.Width = xOf(float64(to+1)) - o.Period.X
	}

	o.layMarks(s, xOf)
	return o
}

// layMarks places one mark per event, in one lane per track (in the
// order of the config), and sets the chart's height and axis. Events are
// in timeline order, which the marks' x follows, so a greedy pass that
// puts each mark on the lowest row of its lane whose last mark is far
// enough to the left keeps the stacks as low as they can be.
func (o *Overview) layMarks(s *Site, xOf func(float64) int) {
	lanes := map[*Track]int{}
	for _, t := range s.Tracks {
		lanes[t] = len(o.Lanes)
		o.Lanes = append(o.Lanes, OverviewLane{Track: t})
	}
	if len(o.Lanes) == 0 {
		o.Lanes = []OverviewLane{{}}
	}
	rowEnd := make([]*rowEnds, len(o.Lanes))
	rows := make([]int, len(o.Lanes))
	laneOf := make([]int, len(s.Events))
	prevX := math.MinInt
	for i, e := range s.Events {
		// Never left of the mark before: an event known only to the month
		// or year, placed mid-period, comes after the events dated inside
		// it in the list, and so it does on the chart.
		x := max(xOf(fracYear(e.Date)), prevX)
		prevX = x
		l := lanes[e.Track] // 0 for an event with no track
		laneOf[i] = l
		if rowEnd[l] == nil {
			rowEnd[l] = newRowEnds(len(s.Events))
		}
		row := rowEnd[l].lowest(x - ovMarkGap)
		rowEnd[l].set(row, x)
		rows[l] = max(rows[l], row+1)
		label := e.DateHuman() + ": " + e.Title
		if e.Type != nil {
			label += " (" + e.Type.Label + ")"
		}
		if e.Track != nil {
			label += ", " + e.Track.Label
		}
		o.Marks = append(o.Marks, OverviewMark{Event: e, X: x, Y: row, Label: label}) // Y is a row until the lanes are placed
	}
	y := ovTopPad
	for l := range o.Lanes {
		lane := &o.Lanes[l]
		if lane.Track != nil {
			lane.LabelY = y + ovLaneH - 5
			y += ovLaneH
		}
		lane.Top = y
		y += max(rows[l], 1) * ovRowStep
		lane.Bottom = y
	}
	o.AxisY = y
	o.Height = o.AxisY + ovLabelH
	for i := range o.Marks {
		o.Marks[i].Y = o.Lanes[laneOf[i]].Bottom - ovMarkR - 2 - o.Marks[i].Y*ovRowStep
	}
}

// rowEnds holds the x of the last mark on each row of the overview, and
// finds the lowest row whose last mark ends at or left of a given x in
// time logarithmic in the number of rows: a search row by row made the
// layout quadratic, since the rows grow with the events (1,800 at 100,000
// events on a 960-unit axis). It is a tree of minima over the rows, a row
// with no mark yet holding math.MinInt, so the first such row is where a
// new one starts.
type rowEnds struct {
	leaves int   // a power of two, at least the number of marks
	min    []int // min[1] is the root; min[leaves+r] is row r
}

func newRowEnds(marks int) *rowEnds {
	leaves := 1
	for leaves < marks {
		leaves *= 2
	}
	t := &rowEnds{leaves: leaves, min: make([]int, 2*leaves)}
	for i := range t.min {
		t.min[i] = math.MinInt
	}
	return t
}

// lowest returns the lowest row whose last mark is at or left of x.
func (t *rowEnds) lowest(x int) int {
	i := 1
	for i < t.leaves {
		i *= 2 // the left child, unless nothing there is far enough left
		if t.min[i] > x {
			i++
		}
	}
	return i - t.leaves
}

// set records that row r now ends with a mark at x.
func (t *rowEnds) set(r, x int) {
	i := t.leaves + r
	t.min[i] = x
	for i /= 2; i >= 1; i /= 2 {
		t.min[i] = min(t.min[2*i], t.min[2*i+1])
	}
}

// MarkR is the radius of an event mark, for the template.
func (o *Overview) MarkR() int { return ovMarkR }

// fracYear places a date on the axis as a fractional year at the middle of
// the period it names: mid-year for "2015", mid-month for "2015-07", the
// day itself otherwise, so imprecise dates do not all pile up on 1 January.
func fracYear(d content.Date) float64 {
	t := d.Time.UTC()
	start := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	var mid time.Time
	switch d.Precision {
	case content.Year:
		mid = start.Add(end.Sub(start) / 2)
	case content.Month:
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		mid = m.Add(m.AddDate(0, 1, 0).Sub(m) / 2)
	case content.Day:
		mid = t.Add(12 * time.Hour)
	default:
		mid = t
	}
	return float64(t.Year()) + float64(mid.Sub(start))/float64(end.Sub(start))
}
