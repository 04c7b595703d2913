package content

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxFileSize is the largest content file Parse accepts. A Markdown page of
// this size is already far past anything a reader would open; the limit keeps
// a stray data file named .md from taking the build's memory.
const MaxFileSize = 8 << 20

// Options configure a Parser. They come from the site config.
type Options struct {
	// Types is the vocabulary of event types; an event's `type` must be one.
	Types []string
	// UnsafeHTML keeps raw HTML and every URL scheme in Markdown. Off by
	// default: raw HTML is dropped and javascript: links are unwrapped.
	UnsafeHTML bool
	// DropSourceLines leaves Source empty in the Page's Links and Fields,
	// for a caller that reads the line again from the file when it reports
	// an error there (build.Builder, see FillSources): at 10,000 pages the
	// lines are some 30 MB kept for errors that seldom come.
	DropSourceLines bool
}

// Parser parses content files. It is safe for concurrent use.
type Parser struct {
	opts Options
	md   goldmark.Markdown
	fm   *frontMatterParser
	// scratch holds *scratch values: buffers that every Parse needs and
	// none keeps, reused rather than made and collected for each file.
	scratch sync.Pool
	// markers is smallMarkers as bytes, shared by the link nodes of every
	// document while they are rendered; nothing writes to it.
	markers []byte
}

// NewParser returns a Parser with the project's Markdown dialect: CommonMark
// with GFM, footnotes, definition lists, typographic quotes, heading IDs and
// front matter.
func NewParser(opts Options) *Parser {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(headingRenderer{}, 100)),
	}
	if opts.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.DefinitionList,
			extension.Typographer,
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	// Front matter is goldmark-meta's block, added as its meta.Meta
	// extension adds it (first, priority 0), with the Close of
	// frontMatterParser. meta.Meta's AST transformer is left out: it only
	// renders front matter as a table or copies it into the document,
	// neither of which Parse asks for.
	fm := newFrontMatterParser()
	md.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(fm, 0)))
	p := &Parser{opts: opts, md: md, fm: fm, markers: []byte(smallMarkers)}
	p.scratch.New = func() any { return new(scratch) }
	return p
}

// scratch is the working memory of one Parse.
type scratch struct {
	body   bodyWriter
	links  []Link
	offs   []int // source offset of each of links
	unwrap []ast.Node
}

// maxScratchBody is the largest render buffer kept for the next file: a
// rare huge page should not pin its buffer for the rest of the process.
const maxScratchBody = 1 << 20

// bodyWriter is the buffer a page's HTML is rendered into. It satisfies
// goldmark's util.BufWriter, so the renderer writes straight into it
// instead of through a bufio.Writer (and its 4 KiB buffer) of its own.
type bodyWriter struct{ bytes.Buffer }

// Buffered implements util.BufWriter: nothing waits to be flushed.
func (*bodyWriter) Buffered() int { return 0 }

// Flush implements util.BufWriter: the bytes are in the buffer already.
func (*bodyWriter) Flush() error { return nil }

// Options returns the options the parser was made with.
func (p *Parser) Options() Options { return p.opts }

const bom = "\xef\xbb\xbf"

// blankBOM returns src with a leading byte order mark blanked out: a BOM
// is legal UTF-8 but would hide the opening "---". It is replaced by
// spaces rather than cut, so that byte offsets still match the file.
func blankBOM(src []byte) []byte {
	if bytes.HasPrefix(src, []byte(bom)) {
		return append([]byte("   "), src[len(bom):]...)
	}
	return src
}

// SourceLine returns line n of a content file's bytes as Parse reads
// them, for an error located there: what Links and Fields hold in Source
// unless Options.DropSourceLines.
func SourceLine(src []byte, n int) string { return diag.SourceLine(blankBOM(src), n) }

