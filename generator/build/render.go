package build

import (
	"fmt"
	"io/fs"
	"sync"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/linkcheck"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/render"
	"github.com/unictimeline/sitegen/generator/site"
	"github.com/unictimeline/sitegen/generator/theme"
)

// madePages is the pages renderAll made: its jobs and their output files.
type madePages struct {
	jobs  []job
	files []string
}

// origins returns where each page came from, by output file. It is made
// when a broken link is to be reported, not by every build.
func (m madePages) origins(s *site.Site) map[string]linkcheck.Origin {
	o := make(map[string]linkcheck.Origin, len(m.jobs))
	for i, j := range m.jobs {
		o[m.files[i]] = linkcheck.Origin{Template: j.template, Page: j.page, LinkURLs: site.LinkURLs(s, j.page)}
	}
	return o
}

// rendered is what renderAll made besides the pages themselves, for the
// link check and the build's stats.
type rendered struct {
	made madePages
	// failed holds the output files of pages whose rendering failed.
	failed map[string]bool
	// scans holds the link check's scan of each staged page, taken
	// before its bytes were let go.
	scans map[string]linkcheck.Scan
	pages int
	// rendered counts the pages rendered rather than reused.
	rendered int
}

// job is one page to render.
type job struct {
	template string
	kind     string // PageData.Kind
	path     string // PageData.Path
	data     *site.PageData
	page     *content.Page
	file     string // output file; output.FilePath(path) when empty
	// event is the event of an event page, whose data is made only when
	// the page is rendered (see pageData): most are reused. crumbs are
	// its breadcrumbs.
	event  *site.Event
	crumbs []site.Crumb
}

// pageData returns the job's template data.
func (j *job) pageData(s *site.Site) *site.PageData {
	if e := j.event; j.data == nil && e != nil {
		j.data = finishData(s, &site.PageData{Kind: "event", Title: e.Title, Description: e.Blurb(), Path: e.Path, URL: e.URL, Event: e, Body: site.EventBody(e), Breadcrumbs: j.crumbs})
	}
	return j.data
}

// finishData fills in what every page's data has: the site, the URL, and
// the site's description for a page whose file gives none (every page
// carries a description, in meta and Open Graph tags).
func finishData(s *site.Site, d *site.PageData) *site.PageData {
	d.Site = s
	if d.URL == "" {
		d.URL = s.URL(d.Path)
	}
	if d.Description == "" {
		d.Description = s.Config.Description
	}
	return d
}

// renderAll renders every page of the site into out, on every core, and
// returns what it made for the next build to reuse. A page whose content
// is the one it was rendered from in reuse (a memo whose site key is this
// build's, listing the same pages) is taken from there instead of
// rendered. release, when not nil, is told of each event page rendered.
func renderAll(s *site.Site, t *render.Templates, out *output.Output, reuse pagesMemo, release *bodyRelease) (pagesMemo, *rendered, diag.List) {
	r := &rendered{failed: map[string]bool{}, scans: map[string]linkcheck.Scan{}}
	jobs, same := renderJobs(s, t, reuse)
	next := nextPages(s, jobs, reuse, same)
	files := next.files
	todo := jobsToRender(jobs, reuse, same)
	type result struct {
		b   []byte
		err error
	}
	results := make([]result, len(todo))
	var names *linkcheck.Names
	if out.Staged() {
		names = linkcheck.NewNames()
	}
	var mu sync.Mutex // guards out and r.scans while the pages render
	listsFirst(jobs, todo, t, func(k int) {
		i := todo[k]
		res := &results[k]
		if !out.Staged() {
			res.b, res.err = t.Render(jobs[i].template, jobs[i].pageData(s))
			release.pageDone(jobs[i].event)
			return
		}
		staged, scan, err := stagePage(t, s, &jobs[i], files[i], out, names)
		release.pageDone(jobs[i].event)
		if res.err = err; err == nil {
			// Kept in place as each page is staged, not in results to
			// the end: a large site's results held 19 MB of pointers.
			mu.Lock()
			out.AddStaged(files[i], staged)
			r.scans[files[i]] = scan
			mu.Unlock()
		}
	})

	var errs diag.List
	for i, j := range jobs {
		next.paths[i], next.pages[i] = j.path, j.page
		if same {
			next.out[i] = reuse.out[i]
		}
	}
	for k, res := range results {
		i := todo[k]
		j, f := jobs[i], files[i]
		next.out[i] = nil
		if res.err != nil {
			r.failed[f] = true
			if de, ok := res.err.(diag.Error); ok {
				errs.Add(de)
			} else {
				errs.Add(diag.Error{File: t.File(j.template), Msg: res.err.Error()})
			}
			continue
		}
		if next.out[i] = res.b; !out.Staged() && res.b == nil {
			next.out[i] = []byte{} // nil stands for a failed page
		}
	}
	if !out.Staged() {
		if len(out.Files) == 0 {
			// Room for the other files too, merged into it (see
			// mergePages): as many as the last build had.
			out.Files = make(map[string][]byte, max(len(jobs), reuse.outputs))
		}
		for i, b := range next.out {
			if b != nil {
				out.Files[files[i]] = b
			}
		}
	}
	r.made = madePages{jobs: jobs, files: files}
	r.pages = len(jobs) - len(r.failed)
	r.rendered = len(todo) - len(r.failed) // reused pages did not fail
	return next, r, errs
}

