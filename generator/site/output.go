package site

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/render"
)

// Output is a built site: file paths relative to the output root
// ("events/x/index.html") and their bytes. Nothing is in the output folder
// until Sync puts it there, so a failed build never touches public/.
//
// An Output keeps its files in memory (Files), as watch mode serves them,
// unless the build was given a staging folder (Options.Stage): then each
// file is written there as soon as it is made and only its hash is kept,
// so that a large site's build holds its parsed content in memory but not
// its output as well. Sync then renames staged files into place.
type Output struct {
	// Files holds the files kept in memory whole: pages, assets, the
	// sitemap. Use File or All to read any file, Pieces included.
	Files map[string][]byte
	// Pieces holds the files kept in memory as the pieces they were made
	// of, in order: the feeds, exports and search index, made entry by
	// entry. They are not joined because in watch mode most pieces are the
	// very slices of the build before (see eventEntries): at 10,000 events
	// joining the two data exports would copy 94 MB on every save, and
	// Sync and the dev server compare and send pieces as they are.
	Pieces map[string][][]byte
	// stage is the staging folder ("" when everything is in Files); this
	// Output writes in its subfolder sub (pages and other files are made
	// side by side and may clash, which mergePages reports); staged holds
	// each file written there.
	stage  string
	sub    string
	staged map[string]stagedFile
	// scans holds the link check's scan of each staged page, taken before
	// its bytes were let go.
	scans map[string]pageScan
	// made says which template and content file produced each HTML page,
	// so a broken link can be reported where it was written.
	made madePages
	// failed holds the output paths of pages whose rendering failed.
	failed map[string]bool
	pages  int
	// rendered counts the pages rendered rather than reused.
	rendered int
}

// stagedFile is a file of an Output written to the staging folder.
type stagedFile struct {
	at  string // where it is on disk
	sum string // contentHash of its bytes
}

type origin struct {
	template string
	page     *content.Page // nil for generated list pages
}

// madePages is the pages renderAll made: its jobs and their output files.
type madePages struct {
	jobs  []job
	files []string
}

// origins returns where each page came from, by output file. It is made
// when a broken link is to be reported, not by every build.
func (m madePages) origins() map[string]origin {
	o := make(map[string]origin, len(m.jobs))
	for i, j := range m.jobs {
		o[m.files[i]] = origin{template: j.template, page: j.page}
	}
	return o
}

// newOutput returns an empty Output that keeps its files in memory when
// stage is "", and else writes them in the subfolder sub of stage.
func newOutput(stage, sub string) *Output {
	return &Output{Files: map[string][]byte{}, Pieces: map[string][][]byte{}, stage: stage, sub: sub, staged: map[string]stagedFile{}, scans: map[string]pageScan{},
		failed: map[string]bool{}}
}

