package site

import (
	"strconv"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
)

// Overview is the geometry of the timeline's overview chart, computed at
// build time so the timeline page draws it as inline SVG and the template
// only prints coordinates (in the SVG's viewBox units). The chart has one
// horizontal axis with a tick per year and one lane per track. Up to
// OverviewMaxMarks events it draws one mark per event, shaped and coloured
// by type, stacked upwards where marks would overlap, and labels the
// landmark events (types with `landmark: true` in site.yaml); above that it
// draws bins instead, so its HTML stays a few tens of kilobytes whatever
// the number of events (see overview_bins.go).
type Overview struct {
	Width, Height int
	AxisY         int // y of the axis line
	Left, Right   int // x of the axis ends
	Ticks         []OverviewTick
	// TickDash draws the ticks, one a year, as the dashes of one line:
	// cheaper than a path of as many segments as years.
	TickDash string
	// Marks are one per event, in timeline order; none when Binned.
	Marks []OverviewMark
	// Labels name the landmark marks that have room for a label; their
	// leaders (lines from label to mark) are LeaderPath.
	Labels     []OverviewLabel
	LeaderPath string
	// Binned is true above OverviewMaxMarks events: Bins replace Marks.
	Binned bool
	Bins   []OverviewBin
	// BinUnit names the period one bin covers: "month", "quarter",
	// "year", "2 years"...; empty when not Binned.
	BinUnit string
	// Lanes are one band per track, in site.yaml order; one lane with no
	// track when the site has none.
	Lanes []OverviewLane
	// Shapes are the event types in site.yaml order, each with its shape.
	Shapes []OverviewShape
	// Landmarks names the landmark types in the plural, for the caption:
	// "resolutions and treaties"; empty when no type is a landmark.
	Landmarks string
	// Period is the config's headline period as a band on the axis; its
	// width is 0 when the period lies outside the events' years.
	Period struct{ X, Width int }
}

// OverviewMaxMarks is the most events the overview draws one mark each
// for. A mark costs about 330 bytes of HTML (its link, accessible name and
// shape), so 100 marks and the axis stay under 40 KB; above it, bins.
const OverviewMaxMarks = 100

// OverviewTick is one year on the overview's axis.
type OverviewTick struct {
	Year  int
	X     int  // start of the year: where its tick is drawn
	Mid   int  // where its label is centred
	Label bool // false for years left unlabelled so labels do not collide
}

// OverviewLane is one track's band on the overview: it starts at BandTop
// with rows of text (the track's name, whose baseline is LabelY, and the
// landmarks' labels); its marks or bins lie between Top and Bottom.
type OverviewLane struct {
	Track       *Track // nil on a site without tracks
	BandTop     int
	Top, Bottom int
	LabelY      int
}

// OverviewMark is one event on the overview.
type OverviewMark struct {
	Event *Event
	X, Y  int
	// Label names the event for the mark's aria-label and the name line:
	// "12 May 2021: Title (Type), Track". It is made here, once, because
	// the template would otherwise assemble it per mark from five lookups.
	Label string
	// Href is where the mark leads: the event on the timeline (eventHref).
	Href string
	// Shape is the id of the type's shape in the chart's defs.
	Shape string
}

// OverviewLabel is the short name of a landmark event written on the
// chart, centred on X with its baseline at Y.
type OverviewLabel struct {
	X, Y int
	Text string
}

// OverviewShape is an event type's shape: the path ID draws, centred on
// 0,0, in the chart and in its legend.
type OverviewShape struct {
	Type *Type
	ID   string // "ov-s0"
	Path string
}

// Overview geometry, in viewBox units. A mark is a shape about 2×markR
// across on a circle of markR (its focus ring and touch target); marks
// closer than markGap on the same row move up a row.
const (
	ovWidth   = 800
	ovMargin  = 12
	ovMarkR   = 6
	ovMarkGap = 2*ovMarkR + 1
	ovRowStep = 2*ovMarkR + 1
	ovLabelH  = 22 // room under the axis for year labels
	ovTopPad  = 4
	ovRowH    = 15 // a lane's row of text: its track's name
	ovTextH   = 10 // the height of a label's capitals and digits
	ovCharW   = 7  // average width of a character of the 13-unit labels
	ovMinYear = 40 // least room between two year labels
)