// renderJobs returns the pages to render, the last build's when the site
// still has the same ones, and whether they are at the same paths as the
// last build's (same), so that its output can be reused by position.
func renderJobs(s *site.Site, t *render.Templates, reuse pagesMemo) (jobs []job, same bool) {
	jobs, same = reuseJobs(s, reuse)
	if !same {
		jobs = pageJobs(s, t.Has, len(reuse.paths))
		same = len(reuse.paths) == len(jobs)
		for i := 0; same && i < len(jobs); i++ {
			same = reuse.paths[i] == jobs[i].path
		}
	}
	return jobs, same
}

// stagePage renders j into its staged file f and scans it for the link
// check, on this core, from the render buffer, so that its bytes go at
// once. A staged build keeps no memo, so the job's data goes too: its
// Body, for one (see bodyRelease). A watch build's jobs are reused.
func stagePage(t *render.Templates, s *site.Site, j *job, f string, out *output.Output, names *linkcheck.Names) (output.StagedFile, linkcheck.Scan, error) {
	var staged output.StagedFile
	var scan linkcheck.Scan
	var serr error
	err := t.RenderWith(j.template, j.pageData(s), func(b []byte) error {
		staged, serr = out.StageFile(f, b)
		scan = linkcheck.ScanStaged(b, names)
		return nil
	})
	j.data = nil
	if err == nil {
		err = serr
	}
	return staged, scan, err
}

// listsFirst calls render for each k of todo, jobs[todo[k]] being the
// page to render, on every core: every page but the events' first, then
// the events'. The lists (the timeline, each type's, track's and actor's
// pages) share the event items their partialCached made, which the event
// pages never ask for: those are let go before the event pages, most of
// a large site's pages, render. The pages are the same bytes in any
// order.
func listsFirst(jobs []job, todo []int, t *render.Templates, render func(k int)) {
	var lists, events []int
	for k, i := range todo {
		if jobs[i].event != nil {
			events = append(events, k)
		} else {
			lists = append(lists, k)
		}
	}
	parallel.For(len(lists), func(x int) { render(lists[x]) })
	t.DropPartials()
	parallel.For(len(events), func(x int) { render(events[x]) })
}

// nextPages returns the memo renderAll fills for the next build: the last
// build's slices when the pages are the same in the same order, updated
// where a page is rendered again.
func nextPages(s *site.Site, jobs []job, reuse pagesMemo, same bool) pagesMemo {
	next := pagesMemo{site: s, jobs: jobs, paths: reuse.paths, pages: reuse.pages, out: reuse.out}
	if !same {
		next.paths, next.pages, next.out = make([]string, len(jobs)), make([]*content.Page, len(jobs)), make([][]byte, len(jobs))
	}
	next.files = jobFiles(jobs, reuse, same)
	return next
}

// reuseJobs returns the last build's jobs when s is the site they were
// made for, updated in place (see site.Assembly.Update) under an
// unchanged site key: the same pages with the same data, but for the
// event pages, whose events the update may have pointed at new content:
// each takes its event's page again, and its data, made from the event
// when rendered (see pageData), is dropped. At 10,000 events making the
// jobs again costs a few megabytes of every rebuild.
func reuseJobs(s *site.Site, reuse pagesMemo) ([]job, bool) {
	if reuse.site != s || len(reuse.jobs) == 0 {
		return nil, false
	}
	for i := range reuse.jobs {
		if j := &reuse.jobs[i]; j.event != nil {
			j.page, j.data = site.EventPage(j.event), nil
		}
	}
	return reuse.jobs, true
}

// jobFiles returns the output file of each job: reuse's when the jobs are
// the same paths as its, since the same paths make the same files.
func jobFiles(jobs []job, reuse pagesMemo, same bool) []string {
	if same {
		return reuse.files
	}
	files := make([]string, len(jobs))
	for i, j := range jobs {
		files[i] = j.file
		if files[i] == "" {
			files[i] = output.FilePath(j.path)
		}
	}
	return files
}

