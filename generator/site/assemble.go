package site

import (
	"fmt"
	"html"
	"html/template"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/project"
)

// assemble is Assemble, returning the assembler for an Assembly. It reads
// as the list of its stages; each stage's function says what it adds.
// once is AssembleOnce's: raw bodies go as they are resolved, and no
// resolved body is kept for a next build.
func assemble(cfg *config.Config, pages []*content.Page, files []string, drafts bool, reuse Bodies, once bool) (*Site, *assembler, diag.List) {
	var errs diag.List
	s := &Site{Config: cfg, BasePath: cfg.BasePath(), linkURLs: map[*content.Page][]string{}}
	if !once {
		s.bodies = Bodies{}
	}
	a := &assembler{site: s, byFile: map[string]string{}, failed: map[string]bool{}, drafts: map[string]bool{}, urls: map[string]string{}, roles: map[string]*Role{}, reuse: reuse, once: once, errs: &errs}
	for i, p := range pages {
		if p == nil {
			a.failed[files[i]] = true
		}
	}
	typeByKey := a.addTypes()
	trackByKey := a.addTracks()
	actorFiles := a.placePages(pages, drafts, typeByKey, trackByKey)
	a.linkFollows()
	sortEvents(s.Events)
	addLedTo(s.Events)
	actorBySlug := a.chainEvents()
	s.addParts()
	a.addActors(actorFiles, actorBySlug)
	a.checkActors()
	a.addSections()
	a.resolveBodies()
	if once {
		dropAssembled(pages)
	}
	return s, a, errs
}

// addTypes adds the config's event types, in its order, and claims their
// URLs and those of the generated list pages first, so that a content file
// that takes one of them is the one reported (and left out).
func (a *assembler) addTypes() map[string]*Type {
	s := a.site
	typeByKey := map[string]*Type{}
	for _, t := range s.Config.Types {
		ty := &Type{Key: t.Key, Label: t.Label, Description: t.Description}
		ty.Path = "/types/" + t.Key + "/"
		ty.URL = s.url(ty.Path)
		typeByKey[t.Key] = ty
		s.Types = append(s.Types, ty)
	}
	for _, p := range []string{"/timeline/", "/actors/", "/types/"} {
		a.claim(p, nil, "")
	}
	for _, t := range s.Types {
		a.claim(t.Path, nil, "")
	}
	return typeByKey
}

// placePages gives each page its place: events, the home page and the
// documentation pages get their URLs; actor files are returned by the
// actor slug their title makes, for addActors.
func (a *assembler) placePages(pages []*content.Page, drafts bool, typeByKey map[string]*Type, trackByKey map[string]*Track) map[string]*content.Page {
	s := a.site
	actorFiles := map[string]*content.Page{}
	for _, p := range pages {
		if p == nil {
			continue
		}
		if p.Draft && !drafts {
			a.drafts[p.Path] = true
			continue
		}
		switch p.Kind {
		case content.KindEvent:
			e := &Event{Meta: &p.Meta, page: p, Type: typeByKey[p.Type], Track: trackByKey[p.Track], Year: p.Date.Time.Year()}
			addVotes(e)
			e.Path = "/events/" + p.Slug + "/"
			e.URL = s.url(e.Path)
			if a.claim(e.Path, p, "slug") {
				s.Events = append(s.Events, e)
			}
		case content.KindActor:
			a.placeActorFile(p, actorFiles)
		case content.KindHome:
			d := &Doc{Meta: &p.Meta, page: p, Path: "/", URL: s.url("/")}
			if a.claim(d.Path, p, "") {
				s.Home = d
			}
		case content.KindDoc:
			if d := a.newDoc(p); a.claim(d.Path, p, "slug") {
				s.Docs = append(s.Docs, d)
			}
		}
	}
	return actorFiles
}

// placeActorFile records an actor's file by the slug of its title, which
// must be its file name, once per actor.
func (a *assembler) placeActorFile(p *content.Page, actorFiles map[string]*content.Page) {
	slug := content.Slugify(p.Title)
	if p.Title == "" {
		slug = p.Slug
	}
	if prev, ok := actorFiles[slug]; ok {
		a.errs.Add(fieldErr(p, "title", fmt.Sprintf("actor %q is also described by %s; each actor needs one file", p.Title, prev.Path)))
		return
	}
	actorFiles[slug] = p
	if slug != p.Slug {
		a.errs.Add(fieldErr(p, "title", fmt.Sprintf("actor file name %q does not match its title %q: expected content/actors/%s.md", path.Base(p.Path), p.Title, slug)))
	}
}

