// Package linkcheck checks every link of a built site: each href and src
// of each HTML page that stays on the site must name a file of the output,
// and each #fragment an id on its page. A broken link is reported where it
// was written: at its line in the content file when it came from Markdown,
// else once per template line that writes it.
//
// A check keeps what it read of each page (Scans) for the next, so that
// watch mode checks the links of the pages that changed, not of all.
package linkcheck

import (
	"fmt"
	"hash/maphash"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/render"
)

// Site is what the link check needs to know of a built site.
type Site struct {
	// BaseURL is the site's published URL, and BasePath its path.
	BaseURL  *url.URL
	BasePath string
	// Out is the built site, and Paths its paths, sorted.
	Out   *output.Output
	Paths []string
	// Scans holds the scan of each staged page (see ScanStaged), taken
	// as it was rendered, before its bytes were let go.
	Scans map[string]Scan
	// Failed names the output files of pages whose rendering failed:
	// links to them only repeat that error and are not reported.
	Failed map[string]bool
	// Origins says where each page came from, by output file. It is
	// called only when a link is broken, which is rare.
	Origins func() map[string]Origin
	// Templates locates a broken link in the template that wrote it.
	Templates *render.Templates
}

// Origin is where an HTML page came from.
type Origin struct {
	Template string
	// Page is the content file, nil for generated list pages; LinkURLs
	// holds the final URL of each of its Markdown links, in the order of
	// Page.Links.
	Page     *content.Page
	LinkURLs []string
}

// ScanStaged reads the ids and links of a page that is about to be let go
// (staged to disk), keeping the scan but not the bytes. names numbers
// them: one Names for all the pages of a build, from any goroutine.
func ScanStaged(b []byte, names *Names) Scan {
	sc := scanPage(names, b)
	sc.b = nil
	return sc
}

// Check follows every href and src of every HTML page in out that
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
//
// reuse is kept by position: when paths is the very slice the last check
// was given (writeExtras hands back the last build's when no path
// changed), the HTML files are the same and each page's last scan is at
// its index; otherwise the last scans are found by file.
//
// paths is out.Paths(); seed is the Builder's, for hashing the file list.
func Check(s *Site, reuse Scans, seed maphash.Seed) (diag.List, Scans) {
	baseURL := s.BaseURL.String()
	htmlFiles, filesKey, scans, changed, names := scanAll(s, reuse, seed)
	key := filesKey
	if len(s.Failed) > 0 {
		key = failedKey(seed, filesKey, s.Failed)
	}
	found := judgeAll(s, htmlFiles, scans, changed, key)
	next := Scans{paths: s.Paths, base: baseURL, files: htmlFiles, filesKey: filesKey, scans: scans, names: names}
	return report(s, found), next
}

// scanAll returns the HTML files among the site's paths with their key,
// each one's scan (reused from reuse when its bytes are the very ones
// scanned before), and the files whose scan is new.
func scanAll(s *Site, reuse Scans, seed maphash.Seed) (htmlFiles []string, filesKey uint64, scans []Scan, changed map[string]bool, names *Names) {
	out, paths := s.Out, s.Paths
	baseURL := s.BaseURL.String()
	positional := sameslice.Is(reuse.paths, paths) && reuse.base == baseURL
	if positional {
		htmlFiles, filesKey = reuse.files, reuse.filesKey
	} else {
		for _, p := range paths {
			if strings.HasSuffix(p, ".html") {
				htmlFiles = append(htmlFiles, p)
			}
		}
		filesKey = linkKey(seed, baseURL, paths)
	}
	var last map[string]int // reuse's index of each file, when not positional
	if !positional && len(reuse.files) > 0 {
		last = make(map[string]int, len(reuse.files))
		for i, f := range reuse.files {
			last[f] = i
		}
	}
	scans = make([]Scan, len(htmlFiles))
	fresh := make([]bool, len(htmlFiles))
	eachPage(len(htmlFiles), func(i int) {
		if sc, ok := s.Scans[htmlFiles[i]]; ok {
			scans[i] = sc // a staged page, scanned as it was rendered
			return
		}
		b := out.Files[htmlFiles[i]]
		var sc Scan
		if positional {
			sc = reuse.scans[i]
		} else if j, ok := last[htmlFiles[i]]; ok {
			sc = reuse.scans[j]
		}
		if sc.names != nil && sameslice.Is(sc.b, b) {
			scans[i] = sc
			return
		}
		fresh[i] = true
	})
	names = scanNames(reuse.names, fresh)
	eachPage(len(htmlFiles), func(i int) {
		if fresh[i] {
			scans[i] = scanPage(names, out.Files[htmlFiles[i]])
		}
	})
	changed = map[string]bool{}
	for i, f := range htmlFiles {
		if fresh[i] || scans[i].b == nil {
			changed[f] = true
		}
	}
	return htmlFiles, filesKey, scans, changed, names
}