// jobsToRender returns the indexes of the jobs that reuse cannot give,
// the list pages first: on a large site the timeline and the type and
// actor pages are each many times the work of an event page, and one of
// them started last would keep one core busy after the other has run out
// of pages.
func jobsToRender(jobs []job, reuse pagesMemo, same bool) []int {
	var todo []int
	for pass := 0; pass < 2; pass++ {
		for i, j := range jobs {
			if same && reuse.out[i] != nil && reuse.pages[i] == j.page {
				continue
			}
			if isList := j.kind == "timeline" || j.kind == "type" || j.kind == "actor" || j.kind == "track"; isList == (pass == 0) {
				todo = append(todo, i)
			}
		}
	}
	return todo
}

// The templates of the pages that help readers find the rest: the search
// results, the feeds and exports, the site index. A project made before
// there was one (an older theme) builds without the page.
const (
	searchTemplate    = "search.html"
	subscribeTemplate = "subscribe.html"
	siteIndexTemplate = "siteindex.html"
)

// pageJobs lists every page of the site with its template and data; the
// search, subscribe and site index pages when has says the templates
// have them. hint is how many the last build had: list pages come in
// pages of their own (see listPages), which the sum below does not count.
func pageJobs(s *site.Site, has func(string) bool, hint int) []job {
	home := site.Crumb{Title: "Home", URL: s.URL("/")}
	timeline := site.Crumb{Title: "Timeline", URL: s.URL("/timeline/")}
	// Made on every build for each of thousands of pages, most of which
	// are then reused (see renderAll): an event page's data is made only
	// if it is rendered, and the event pages' breadcrumbs, which
	// templates only read, are one slice for all.
	jobs := make([]job, 0, max(hint, 9+len(s.Parts)+len(s.Events)+len(s.Actors)+len(s.Types)+len(s.Tracks)+len(s.Section)+len(s.Docs)))
	add := func(tmpl string, d *site.PageData, p *content.Page) {
		finishData(s, d)
		jobs = append(jobs, job{template: tmpl, kind: d.Kind, path: d.Path, data: d, page: p})
	}
	homeData := &site.PageData{Kind: "home", Title: s.Config.Title, Description: s.Config.Description, Path: "/", Doc: s.Home}
	var homePage *content.Page
	if s.Home != nil {
		homePage = site.DocPage(s.Home)
		homeData.Body = site.DocBody(s.Home)
		if s.Home.Description != "" {
			homeData.Description = s.Home.Description
		}
	}
	add("home.html", homeData, homePage)
	for _, d := range timelineParts(s, home, timeline) {
		add("timeline.html", d, nil)
	}
	eventCrumbs := []site.Crumb{home, timeline}
	for _, e := range s.Events {
		jobs = append(jobs, job{template: "event.html", kind: "event", path: e.Path, page: site.EventPage(e), event: e, crumbs: eventCrumbs})
	}
	add("actors.html", &site.PageData{Kind: "actors", Title: "Actors", Description: "The states, organisations and bodies in the timeline.", Path: "/actors/", Breadcrumbs: []site.Crumb{home}}, nil)
	actors := site.Crumb{Title: "Actors", URL: s.URL("/actors/")}
	for _, ac := range s.Actors {
		desc := ac.Description
		if desc == "" {
			desc = fmt.Sprintf("Events in the timeline involving %s.", ac.Name)
		}
		d := &site.PageData{Kind: "actor", Title: ac.Name, Description: desc, Path: ac.Path, Actor: ac, Body: site.ActorBody(ac), Breadcrumbs: []site.Crumb{home, actors}}
		jobs = append(jobs, listPages(s, "actor.html", d, site.ActorPage(ac), ac.Events)...)
	}
	add("types.html", &site.PageData{Kind: "types", Title: "Event types", Description: "The kinds of event the timeline records.", Path: "/types/", Breadcrumbs: []site.Crumb{home}}, nil)
	types := site.Crumb{Title: "Event types", URL: s.URL("/types/")}
	for _, t := range s.Types {
		jobs = append(jobs, listPages(s, "type.html", &site.PageData{Kind: "type", Title: t.Label, Description: t.Description, Path: t.Path, Type: t, Breadcrumbs: []site.Crumb{home, types}}, nil, t.Events)...)
	}
	if len(s.Tracks) > 0 {
		add("tracks.html", &site.PageData{Kind: "tracks", Title: "Tracks", Description: "The threads of the story, each in order.", Path: "/tracks/", Breadcrumbs: []site.Crumb{home}}, nil)
	}
	tracks := site.Crumb{Title: "Tracks", URL: s.URL("/tracks/")}
	for _, t := range s.Tracks {
		jobs = append(jobs, listPages(s, "track.html", &site.PageData{Kind: "track", Title: t.Label, Description: t.Description, Path: t.Path, Track: t, Breadcrumbs: []site.Crumb{home, tracks}}, nil, t.Events)...)
	}
	for _, sec := range s.Section {
		d := &site.PageData{Kind: "section", Title: sec.Title, Path: sec.Path, Section: sec, Doc: sec.Index, Breadcrumbs: []site.Crumb{home}}
		var p *content.Page
		if sec.Index != nil {
			d.Description = sec.Index.Description
			p = site.DocPage(sec.Index)
			d.Body = site.DocBody(sec.Index)
		}
		add("section.html", d, p)
	}
	for _, doc := range s.Docs {
		if doc.Path == "/"+doc.Section+"/" {
			continue // the section's own index, rendered above
		}
		crumbs := []site.Crumb{home}
		var sec *site.Section
		for _, x := range s.Section {
			if x.Name == doc.Section {
				sec = x
				crumbs = append(crumbs, site.Crumb{Title: x.Title, URL: x.URL})
			}
		}
		add("doc.html", &site.PageData{Kind: "doc", Title: doc.Title, Description: doc.Description, Path: doc.Path, Doc: doc, Body: site.DocBody(doc), Section: sec, Breadcrumbs: crumbs}, site.DocPage(doc))
	}
	for _, d := range findingPages(s, home, has) {
		add(d.template, d.data, nil)
	}
	nf := &site.PageData{Kind: "404", Title: "Page not found", Description: "There is no page at this address.", Path: "/404.html"}
	add("404.html", nf, nil)
	jobs[len(jobs)-1].file = "404.html"
	return jobs
}