// chainEvents links the sorted events to their neighbours, years, types
// and actors, and returns the actors the events name, by slug.
func (a *assembler) chainEvents() map[string]*Actor {
	s := a.site
	actorBySlug := map[string]*Actor{}
	// A site names a few dozen actors in thousands of events: slugify
	// each name once.
	slugs := map[string]string{}
	lastIn := map[*Track]*Event{}
	for _, e := range s.Events {
		if prev := lastIn[e.Track]; prev != nil {
			e.Prev, prev.Next = prev, e
		}
		lastIn[e.Track] = e
		if e.Track != nil {
			e.Track.Events = append(e.Track.Events, e)
		}
		if n := len(s.Years); n == 0 || s.Years[n-1].Year != e.Year {
			s.Years = append(s.Years, &Year{Year: e.Year, ID: fmt.Sprintf("y%d", e.Year)})
		}
		y := s.Years[len(s.Years)-1]
		y.Events = append(y.Events, e)
		if e.Year >= s.Config.PeriodFrom && e.Year <= s.Config.PeriodTo {
			s.PeriodEvents++
		}
		if e.Type != nil {
			e.Type.Events = append(e.Type.Events, e)
		}
		for k, name := range e.Meta.Actors {
			slug, ok := slugs[name]
			if !ok {
				slug = content.Slugify(name)
				slugs[name] = slug
			}
			ac := actorBySlug[slug]
			if ac == nil {
				ac = &Actor{Name: name, Slug: slug}
				actorBySlug[slug] = ac
			} else if ac.Name != name {
				var pos content.Pos
				if k < len(e.Meta.ActorPos) {
					pos = e.Meta.ActorPos[k]
				}
				a.errs.Add(posErr(e.page, "actor", pos, fmt.Sprintf("actor %q is written %q elsewhere (%s); use one spelling", name, ac.Name, ac.Events[0].Meta.Path)))
			}
			if a.once && ac.Name == name {
				// Every event spells the name anew: share the actor's.
				e.Meta.Actors[k] = ac.Name
			}
			ac.Events = append(ac.Events, e)
			e.Actors = append(e.Actors, ac)
			var role *Role
			if k < len(e.Meta.Roles) {
				role = a.roles[e.Meta.Roles[k]]
			}
			e.Roles = append(e.Roles, ActorRole{Actor: ac, Role: role})
		}
	}
	return actorBySlug
}

// addActors joins the actors named by events with the actors' files, and
// gives each its URL, sorted by name.
func (a *assembler) addActors(actorFiles map[string]*content.Page, actorBySlug map[string]*Actor) {
	s := a.site
	for slug, p := range actorFiles {
		ac := actorBySlug[slug]
		if ac == nil {
			name := p.Title
			if name == "" {
				name = p.Slug
			}
			ac = &Actor{Name: name, Slug: slug}
			actorBySlug[slug] = ac
		}
		ac.page = p
		ac.Description = p.Description
	}
	for _, ac := range actorBySlug {
		ac.Path = "/actors/" + ac.Slug + "/"
		ac.URL = s.url(ac.Path)
		a.claim(ac.Path, ac.page, "title")
		s.Actors = append(s.Actors, ac)
	}
	sort.Slice(s.Actors, func(i, j int) bool { return strings.ToLower(s.Actors[i].Name) < strings.ToLower(s.Actors[j].Name) })
}

// resolveBodies resolves the internal links of every body now that every
// page has its URL. The events' bodies are resolved on every core, since
// resolving only reads the assembler's maps, then recorded in order.
func (a *assembler) resolveBodies() {
	s := a.site
	resolved := make([]resolvedBody, len(s.Events))
	parallel.For(len(s.Events), func(i int) {
		if a.once {
			resolved[i] = a.resolvePacked(s.Events[i].page)
		} else {
			resolved[i] = a.resolveBody(s.Events[i].page)
		}
		a.letRawGo(s.Events[i].page)
	})
	for i, e := range s.Events {
		e.body, e.packed = a.record(e.page, resolved[i]), resolved[i].packed
	}
	for _, ac := range s.Actors {
		if ac.page != nil {
			ac.body = a.body(ac.page)
		}
	}
	for _, d := range s.Docs {
		d.body = a.body(d.page)
	}
	if s.Home != nil {
		s.Home.body = a.body(s.Home.page)
	}
}

