package content

import (
	"bytes"
	stdhtml "html"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
)

// collect walks the parsed body: it records headings, turns internal link
// destinations into markers, and unwraps links with dangerous schemes.
func (p *Parser) collect(page *Page, doc ast.Node, src []byte, sc *scratch) {
	links, offs, unwrap := sc.links[:0], sc.offs[:0], sc.unwrap[:0]
	var refs refList
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if page.Kind != KindDoc {
				// Nothing reads another page's headings: at 100,000
				// events, a million strings held until assembly.
				return ast.WalkContinue, nil
			}
			id, _ := n.AttributeString("id")
			idStr, _ := id.([]byte)
			page.Headings = append(page.Headings, Heading{Level: n.Level, ID: string(idStr), Text: plainText(n, src)})
		case *ast.Link:
			if !p.opts.UnsafeHTML && dangerousURL(bytes.TrimSpace(n.Destination)) {
				unwrap = append(unwrap, n)
				return ast.WalkContinue, nil
			}
			if l, ok := internalLink(page.Path, string(n.Destination)); ok {
				l.Marker, n.Destination = p.marker(len(links))
				links = append(links, l)
				offs = append(offs, nodeOffset(n, src))
			} else {
				refs.add(n, n.Destination, src)
			}
		case *ast.Image:
			refs.add(n, n.Destination, src)
		case *ast.AutoLink:
			if !p.opts.UnsafeHTML && dangerousURL(n.URL(src)) {
				unwrap = append(unwrap, n)
			} else {
				refs.addAuto(n, src)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		if al, ok := n.(*ast.AutoLink); ok {
			t := ast.NewString(al.Label(src))
			parent.ReplaceChild(parent, n, t)
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	page.Refs = refs.located(src)
	if len(links) > 0 {
		locate(links, offs, src)
		// A page keeps its links for the whole build: hold them in a
		// slice of their own length, not the scratch one.
		page.Links = append([]Link(nil), links...)
	}
	clear(links)
	clear(unwrap)
	sc.links, sc.offs, sc.unwrap = links[:0], offs[:0], unwrap[:0]
}

// smallMarkers is the markers of a page's first ten links, which is most
// pages' every link, end to end: a marker is then a slice of a constant,
// not a string of its own that every page keeps.
const smallMarkers = MarkerPrefix + "0" + MarkerPrefix + "1" + MarkerPrefix + "2" + MarkerPrefix + "3" + MarkerPrefix + "4" +
	MarkerPrefix + "5" + MarkerPrefix + "6" + MarkerPrefix + "7" + MarkerPrefix + "8" + MarkerPrefix + "9"

// marker returns the marker of link i, as a string for Link.Marker and as
// bytes for the link node's destination.
func (p *Parser) marker(i int) (string, []byte) {
	const n = len(MarkerPrefix) + 1
	if i < 10 {
		return smallMarkers[i*n : (i+1)*n], p.markers[i*n : (i+1)*n : (i+1)*n]
	}
	m := MarkerPrefix + strconv.Itoa(i)
	return m, []byte(m)
}

// dangerousURL reports whether html.IsDangerousURL refuses url, as it
// would after lowercasing url whole (which it does not need: it compares
// without regard to ASCII case). Every URL it refuses starts with a scheme
// of at most ten letters and a colon, and it reads no further than
// "data:image/jpeg;", 16 bytes: most destinations, relative paths with no
// colon there, are settled without calling it.
func dangerousURL(url []byte) bool {
	head := url[:min(len(url), 16)]
	for _, c := range head {
		if c >= utf8.RuneSelf {
			// Lowercasing other letters may change their length, and
			// some become ASCII ones ("İ" is "i"): do as Parse always did.
			return html.IsDangerousURL(bytes.ToLower(url))
		}
	}
	if bytes.IndexByte(head[:min(len(head), 11)], ':') < 0 {
		return false
	}
	return html.IsDangerousURL(head)
}

// locate sets the line, column and source line of each link from its
// offset in src, given in offs (which it overwrites). Links come in the order of the text (but for footnotes),
// so each is found by reading on from the one before.
func locate(links []Link, offs []int, src []byte) {
	lineEnd := func(from int) int {
		if i := bytes.IndexByte(src[from:], '\n'); i >= 0 {
			return from + i
		}
		return len(src)
	}
	// The links' source lines, each once, in one string: a page keeps
	// them for the whole build, and a paragraph is often one long line
	// with many links.
	type line struct{ start, end, at int }
	var seen [16]line
	lines := seen[:0]
	size := 0
	start, n, end := 0, 1, lineEnd(0)
	back := false // whether a link came before the one it follows
	for i, off := range offs {
		if off < start {
			start, n, end = 0, 1, lineEnd(0)
			back = true
		}
		for end < off {
			start, n = end+1, n+1
			end = lineEnd(start)
		}
		links[i].Line, links[i].Col = n, off-start+1
		j := len(lines) - 1
		if j < 0 || lines[j].start != start {
			j = -1
			if back {
				j = slices.IndexFunc(lines, func(l line) bool { return l.start == start })
			}
		}
		if j < 0 {
			e := end
			if e > start && src[e-1] == '\r' {
				e--
			}
			j = len(lines)
			lines = append(lines, line{start, e, size})
			size += e - start
		}
		offs[i] = j // the offset is used up: keep the line's entry
	}
	var b strings.Builder
	b.Grow(size)
	for _, l := range lines {
		b.Write(src[l.start:l.end])
	}
	text := b.String()
	for i := range links {
		l := lines[offs[i]]
		links[i].Source = text[l.at : l.at+l.end-l.start]
	}
}

// internalLink classifies a link destination. Links to other Markdown files
// (relative, ending in .md) resolve to the content file; site-absolute paths
// ("/timeline/") are kept so the base path can be prefixed; "#x" points into
// the page itself. Everything else (other schemes, relative asset paths) is
// left alone.
func internalLink(from, dest string) (Link, bool) {
	if dest == "" || strings.HasPrefix(dest, "//") {
		return Link{}, false
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		return Link{}, false // has a scheme
	}
	target, frag, _ := strings.Cut(dest, "#")
	l := Link{Dest: dest, Fragment: frag}
	switch {
	case target == "":
		l.Target = ""
	case strings.HasPrefix(target, "/"):
		l.Target = target
	case strings.HasSuffix(strings.SplitN(target, "?", 2)[0], ".md"):
		// The query is not part of the file's path ("x.md?/.." is x.md).
		l.Target = path.Join(path.Dir(from), strings.SplitN(target, "?", 2)[0])
	default:
		return Link{}, false
	}
	return l, true
}

// nodeOffset finds the source offset of an inline node: the first text
// segment inside it, less one for the "[" that opens a link, or the start of
// its enclosing block when it has no text.
func nodeOffset(n ast.Node, src []byte) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			if t.Segment.Start > 0 && src[t.Segment.Start-1] == '[' {
				return t.Segment.Start - 1
			}
			return t.Segment.Start
		}
	}
	for b := n.Parent(); b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			return b.Lines().At(0).Start
		}
	}
	return 0
}

// plainText returns the text of a node without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// Typographer quotes arrive as HTML entities.
			b.WriteString(stdhtml.UnescapeString(string(t.Value)))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
