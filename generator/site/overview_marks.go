package site

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// layMarks places one mark per event, in one lane per track (in the
// order of the config), labels the landmarks, and sets the chart's height
// and axis. Events are in timeline order, which the marks' x follows, so
// a greedy pass that puts each mark on the lowest row of its lane whose
// last mark is far enough to the left keeps the stacks as low as they can
// be.
func (o *Overview) layMarks(s *Site) {
	var laneOf []int
	o.Lanes, laneOf = s.lanes()
	rowEnd := make([]*rowEnds, len(o.Lanes))
	rows := make([]int, len(o.Lanes))
	markRow := make([]int, 0, len(s.Events))
	prevX := math.MinInt
	for i, e := range s.Events {
		// Never left of the mark before: an event known only to the month
		// or year, placed mid-period, comes after the events dated inside
		// it in the list, and so it does on the chart.
		x := max(o.xOf(fracYear(e.Date)), prevX)
		prevX = x
		l := laneOf[i]
		if rowEnd[l] == nil {
			rowEnd[l] = newRowEnds(len(s.Events))
		}
		row := rowEnd[l].lowest(x - ovMarkGap)
		rowEnd[l].set(row, x)
		rows[l] = max(rows[l], row+1)
		o.Marks = append(o.Marks, OverviewMark{Event: e, X: x, Label: markLabel(e), Href: s.eventHref(e), Shape: o.shapeOf(e.Type)})
		markRow = append(markRow, row)
	}
	// A lane's top row holds its track's name and the labels of the
	// landmarks in its tallest stacks. Where the marks leave the corner
	// under the name free, the row is left out if that labels as many
	// landmarks: the chart is then a row lower.
	cornerFree := make([]bool, len(o.Lanes))
	for l, lane := range o.Lanes {
		cornerFree[l] = lane.Track != nil && rows[l] >= 3
	}
	for i, m := range o.Marks {
		l := laneOf[i]
		if lane := o.Lanes[l]; lane.Track != nil && markRow[i] >= rows[l]-1 && m.X-ovMarkR < o.Left+18+utf8.RuneCountInString(lane.Track.Label)*ovCharW {
			cornerFree[l] = false
		}
	}
	nameRow := make([]bool, len(o.Lanes))
	for l := range nameRow {
		nameRow[l] = true
	}
	labels := o.placeLanes(s, laneOf, markRow, rows, nameRow)
	for l := range nameRow {
		if !cornerFree[l] {
			continue
		}
		nameRow[l] = false
		if n := o.placeLanes(s, laneOf, markRow, rows, nameRow); n < labels {
			nameRow[l] = true
		}
	}
	o.placeLanes(s, laneOf, markRow, rows, nameRow)
}

// placeLanes stacks the lanes, each with a row for its track's name where
// nameRow says, places the marks in them and labels the landmarks; it
// returns how many landmarks have a label.
func (o *Overview) placeLanes(s *Site, laneOf, markRow, rows []int, nameRow []bool) int {
	y := ovTopPad
	for l := range o.Lanes {
		lane := &o.Lanes[l]
		lane.BandTop = y
		if nameRow[l] {
			y += ovRowH
		}
		lane.LabelY = lane.BandTop + ovRowH - 4
		lane.Top = y
		y += max(rows[l], 1)*ovRowStep + 2
		lane.Bottom = y
	}
	o.finish(y)
	for i := range o.Marks {
		o.Marks[i].Y = o.Lanes[laneOf[i]].Bottom - ovMarkR - 2 - markRow[i]*ovRowStep
	}
	o.Labels = o.Labels[:0]
	o.labelLandmarks(s, laneOf)
	return len(o.Labels)
}

// box is a rectangle of the chart that a label must not cover.
type box struct{ x0, y0, x1, y1 int }

func (b box) hits(c box) bool { return b.x0 < c.x1 && c.x0 < b.x1 && b.y0 < c.y1 && c.y0 < b.y1 }

// labelLandmarks writes each landmark's short name above its mark, as low
// as it fits in its lane without covering a mark, the track's name,
// another label or its leader (the line from a label down to its mark);
// a landmark with no such place has no label, and its name still shows
// on focus, as every mark's does.
func (o *Overview) labelLandmarks(s *Site, laneOf []int) {
	landmark := s.landmarkTypes()
	// Per lane: what a label must not cover (marks, labels, leaders, the
	// track's name), and what a leader must not cross (labels, leaders).
	marks, texts := make([][]box, len(o.Lanes)), make([][]box, len(o.Lanes))
	for i, m := range o.Marks {
		marks[laneOf[i]] = append(marks[laneOf[i]], box{m.X - ovMarkR - 2, m.Y - ovMarkR - 1, m.X + ovMarkR + 2, m.Y + ovMarkR})
	}
	for l, lane := range o.Lanes {
		if lane.Track != nil {
			w := 14 + utf8.RuneCountInString(lane.Track.Label)*ovCharW
			texts[l] = append(texts[l], box{o.Left, lane.BandTop, o.Left + w, lane.BandTop + ovRowH})
		}
	}
	var leaders strings.Builder
	for i, m := range o.Marks {
		if !landmark[m.Event.Type] {
			continue
		}
		l, text := laneOf[i], shortName(m.Event)
		half := utf8.RuneCountInString(text) * ovCharW / 2
		x := min(max(m.X, o.Left+half), o.Right-half)
		for base := m.Y - ovMarkR - 3; base-ovTextH >= o.Lanes[l].BandTop+1; base -= 3 {
			label := box{x - half - 3, base - ovTextH, x + half + 3, base + 2}
			leader := box{m.X - 1, base, m.X + 1, m.Y - ovMarkR}
			hits := func(b box) bool { return b.hits(label) || b.hits(leader) }
			if slices.ContainsFunc(marks[l], label.hits) || slices.ContainsFunc(texts[l], hits) {
				continue
			}
			texts[l] = append(texts[l], label, leader)
			o.Labels = append(o.Labels, OverviewLabel{X: x, Y: base, Text: text})
			if base+3 < m.Y-ovMarkR-1 {
				leaders.WriteString("M" + strconv.Itoa(m.X) + " " + strconv.Itoa(base+3) + "V" + strconv.Itoa(m.Y-ovMarkR-1))
			}
			break
		}
	}
	o.LeaderPath = leaders.String()
}

// shortName is what the overview writes beside a landmark's mark: the
// front matter's `params: {short: ...}` when it has one, else its first
// document's symbol without the "A/RES/" of a General Assembly resolution
// ("74/247"), else the start of its title.
func shortName(e *Event) string {
	if s, ok := e.Params["short"].(string); ok && s != "" {
		return s
	}
	if len(e.Documents) > 0 {
		return strings.TrimPrefix(e.Documents[0], "A/RES/")
	}
	const most = 18
	if utf8.RuneCountInString(e.Title) <= most {
		return e.Title
	}
	cut := string([]rune(e.Title)[:most])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,:;–-") + "…"
}

// rowEnds holds the x of the last mark on each row of the overview, and
// finds the lowest row whose last mark ends at or left of a given x in
// time logarithmic in the number of rows: a search row by row made the
// layout quadratic, since the rows grow with the events. It is a tree of
// minima over the rows, a row with no mark yet holding math.MinInt, so
// the first such row is where a new one starts.
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

// MarkR is the radius of the circle under an event's shape, for the
// template: the mark's focus ring and the target of a pointer or finger.
func (o *Overview) MarkR() int { return ovMarkR }
