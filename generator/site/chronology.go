package site

import (
	"container/heap"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
)

// This file assembles what makes the timeline a chronology: tracks, the
// roles actors played, and the follows links between events, and the
// order that respects them. Votes are in votes.go.

// Track is a thread of the story from the config (site.yaml `tracks:`),
// with its events in timeline order.
type Track struct {
	Key         string
	Label       string
	Description string
	Colour      string // "#rrggbb"
	URL         string
	Path        string // "/tracks/<key>/"
	Events      []*Event
}

// TrackVote is one recorded vote of a track's event, for the track page's
// chart of how the votes changed over time.
type TrackVote struct {
	Event *Event
	Vote  *Vote
}

// Votes returns the recorded votes (not those adopted without a vote) of
// the track's events, in timeline order.
func (t *Track) Votes() []TrackVote {
	var out []TrackVote
	for _, e := range t.Events {
		for _, v := range e.Votes {
			if !v.AdoptedWithoutVote {
				out = append(out, TrackVote{Event: e, Vote: v})
			}
		}
	}
	return out
}

// Role is what an actor did in an event, from site.yaml `roles:`.
type Role struct {
	Key         string
	Label       string
	Description string
	order       int // its place in site.yaml
}

// ActorRole is one actor of an event with its role (nil when the event
// gives none).
type ActorRole struct {
	Actor *Actor
	Role  *Role
}

// Approximate reports whether the event's date is known only to the month
// or the year: the timeline marks it, and sorts it after the dated events
// inside that period.
func (e *Event) Approximate() bool { return e.Date.Precision < content.Day }

// ApproxNote says what is not known of an approximate date, for readers:
// "day not known" for a month, "month and day not known" for a year; ""
// for a dated event.
func (e *Event) ApproxNote() string {
	switch e.Date.Precision {
	case content.Month:
		return "day not known"
	case content.Year:
		return "month and day not known"
	}
	return ""
}

// RoleGroup is the actors of an event that had one role: Role is nil for
// the actors named without one.
type RoleGroup struct {
	Role   *Role
	Actors []*Actor
}

// RoleGroups returns the event's actors grouped by role, in the order
// site.yaml declares the roles, the actors without a role last.
func (e *Event) RoleGroups() []RoleGroup {
	var groups []RoleGroup
	var none []*Actor
	for _, r := range e.Roles {
		if r.Role == nil {
			none = append(none, r.Actor)
			continue
		}
		i := slices.IndexFunc(groups, func(g RoleGroup) bool { return g.Role == r.Role })
		if i < 0 {
			groups = append(groups, RoleGroup{Role: r.Role})
			i = len(groups) - 1
		}
		groups[i].Actors = append(groups[i].Actors, r.Actor)
	}
	slices.SortStableFunc(groups, func(a, b RoleGroup) int { return a.Role.order - b.Role.order })
	if len(none) > 0 {
		groups = append(groups, RoleGroup{Actors: none})
	}
	return groups
}

// HasRoles reports whether any actor of the event has a role.
func (e *Event) HasRoles() bool {
	for _, r := range e.Roles {
		if r.Role != nil {
			return true
		}
	}
	return false
}

// addTracks adds the config's tracks and claims their pages' URLs.
func (a *assembler) addTracks() map[string]*Track {
	s := a.site
	byKey := map[string]*Track{}
	for _, t := range s.Config.Tracks {
		tr := &Track{Key: t.Key, Label: t.Label, Description: t.Description, Colour: t.Colour}
		tr.Path = "/tracks/" + t.Key + "/"
		tr.URL = s.url(tr.Path)
		byKey[t.Key] = tr
		s.Tracks = append(s.Tracks, tr)
	}
	if len(s.Tracks) > 0 {
		a.claim("/tracks/", nil, "")
	}
	for _, t := range s.Tracks {
		a.claim(t.Path, nil, "")
	}
	for i, r := range s.Config.Roles {
		a.roles[r.Key] = &Role{Key: r.Key, Label: r.Label, Description: r.Description, order: i}
	}
	return byKey
}

// linkFollows resolves every event's follows to events, reporting unknown
// slugs and cycles at the follows line. An event is named by its file
// name without .md, or by its slug when front matter sets one.
func (a *assembler) linkFollows() {
	s := a.site
	bySlug := make(map[string]*Event, len(s.Events))
	for _, e := range s.Events {
		bySlug[e.Meta.Slug] = e
	}
	for _, e := range s.Events {
		bySlug[strings.TrimSuffix(path.Base(e.page.Path), ".md")] = e
	}
	var slugs []string
	for _, e := range s.Events {
		if len(e.Meta.Follows) > 0 && slugs == nil {
			for k := range bySlug {
				slugs = append(slugs, k)
			}
			slices.Sort(slugs)
		}
		for _, f := range e.Meta.Follows {
			if t := bySlug[f]; t != nil {
				e.Follows = append(e.Follows, t)
				continue
			}
			file := "content/events/" + f + ".md"
			switch {
			case a.failed[file]:
			case a.drafts[file]:
				a.errs.Add(fieldErr(e.page, "follows", fmt.Sprintf("follows %q: that event is a draft and is left out of this build (build with --drafts, or remove draft: true there)", f)))
			default:
				msg := fmt.Sprintf("follows %q: no such event (expected the file name, without .md, of a file in content/events/)", f)
				if c := content.Closest(f, slugs); c != "" {
					msg += fmt.Sprintf("; did you mean %q?", c)
				}
				a.errs.Add(fieldErr(e.page, "follows", msg))
			}
		}
	}
	a.reportCycles()
}

