package build

import (
	"fmt"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/site"
)

// listPages returns the jobs of a type's, actor's or track's page d, whose
// list of events is events, made from page p (nil for a generated page):
// one job a page of the list (see site.ListPage). The first is d itself,
// at the list's path, with the heading, description and body; the others
// show the list alone, titled by their number, under d in the breadcrumbs,
// and are made from no content file, so that an edit of an actor's body
// rewrites its first page only.
func listPages(s *site.Site, tmpl string, d *site.PageData, p *content.Page, events []*site.Event) []job {
	pages := s.ListPages(d.Path, events)
	jobs := make([]job, 0, len(pages))
	d.List = pages[0]
	finishData(s, d)
	jobs = append(jobs, job{template: tmpl, kind: d.Kind, path: d.Path, data: d, page: p})
	crumbs := append(append([]site.Crumb(nil), d.Breadcrumbs...), site.Crumb{Title: d.Title, URL: d.URL})
	for _, l := range pages[1:] {
		n := &site.PageData{Kind: d.Kind, Title: d.Title + ", " + l.Label(), Description: fmt.Sprintf("%s: events %d–%d of %d, %s.", d.Title, l.From(), l.Last(), l.Total, l.Label()),
			Path: l.Path, Actor: d.Actor, Type: d.Type, Track: d.Track, List: l, Breadcrumbs: crumbs}
		finishData(s, n)
		jobs = append(jobs, job{template: tmpl, kind: n.Kind, path: n.Path, data: n})
	}
	return jobs
}