type assembler struct {
	site   *Site
	byFile map[string]string    // content file → site path (without base)
	failed map[string]bool      // content files that did not parse
	drafts map[string]bool      // draft pages left out of this build
	urls   map[string]string    // site path → content file that claimed it ("" for generated pages)
	folded map[string][2]string // site path or folder, lowercased → as claimed and by which file (see nameOK)
	roles  map[string]*Role     // the config's roles by key
	reuse  Bodies
	once   bool   // see AssembleOnce
	pack   packer // packs the events' bodies when once
	errs   *diag.List
}

// url adds the base path to a site path. At the root the URL is the
// path itself, and is returned as it is rather than built again: every
// event's URL and most of its body's link URLs would otherwise be a
// string of their own, a few hundred thousand at 100,000 events.
func (s *Site) url(p string) string {
	if s.BasePath == "/" && strings.HasPrefix(p, "/") {
		return p
	}
	return s.BasePath + strings.TrimPrefix(p, "/")
}

// claim records that page p (nil for a generated page) writes sitePath and
// reports whether it may. The first claim wins; a later one is an error
// naming both files, and its page is left out so it causes no more errors.
func (a *assembler) claim(sitePath string, p *content.Page, field string) bool {
	file := ""
	if p != nil {
		file = p.Path
	}
	if !a.nameOK(sitePath, p, field) {
		a.failed[p.Path] = true // nameOK refuses no generated page
		return false
	}
	prev, taken := a.urls[sitePath]
	if !taken {
		a.urls[sitePath] = file
		if p != nil {
			a.byFile[p.Path] = sitePath
		}
		return true
	}
	what := "the generated page " + sitePath
	if prev != "" {
		what = prev
	}
	if p != nil {
		a.errs.Add(fieldErr(p, field, fmt.Sprintf("two pages write %s: this file and %s; give one of them another slug", sitePath, what)))
		a.failed[p.Path] = true
	}
	return false
}

// nameOK reports whether page p (nil for a generated page) may have the
// URL sitePath: its file name is one a URL may hold
// (content.ValidFileName), the URL is not a file the build generates
// (/robots.txt/ would be a folder where the file robots.txt goes), and
// neither it nor a folder above it differs only by case from another
// page's (they collide on macOS and Windows checkouts).
func (a *assembler) nameOK(sitePath string, p *content.Page, field string) bool {
	file := ""
	if p != nil {
		file = p.Path
		if err := content.ValidFileName(p.Path); err != nil {
			a.errs.Add(diag.Error{File: p.Path, Msg: err.Error()})
			return false
		}
		trimmed := strings.Trim(sitePath, "/")
		for _, g := range project.Generated() {
			if strings.EqualFold(trimmed, g) {
				a.errs.Add(fieldErr(p, field, fmt.Sprintf("the URL %s of this page is the file %s that the build generates; give the page another name or slug", sitePath, g)))
				return false
			}
		}
	}
	if a.folded == nil {
		a.folded = map[string][2]string{}
	}
	for dir := strings.TrimSuffix(sitePath, "/"); dir != "" && dir != "/" && dir != "."; dir = path.Dir(dir) {
		key := strings.ToLower(dir)
		prev, ok := a.folded[key]
		if !ok {
			a.folded[key] = [2]string{dir, file}
			continue
		}
		if prev[0] != dir && p != nil {
			owner := prev[1]
			if owner == "" {
				owner = "a generated page"
			}
			a.errs.Add(fieldErr(p, field, fmt.Sprintf("the URL %s/ of this page differs only by case from %s/, taken by %s: the two collide on macOS and Windows; rename one of them", dir, prev[0], owner)))
			return false
		}
	}
	return true
}

// body replaces the link markers Parse left in a page's HTML with final URLs.
func (a *assembler) body(p *content.Page) template.HTML {
	defer a.letRawGo(p)
	return a.record(p, a.resolveBody(p))
}

// resolvedBody is a page's HTML with its links resolved, and what
// resolving them found.
type resolvedBody struct {
	html template.HTML
	// packed is the HTML packed instead (see packer), html then empty.
	packed []byte
	urls   []string // final URL of each of the page's Links
	errs   diag.List
}

