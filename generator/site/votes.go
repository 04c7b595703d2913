package site

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
)

// This file holds the votes of events: the tally with its source, and
// what the templates show of it (the words, the bar of shares). A count
// the sources do not give (content.Vote's YesUnknown...) is said as such
// and leaves the bar out.

// Vote is one recorded vote of an event, with the source that gives its
// tally.
type Vote struct {
	content.Vote
	SourceRef content.Source // the event's Sources[Source-1]
}

// Total is the number of states that voted: yes, no and abstain. It is
// the total only when the tally is Complete: an unknown count adds 0.
func (v *Vote) Total() int { return v.Yes + v.No + v.Abstain }

// Share returns n as a percentage of the votes cast (yes, no, abstain),
// to one decimal, for the width of a bar segment: "45.9". With a count
// unknown there is no total to take a share of: "0".
func (v *Vote) Share(n int) string {
	if v.Total() == 0 || !v.Complete() {
		return "0"
	}
	return share(n, v.Total())
}

// Summary says the vote in words, for screen readers and for the vote
// figure's text: "79 in favour, 60 against, 33 abstentions", or with a
// count no source gives, "139 in favour, 11 against, abstentions not
// known".
func (v *Vote) Summary() string {
	if v.AdoptedWithoutVote {
		return "adopted without a vote"
	}
	parts := make([]string, 0, 4)
	for _, c := range []struct {
		n                 int
		unknown           bool
		one, many, absent string
	}{
		{v.Yes, v.YesUnknown, "in favour", "in favour", "votes in favour not known"},
		{v.No, v.NoUnknown, "against", "against", "votes against not known"},
		{v.Abstain, v.AbstainUnknown, "abstention", "abstentions", "abstentions not known"},
	} {
		if c.unknown {
			parts = append(parts, c.absent)
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", c.n, plural(c.n, c.one, c.many)))
	}
	if v.HasAbsent {
		parts = append(parts, fmt.Sprintf("%d absent or not voting", v.Absent))
	}
	return strings.Join(parts, ", ")
}

// BarSegment is one part of a vote's proportional bar, in the units of
// its SVG (0 to 100 across).
type BarSegment struct {
	Class    string // vote-yes, vote-no, vote-abstain
	X, Width string
}

// Bar returns the segments of the vote's bar: yes, no and abstain, each as
// wide as its share of the votes cast, the empty ones left out. A tally
// with a count unknown has no bar: shares of a total nobody knows would
// draw a proportion the sources do not give.
func (v *Vote) Bar() []BarSegment {
	if !v.Complete() {
		return nil
	}
	var out []BarSegment
	x := 0
	for _, part := range []struct {
		class string
		n     int
	}{{"vote-yes", v.Yes}, {"vote-no", v.No}, {"vote-abstain", v.Abstain}} {
		if part.n == 0 || v.Total() == 0 {
			continue
		}
		out = append(out, BarSegment{Class: part.class, X: share(x, v.Total()), Width: share(part.n, v.Total())})
		x += part.n
	}
	return out
}

// SourceName names the source of the tally in a few words: its
// publisher, else its title.
func (v *Vote) SourceName() string {
	if v.SourceRef.Publisher != "" {
		return v.SourceRef.Publisher
	}
	return v.SourceRef.Title
}

func share(n, total int) string {
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// addVotes gives each event its votes with their sources.
func addVotes(e *Event) {
	for _, v := range e.Meta.Votes {
		sv := &Vote{Vote: v}
		if v.Source >= 1 && v.Source <= len(e.Sources) {
			sv.SourceRef = e.Sources[v.Source-1]
		}
		e.Votes = append(e.Votes, sv)
	}
}