// Parse parses the content file at path (slash-separated, relative to the
// project root) with contents src. It returns the page, or nil with every
// problem found when the file cannot become a page.
func (p *Parser) Parse(filePath string, src []byte) (*Page, diag.List) {
	var errs diag.List
	if len(src) > MaxFileSize {
		errs.Add(diag.Error{File: filePath, Msg: fmt.Sprintf("file is %d bytes; content files are limited to %d bytes (%d MiB)", len(src), MaxFileSize, MaxFileSize>>20)})
		return nil, errs
	}
	if bytes.IndexByte(src, 0) >= 0 {
		errs.Add(diag.Error{File: filePath, Msg: "file holds NUL bytes: it looks binary, not Markdown"})
		return nil, errs
	}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		line, col := diag.Position(src, off)
		errs.Addf(filePath, src, line, col, "invalid UTF-8 at byte %d; content files must be UTF-8 text", off)
		return nil, errs
	}
	src = blankBOM(src)

	fmEnd, fields, ok := scanFrontMatter(filePath, src, &errs)
	if !ok {
		return nil, errs
	}

	pc := parser.NewContext()
	doc := p.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	fm, err := p.fm.get(pc)
	if err != nil {
		errs.Add(yamlError(filePath, src[:fmEnd], err))
		return nil, errs
	}

	page := &Page{Meta: Meta{Path: filePath, Kind: KindOf(filePath)}, Fields: fields, BodyStart: fmEnd}
	p.decode(page, fm, src, &errs)

	sc := p.scratch.Get().(*scratch)
	p.collect(page, doc, src, sc)
	sc.body.Reset()
	if err := p.md.Renderer().Render(&sc.body, src, doc); err != nil {
		errs.Addf(filePath, src, 0, 0, "rendering Markdown: %v", err)
	}
	page.Body = sc.body.String()
	if sc.body.Cap() <= maxScratchBody {
		p.scratch.Put(sc)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if p.opts.DropSourceLines {
		for i := range page.Links {
			page.Links[i].Source = ""
		}
		for k, pos := range page.Fields {
			pos.Source = ""
			page.Fields[k] = pos
		}
	}
	return page, nil
}

// scanFrontMatter requires a front matter block that opens on the first
// line and closes, and returns the offset just past its closing line, with
// where each top-level key of it was written. goldmark-meta would otherwise
// read a whole unclosed file as YAML; and yaml.v2 keeps no positions, but
// top-level keys of front matter always start a line. One pass over the
// lines does both.
func scanFrontMatter(file string, src []byte, errs *diag.List) (int, map[string]Pos, bool) {
	if len(bytes.TrimSpace(src)) == 0 {
		errs.Add(diag.Error{File: file, Line: 1, Col: 1, Msg: "file is empty; expected front matter between --- lines, starting with a title"})
		return 0, nil, false
	}
	first, rest := cutLine(src)
	if string(bytes.TrimSpace(first)) != "---" {
		errs.Addf(file, src, 1, 1, "no front matter: the file must start with a line \"---\", then YAML such as \"title: ...\", then another \"---\"")
		return 0, nil, false
	}
	var found [16]keyLine
	keys := found[:0]
	size := 0
	for n := 2; len(rest) > 0; n++ {
		start := len(src) - len(rest)
		var l []byte
		l, rest = cutLine(rest)
		if string(bytes.TrimRight(l, " \t\r")) == "---" {
			return len(src) - len(rest), fieldPositions(src, keys, size), true
		}
		keyEnd, valStart, ok := matchKey(l)
		if !ok {
			continue
		}
		col := valStart + 1
		if len(bytes.TrimSpace(l[valStart:])) == 0 {
			col = 1
		}
		l = bytes.TrimSuffix(l, []byte("\r"))
		keys = append(keys, keyLine{start: start, end: start + len(l), keyEnd: start + keyEnd, line: n, col: col})
		size += len(l)
	}
	errs.Addf(file, src, 1, 1, "front matter is not closed: expected a line \"---\" after the YAML that this line opens")
	return 0, nil, false
}

// keyLine is a line of front matter that starts with a key: the offsets
// in the file of the line (without its line ending) and of the key's end,
// the line's number and the column Pos reports.
type keyLine struct{ start, end, keyEnd, line, col int }

