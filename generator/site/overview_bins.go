package site

import (
	"strconv"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
)

// OverviewBin is one period of one lane on a binned overview: a bar whose
// height counts the events, with a solid foot that counts the landmark
// events among them.
type OverviewBin struct {
	X, Width  int
	Y, Height int // the bar, standing on its lane's bottom
	// FootY and FootHeight are the landmark events' part of the bar;
	// FootHeight is 0 when the bin has none.
	FootY, FootHeight int
	Count             int
	// Label names the bin for its aria-label and the name line: "March
	// 2015, Cybercrime: 120 events, 14 resolutions".
	Label string
	// Href leads to the period on the timeline: the year of its first
	// event (yearHref).
	Href string
}

// ovBinMonths are the periods a bin may cover, in months, shortest
// first; the overview takes the shortest that keeps the bins within
// ovBinBudget. Longer periods start on years divisible by their length
// ("2010–2014"), as a reader would count them.
var ovBinMonths = [...]int{1, 3, 12, 24, 60, 120, 240, 600, 1200}

const (
	// ovBinBudget is the most bins the overview draws, over all lanes: a
	// bin costs about 200 bytes of HTML, so the chart stays near 30 KB.
	ovBinBudget = 160
	ovBinH      = 44 // the tallest bar
)

// binCell counts the events of one period in one lane.
type binCell struct {
	n         int
	landmarks []int // per landmark type, in the order of lmTypes
	year      *Year // of its first event
}

// layBins counts the events per lane and period and draws a bar for each
// period that has any, scaled to the fullest one; the bars are listed by
// period, then lane, the order in which the keyboard moves through them.
func (o *Overview) layBins(s *Site) {
	var laneOf []int
	o.Lanes, laneOf = s.lanes()
	lanes := len(o.Lanes)
	monthOf := func(d content.Date) int {
		if d.Precision == content.Year {
			return d.Time.Year()*12 + 6 // mid-year, where its mark would be
		}
		return d.Time.Year()*12 + int(d.Time.Month()) - 1
	}
	firstM, lastM := o.Ticks[0].Year*12, o.Ticks[len(o.Ticks)-1].Year*12+11
	size := ovBinMonths[len(ovBinMonths)-1]
	for _, n := range ovBinMonths {
		if (lastM/n-firstM/n+1)*lanes <= max(ovBinBudget, 12*lanes) {
			size = n
			break
		}
	}
	o.BinUnit = binUnit(size)
	var lmTypes []*Type
	landmark := s.landmarkTypes()
	for _, t := range s.Types {
		if landmark[t] {
			lmTypes = append(lmTypes, t)
		}
	}
	years := make(map[int]*Year, len(s.Years))
	for _, y := range s.Years {
		years[y.Year] = y
	}
	first := firstM / size
	cells := make([]binCell, (lastM/size-first+1)*lanes)
	most := 0
	for i, e := range s.Events {
		c := &cells[(monthOf(e.Date)/size-first)*lanes+laneOf[i]]
		if c.n == 0 {
			c.landmarks, c.year = make([]int, len(lmTypes)), years[e.Year]
		}
		c.n++
		most = max(most, c.n)
		for k, t := range lmTypes {
			if e.Type == t {
				c.landmarks[k]++
			}
		}
	}
	y := ovTopPad
	for l := range o.Lanes {
		lane := &o.Lanes[l]
		lane.BandTop = y
		y += ovRowH
		lane.LabelY = y - 4
		lane.Top = y
		y += ovBinH + 2
		lane.Bottom = y
	}
	o.finish(y)
	for i, c := range cells {
		if c.n > 0 {
			b := o.bin(c, (first+i/lanes)*size, size, &o.Lanes[i%lanes], lmTypes, most)
			b.Href = s.yearHref(c.year)
			o.Bins = append(o.Bins, b)
		}
	}
}

// bin draws one cell that starts at month m (counted from year 0) and
// lasts size months.
func (o *Overview) bin(c binCell, m, size int, lane *OverviewLane, lmTypes []*Type, most int) OverviewBin {
	x0 := max(o.xOf(float64(m)/12), o.Left)
	x1 := min(o.xOf(float64(m+size)/12), o.Right)
	b := OverviewBin{X: x0, Width: max(x1-x0-1, 1), Count: c.n}
	b.Height = max((c.n*ovBinH+most-1)/most, 2)
	b.Y = lane.Bottom - 1 - b.Height
	lm := 0
	for _, k := range c.landmarks {
		lm += k
	}
	if lm > 0 {
		b.FootHeight = min(max((lm*ovBinH+most/2)/most, 2), b.Height)
		b.FootY = lane.Bottom - 1 - b.FootHeight
	}
	var label strings.Builder
	label.WriteString(periodName(m, size))
	if lane.Track != nil {
		label.WriteString(", " + lane.Track.Label)
	}
	label.WriteString(": " + count(c.n, "event", "events"))
	for k, t := range lmTypes {
		if n := c.landmarks[k]; n > 0 {
			label.WriteString(", " + count(n, strings.ToLower(t.Label), pluralNoun(t.Label)))
		}
	}
	b.Label = label.String()
	return b
}

// count writes "1 event", "120 events".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// binUnit names the period a bin covers, for the caption.
func binUnit(size int) string {
	switch size {
	case 1:
		return "month"
	case 3:
		return "quarter"
	case 12:
		return "year"
	}
	return strconv.Itoa(size/12) + " years"
}

// periodName names the period of size months from month m (counted from
// year 0): "March 2015", "January–March 2015", "2015", "2010–2014".
func periodName(m, size int) string {
	year, month := m/12, time.Month(m%12+1)
	switch {
	case size == 1:
		return month.String() + " " + strconv.Itoa(year)
	case size < 12:
		return month.String() + "–" + time.Month(m%12+size).String() + " " + strconv.Itoa(year)
	case size == 12:
		return strconv.Itoa(year)
	}
	return strconv.Itoa(year) + "–" + strconv.Itoa(year+size/12-1)
}
