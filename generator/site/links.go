package site

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/render"
)

// checkLinks follows every href and src of every HTML page in out that
// stays on the site, and reports each one whose file or #anchor does not
// exist. A link written in Markdown is reported at its line in the content
// file; one written in a template is reported once per template and target,
// with the number of pages it breaks. Links that leave the base path are
// errors too: they would work at the root and break under a subpath.
//
// Scanning the pages for ids and links is most of the work; a page whose
// bytes are those scanned by the build before (the same slice, as the
// render memo hands back) reuses that scan from reuse. The scans of this
// build are returned for the next.
//
// The verdicts on a page's links are kept with its scan too, and reused
// when neither the page, nor the site's file list, nor the pages its
// #fragments point into changed: watch mode then checks one page's links
// after one page changed, not a large site's hundreds of thousands.
// seed is the Builder's, for hashing the file list.
func checkLinks(s *Site, out *Output, tmpl *render.Templates, reuse map[string]pageScan, seed maphash.Seed) (diag.List, map[string]pageScan) {
	paths := out.Paths()
	var htmlFiles []string
	for _, p := range paths {
		if strings.HasSuffix(p, ".html") {
			htmlFiles = append(htmlFiles, p)
		}
	}
	scans := make([]pageScan, len(htmlFiles))
	fresh := make([]bool, len(htmlFiles))
	parallel(len(htmlFiles), func(i int) {
		if sc, ok := out.scans[htmlFiles[i]]; ok {
			scans[i] = sc // a staged page, scanned as it was rendered
			return
		}
		b := out.Files[htmlFiles[i]]
		if sc, ok := reuse[htmlFiles[i]]; ok && sameBytes(sc.b, b) {
			scans[i] = sc
			return
		}
		scans[i] = pageScan{b: b, ids: collectIDs(b), links: collectLinks(b)}
		fresh[i] = true
	})
	ids := make(map[string]map[string]bool, len(htmlFiles))
	changed := map[string]bool{}
	for i, f := range htmlFiles {
		ids[f] = scans[i].ids
		if fresh[i] || scans[i].b == nil {
			changed[f] = true
		}
	}
	key := linkKey(seed, s, paths, out.failed)

	base, _ := url.Parse(s.Config.BaseURL.String())
	found := make([][]broken, len(htmlFiles))
	// The verdict on a link that does not depend on the page it is on (a
	// site path or a full URL) is the same everywhere: the navigation,
	// type, actor and event links repeat on thousands of pages of a large
	// site, so each is checked once.
	var verdicts sync.Map // href → why ("" when fine)
	parallel(len(htmlFiles), func(i int) {
		f := htmlFiles[i]
		// A page's verdicts depend on its links, the site's file list and
		// base URL (key), and the ids of the pages its #fragments point
		// into (deps): when none of these changed, neither did they.
		if c := scans[i].check; c != nil && c.key == key && !slices.ContainsFunc(c.deps, func(d string) bool { return changed[d] }) {
			found[i] = c.broken
			return
		}
		pageURL := base.ResolveReference(&url.URL{Path: s.BasePath + strings.TrimSuffix(f, "index.html")})
		if f == "404.html" {
			// The 404 page is served at any depth, so its links must not be relative.
			pageURL = base.ResolveReference(&url.URL{Path: s.BasePath + "404.html"})
		}
		c := &pageCheck{key: key}
		for _, href := range scans[i].links {
			var why, dep string
			if pageIndependent(href) {
				if v, ok := verdicts.Load(href); ok {
					vd := v.(verdict)
					why, dep = vd.why, vd.dep
				} else {
					why, dep = checkOne(s, base, pageURL, href, f, out, ids)
					verdicts.Store(href, verdict{why, dep})
				}
			} else {
				why, dep = checkOne(s, base, pageURL, href, f, out, ids)
			}
			if dep != "" && !slices.Contains(c.deps, dep) {
				c.deps = append(c.deps, dep)
			}
			if why != "" {
				c.broken = append(c.broken, broken{f, href, why})
			}
		}
		found[i] = c.broken
		scans[i].check = c
	})
	next := make(map[string]pageScan, len(htmlFiles))
	for i, f := range htmlFiles {
		if scans[i].b != nil {
			next[f] = scans[i]
		}
	}

	var errs diag.List
	type tmplKey struct{ template, href, why string }
	tmplBroken := map[tmplKey][]string{}
	for _, list := range found {
		for _, b := range list {
			o := out.origin[b.file]
			if e, ok := markdownLink(o, b.href, s); ok {
				e.Msg = fmt.Sprintf("broken link %s: %s", e.Msg, b.why)
				errs.Add(e)
				continue
			}
			k := tmplKey{o.template, b.href, b.why}
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
		at := diag.Error{File: render.Dir + "/" + k.template}
		needle := "/" + strings.TrimPrefix(strings.SplitN(k.href, "#", 2)[0], s.BasePath)
		if tmpl != nil && needle != "/" {
			if loc, ok := tmpl.Locate(k.template, needle); ok {
				at = loc
			}
		}
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
	return errs, next
}

// pageScan is what the link check reads from one page: its ids and links.
// It keeps the page's bytes, so that a later build can tell that a page is
// the very one scanned, and the verdicts on its links.
type pageScan struct {
	b     []byte
	ids   map[string]bool
	links []string
	check *pageCheck
}

// pageCheck is the link check's verdict on one page's links: the broken
// ones, the pages whose ids it read (for #fragments), and the linkKey it
// was made under.
type pageCheck struct {
	key    uint64
	broken []broken
	deps   []string
}

// broken is a link that does not resolve: on which page, and why.
type broken struct {
	file, href, why string
}

// verdict is checkOne's answer, shared between pages.
type verdict struct{ why, dep string }

// linkKey hashes what every link's verdict depends on besides the ids of
// the pages it points into: the base URL and the output's file list,
// including the pages that failed to render.
func linkKey(seed maphash.Seed, s *Site, paths []string, failed map[string]bool) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(s.Config.BaseURL.String())
	for _, p := range paths {
		h.WriteString("\x00")
		h.WriteString(p)
	}
	for _, p := range slices.Sorted(maps.Keys(failed)) {
		h.WriteString("\x01")
		h.WriteString(p)
	}
	return h.Sum64()
}

// sameBytes reports whether a and b are the same slice: the same backing
// array and length. Outputs are never written to after they are made, so
// the same slice means the same bytes; different slices are treated as
// different even when equal, which only costs a scan.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// markdownLink finds the Markdown link of o's content page that became href.
func markdownLink(o origin, href string, s *Site) (diag.Error, bool) {
	if o.page == nil {
		return diag.Error{}, false
	}
	for i, u := range s.linkURLs[o.page] {
		if u == href {
			l := o.page.Links[i]
			return diag.Error{File: o.page.Path, Line: l.Line, Col: l.Col, Source: l.Source, Msg: l.Dest}, true
		}
	}
	return diag.Error{}, false
}

// pageIndependent reports whether checkOne's verdict on href is the same on
// every page: true for a path from the root and for a URL with a scheme,
// whose resolution ignores the page's own path; false for a relative link,
// and for a fragment or query alone, which refer to the page itself.
func pageIndependent(href string) bool {
	return strings.HasPrefix(href, "/") || strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://")
}

// checkOne returns why href, found on the page at pageURL, is broken, or
// "", and the page whose ids it read to judge a #fragment, if any.
func checkOne(s *Site, base, pageURL *url.URL, href, file string, out *Output, ids map[string]map[string]bool) (why, dep string) {
	if href == "" || href == "#" || strings.HasPrefix(href, "mailto:") || strings.HasPrefix(href, "data:") {
		return "", ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "not a valid URL: " + err.Error(), ""
	}
	if ref.Scheme != "" && ref.Scheme != base.Scheme || ref.Host != "" && ref.Host != base.Host {
		return "", "" // another site: not checked here
	}
	if file == "404.html" && ref.Scheme == "" && ref.Host == "" && ref.Path != "" && !strings.HasPrefix(ref.Path, "/") {
		return "the 404 page is served at any address, so its links must start with the base path", ""
	}
	u := pageURL.ResolveReference(ref)
	if !strings.HasPrefix(u.Path, s.BasePath) {
		return fmt.Sprintf("it leaves the site's base path %s (write links with the url function: {{url \"/x/\"}})", s.BasePath), ""
	}
	target := strings.TrimPrefix(u.Path, s.BasePath)
	if target == "" || strings.HasSuffix(target, "/") {
		target += "index.html"
	}
	if out.failed[target] || out.failed[target+"/index.html"] {
		return "", "" // its own error is reported already
	}
	if !out.Has(target) {
		if out.Has(target + "/index.html") {
			target += "/index.html"
		} else {
			return "no such page or file in the site", ""
		}
	}
	if u.Fragment != "" && strings.HasSuffix(target, ".html") {
		if !ids[target][u.Fragment] {
			return fmt.Sprintf("the page has no element with id %q", u.Fragment), target
		}
		return "", target
	}
	return "", ""
}

// collectIDs returns the id attributes of an HTML page.
func collectIDs(b []byte) map[string]bool {
	set := map[string]bool{}
	for _, v := range attrValues(b, " id=\"") {
		set[v] = true
	}
	return set
}

// collectLinks returns the href and src attribute values of an HTML page.
// The generator's own templates and goldmark always quote attributes with
// double quotes, which is what makes a scan enough here.
func collectLinks(b []byte) []string {
	return append(attrValues(b, " href=\""), attrValues(b, " src=\"")...)
}

func attrValues(b []byte, prefix string) []string {
	var out []string
	p := []byte(prefix)
	for {
		i := bytes.Index(b, p)
		if i < 0 {
			return out
		}
		b = b[i+len(p):]
		j := bytes.IndexByte(b, '"')
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(string(b[:j])))
		b = b[j+1:]
	}
}
