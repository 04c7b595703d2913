package build

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"golang.org/x/net/html"
)

// crawler fetches every internal URL reachable from its start pages and
// records each failure.
type crawler struct {
	t        *testing.T
	base     *url.URL // the site's full base URL
	client   *http.Client
	fetched  map[string]*fetched // by URL without fragment
	queue    []ref
	failures []string
	checked  int // links and assets checked, anchors included
}

// ref is one link found on a page.
type ref struct {
	from string // the page or file it was found in
	raw  string // as written
	url  *url.URL
}

type fetched struct {
	status int
	ctype  string
	body   []byte
	ids    map[string]bool // for HTML: the id and a[name] values
}

func newCrawler(t *testing.T, base *url.URL) *crawler {
	return &crawler{
		t:       t,
		base:    base,
		fetched: map[string]*fetched{},
		client: &http.Client{
			// A redirect is a failure here: every link the generator
			// writes should name the final URL ("/x/", not "/x").
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func (c *crawler) fail(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

// internal reports whether u is on the site's host; such a URL must also
// stay under the base path.
func (c *crawler) internal(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host == c.base.Host
}

// get fetches u (without its fragment) once.
func (c *crawler) get(u *url.URL) *fetched {
	key := *u
	key.Fragment = ""
	k := key.String()
	if f, ok := c.fetched[k]; ok {
		return f
	}
	resp, err := c.client.Get(k)
	f := &fetched{}
	c.fetched[k] = f
	if err != nil {
		f.status = -1
		c.fail("GET %s: %v", k, err)
		return f
	}
	defer resp.Body.Close()
	f.status = resp.StatusCode
	f.ctype = resp.Header.Get("Content-Type")
	if f.body, err = io.ReadAll(resp.Body); err != nil {
		c.fail("GET %s: reading the body: %v", k, err)
	}
	if strings.HasPrefix(f.ctype, "text/html") {
		f.ids = c.scanHTML(k, f.body)
	} else {
		c.scanOther(k, f.ctype, f.body)
	}
	return f
}

// start fetches a start page and checks its status.
func (c *crawler) start(raw string, wantStatus int) {
	u, _ := url.Parse(raw)
	if f := c.get(u); f.status != wantStatus {
		c.fail("start page %s: status %d, want %d", raw, f.status, wantStatus)
	}
}

// run follows every queued link until none is left.
func (c *crawler) run() {
	for len(c.queue) > 0 {
		r := c.queue[0]
		c.queue = c.queue[1:]
		c.checked++
		if !strings.HasPrefix(r.url.Path, c.base.Path) {
			c.fail("%s: link %q leaves the base path %s", r.from, r.raw, c.base.Path)
			continue
		}
		// A link to an #anchor of its own page does not load anything (it
		// matters on the 404 page, which is served with status 404).
		target := *r.url
		target.Fragment = ""
		if from, ok := c.fetched[r.from]; ok && target.String() == r.from && r.url.Fragment != "" {
			if !from.ids[r.url.Fragment] {
				c.fail("%s: link %q: the page has no id %q", r.from, r.raw, r.url.Fragment)
			}
			continue
		}
		f := c.get(r.url)
		if f.status != http.StatusOK {
			c.fail("%s: link %q: status %d", r.from, r.raw, f.status)
			continue
		}
		if r.url.Fragment != "" {
			if f.ids == nil {
				c.fail("%s: link %q has an #anchor into a file that is not HTML", r.from, r.raw)
			} else if !f.ids[r.url.Fragment] {
				c.fail("%s: link %q: the page has no id %q", r.from, r.raw, r.url.Fragment)
			}
		}
	}
}

// add queues a link found at from if it is internal.
func (c *crawler) add(from *url.URL, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	ref0, err := url.Parse(raw)
	if err != nil {
		c.fail("%s: unparsable URL %q: %v", from, raw, err)
		return
	}
	u := from.ResolveReference(ref0)
	if !c.internal(u) {
		return
	}
	c.queue = append(c.queue, ref{from: from.String(), raw: raw, url: u})
}

// scanHTML queues every URL of an HTML page and returns its ids. It checks
// what every page must carry, too: a description, Open Graph tags, a
// canonical link (except on the 404 page) and the feed links.
func (c *crawler) scanHTML(pageURL string, body []byte) map[string]bool {
	page, _ := url.Parse(pageURL)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		c.fail("%s: not HTML: %v", pageURL, err)
		return map[string]bool{}
	}
	ids := map[string]bool{}
	meta := map[string]string{}
	var canonical []string
	alternates := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			if id, ok := attr["id"]; ok {
				if ids[id] {
					c.fail("%s: duplicate id %q", pageURL, id)
				}
				ids[id] = true
			}
			if n.Data == "a" && attr["name"] != "" {
				ids[attr["name"]] = true
			}
			for _, k := range []string{"href", "src", "action", "poster", "data"} {
				if v, ok := attr[k]; ok {
					c.add(page, v)
				}
			}
			for _, k := range []string{"srcset", "imagesrcset"} {
				for _, cand := range strings.Split(attr[k], ",") {
					if f := strings.Fields(cand); len(f) > 0 {
						c.add(page, f[0])
					}
				}
			}
			if n.Data == "meta" {
				key := attr["name"]
				if key == "" {
					key = attr["property"]
				}
				meta[key] = attr["content"]
				if strings.HasPrefix(key, "og:") && (strings.HasSuffix(key, ":url") || key == "og:image") {
					c.add(page, attr["content"])
				}
			}
			if n.Data == "link" && attr["rel"] == "canonical" {
				canonical = append(canonical, attr["href"])
			}
			if n.Data == "link" && attr["rel"] == "alternate" {
				alternates[attr["type"]] = true
			}
			if n.Data == "style" && n.FirstChild != nil {
				c.scanCSS(page, n.FirstChild.Data)
			}
			if s, ok := attr["style"]; ok {
				c.scanCSS(page, s)
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)

	is404 := !strings.HasPrefix(page.Path, c.base.Path) || page.Path == c.base.Path+"404.html" || bytes.Equal(body, c.notFoundBody())
	if strings.TrimSpace(meta["description"]) == "" {
		c.fail("%s: no meta description", pageURL)
	}
	for _, k := range []string{"og:title", "og:description", "og:url", "og:type", "og:site_name"} {
		if strings.TrimSpace(meta[k]) == "" {
			c.fail("%s: no %s", pageURL, k)
		}
	}
	if og := meta["og:url"]; !strings.HasPrefix(og, c.base.String()) {
		c.fail("%s: og:url %q is not an absolute URL under %s", pageURL, og, c.base)
	}
	if !is404 {
		// A query selects a view of the same page (the timeline's
		// filters), so the canonical URL is the page without it.
		own := *page
		own.RawQuery = ""
		pageURL := own.String()
		if len(canonical) != 1 || canonical[0] != pageURL {
			c.fail("%s: canonical links %q, want exactly the page's own absolute URL", pageURL, canonical)
		}
		if meta["og:url"] != pageURL {
			c.fail("%s: og:url %q, want the page's own URL", pageURL, meta["og:url"])
		}
	}
	for _, typ := range []string{"application/atom+xml", "application/feed+json", "text/calendar", "application/json"} {
		if !alternates[typ] {
			c.fail("%s: no <link rel=alternate type=%q>", pageURL, typ)
		}
	}
	return ids
}

// notFoundBody is the 404 page as served, to recognise it at any URL.
func (c *crawler) notFoundBody() []byte {
	if f, ok := c.fetched[c.base.String()+"404.html"]; ok {
		return f.body
	}
	return nil
}

var (
	cssURLRe = regexp.MustCompile(`url\(\s*['"]?([^'")]+?)['"]?\s*\)|@import\s+['"]([^'"]+)['"]`)
	// absURLRe finds absolute URLs in feeds, exports and the sitemap.
	absURLRe = regexp.MustCompile(`https?://[^\s"'<>\\]+`)
)

// scanCSS queues the url() and @import references of a stylesheet.
func (c *crawler) scanCSS(from *url.URL, css string) {
	for _, m := range cssURLRe.FindAllStringSubmatch(css, -1) {
		u := m[1] + m[2]
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "#") {
			continue
		}
		c.add(from, u)
	}
}

// scanOther queues the links of a non-HTML file: CSS references, and every
// absolute URL of the site named in a feed, export, sitemap or robots.txt.
func (c *crawler) scanOther(fileURL, ctype string, body []byte) {
	from, _ := url.Parse(fileURL)
	switch {
	case strings.HasPrefix(ctype, "text/css"):
		c.scanCSS(from, string(body))
	case strings.Contains(ctype, "xml"), strings.Contains(ctype, "json"), strings.HasPrefix(ctype, "text/calendar"), strings.HasPrefix(ctype, "text/plain"):
		text := string(body)
		if strings.HasPrefix(ctype, "text/calendar") {
			text = strings.ReplaceAll(text, "\r\n ", "") // unfold
		}
		for _, raw := range absURLRe.FindAllString(text, -1) {
			raw = strings.TrimRight(raw, ".,;)")
			if u, err := url.Parse(html.UnescapeString(raw)); err == nil && c.internal(u) {
				c.add(from, u.String())
			}
		}
	}
}

// TestCrawlPublishedSite builds the real content for GitHub Pages under a
// repository subpath and again at a domain's root, serves each the way
// Pages does, and crawls it from the home page and from the 404 page (as
// served at a deep missing URL): every internal link, asset, feed link and
// #anchor must resolve, every page must be reached, and every absolute URL
// must use the full base URL.
func TestCrawlPublishedSite(t *testing.T) {
	for _, prefix := range []string{"/repo/", "/"} {
		t.Run(strings.Trim(prefix, "/")+"root", func(t *testing.T) {
			ps := &testtool.PagesHost{Prefix: prefix}
			srv := httptest.NewServer(ps)
			defer srv.Close()
			base := srv.URL + prefix
			res := buildPublished(t, Options{BaseURL: base})
			ps.Files = res.Output.All()

			baseURL, _ := url.Parse(base)
			c := newCrawler(t, baseURL)
			c.start(base+"404.html", http.StatusOK)
			c.start(base, http.StatusOK)
			c.start(base+"no/such/page/at/any/depth/", http.StatusNotFound)
			c.start(base+"no-such-page.html", http.StatusNotFound)
			for _, f := range []string{"robots.txt", "sitemap.xml", export.AtomFile, export.JSONFeedFile, export.ICalFile, export.TimelineFile, export.TimelineJSFile, ".nojekyll"} {
				c.start(base+f, http.StatusOK)
			}
			c.run()

			// robots.txt points at the sitemap by its full URL.
			if !bytes.Contains(c.fetched[base+"robots.txt"].body, []byte("Sitemap: "+base+"sitemap.xml\n")) {
				c.fail("robots.txt does not name %ssitemap.xml", base)
			}
			// Every page was reached, and the sitemap lists every page but
			// the 404 page, by its absolute URL.
			sitemap := string(c.fetched[base+"sitemap.xml"].body)
			var pages []string
			for p := range res.Output.All() {
				if !strings.HasSuffix(p, ".html") {
					continue
				}
				pages = append(pages, p)
				u := base + strings.TrimSuffix(p, "index.html")
				if _, ok := c.fetched[u]; !ok {
					c.fail("page %s was never reached by following links", u)
				}
				if p != "404.html" && !strings.Contains(sitemap, "<loc>"+u+"</loc>") {
					c.fail("sitemap lacks %s", u)
				}
			}
			sort.Strings(c.failures)
			for _, f := range c.failures {
				t.Error(f)
			}
			t.Logf("%s: %d pages, %d URLs fetched, %d links, assets and anchors checked, %d failures",
				base, len(pages), len(c.fetched), c.checked, len(c.failures))
			if len(pages) < len(res.Site.Events)+10 || c.checked < 1000 {
				t.Errorf("the crawl saw too little (%d pages, %d links) to mean anything", len(pages), c.checked)
			}
		})
	}
}