// resolveBody resolves p's links without writing to the assembler, so
// that pages can be resolved concurrently; record then keeps the result.
func (a *assembler) resolveBody(p *content.Page) resolvedBody {
	if r, ok := a.reuse[p]; ok {
		return r
	}
	if len(p.Links) == 0 {
		return resolvedBody{html: template.HTML(p.Body)}
	}
	var r resolvedBody
	a.resolveURLs(p, &r)
	r.html = template.HTML(replaceMarkers(p.Body, p.Links, r.urls))
	return r
}

// resolveURLs fills in r the final URL of each of p's links, and the
// errors resolving them found.
func (a *assembler) resolveURLs(p *content.Page, r *resolvedBody) {
	r.urls = make([]string, len(p.Links))
	for i, l := range p.Links {
		r.urls[i] = a.resolve(p, l, &r.errs)
	}
}

// replaceMarkers puts each link's final URL, escaped, where Parse left its
// marker: the quoted attribute value "sitegen-link-N", N being the link's
// index. One scan of the body; a strings.Replacer built for every page
// cost more than the scan on a large site.
func replaceMarkers(body string, links []content.Link, urls []string) string {
	var b strings.Builder
	b.Grow(len(body) + len(body)/8)
	writeResolved(&b, body, links, urls)
	return b.String()
}

// writeResolved writes body to b with its markers replaced (see
// replaceMarkers).
func writeResolved(b interface{ WriteString(string) (int, error) }, body string, links []content.Link, urls []string) {
	const open = `"` + content.MarkerPrefix
	for {
		i := strings.Index(body, open)
		if i < 0 {
			break
		}
		rest := body[i+len(open):]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(rest[:j])
		if err != nil || j == len(rest) || rest[j] != '"' || n >= len(links) || strings.TrimPrefix(links[n].Marker, content.MarkerPrefix) != rest[:j] {
			// Not one of this page's markers: keep it as written.
			b.WriteString(body[:i+1])
			body = body[i+1:]
			continue
		}
		b.WriteString(body[:i+1])
		b.WriteString(html.EscapeString(urls[n]))
		body = rest[j:]
	}
	b.WriteString(body)
}

// record keeps a resolved body's link URLs (for locating broken links) and
// errors, and returns its HTML.
func (a *assembler) record(p *content.Page, r resolvedBody) template.HTML {
	if a.site.bodies != nil {
		a.site.bodies[p] = r
	}
	if r.urls != nil {
		a.site.linkURLs[p] = r.urls
	}
	a.errs.AddAll(r.errs)
	return r.html
}

// resolve returns a body link's final URL. A link to a content file that
// does not exist is reported here; anchors and site paths are checked with
// the rest of the output by checkLinks.
func (a *assembler) resolve(p *content.Page, l content.Link, errs *diag.List) string {
	frag := ""
	if l.Fragment != "" {
		frag = "#" + l.Fragment
	}
	switch {
	case l.Target == "":
		return frag
	case strings.HasPrefix(l.Target, "/"):
		return a.site.url(l.Target) + frag
	}
	target := strings.SplitN(l.Target, "?", 2)[0]
	if sp, ok := a.byFile[target]; ok {
		return a.site.url(sp) + frag
	}
	if a.drafts[target] {
		errs.Add(diag.Error{File: p.Path, Line: l.Line, Col: l.Col, Source: l.Source,
			Msg: fmt.Sprintf("link to %s: that page is a draft and is left out of this build (build with --drafts, or remove draft: true there)", l.Dest)})
	} else if !a.failed[target] {
		msg := fmt.Sprintf("link to %s: no such content file (%s does not exist)", l.Dest, target)
		if strings.HasPrefix(target, "../") || target == ".." {
			msg = fmt.Sprintf("link to %s points outside content/", l.Dest)
		}
		errs.Add(diag.Error{File: p.Path, Line: l.Line, Col: l.Col, Msg: msg, Source: l.Source})
	}
	return "#"
}

// fieldErr locates an error at a front matter field of p, or at the file.
func fieldErr(p *content.Page, field, msg string) diag.Error {
	pos := p.Fields[field]
	return diag.Error{File: p.Path, Line: pos.Line, Col: pos.Col, Msg: msg, Source: pos.Source}
}
