package export

import (
	"hash/maphash"
	"maps"
	"slices"
	"strings"

	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

// WriteExtras adds the files a published site needs besides pages: the
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
func WriteExtras(s *site.Site, out *output.Output, seed maphash.Seed, memo *ExtrasMemo) []string {
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
		*memo = ExtrasMemo{key: key, paths: paths, extras: extras}
	}
	return paths
}

// ExtrasMemo is what writeExtras made, for the next build: the extras and
// the sorted paths with them, under the key of the paths without them and
// the base URL.
type ExtrasMemo struct {
	key    uint64
	paths  []string
	extras map[string][]byte
}

// pathSetKey hashes the set of out's paths, in no order (a sum of each
// path's hash, so that the maps need not be sorted to be hashed), and
// base.
func pathSetKey(seed maphash.Seed, out *output.Output, base string) uint64 {
	sum := maphash.String(seed, base) + uint64(out.Len())
	out.EachPath(func(p string) { sum += maphash.String(seed, p) })
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
