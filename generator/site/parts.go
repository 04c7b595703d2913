package site

import (
	"fmt"
	"strconv"
)

// TimelinePart is one page of the timeline. A timeline of no more events
// than the config's TimelinePart is one page, /timeline/; a longer one is
// served in parts so that no page grows with the site: a year a part, and
// a year holding more events than the cap cut into pieces of nearly equal
// size ("2011, part 2 of 3"). The first part is at /timeline/, so that the
// timeline's address and the anchors of a one-page timeline stay; the
// others at /timeline/<year>/ and /timeline/<year>/<piece>/.
type TimelinePart struct {
	Index int    // in Site.Parts
	Path  string // without the base path: "/timeline/", "/timeline/2011/2/"
	URL   string // with the base path
	Year  int
	// Piece is the part's place in its year, from 1; Pieces how many
	// parts the year has (1 when the year is one part).
	Piece, Pieces int
	// Years holds what the part lists: the years it covers (one, unless
	// the whole timeline is one part), each with its events in this part.
	Years []*Year
	// First is the index in Site.Events of the part's first event; Count
	// how many events it holds.
	First, Count int
	Prev, Next   *TimelinePart
}

// Label names the part for readers: "2011", "2011, part 2 of 3".
func (p *TimelinePart) Label() string {
	if p.Pieces > 1 {
		return fmt.Sprintf("%d, part %d of %d", p.Year, p.Piece, p.Pieces)
	}
	return strconv.Itoa(p.Year)
}

// Span is the dates of the part's first and last events, for readers:
// "3 January 2011 – 28 April 2011".
func (p *TimelinePart) Span() string {
	first, last := p.Years[0].Events[0], p.Years[len(p.Years)-1].Events
	l := last[len(last)-1]
	if first == l {
		return first.DateHuman()
	}
	return first.DateHuman() + " – " + l.DateHuman()
}

// YearLink is one year of the timeline's index of parts: the year, its
// events, and its first part.
type YearLink struct {
	Year  int
	ID    string // the year's heading on its parts: "y2011"
	Count int
	Part  *TimelinePart // the year's first part
	// Parts are the year's parts, when it has more than one.
	Parts []*TimelinePart
}

// PartYears returns the index of the timeline's parts by year, oldest
// first.
func (s *Site) PartYears() []YearLink {
	var ys []YearLink
	for _, p := range s.Parts {
		for _, y := range p.Years {
			if n := len(ys); n == 0 || ys[n-1].Year != y.Year {
				ys = append(ys, YearLink{Year: y.Year, ID: y.ID, Part: p})
			}
			l := &ys[len(ys)-1]
			l.Count += len(y.Events)
			if p.Pieces > 1 {
				l.Parts = append(l.Parts, p)
			}
		}
	}
	return ys
}

// TimelineURL returns the URL of an event's place on the timeline: its
// anchor on the part that holds it. Every link to an event on the
// timeline is made by it (templates call it as .Site.TimelineURL).
func (s *Site) TimelineURL(e *Event) string {
	if e.part == nil {
		return s.url("/timeline/") + "#" + e.Meta.Slug
	}
	return e.part.URL + "#" + e.Meta.Slug
}

// OverviewData is the data the timeline's overview partial is rendered
// with: the site alone, and the same value on every part, so that the
// parts share one rendering of it ({{partialCached}}), which at 10,000
// events is most of the work of a part.
func (s *Site) OverviewData() *PageData { return s.overview }

// TimelinePartOf returns the part of the timeline that holds e.
func TimelinePartOf(e *Event) *TimelinePart { return e.part }

// addParts cuts the timeline into parts of at most the config's
// TimelinePart events (see TimelinePart). Events are in timeline order
// and grouped by year already.
func (s *Site) addParts() {
	limit := s.Config.TimelinePart
	if limit < 1 {
		limit = 1 // config rejects it; a Site made by hand may hold anything
	}
	s.Parts, s.overview = nil, &PageData{Site: s, Kind: "timeline", Path: "/timeline/", URL: s.url("/timeline/")}
	if len(s.Events) <= limit {
		p := &TimelinePart{Path: "/timeline/", Years: s.Years, Count: len(s.Events), Piece: 1, Pieces: 1}
		if len(s.Years) > 0 {
			p.Year = s.Years[0].Year
		}
		s.Parts = append(s.Parts, p)
	} else {
		first := 0
		for _, y := range s.Years {
			n := len(y.Events)
			pieces := (n + limit - 1) / limit
			for k := 0; k < pieces; k++ {
				// Nearly equal pieces, in timeline order.
				lo, hi := k*n/pieces, (k+1)*n/pieces
				p := &TimelinePart{Year: y.Year, Piece: k + 1, Pieces: pieces, First: first + lo, Count: hi - lo,
					Years: []*Year{{Year: y.Year, ID: y.ID, Events: y.Events[lo:hi]}}}
				switch {
				case len(s.Parts) == 0:
					p.Path = "/timeline/"
				case k == 0:
					p.Path = fmt.Sprintf("/timeline/%d/", y.Year)
				default:
					p.Path = fmt.Sprintf("/timeline/%d/%d/", y.Year, k+1)
				}
				s.Parts = append(s.Parts, p)
			}
			first += n
		}
	}
	for i, p := range s.Parts {
		p.Index, p.URL = i, s.url(p.Path)
		if i > 0 {
			p.Prev, s.Parts[i-1].Next = s.Parts[i-1], p
		}
		for _, y := range p.Years {
			for _, e := range y.Events {
				e.part = p
			}
		}
	}
}
