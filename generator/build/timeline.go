package build

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/output"

	"github.com/unictimeline/sitegen/generator/site"
)

// timelineParts returns the page data of each part of the timeline (see
// site.TimelinePart): the first at /timeline/, titled "Timeline" as the
// one page of a small site is; the others titled by their year or piece,
// under the timeline in the breadcrumbs.
func timelineParts(s *site.Site, home, timeline site.Crumb) []*site.PageData {
	ds := make([]*site.PageData, len(s.Parts))
	for i, p := range s.Parts {
		d := &site.PageData{Kind: "timeline", Title: "Timeline", Path: p.Path, Part: p, Breadcrumbs: []site.Crumb{home}}
		switch {
		case len(s.Parts) == 1:
			d.Description = fmt.Sprintf("Every event of %s in date order, grouped by year.", s.Config.Title)
		case i == 0:
			d.Description = fmt.Sprintf("The events of %s in date order, a part of the timeline at a time: %s.", s.Config.Title, p.Label())
		default:
			d.Title = "Timeline: " + p.Label()
			d.Description = fmt.Sprintf("The events of %s in %s, in date order.", s.Config.Title, p.Label())
			d.Breadcrumbs = []site.Crumb{home, timeline}
		}
		ds[i] = d
	}
	return ds
}

// The data of a timeline in parts, which assets/js/timeline.js fetches
// when a filter is set, so that a filtered view lists the matches of
// every part while loading only small files: the index (the vocabularies,
// the parts, how the rest is cut), the facets of the events in chunks of
// timelineChunk, and which part holds each event by slug, in shards by a
// hash of the slug (for an old /timeline/#slug link). A one-page timeline
// has none: its page holds every event.
const (
	timelineData = "timeline/data/"
	// timelineChunk is how many events' facets a chunk holds: about 12
	// bytes an event, so a chunk is some 50 KB, and a filter at 100,000
	// events fetches 25 of them.
	timelineChunk = 4096
	// timelineSlugs is about how many slugs a shard of the slug map holds.
	timelineSlugs = 512
)

// timelineMemo is what writeTimelineData wrote, for the next build under
// the same site key: the data is made of the events' front matter and
// order, which the key covers, so a body edit reuses every file.
type timelineMemo struct {
	names []string
	files [][]byte
}

// writeTimelineData adds the timeline's data files to out (see
// timelineData) and returns them for the next build: reuse's when it has
// some, since the memo is kept under an unchanged site key only.
func writeTimelineData(s *site.Site, out *output.Output, reuse *timelineMemo) (*timelineMemo, diag.List) {
	m := reuse
	if m == nil {
		m = timelineFiles(s)
	}
	var errs diag.List
	for i, n := range m.names {
		if err := out.Put(n, m.files[i]); err != nil {
			errs.Add(diag.Error{File: n, Msg: err.Error()})
		}
	}
	return m, errs
}

// timelineFiles encodes the timeline's data files; none for a timeline on
// one page.
func timelineFiles(s *site.Site) *timelineMemo {
	m := &timelineMemo{}
	if len(s.Parts) < 2 {
		return m
	}
	add := func(name string, v any) {
		b, _ := json.Marshal(v) // ints, strings and slices of them: cannot fail
		m.names = append(m.names, timelineData+name)
		m.files = append(m.files, append(b, '\n'))
	}
	idx := map[any]int{}
	index := struct {
		Events int        `json:"events"`
		Chunk  int        `json:"chunk"`
		Slugs  int        `json:"slugShards"`
		Types  []string   `json:"types"`
		Tracks []string   `json:"tracks"`
		Actors []string   `json:"actors"`
		Parts  [][]string `json:"parts"` // URL, label, first event, count
	}{Events: len(s.Events), Chunk: timelineChunk, Slugs: (len(s.Events) + timelineSlugs - 1) / timelineSlugs}
	for i, t := range s.Types {
		index.Types, idx[t] = append(index.Types, t.Key), i
	}
	for i, t := range s.Tracks {
		index.Tracks, idx[t] = append(index.Tracks, t.Key), i+1 // 0: no track
	}
	for i, a := range s.Actors {
		index.Actors, idx[a] = append(index.Actors, a.Slug), i
	}
	for _, p := range s.Parts {
		index.Parts = append(index.Parts, []string{p.URL, p.Label(), strconv.Itoa(p.First), strconv.Itoa(p.Count)})
	}
	add("index.json", index)
	// Facets: each event as [type, track, actor...], indexes into the
	// index's lists.
	for lo := 0; lo < len(s.Events); lo += timelineChunk {
		chunk := make([][]int, 0, timelineChunk)
		for _, e := range s.Events[lo:min(lo+timelineChunk, len(s.Events))] {
			f := []int{idx[e.Type], 0}
			if e.Track != nil {
				f[1] = idx[e.Track]
			}
			for _, a := range e.Actors {
				f = append(f, idx[a])
			}
			chunk = append(chunk, f)
		}
		add("f"+strconv.Itoa(lo/timelineChunk)+".json", chunk)
	}
	shards := make([]map[string]int, index.Slugs)
	for i := range shards {
		shards[i] = map[string]int{}
	}
	for _, e := range s.Events {
		shards[slugShard(e.Meta.Slug, index.Slugs)][e.Meta.Slug] = site.TimelinePartOf(e).Index
	}
	for i, sh := range shards {
		add("s"+strconv.Itoa(i)+".json", sh) // json sorts the keys
	}
	return m
}

// slugShard is the shard of the slug map that holds slug: FNV-1a of its
// bytes, modulo the shards. timeline.js computes the same.
func slugShard(slug string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return int(h.Sum32() % uint32(shards))
}
