package site

import (
	"strconv"
	"strings"
)

// ovShapes are the marks' shapes, as SVG paths centred on 0,0 and about
// 12 units across, given to the event types in site.yaml's order: shape
// tells types apart where colour cannot (colour blindness, a grey
// printout). Each type's path is defined once in the chart, with the
// type's class, which gives it its colour. They differ in outline, not only in size or rotation, so
// they stay apart at 10 px: circle, square, diamond, triangle, star,
// triangle pointing down, cross, plus, hexagon. A tenth type has the
// circle again, and so on.
var ovShapes = [...]string{
	"M-5 0a5 5 0 1 0 10 0a5 5 0 1 0-10 0Z",
	"M-4.5-4.5h9v9h-9Z",
	"M0-6.5L6.5 0 0 6.5-6.5 0Z",
	"M0-6L6 4.5H-6Z",
	"M0-5.9L1.7-1.8 6.2-1.4 2.8 1.5 3.8 5.9 0 3.5-3.8 5.9-2.8 1.5-6.2-1.4-1.7-1.8Z",
	"M0 6L6-4.5H-6Z",
	"M-4.2-5.6L0-1.4 4.2-5.6 5.6-4.2 1.4 0 5.6 4.2 4.2 5.6 0 1.4-4.2 5.6-5.6 4.2-1.4 0-5.6-4.2Z",
	"M-2-6h4v4h4v4h-4v4h-4v-4h-4v-4h4Z",
	"M5.3 3.1L0 6.2-5.3 3.1V-3.1L0-6.2 5.3-3.1Z",
}

// shapes gives each type its shape, in the config's order, and names the
// landmark types for the caption.
func (o *Overview) shapes(s *Site) {
	landmark := s.landmarkTypes()
	var names []string
	for i, t := range s.Types {
		o.Shapes = append(o.Shapes, OverviewShape{Type: t, ID: "ov-s" + strconv.Itoa(i), Path: ovShapes[i%len(ovShapes)]})
		if landmark[t] {
			names = append(names, pluralNoun(t.Label))
		}
	}
	switch n := len(names); {
	case n == 1:
		o.Landmarks = names[0]
	case n > 1:
		o.Landmarks = strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
}

// shapeOf returns the id of the type's shape.
func (o *Overview) shapeOf(t *Type) string {
	for _, sh := range o.Shapes {
		if sh.Type == t {
			return sh.ID
		}
	}
	return "" // a type the config does not declare: only in tests
}

// landmarkTypes returns the types site.yaml marks `landmark: true`.
func (s *Site) landmarkTypes() map[*Type]bool {
	out := map[*Type]bool{}
	for _, ct := range s.Config.Types {
		if !ct.Landmark {
			continue
		}
		for _, t := range s.Types {
			if t.Key == ct.Key {
				out[t] = true
			}
		}
	}
	return out
}

// pluralNoun writes a type's label in the plural, in lower case, for running
// text ("14 resolutions, 2 treaties"): the labels are English nouns.
func pluralNoun(label string) string {
	w := strings.ToLower(label)
	switch {
	case strings.HasSuffix(w, "y") && !strings.ContainsAny(w[max(len(w)-2, 0):len(w)-1], "aeiou"):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}
