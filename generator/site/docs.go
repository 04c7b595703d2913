package site

import (
	"path"
	"sort"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
)

// newDoc makes the documentation page of p: its URL follows its folder,
// its section is its top folder, its table of contents its h2 and h3.
func (a *assembler) newDoc(p *content.Page) *Doc {
	rel := strings.TrimSuffix(strings.TrimPrefix(p.Path, "content/"), ".md")
	dir := path.Dir(rel)
	var sitePath string
	if path.Base(rel) == "_index" {
		sitePath = "/" + dir + "/"
	} else if dir == "." {
		sitePath = "/" + p.Slug + "/"
	} else {
		sitePath = "/" + dir + "/" + p.Slug + "/"
	}
	d := &Doc{Meta: &p.Meta, page: p, Path: sitePath, URL: a.site.url(sitePath)}
	if dir != "." {
		d.Section = strings.SplitN(dir, "/", 2)[0]
	}
	for _, h := range p.Headings {
		if h.Level == 2 || h.Level == 3 {
			d.TOC = append(d.TOC, h)
		}
	}
	return d
}

// addSections orders the documentation pages and groups them into
// sections, one per top folder, each with its index page when it has one.
func (a *assembler) addSections() {
	s := a.site
	sort.SliceStable(s.Docs, func(i, j int) bool {
		di, dj := s.Docs[i], s.Docs[j]
		if di.Section != dj.Section {
			return di.Section < dj.Section
		}
		ii, ij := path.Base(di.Meta.Path) == "_index.md", path.Base(dj.Meta.Path) == "_index.md"
		if ii != ij {
			return ii
		}
		if di.Weight != dj.Weight {
			return di.Weight < dj.Weight
		}
		return di.Title < dj.Title
	})
	for _, d := range s.Docs {
		if d.Section == "" {
			continue
		}
		n := len(s.Section)
		if n == 0 || s.Section[n-1].Name != d.Section {
			sec := &Section{Name: d.Section, Title: strings.ToUpper(d.Section[:1]) + d.Section[1:], Path: "/" + d.Section + "/"}
			sec.URL = s.url(sec.Path)
			s.Section = append(s.Section, sec)
		}
		sec := s.Section[len(s.Section)-1]
		if d.Path == sec.Path {
			sec.Index = d
			sec.Title = d.Title
			continue
		}
		sec.Docs = append(sec.Docs, d)
	}
	for _, sec := range s.Section {
		if sec.Index == nil {
			a.claim(sec.Path, nil, "")
		}
		sec.Groups = docGroups(sec.Docs)
	}
}

// docGroups splits a section's pages by audience, keeping their order.
func docGroups(docs []*Doc) []DocGroup {
	var groups []DocGroup
	for _, au := range content.Audiences() {
		g := DocGroup{Audience: au, Title: "For " + au}
		for _, d := range docs {
			if d.Audience == au || (d.Audience == "" && au == content.AudienceReaders) {
				g.Docs = append(g.Docs, d)
			}
		}
		if len(g.Docs) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}