// reportCycles reports each cycle of follows once, at the follows line of
// the event that closes it, and drops that link so that ordering ends.
func (a *assembler) reportCycles() {
	const (
		white = iota
		grey
		black
	)
	colour := map[*Event]int{}
	var stack []*Event
	var visit func(e *Event)
	visit = func(e *Event) {
		colour[e] = grey
		stack = append(stack, e)
		for i := 0; i < len(e.Follows); i++ {
			f := e.Follows[i]
			switch colour[f] {
			case white:
				visit(f)
			case grey:
				start := slices.Index(stack, f)
				var names []string
				for _, x := range stack[start:] {
					names = append(names, x.Meta.Slug)
				}
				names = append(names, f.Meta.Slug)
				a.errs.Add(fieldErr(e.page, "follows", fmt.Sprintf("follows %q makes a cycle: %s; an event cannot follow, however indirectly, from itself", f.Meta.Slug, strings.Join(names, " follows "))))
				e.Follows = slices.Delete(slices.Clone(e.Follows), i, i+1)
				i--
			}
		}
		stack = stack[:len(stack)-1]
		colour[e] = black
	}
	for _, e := range a.site.Events {
		if colour[e] == white {
			visit(e)
		}
	}
}

// sortEvents puts events in timeline order. An event comes after every
// event whose date lies inside its own: an event known only to the month
// ("December 2019") after those dated inside that month, one known only to
// the year after that year's. So events are ordered by the end of the
// period their date names, then the finer date first, then title and path
// (so that the order never depends on the order of the files). Then, among
// events of the same year whose dates overlap, an event comes after the
// events it follows.
func sortEvents(events []*Event) {
	// The end of each period, worked out once rather than in each of the
	// n log n comparisons: at 10,000 events that was most of the sort.
	type keyed struct {
		last time.Time
		e    *Event
	}
	keys := make([]keyed, len(events))
	for i, e := range events {
		keys[i] = keyed{e.Date.Last(), e}
	}
	slices.SortStableFunc(keys, func(a, b keyed) int {
		if c := a.last.Compare(b.last); c != 0 {
			return c
		}
		if c := b.e.Date.Time.Compare(a.e.Date.Time); c != 0 {
			return c
		}
		if c := strings.Compare(a.e.Title, b.e.Title); c != 0 {
			return c
		}
		return strings.Compare(a.e.Path, b.e.Path)
	})
	for i, k := range keys {
		events[i] = k.e
	}
	orderByFollows(events)
}

// orderByFollows reorders date-sorted events so that an event comes after
// the events it follows whose dates overlap its own in the same year,
// moving as little as it can: of the events whose predecessors are all
// placed, the earliest in date order goes next.
func orderByFollows(events []*Event) {
	idx := make(map[*Event]int, len(events))
	links := false
	for i, e := range events {
		idx[e] = i
		links = links || len(e.Follows) > 0
	}
	if !links {
		return
	}
	indeg := make([]int, len(events))
	succ := make([][]int, len(events))
	for i, e := range events {
		for _, f := range e.Follows {
			if j, ok := idx[f]; ok && f.Year == e.Year && overlaps(f, e) {
				succ[j] = append(succ[j], i)
				indeg[i]++
			}
		}
	}
	ready := &intHeap{}
	for i, d := range indeg {
		if d == 0 {
			heap.Push(ready, i)
		}
	}
	order := make([]*Event, 0, len(events))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		order = append(order, events[i])
		for _, k := range succ[i] {
			if indeg[k]--; indeg[k] == 0 {
				heap.Push(ready, k)
			}
		}
	}
	if len(order) == len(events) { // else a cycle, reported: keep date order
		copy(events, order)
	}
}

// overlaps reports whether two events' periods (from the start of the date
// to the end of the end date, or of the date) share an instant.
func overlaps(a, b *Event) bool {
	return !a.Date.Time.After(lastOf(b)) && !b.Date.Time.After(lastOf(a))
}

func lastOf(e *Event) time.Time {
	if !e.End.IsZero() {
		return e.End.Last()
	}
	return e.Date.Last()
}

// intHeap is a min-heap of event indexes.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// addLedTo gives each event the events that follow from it, in timeline
// order.
func addLedTo(events []*Event) {
	for _, e := range events {
		for _, f := range e.Follows {
			f.LedTo = append(f.LedTo, e)
		}
	}
}

// checkActors reports every actor an event names that has no page in
// content/actors/, at the line that names it, with the nearest name that
// has a page: a misspelt "Rusia" would otherwise become an actor of its own.
// A site that describes no actor at all (a new one, or a small test site)
// is not held to it: there is no page a name could be misspelt from.
func (a *assembler) checkActors() {
	var names []string
	for _, ac := range a.site.Actors {
		if ac.page != nil {
			names = append(names, ac.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	for _, ac := range a.site.Actors {
		if ac.page != nil {
			continue
		}
		for _, e := range ac.Events {
			var pos content.Pos
			if i := slices.Index(e.Meta.Actors, ac.Name); i >= 0 && i < len(e.Meta.ActorPos) {
				pos = e.Meta.ActorPos[i]
			}
			msg := fmt.Sprintf("actor %q has no page: expected content/actors/%s.md (with title: %q)", ac.Name, ac.Slug, ac.Name)
			if c := content.Closest(ac.Name, names); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			a.errs.Add(posErr(e.page, "actor", pos, msg))
		}
	}
}

// posErr locates an error at a position in p's front matter, or at the
// field when the position is not known.
func posErr(p *content.Page, field string, pos content.Pos, msg string) diag.Error {
	err := fieldErr(p, field, msg)
	if pos.Line > 0 && pos.Line != err.Line {
		err.Line, err.Col, err.Source = pos.Line, pos.Col, ""
	}
	return err
}
