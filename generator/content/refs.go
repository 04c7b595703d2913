package content

import (
	"bytes"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Ref is the destination of a link or image in a page's body that is not
// one of its Links (an asset, a relative path that is not a .md file, a
// URL that does not parse): the link check finds it in the page's HTML by
// URL, and reports it, when broken, at the line of the content file that
// wrote it rather than at the template that rendered the page.
type Ref struct {
	URL       string // as the page's HTML holds it: goldmark's escaping of the destination
	Line, Col int
}

// refList gathers the Refs of one page during collect's walk.
type refList struct {
	urls []string
	offs []int
}

// add records the link or image n with destination dest.
func (r *refList) add(n ast.Node, dest, src []byte) {
	off := nodeOffset(n, src)
	if _, ok := n.(*ast.Image); ok && off > 0 && src[off-1] == '!' {
		off--
	}
	r.urls = append(r.urls, string(util.URLEscape(dest, true)))
	r.offs = append(r.offs, off)
}

// addAuto records the autolink n (<https://…>, or www.… by GFM), whose
// URL goldmark escapes without resolving references. An e-mail address
// is left out: the link check does not follow mailto: links.
func (r *refList) addAuto(n *ast.AutoLink, src []byte) {
	if n.AutoLinkType != ast.AutoLinkURL {
		return
	}
	off := n.Pos() // where the inline parser found it: it has no text node
	if off < 0 {
		off = nodeOffset(n, src)
	}
	r.urls = append(r.urls, string(util.URLEscape(n.URL(src), false)))
	r.offs = append(r.offs, off)
}

// located returns the Refs with their lines and columns, reading src once
// (footnotes put some destinations out of order, so they are sorted first).
func (r *refList) located(src []byte) []Ref {
	if len(r.urls) == 0 {
		return nil
	}
	order := make([]int, len(r.urls))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return r.offs[a] - r.offs[b] })
	refs := make([]Ref, len(r.urls))
	line, start, pos := 1, 0, 0
	for _, i := range order {
		for pos < r.offs[i] {
			j := bytes.IndexByte(src[pos:r.offs[i]], '\n')
			if j < 0 {
				pos = r.offs[i]
				break
			}
			pos += j + 1
			line, start = line+1, pos
		}
		refs[i] = Ref{URL: r.urls[i], Line: line, Col: r.offs[i] - start + 1}
	}
	return refs
}