// scanNames returns the Names for the pages to scan again (fresh): the
// last check's, so that watch mode adds a saved page's few new links to
// it, unless most pages are to be scanned again (a change that renders
// every page anew): then a new one, so that the last one's links, most of
// them gone, are let go with the scans that hold them.
func scanNames(last *Names, fresh []bool) *Names {
	n := 0
	for _, f := range fresh {
		if f {
			n++
		}
	}
	if last == nil || 2*n > len(fresh) {
		return NewNames()
	}
	return last
}

// judgeAll returns the broken links of each page, reusing a page's last
// verdicts when neither its links, nor the site's file list and base URL
// (key), nor the pages its #fragments point into changed.
func judgeAll(s *Site, htmlFiles []string, scans []Scan, changed map[string]bool, key uint64) [][]broken {
	// The ids of a page, for #fragments: htmlFiles is sorted, and a search
	// costs less than a map of every page made for each build, most of
	// whose pages' links are not checked again in watch mode.
	ids := func(page string) idSet {
		if i, ok := slices.BinarySearch(htmlFiles, page); ok {
			return scans[i].ids()
		}
		return idSet{}
	}
	base, _ := url.Parse(s.BaseURL.String())
	found := make([][]broken, len(htmlFiles))
	vs := newVerdicts(scans)
	eachPage(len(htmlFiles), func(i int) {
		if c := scans[i].check; c != nil && c.key == key && (len(changed) == 0 || !slices.ContainsFunc(c.deps, func(d string) bool { return changed[d] })) {
			found[i] = c.broken
			return
		}
		c := judgePage(s, base, htmlFiles[i], &scans[i], key, ids, vs)
		found[i] = c.broken
		scans[i].check = c
	})
	return found
}