// fieldPositions makes Page.Fields from the key lines scanFrontMatter
// found. The first line of a key wins. Every key and Source is a slice of
// one string holding those lines, rather than a string each: a page keeps
// its Fields for as long as the build runs.
func fieldPositions(src []byte, keys []keyLine, size int) map[string]Pos {
	var b strings.Builder
	b.Grow(size)
	for _, k := range keys {
		b.Write(src[k.start:k.end])
	}
	text := b.String()
	pos := make(map[string]Pos, len(keys))
	off := 0
	for _, k := range keys {
		s := text[off : off+k.end-k.start]
		off += len(s)
		key := s[:k.keyEnd-k.start]
		if _, seen := pos[key]; !seen {
			pos[key] = Pos{Line: k.line, Col: k.col, Source: s}
		}
	}
	return pos
}

// matchKey matches a line that starts with a top-level key, as the pattern
// ^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]* would: it returns the end of the
// key and of the match (where the value starts).
func matchKey(l []byte) (keyEnd, valStart int, ok bool) {
	if len(l) == 0 || !(isLetter(l[0]) || l[0] == '_') {
		return 0, 0, false
	}
	i := 1
	for i < len(l) && (isLetter(l[i]) || l[i] >= '0' && l[i] <= '9' || l[i] == '_' || l[i] == '-') {
		i++
	}
	keyEnd = i
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	if i == len(l) || l[i] != ':' {
		return 0, 0, false
	}
	i++
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	return keyEnd, i, true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

var (
	yamlLineRe      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unmarshalLineRe = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// yamlError maps a yaml.v2 error, whose line numbers count from the first
// line after the opening "---", to the line in the file.
func yamlError(file string, src []byte, err error) diag.Error {
	msg := err.Error()
	// YAML also breaks lines at a lone CR, which the file's line count
	// does not: keep the line inside the front matter (src is just that).
	last := bytes.Count(src, []byte("\n"))
	clamp := func(n int) int { return max(1, min(n, last)) }
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return diag.At(file, src, clamp(n+1), 0, "invalid YAML in front matter: "+m[2])
	}
	if strings.HasPrefix(msg, "yaml: unmarshal errors:") {
		// "line N: cannot unmarshal ..." entries, one per line.
		for _, l := range strings.Split(msg, "\n")[1:] {
			l = strings.TrimSpace(l)
			if m := unmarshalLineRe.FindStringSubmatch(l); m != nil {
				n, _ := strconv.Atoi(m[1])
				return diag.At(file, src, clamp(n+1), 0, "invalid front matter: "+m[2])
			}
		}
	}
	return diag.At(file, src, 1, 0, "invalid YAML in front matter: "+strings.TrimPrefix(msg, "yaml: "))
}

// knownFields lists, per kind, the front matter keys a page may have.
// A function rather than a package-level map: no package-level mutable state.
func knownFields(k Kind) []string {
	switch k {
	case KindEvent:
		return []string{"title", "date", "end", "actor", "type", "summary", "sources", "documents", "draft", "slug", "description", "params"}
	case KindActor:
		return []string{"title", "description", "slug", "params", "draft"}
	case KindDoc:
		return []string{"title", "description", "weight", "draft", "slug", "params"}
	case KindHome:
		return []string{"title", "description", "params"}
	}
	return nil
}

// decode fills page from the front matter map, reporting every problem.
func (p *Parser) decode(page *Page, fm map[string]any, src []byte, errs *diag.List) {
	d := decoder{page: page, src: src, errs: errs}

	keys := make([]string, 0, len(fm))
	for k := range fm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(knownFields(page.Kind), k) {
			msg := fmt.Sprintf("unknown front matter field %q for %s page", k, article(page.Kind.String()))
			if c := Closest(k, knownFields(page.Kind)); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			msg += " (allowed: " + strings.Join(knownFields(page.Kind), ", ") + "; put custom fields under params)"
			d.errAtKey(k, msg)
		}
	}

	page.Title = d.str(fm, "title")
	page.Description = d.str(fm, "description")
	page.Draft = d.boolean(fm, "draft")
	if v, ok := fm["params"]; ok {
		if m, ok := v.(map[any]any); ok {
			page.Params = stringKeys(m)
		} else {
			d.errAtKey("params", "params must be a map of names to values")
		}
	}
	page.Slug = strings.TrimSuffix(path.Base(page.Path), ".md")
	if page.Kind == KindHome {
		page.Slug = ""
	}
	if s, ok := fm["slug"]; ok {
		slug := d.str(fm, "slug")
		if err := ValidSlug(slug); err != nil {
			d.errAtKey("slug", err.Error())
		} else if s != nil {
			page.Slug = slug
		}
	}

	switch page.Kind {
	case KindDoc:
		d.required(fm, "title", "a title, e.g. title: \"Overview\"")
		if _, ok := fm["weight"]; ok {
			w, ok := fm["weight"].(int)
			if !ok {
				d.errAtKey("weight", fmt.Sprintf("weight must be a whole number, got %s", describe(fm["weight"])))
			}
			page.Weight = w
		}
	case KindEvent:
		p.decodeEvent(&d, fm)
	}
}