// Paths returns the output's file paths in lexical order.
func (o *Output) Paths() []string {
	paths := make([]string, 0, len(o.Files)+len(o.Pieces)+len(o.staged))
	for p := range o.Files {
		paths = append(paths, p)
	}
	for p := range o.Pieces {
		paths = append(paths, p)
	}
	for p := range o.staged {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Has reports whether the output has a file at path p.
func (o *Output) Has(p string) bool {
	if _, ok := o.Files[p]; ok {
		return true
	}
	if _, ok := o.Pieces[p]; ok {
		return true
	}
	_, ok := o.staged[p]
	return ok
}

// File returns the bytes of the file at p kept in memory, joining its
// pieces if it has them; nil if there is none. It copies a pieced file:
// it is for tests and small files, not for the build's hot paths.
func (o *Output) File(p string) []byte {
	if b, ok := o.Files[p]; ok {
		return b
	}
	if pieces, ok := o.Pieces[p]; ok {
		return bytes.Join(pieces, nil)
	}
	return nil
}

// All returns every file kept in memory, pieced files joined.
func (o *Output) All() map[string][]byte {
	all := make(map[string][]byte, len(o.Files)+len(o.Pieces))
	maps.Copy(all, o.Files)
	for p := range o.Pieces {
		all[p] = o.File(p)
	}
	return all
}

// put adds a file: into memory, or written into the staging folder. Not
// safe for concurrent use; stageFile is, for writing from many workers.
func (o *Output) put(p string, b []byte) error {
	fw := o.create(p)
	fw.write(b)
	return fw.close()
}

// stagedPath is where this Output stages the file p.
func (o *Output) stagedPath(p string) string {
	return filepath.Join(o.stage, o.sub, filepath.FromSlash(p))
}

// fileWriter takes a generated file in pieces, in order: the feeds,
// exports and search index, whose entries are encoded one by one. In
// memory the pieces are kept as they are (Output.Pieces); when staging
// they are written as they come, so that a file of a hundred megabytes is never
// held whole, nor its entries all at once (see eventEntries).
type fileWriter struct {
	o      *Output
	p      string
	chunks [][]byte // in memory
	at     string   // staged: the file on disk
	f      *os.File
	w      *bufio.Writer
	sum    *treeSum // staged: the file's manifest hash, piece by piece
	err    error
}

// create starts the file p.
func (o *Output) create(p string) *fileWriter {
	fw := &fileWriter{o: o, p: p}
	if o.stage == "" {
		return fw
	}
	fw.at = o.stagedPath(p)
	if err := os.MkdirAll(filepath.Dir(fw.at), 0o755); err != nil {
		fw.err = err
		return fw
	}
	fw.f, fw.err = os.OpenFile(fw.at, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	fw.sum = newTreeSum()
	fw.w = bufio.NewWriterSize(fw.f, 1<<20)
	return fw
}

// grow makes room for n more pieces in memory: a file of 10,000 entries
// would otherwise grow its list of pieces a dozen times.
func (fw *fileWriter) grow(n int) {
	if fw.f == nil {
		fw.chunks = slices.Grow(fw.chunks, n)
	}
}

// write adds pieces to the file. In memory it keeps them, so they must not
// change afterwards.
func (fw *fileWriter) write(chunks ...[]byte) {
	if fw.err != nil {
		return
	}
	if fw.f == nil {
		fw.chunks = append(fw.chunks, chunks...)
		return
	}
	for _, c := range chunks {
		fw.sum.addPiece(c)
		if _, err := fw.w.Write(c); err != nil {
			fw.err = err
			return
		}
	}
}

// close finishes the file and adds it to the Output.
func (fw *fileWriter) close() error {
	if fw.f != nil {
		fw.err = errors.Join(fw.err, fw.w.Flush(), fw.f.Close())
	}
	if fw.err != nil {
		return fmt.Errorf("staging %s: %w", fw.p, bareError(fw.err))
	}
	if fw.f == nil {
		switch len(fw.chunks) {
		case 0:
			fw.o.Files[fw.p] = []byte{}
		case 1:
			fw.o.Files[fw.p] = fw.chunks[0] // an asset, kept as read
		default:
			fw.o.Pieces[fw.p] = fw.chunks
		}
		return nil
	}
	fw.o.staged[fw.p] = stagedFile{at: fw.at, sum: fw.sum.sum()}
	return nil
}

// abort drops a file that could not be made whole.
func (fw *fileWriter) abort() {
	if fw.f != nil {
		fw.f.Close()
		os.Remove(fw.at)
	}
}

// stageFile writes b at p in the staging folder, for the caller to record
// in staged.
func (o *Output) stageFile(p string, b []byte) (stagedFile, error) {
	name := o.stagedPath(p)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return stagedFile{}, fmt.Errorf("staging %s: %w", p, bareError(err))
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		return stagedFile{}, fmt.Errorf("staging %s: %w", p, bareError(err))
	}
	return stagedFile{at: name, sum: contentHash(b)}, nil
}

// Discard removes the staging folder and everything in it: all of it was
// written by this build. Sync calls it once it has moved what it needs; a
// caller that does not sync (a failed build, a refused output folder)
// calls it itself. An Output in memory has nothing to discard.
func (o *Output) Discard() error {
	if o.stage == "" {
		return nil
	}
	return os.RemoveAll(o.stage)
}

// FilePath returns the output file for a site path: "/events/x/" is
// "events/x/index.html".
func FilePath(sitePath string) string {
	p := strings.TrimPrefix(sitePath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// job is one page to render.
type job struct {
	template string
	kind     string // PageData.Kind
	path     string // PageData.Path
	data     *PageData
	page     *content.Page
	file     string // output file; FilePath(path) when empty
	// event is the event of an event page, whose data is made only when
	// the page is rendered (see pageData): most are reused. crumbs are
	// its breadcrumbs.
	event  *Event
	crumbs []Crumb
}

// pageData returns the job's template data.
func (j *job) pageData(s *Site) *PageData {
	if e := j.event; j.data == nil && e != nil {
		j.data = finishData(s, &PageData{Kind: "event", Title: e.Title, Description: e.Blurb(), Path: e.Path, URL: e.URL, Event: e, Body: e.body, Breadcrumbs: j.crumbs})
	}
	return j.data
}

// finishData fills in what every page's data has: the site, the URL, and
// the site's description for a page whose file gives none (every page
// carries a description, in meta and Open Graph tags).
func finishData(s *Site, d *PageData) *PageData {
	d.Site = s
	if d.URL == "" {
		d.URL = s.url(d.Path)
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
// rendered.
func renderAll(s *Site, t *render.Templates, out *Output, reuse pagesMemo) (pagesMemo, diag.List) {
	jobs := pageJobs(s)
	same := len(reuse.paths) == len(jobs)
	for i := 0; same && i < len(jobs); i++ {
		same = reuse.paths[i] == jobs[i].path
	}
	next := pagesMemo{paths: make([]string, len(jobs)), pages: make([]*content.Page, len(jobs)), out: make([][]byte, len(jobs))}
	if same {
		next.files = reuse.files // the same paths make the same files
	} else {
		next.files = make([]string, len(jobs))
		for i, j := range jobs {
			next.files[i] = j.file
			if next.files[i] == "" {
				next.files[i] = FilePath(j.path)
			}
		}
	}
	files := next.files
	// The list pages go first: on a large site the timeline and the type
	// and actor pages are each many times the work of an event page, and
	// one of them started last would keep one core busy after the other
	// has run out of pages.
	var todo []int
	for pass := 0; pass < 2; pass++ {
		for i, j := range jobs {
			if same && reuse.out[i] != nil && reuse.pages[i] == j.page {
				continue
			}
			if isList := j.kind == "timeline" || j.kind == "type" || j.kind == "actor"; isList == (pass == 0) {
				todo = append(todo, i)
			}
		}
	}
	type result struct {
		b      []byte
		err    error
		staged stagedFile
		scan   pageScan
	}
	results := make([]result, len(todo))
	parallel(len(todo), func(k int) {
		i := todo[k]
		b, err := t.Render(jobs[i].template, jobs[i].pageData(s))
		results[k] = result{b: b, err: err}
		if err == nil && out.stage != "" {
			// Staging: write the page and scan it for the link check
			// now, on this core, and let its bytes go.
			results[k].staged, results[k].err = out.stageFile(files[i], b)
			sc := scanPage(b)
			sc.b = nil // only the scan is kept
			results[k].scan = sc
			results[k].b = nil
		}
	})

	var errs diag.List
	for i, j := range jobs {
		next.paths[i], next.pages[i] = j.path, j.page
		if same {
			next.out[i] = reuse.out[i]
		}
	}
	for k, r := range results {
		i := todo[k]
		j, f := jobs[i], files[i]
		next.out[i] = nil
		if r.err != nil {
			out.failed[f] = true
			if de, ok := r.err.(diag.Error); ok {
				errs.Add(de)
			} else {
				errs.Add(diag.Error{File: render.Dir + "/" + j.template, Msg: r.err.Error()})
			}
			continue
		}
		if out.stage != "" {
			out.staged[f] = r.staged
			out.scans[f] = r.scan
		} else if next.out[i] = r.b; r.b == nil {
			next.out[i] = []byte{} // nil stands for a failed page
		}
	}
	if out.stage == "" {
		for i, b := range next.out {
			if b != nil {
				out.Files[files[i]] = b
			}
		}
	}
	out.made = madePages{jobs: jobs, files: files}
	out.pages += len(jobs) - len(out.failed)
	out.rendered += len(todo) - len(out.failed) // reused pages did not fail
	return next, errs
}

// pageJobs lists every page of the site with its template and data.
func pageJobs(s *Site) []job {
	home := Crumb{Title: "Home", URL: s.url("/")}
	timeline := Crumb{Title: "Timeline", URL: s.url("/timeline/")}
	// Made on every build for each of thousands of pages, most of which
	// are then reused (see renderAll): an event page's data is made only
	// if it is rendered, and the event pages' breadcrumbs, which
	// templates only read, are one slice for all.
	jobs := make([]job, 0, 8+len(s.Events)+len(s.Actors)+len(s.Types)+len(s.Section)+len(s.Docs))
	add := func(tmpl string, d *PageData, p *content.Page) {
		finishData(s, d)
		jobs = append(jobs, job{template: tmpl, kind: d.Kind, path: d.Path, data: d, page: p})
	}
	homeData := &PageData{Kind: "home", Title: s.Config.Title, Description: s.Config.Description, Path: "/", Doc: s.Home}
	var homePage *content.Page
	if s.Home != nil {
		homePage = s.Home.page
		homeData.Body = s.Home.body
		if s.Home.Description != "" {
			homeData.Description = s.Home.Description
		}
	}
	add("home.html", homeData, homePage)
	add("timeline.html", &PageData{Kind: "timeline", Title: "Timeline", Description: fmt.Sprintf("Every event of %s in date order, grouped by year.", s.Config.Title), Path: "/timeline/", Breadcrumbs: []Crumb{home}}, nil)
	eventCrumbs := []Crumb{home, timeline}
	for _, e := range s.Events {
		jobs = append(jobs, job{template: "event.html", kind: "event", path: e.Path, page: e.page, event: e, crumbs: eventCrumbs})
	}
	add("actors.html", &PageData{Kind: "actors", Title: "Actors", Description: "The states, organisations and bodies in the timeline.", Path: "/actors/", Breadcrumbs: []Crumb{home}}, nil)
	actors := Crumb{Title: "Actors", URL: s.url("/actors/")}
	for _, ac := range s.Actors {
		desc := ac.Description
		if desc == "" {
			desc = fmt.Sprintf("Events in the timeline involving %s.", ac.Name)
		}
		add("actor.html", &PageData{Kind: "actor", Title: ac.Name, Description: desc, Path: ac.Path, Actor: ac, Body: ac.body, Breadcrumbs: []Crumb{home, actors}}, ac.page)
	}
	add("types.html", &PageData{Kind: "types", Title: "Event types", Description: "The kinds of event the timeline records.", Path: "/types/", Breadcrumbs: []Crumb{home}}, nil)
	types := Crumb{Title: "Event types", URL: s.url("/types/")}
	for _, t := range s.Types {
		add("type.html", &PageData{Kind: "type", Title: t.Label, Description: t.Description, Path: t.Path, Type: t, Breadcrumbs: []Crumb{home, types}}, nil)
	}
	for _, sec := range s.Section {
		d := &PageData{Kind: "section", Title: sec.Title, Path: sec.Path, Section: sec, Doc: sec.Index, Breadcrumbs: []Crumb{home}}
		var p *content.Page
		if sec.Index != nil {
			d.Description = sec.Index.Description
			p = sec.Index.page
			d.Body = sec.Index.body
		}
		add("section.html", d, p)
	}
	for _, doc := range s.Docs {
		if doc.Path == "/"+doc.Section+"/" {
			continue // the section's own index, rendered above
		}
		crumbs := []Crumb{home}
		var sec *Section
		for _, x := range s.Section {
			if x.Name == doc.Section {
				sec = x
				crumbs = append(crumbs, Crumb{Title: x.Title, URL: x.URL})
			}
		}
		add("doc.html", &PageData{Kind: "doc", Title: doc.Title, Description: doc.Description, Path: doc.Path, Doc: doc, Body: doc.body, Section: sec, Breadcrumbs: crumbs}, doc.page)
	}
	nf := &PageData{Kind: "404", Title: "Page not found", Description: "There is no page at this address.", Path: "/404.html"}
	add("404.html", nf, nil)
	jobs[len(jobs)-1].file = "404.html"
	return jobs
}

// copyAssets copies every file under assets/ to the output root. It runs
// while pages render; mergePages then refuses assets named like a page.
func copyAssets(fsys fs.FS, out *Output) diag.List {
	var errs diag.List
	for _, f := range listFiles(fsys, project.AssetsDir, &errs) {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs.Add(diag.Error{File: f, Msg: "cannot read: " + unwrapPathError(err)})
			continue
		}
		if err := out.put(strings.TrimPrefix(f, project.AssetsDir+"/"), b); err != nil {
			errs.Add(diag.Error{File: f, Msg: err.Error()})
		}
	}
	return errs
}

// mergePages moves the rendered pages into out, which holds the assets,
// feeds and search index. An asset named like a page is an error and the
// page is kept: pages always end in .html and feeds never do, so the only
// possible clash is with an asset.
func mergePages(out, pages *Output) diag.List {
	// A clash is looked for from out's side: a few dozen assets and
	// feeds against thousands of pages.
	var errs diag.List
	for _, p := range out.Paths() {
		if pages.Has(p) {
			f := project.AssetsDir + "/" + p
			errs.Add(diag.Error{File: f, Msg: fmt.Sprintf("asset %s would overwrite the generated page %s; rename or move it", f, p)})
			delete(out.Files, p)
			delete(out.Pieces, p)
			delete(out.staged, p)
		}
	}
	if len(out.Files) < len(pages.Files) {
		// Add the assets to the pages' map rather than copy every page
		// into theirs.
		maps.Copy(pages.Files, out.Files)
		out.Files, pages.Files = pages.Files, out.Files
	} else {
		maps.Copy(out.Files, pages.Files)
	}
	maps.Copy(out.staged, pages.staged)
	out.scans = merged(out.scans, pages.scans)
	out.made = pages.made
	out.failed = merged(out.failed, pages.failed)
	out.pages += pages.pages
	return errs
}

// merged returns the union of two maps with no key in common, adding the
// smaller to the larger (which it may change).
func merged[V any](a, b map[string]V) map[string]V {
	if len(a) < len(b) {
		a, b = b, a
	}
	maps.Copy(a, b)
	return a
}

// writeExtras adds the files a published site needs besides pages: the
// sitemap, robots.txt, and .nojekyll (without it GitHub Pages runs Jekyll
// over the output, which drops files whose names start with _ or .). It
// returns the output's paths, sorted, for the link check: the sitemap
// needs them sorted too, and sorting 10,000 paths twice per rebuild cost
// watch mode milliseconds.
//
// The extras are a function of the output's paths and the base URL only.
// With a memo (watch mode), a build whose output has the same paths as
// the last one's takes the last one's extras and sorted paths: a save of
// one event's text changes no path, and sorting 10,000 paths and writing
// their sitemap were milliseconds of it. The callers do not change the
// returned paths.
func writeExtras(s *Site, out *Output, seed maphash.Seed, memo *extrasMemo) []string {
	var key uint64
	if memo != nil {
		key = pathSetKey(seed, out, s.Config.BaseURL.String())
		if memo.paths != nil && memo.key == key {
			maps.Copy(out.Files, memo.extras)
			return memo.paths
		}
	}
	abs := func(p string) string {
		u := *s.Config.BaseURL
		u.Path = p
		return u.String()
	}
	// A path that needs no escaping makes the base URL's origin followed
	// by the path: checked once here, it spares a URL's String for each of
	// thousands of pages.
	origin := strings.TrimSuffix(abs("/"), "/")
	fast := abs("/a-b_c.d~/") == origin+"/a-b_c.d~/"
	paths := out.Paths()
	sm := make([]byte, 0, 128+len(paths)*(len(origin)+len(s.BasePath)+64))
	sm = append(sm, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
	sm = append(sm, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+"\n"...)
	for _, p := range paths {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		sp := s.BasePath + strings.TrimSuffix(p, "index.html")
		loc := origin + sp
		if !fast || !plainPath(sp) {
			loc = xmlEscape(abs(sp))
		}
		sm = append(sm, "  <url><loc>"...)
		sm = append(sm, loc...)
		sm = append(sm, "</loc></url>\n"...)
	}
	sm = append(sm, "</urlset>\n"...)
	extras := map[string][]byte{
		"sitemap.xml": sm,
		"robots.txt":  []byte("User-agent: *\nAllow: /\n\nSitemap: " + abs(s.BasePath+"sitemap.xml") + "\n"),
		".nojekyll":   {},
	}
	for p, b := range extras {
		if i, found := slices.BinarySearch(paths, p); !found {
			paths = slices.Insert(paths, i, p)
		}
		out.Files[p] = b
	}
	if memo != nil {
		*memo = extrasMemo{key: key, paths: paths, extras: extras}
	}
	return paths
}

// extrasMemo is what writeExtras made, for the next build: the extras and
// the sorted paths with them, under the key of the paths without them and
// the base URL.
type extrasMemo struct {
	key    uint64
	paths  []string
	extras map[string][]byte
}

// pathSetKey hashes the set of out's paths, in no order (a sum of each
// path's hash, so that the maps need not be sorted to be hashed), and
// base.
func pathSetKey(seed maphash.Seed, out *Output, base string) uint64 {
	sum := maphash.String(seed, base) + uint64(len(out.Files)+len(out.Pieces)+len(out.staged))
	for p := range out.Files {
		sum += maphash.String(seed, p)
	}
	for p := range out.Pieces {
		sum += maphash.String(seed, p)
	}
	for p := range out.staged {
		sum += maphash.String(seed, p)
	}
	return sum
}

// plainPath reports whether p holds only letters, digits, "-._~" and
// slashes: what a URL path shows as it is, with nothing to escape in it or
// in XML.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			return false
		}
	}
	return true
}

func xmlEscape(s string) string {
	// Most URLs have nothing to escape, and a Replacer is costly to build
	// for each of a sitemap's thousands of entries.
	if !strings.ContainsAny(s, `&<>"'`) {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}