// eventHref is where the overview's mark for e leads: the event's anchor
// on the part of the timeline that holds it (TimelineURL). The overview is
// one rendering shared by every part, so the link is a full URL;
// overview.js keeps the reader's filters when it is followed.
func (s *Site) eventHref(e *Event) string { return s.TimelineURL(e) }

// yearHref is where a bin of the overview leads: the year's heading
// (y.ID, "y2015") on the part that holds the year's first event.
func (s *Site) yearHref(y *Year) string {
	if len(y.Events) > 0 && y.Events[0].part != nil {
		return y.Events[0].part.URL + "#" + y.ID
	}
	return s.url("/timeline/") + "#" + y.ID
}

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
		first, last = min(first, e.Year), max(last, e.Year)
	}
	o := &Overview{Width: ovWidth, Left: ovMargin, Right: ovWidth - ovMargin, Binned: len(s.Events) > OverviewMaxMarks}
	o.axis(first, last)
	if from, to := max(s.Config.PeriodFrom, first), min(s.Config.PeriodTo, last); from <= to && s.Config.PeriodFrom != 0 {
		o.Period.X = o.xOf(float64(from))
		o.Period.Width = o.xOf(float64(to+1)) - o.Period.X
	}
	o.shapes(s)
	if o.Binned {
		o.layBins(s)
	} else {
		o.layMarks(s)
	}
	return o
}

// axis sets the ticks: one per year, a label on every year when there is
// room, else on every 2nd, 5th, 10th... year, so labels never collide.
func (o *Overview) axis(first, last int) {
	o.Ticks = make([]OverviewTick, 0, last-first+1)
	for y := first; y <= last; y++ {
		o.Ticks = append(o.Ticks, OverviewTick{Year: y})
	}
	perYear := float64(o.Right-o.Left) / float64(len(o.Ticks))
	every := 1
	for _, n := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		every = n
		if perYear*float64(n) >= ovMinYear {
			break
		}
	}
	o.TickDash = "1 " + strconv.FormatFloat(perYear-1, 'f', 2, 64)
	for i := range o.Ticks {
		t := &o.Ticks[i]
		t.X = o.xOf(float64(t.Year))
		t.Mid = o.xOf(float64(t.Year) + .5)
		t.Label = t.Year%every == 0 || (every == 1)
	}
}

// xOf places a fractional year on the axis.
func (o *Overview) xOf(fracYear float64) int {
	first, years := o.Ticks[0].Year, len(o.Ticks)
	return o.Left + int(float64(o.Right-o.Left)*(fracYear-float64(first))/float64(years)+0.5)
}

// finish places the axis under the last lane and sets the chart's height.
func (o *Overview) finish(axisY int) {
	o.AxisY = axisY
	o.Height = axisY + ovLabelH
}

// lanes returns one lane per track, in the config's order (one lane with
// no track on a site without tracks), and each event's lane.
func (s *Site) lanes() ([]OverviewLane, []int) {
	index := map[*Track]int{}
	var lanes []OverviewLane
	for _, t := range s.Tracks {
		index[t] = len(lanes)
		lanes = append(lanes, OverviewLane{Track: t})
	}
	if len(lanes) == 0 {
		lanes = []OverviewLane{{}}
	}
	laneOf := make([]int, len(s.Events))
	for i, e := range s.Events {
		laneOf[i] = index[e.Track] // 0 for an event with no track
	}
	return lanes, laneOf
}

// markLabel names an event for its mark: "12 May 2021: Title (Type), Track".
func markLabel(e *Event) string {
	label := e.DateHuman() + ": " + e.Title
	if e.Type != nil {
		label += " (" + e.Type.Label + ")"
	}
	if e.Track != nil {
		label += ", " + e.Track.Label
	}
	return label
}

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