// judgePage checks the links of the page at output file f.
func judgePage(s *Site, base *url.URL, f string, sc *Scan, key uint64, ids func(string) idSet, vs *verdicts) *pageCheck {
	out := s.Out
	// The 404 page is judged at its own address, 404.html: it is served at
	// any depth, and checkOne refuses its relative links.
	pageURL := base.ResolveReference(&url.URL{Path: s.BasePath + strings.TrimSuffix(f, "index.html")})
	c := &pageCheck{key: key}
	var own *ownTarget
	for k, l := range sc.links() {
		href := sc.link(k)
		var why, dep string
		if frag, ok := ownFragment(href); ok {
			if own == nil {
				own = resolveOwn(s, pageURL, out)
			}
			why, dep = checkOwn(own, frag, ids)
		} else if pageIndependent(href) {
			why, dep = vs.judge(sc, l, href, func() (string, string) { return checkOne(s, base, pageURL, href, f, out, ids) })
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
	return c
}

// Scans is what a link check read from the pages, for the next check
// (see checkLinks): the output paths it was given and its base URL, the
// HTML files among the paths and their key, each file's scan, and the
// Names of the scans it made.
type Scans struct {
	paths    []string
	base     string
	files    []string
	filesKey uint64
	scans    []Scan
	names    *Names
}

// eachPage is parallel.For for work per page that is often tiny (a reused
// scan or verdict): it hands the cores runs of pages rather than one page
// at a time, whose handing over cost more than the work in watch mode.
func eachPage(n int, f func(i int)) {
	const run = 32
	parallel.For((n+run-1)/run, func(r int) {
		for i := r * run; i < min(n, (r+1)*run); i++ {
			f(i)
		}
	})
}

// Scan is what the link check reads from one page: its links, those that
// repeat numbered by names and the others kept as text of its own, and its
// ids. It keeps the page's bytes, so that a later build can tell that a
// page is the very one scanned, and the verdicts on its links.
type Scan struct {
	b     []byte
	names *Names
	// nums holds the links (see links), then the ends of the scan's own
	// links in text (nOwn of them), then the ends of its ids in text,
	// which are sorted (see ids).
	nums         []uint32
	nLinks, nOwn uint32
	text         string
	check        *pageCheck
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

// linkKey hashes what every link's verdict depends on besides the ids of
// the pages it points into: the base URL and the output's file list (and
// the pages that failed to render: see failedKey).
func linkKey(seed maphash.Seed, base string, paths []string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(base)
	for _, p := range paths {
		h.WriteString("\x00")
		h.WriteString(p)
	}
	return h.Sum64()
}

// failedKey adds to a linkKey the pages that failed to render, whose links
// are not checked.
func failedKey(seed maphash.Seed, key uint64, failed map[string]bool) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(strconv.FormatUint(key, 16))
	for _, p := range slices.Sorted(maps.Keys(failed)) {
		h.WriteString("\x01")
		h.WriteString(p)
	}
	return h.Sum64()
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
func checkOne(s *Site, base, pageURL *url.URL, href, file string, out *output.Output, ids func(page string) idSet) (why, dep string) {
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
	target, why, ok := resolveTarget(s, u, out)
	if !ok {
		return why, ""
	}
	return fragmentVerdict(target, u.Fragment, ids)
}

// resolveTarget returns the output file that u, a link resolved against
// its page, points to. When ok is false the check ends there, with why
// ("" when the link is not to be reported).
func resolveTarget(s *Site, u *url.URL, out *output.Output) (target, why string, ok bool) {
	if !strings.HasPrefix(u.Path, s.BasePath) {
		return "", fmt.Sprintf("it leaves the site's base path %s (write links with the url function: {{url \"/x/\"}})", s.BasePath), false
	}
	target = strings.TrimPrefix(u.Path, s.BasePath)
	if target == "" || strings.HasSuffix(target, "/") {
		target += "index.html"
	}
	if s.Failed[target] || s.Failed[target+"/index.html"] {
		return "", "", false // its own error is reported already
	}
	if !out.Has(target) {
		if out.Has(target + "/index.html") {
			target += "/index.html"
		} else {
			return "", "no such page or file in the site", false
		}
	}
	return target, "", true
}

// fragmentVerdict is checkOne's verdict on a link to target with the
// fragment frag, target being a file of the site.
func fragmentVerdict(target, frag string, ids func(page string) idSet) (why, dep string) {
	if frag != "" && strings.HasSuffix(target, ".html") {
		if !ids(target).has(frag) {
			return fmt.Sprintf("the page has no element with id %q", frag), target
		}
		return "", target
	}
	return "", ""
}

// ownFragment returns frag when href is "#frag" as url.Parse would read
// it: with no escapes to undo and no control characters to refuse. Such a
// link (a heading anchor, a footnote) points into its own page, the same
// target for every fragment, which ownTarget resolves once per page
// rather than checkOne once per link.
func ownFragment(href string) (string, bool) {
	if len(href) < 2 || href[0] != '#' {
		return "", false
	}
	for i := 1; i < len(href); i++ {
		if c := href[i]; c < 0x20 || c == 0x7f || c == '%' {
			return "", false
		}
	}
	return href[1:], true
}

// ownTarget is resolveTarget for a link with a fragment alone on the page
// at pageURL: such a link resolves to the page's own path whatever its
// fragment.
type ownTarget struct {
	target, why string
	ok          bool
}

func resolveOwn(s *Site, pageURL *url.URL, out *output.Output) *ownTarget {
	var o ownTarget
	o.target, o.why, o.ok = resolveTarget(s, pageURL.ResolveReference(&url.URL{}), out)
	return &o
}

// checkOwn is checkOne for a link "#frag" (see ownFragment), given the
// resolution of its page.
func checkOwn(own *ownTarget, frag string, ids func(page string) idSet) (why, dep string) {
	if !own.ok {
		return own.why, ""
	}
	return fragmentVerdict(own.target, frag, ids)
}