func (p *Parser) decodeEvent(d *decoder, fm map[string]any) {
	page := d.page
	d.required(fm, "title", "a title, e.g. title: \"SCO states circulate a draft code of conduct\"")
	page.Summary = d.str(fm, "summary")

	page.Date = d.date(fm, "date")
	d.required(fm, "date", "a date written "+DateForms)
	page.End = d.date(fm, "end")
	if !page.Date.IsZero() && !page.End.IsZero() && page.End.Last().Before(page.Date.Time) {
		d.errAtKey("end", fmt.Sprintf("end %s is before date %s", page.End, page.Date))
	}

	if v, ok := fm["actor"]; !ok {
		d.required(fm, "actor", "one actor name or a list, e.g. actor: [Russia, China]")
	} else {
		page.Actors = d.actors(v)
	}

	if v, ok := fm["type"]; !ok {
		d.required(fm, "type", "one of: "+strings.Join(p.opts.Types, ", "))
	} else if t, ok := v.(string); !ok || strings.TrimSpace(t) == "" {
		d.errAtKey("type", fmt.Sprintf("type must be one of: %s; got %s", strings.Join(p.opts.Types, ", "), describe(v)))
	} else if !contains(p.opts.Types, t) {
		msg := fmt.Sprintf("unknown event type %q", t)
		if c := Closest(t, p.opts.Types); c != "" {
			msg += fmt.Sprintf("; did you mean %q?", c)
		}
		msg += " (the site config allows: " + strings.Join(p.opts.Types, ", ") + ")"
		d.errAtKey("type", msg)
	} else {
		page.Type = t
	}

	if v, ok := fm["documents"]; ok {
		page.Documents = d.stringList("documents", v)
	}
	if v, ok := fm["sources"]; ok {
		page.Sources = d.sources(v)
	}
}

// decoder reads typed values out of a front matter map, reporting at the
// line of the key.
type decoder struct {
	page *Page
	src  []byte
	errs *diag.List
}

func (d *decoder) errAtKey(key, msg string) {
	pos := d.page.Fields[key]
	d.errs.Add(diag.Error{File: d.page.Path, Line: pos.Line, Col: pos.Col, Msg: msg, Source: pos.Source})
}

// required reports a missing key at the front matter's first line, or an
// empty value at the key.
func (d *decoder) required(fm map[string]any, key, what string) {
	v, ok := fm[key]
	switch {
	case !ok:
		d.errs.Addf(d.page.Path, d.src, 1, 1, "missing required field %q in front matter: expected %s", key, what)
	case v == nil || v == "":
		d.errAtKey(key, fmt.Sprintf("%s is empty: expected %s", key, what))
	}
}

func (d *decoder) str(fm map[string]any, key string) string {
	v, ok := fm[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case int, float64, bool:
		return fmt.Sprint(x)
	}
	d.errAtKey(key, fmt.Sprintf("%s must be text, got %s", key, describe(v)))
	return ""
}

func (d *decoder) boolean(fm map[string]any, key string) bool {
	v, ok := fm[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.errAtKey(key, fmt.Sprintf("%s must be true or false, got %s", key, describe(v)))
	}
	return b
}