// findingPage is one of the pages that help readers find the rest.
type findingPage struct {
	template string
	data     *site.PageData
}

// findingPages returns the search results page, the subscribe page (the
// feeds, the calendar and the data exports) and the site index: those
// whose template has says the templates have.
func findingPages(s *site.Site, home site.Crumb, has func(string) bool) []findingPage {
	crumbs := []site.Crumb{home}
	all := []findingPage{
		{searchTemplate, &site.PageData{Kind: "search", Title: "Search", Description: fmt.Sprintf("Search the events, guides and actors of %s.", s.Config.Title), Path: "/search/", Breadcrumbs: crumbs}},
		{subscribeTemplate, &site.PageData{Kind: "subscribe", Title: "Subscribe and data", Description: fmt.Sprintf("Follow %s in a feed reader or a calendar, or take its events as data.", s.Config.Title), Path: "/subscribe/", Breadcrumbs: crumbs}},
		{siteIndexTemplate, &site.PageData{Kind: "siteindex", Title: "Site index", Description: fmt.Sprintf("Every page of %s, grouped by kind.", s.Config.Title), Path: "/site-index/", Breadcrumbs: crumbs}},
	}
	var pages []findingPage
	for _, p := range all {
		if has(p.template) {
			pages = append(pages, p)
		}
	}
	return pages
}

// copyAssets copies every file under assets/ to the output root, CSS and
// JavaScript minified (minify.go; reuse is the last build's results, the
// second result this build's). It runs while pages render; mergePages then refuses assets named like a page.
func copyAssets(fsys, th fs.FS, out *output.Output, reuse map[string]minifiedAsset) (diag.List, map[string]minifiedAsset) {
	var errs diag.List
	m := &assetMinifier{reuse: reuse, next: map[string]minifiedAsset{}}
	for _, f := range theme.Files(fsys, th, project.AssetsDir, &errs) {
		b, err := fs.ReadFile(f.FS, f.Path)
		if err != nil {
			errs.Add(diag.Error{File: f.Report(), Msg: "cannot read: " + project.UnwrapPathError(err)})
			continue
		}
		if err := out.Put(f.Name, m.minify(f.Name, b)); err != nil {
			errs.Add(diag.Error{File: f.Report(), Msg: err.Error()})
		}
	}
	return errs, m.next
}

// mergePages moves the rendered pages into out, which holds the assets,
// feeds and search index. An asset named like a page is an error and the
// page is kept: pages always end in .html and feeds never do, so the only
// possible clash is with an asset.
func mergePages(out, pages *output.Output) diag.List {
	// A clash is looked for from out's side: a few dozen assets and
	// feeds and the search index's shards against thousands of pages, in
	// no order (the build sorts its errors).
	var errs diag.List
	out.EachPath(func(p string) {
		if pages.Has(p) {
			f := project.AssetsDir + "/" + p
			errs.Add(diag.Error{File: f, Msg: fmt.Sprintf("asset %s would overwrite the generated page %s; rename or move it", f, p)})
			out.Remove(p)
		} else if pages.Has(p + "/index.html") {
			// The file p is where the page at /p/ needs a folder.
			f := project.AssetsDir + "/" + p
			errs.Add(diag.Error{File: f, Msg: fmt.Sprintf("asset %s is where the page /%s/ needs a folder; rename or move one of them", f, p)})
			out.Remove(p)
		}
	})
	out.Merge(pages)
	return errs
}
