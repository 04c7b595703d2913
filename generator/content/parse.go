package content

import (
	"bytes"
	"fmt"
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
	// Tracks is the vocabulary of tracks; when it is not empty, every
	// event's `track` must be one.
	Tracks []string
	// Roles is the vocabulary of actor roles ("Russia: sponsor").
	Roles []string
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
	fm   *frontMatterBlock
	// scratch holds *scratch values: buffers that every Parse needs and
	// none keeps, reused rather than made and collected for each file.
	scratch sync.Pool
	// markers is smallMarkers as bytes, shared by the link nodes of every
	// document while they are rendered; nothing writes to it.
	markers []byte
}

// NewParser returns a Parser with the project's Markdown dialect: CommonMark
// with GFM, footnotes, definition lists, typographic quotes, heading IDs and
// front matter. goldmark-meta's block parser finds the front matter
// (frontMatterBlock); its YAML is decoded by readFrontMatter, never by
// goldmark-meta.
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
	// goldmark-meta's block parser is added as its meta.Meta extension
	// adds it (first, priority 0), but with frontMatterBlock's Close and
	// without meta.Meta's AST transformer: both would decode the YAML by
	// yaml.v2 (YAML 1.1).
	fm := newFrontMatterBlock()
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
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := diag.Position(src, i)
		errs.Add(diag.Error{File: filePath, Line: line, Col: col, Msg: "file holds NUL bytes: it looks binary, not Markdown"})
		return nil, errs
	}
	if !utf8.Valid(src) {
		off := diag.FirstInvalidUTF8(src)
		line, col := diag.Position(src, off)
		errs.Addf(filePath, src, line, col, "invalid UTF-8 at byte %d; content files must be UTF-8 text", off)
		return nil, errs
	}
	src = blankBOM(src)

	bounds, fields, ok := scanFrontMatter(filePath, src, &errs)
	if !ok || !checkLimits(filePath, src, bounds.end, &errs) {
		return nil, errs
	}
	// A character checkControls refuses makes the file unfit whatever its
	// fields say, and a lone CR would be a line break to YAML but not to
	// the file's line count: refuse before reading the YAML.
	if !checkControls(filePath, src, &errs) {
		return nil, errs
	}

	// goldmark reads the whole file, so that every position it gives is
	// the file's; goldmark-meta's block takes the front matter out of the
	// document and leaves where its YAML is in pc.
	pc := parser.NewContext()
	doc := p.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	yml, ok := p.fm.yaml(filePath, src, bounds, pc, &errs)
	if !ok {
		return nil, errs
	}
	fm, ok := readFrontMatter(filePath, src, yml, fields, &errs)
	if !ok {
		return nil, errs
	}

	fmEnd := bounds.end
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