func (d *decoder) date(fm map[string]any, key string) Date {
	v, ok := fm[key]
	if !ok {
		return Date{}
	}
	var s string
	switch x := v.(type) {
	case int:
		s = strconv.Itoa(x)
	case string:
		s = x
	default:
		d.errAtKey(key, fmt.Sprintf("%s must be a date written %s; got %s", key, DateForms, describe(v)))
		return Date{}
	}
	dt, err := ParseDate(s)
	if err != nil {
		d.errAtKey(key, key+": "+err.Error())
	}
	return dt
}

func (d *decoder) actors(v any) []string {
	var raw []any
	switch x := v.(type) {
	case string:
		raw = []any{x}
	case []any:
		raw = x
	default:
		d.errAtKey("actor", fmt.Sprintf("actor must be a name or a list of names, got %s", describe(v)))
		return nil
	}
	if len(raw) == 0 {
		d.errAtKey("actor", "actor is an empty list: expected at least one name")
	}
	var out []string
	for _, a := range raw {
		s, ok := a.(string)
		if !ok {
			d.errAtKey("actor", fmt.Sprintf("each actor must be a name (text), got %s", describe(a)))
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" || Slugify(s) == "" {
			d.errAtKey("actor", "actor name is empty: expected a name such as \"Russia\"")
			continue
		}
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) stringList(key string, v any) []string {
	var raw []any
	switch x := v.(type) {
	case string:
		raw = []any{x}
	case []any:
		raw = x
	default:
		d.errAtKey(key, fmt.Sprintf("%s must be a list of text, got %s", key, describe(v)))
		return nil
	}
	var out []string
	for _, a := range raw {
		s, ok := a.(string)
		if !ok || strings.TrimSpace(s) == "" {
			d.errAtKey(key, fmt.Sprintf("each entry of %s must be non-empty text, got %s", key, describe(a)))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func (d *decoder) sources(v any) []Source {
	list, ok := v.([]any)
	if !ok {
		d.errAtKey("sources", fmt.Sprintf("sources must be a list of entries with title and url, got %s", describe(v)))
		return nil
	}
	var out []Source
	for i, item := range list {
		m, ok := item.(map[any]any)
		if !ok {
			d.errAtKey("sources", fmt.Sprintf("source %d must be a map with title and url, got %s", i+1, describe(item)))
			continue
		}
		fields := stringKeys(m)
		var s Source
		for k := range fields {
			if !contains([]string{"title", "url", "publisher", "date"}, k) {
				d.errAtKey("sources", fmt.Sprintf("source %d has unknown field %q (allowed: title, url, publisher, date)", i+1, k))
			}
		}
		s.Title = d.str(fields, "title")
		s.URL = d.str(fields, "url")
		s.Publisher = d.str(fields, "publisher")
		if s.Title == "" {
			d.errAtKey("sources", fmt.Sprintf("source %d has no title", i+1))
		}
		if s.URL == "" {
			d.errAtKey("sources", fmt.Sprintf("source %d has no url", i+1))
		} else if !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			d.errAtKey("sources", fmt.Sprintf("source %d url %q must start with https:// or http://", i+1, s.URL))
		}
		if _, ok := fields["date"]; ok {
			s.Date = d.date(fields, "date")
		}
		out = append(out, s)
	}
	return out
}

func stringKeys(m map[any]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		// Nearly every key is text, which fmt.Sprint would only copy.
		if s, ok := k.(string); ok {
			out[s] = v
			continue
		}
		out[fmt.Sprint(k)] = v
	}
	return out
}

// describe names a YAML value's kind for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("text %q", x)
	case int, int64, uint64:
		return fmt.Sprintf("the number %v", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return "a list"
	case map[any]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// collect walks the parsed body: it records headings, turns internal link
// destinations into markers, and unwraps links with dangerous schemes.
func (p *Parser) collect(page *Page, doc ast.Node, src []byte, sc *scratch) {
	links, offs, unwrap := sc.links[:0], sc.offs[:0], sc.unwrap[:0]
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
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
			}
		case *ast.AutoLink:
			if !p.opts.UnsafeHTML && dangerousURL(n.URL(src)) {
				unwrap = append(unwrap, n)
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
