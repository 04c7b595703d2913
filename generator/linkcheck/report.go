package linkcheck

// Reporting: a broken link becomes a located error where it was written,
// in the content file's Markdown or in the template that writes it.

import (
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/render"
)

// report turns the broken links into errors: a link written in Markdown
// at its line in the content file; one written in a template once per
// template line, with the number of pages it breaks.
func report(s *Site, found [][]broken) diag.List {
	var errs diag.List
	type tmplKey struct{ template, href, why string }
	tmplBroken := map[tmplKey][]string{}
	var origins map[string]Origin
	for _, list := range found {
		if len(list) == 0 {
			continue // most pages
		}
		// A page that repeats a broken link has an entry for each time:
		// the n-th is the n-th place the content file writes it, so that
		// one run reports every place to fix.
		seen := map[string]int{}
		for _, b := range list {
			if origins == nil {
				origins = s.Origins()
			}
			o := origins[b.file]
			n := seen[b.href]
			seen[b.href]++
			if e, ok := markdownLink(o, b.href, n); ok {
				e.Msg = fmt.Sprintf("broken link %s: %s", e.Msg, b.why)
				errs.Add(e)
				continue
			}
			k := tmplKey{o.Template, b.href, b.why}
			tmplBroken[k] = append(tmplBroken[k], b.file)
		}
	}
	// The same broken link written once in base.html breaks every page:
	// report it once, at the template line that writes it.
	type located struct {
		at        diag.Error
		href, why string
	}
	byPlace := map[located][]string{}
	for k, files := range tmplBroken {
		at := templatePlace(s, k.template, k.href)
		key := located{at, k.href, k.why}
		byPlace[key] = append(byPlace[key], files...)
	}
	for k, files := range byPlace {
		sort.Strings(files)
		where := files[0]
		if len(files) > 1 {
			where += fmt.Sprintf(" and %d more pages", len(files)-1)
		}
		e := k.at
		e.Msg = fmt.Sprintf("broken link %q on %s: %s", k.href, where, k.why)
		errs.Add(e)
	}
	return errs
}

// templatePlace is where template writes href: the template line that
// holds it, else the template file. The link is looked for as an attribute
// value written out (href="archive/", as a link on the 404 page or one
// leaving the base path is), then as the argument of the url function,
// which adds the base path: only a link under the base path can come from
// it. Looking for a relative link's path as a url argument would find
// "timeline/" in {{url "/timeline/"}} in another template, and blame it.
func templatePlace(s *Site, template, href string) diag.Error {
	tmpl := s.Templates
	at := diag.Error{File: render.Dir + "/" + template}
	if tmpl == nil {
		return at
	}
	at.File = tmpl.File(template) // the project's, or the theme's
	for _, n := range templateNeedles(s.BasePath, href) {
		if loc, ok := tmpl.Locate(template, n.text); ok {
			loc.Col += n.skip // at the link, not at the `="` before it
			return loc
		}
	}
	return at
}

// needle is a text that a template writing a link holds, and how many of
// its bytes come before the link.
type needle struct {
	text string
	skip int
}

// templateNeedles returns the texts that a template writing href holds,
// most telling first (see templatePlace).
func templateNeedles(basePath, href string) []needle {
	needles := []needle{{`="` + href + `"`, 2}}
	if esc := html.EscapeString(href); esc != href {
		needles = append(needles, needle{`="` + esc + `"`, 2})
	}
	p := strings.SplitN(href, "#", 2)[0]
	if rest, ok := strings.CutPrefix(p, basePath); ok && basePath != "" && rest != "" {
		needles = append(needles, needle{"/" + rest, 0})
	}
	return needles
}

// markdownLink finds the Markdown link or image of o's content page that
// became href, the one after n others that became it too: one of its
// Links, or else one of its Refs.
func markdownLink(o Origin, href string, n int) (diag.Error, bool) {
	if o.Page == nil {
		return diag.Error{}, false
	}
	for i, u := range o.LinkURLs {
		if u == href {
			if n > 0 {
				n--
				continue
			}
			l := o.Page.Links[i]
			return diag.Error{File: o.Page.Path, Line: l.Line, Col: l.Col, Source: l.Source, Msg: l.Dest}, true
		}
	}
	for _, r := range o.Page.Refs {
		if r.URL == href {
			if n > 0 {
				n--
				continue
			}
			return diag.Error{File: o.Page.Path, Line: r.Line, Col: r.Col, Msg: strconv.Quote(href)}, true
		}
	}
	return diag.Error{}, false
}
