package content

import (
	"bytes"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// frontMatterBlock is goldmark-meta's block parser, which finds the front
// matter (Trigger, Open, Continue are its own), with a Close of ours that
// only records where the block's YAML is. goldmark-meta's own Close
// decodes the YAML with yaml.v2, that is by YAML 1.1 ("title: No" would be
// false): it must never run, nor its AST transformer, which is why
// meta.Meta is not registered. The YAML is decoded by readFrontMatter.
type frontMatterBlock struct {
	parser.BlockParser
	key parser.ContextKey // where Close leaves the block's lines for Parse
}

func newFrontMatterBlock() *frontMatterBlock {
	return &frontMatterBlock{BlockParser: meta.NewParser(), key: parser.NewContextKey()}
}

// Close records the block's lines in pc and takes the block out of the
// document, as goldmark-meta does when its YAML decodes: front matter is
// never rendered.
func (b *frontMatterBlock) Close(node ast.Node, _ text.Reader, pc parser.Context) {
	pc.Set(b.key, node.Lines())
	node.Parent().RemoveChild(node.Parent(), node)
}

// yaml returns the YAML of the block Close recorded in pc: the text of its
// lines, those between the "---" lines. scanFrontMatter has checked the
// file by goldmark-meta's rules, so the block is the one it found; should
// they ever disagree, that is an error at the line where goldmark-meta's
// block ended rather than YAML read from other lines than the pre-check's.
func (b *frontMatterBlock) yaml(file string, src []byte, fb fmBounds, pc parser.Context, errs *diag.List) ([]byte, bool) {
	lines, _ := pc.Get(b.key).(*text.Segments)
	if lines == nil {
		errs.Addf(file, src, 1, 1, "%s", noFrontMatter)
		return nil, false
	}
	start, end := fb.yamlStart, fb.yamlStart // an empty block
	if n := lines.Len(); n > 0 {
		start, end = lines.At(0).Start, lines.At(n-1).Stop
	}
	if start != fb.yamlStart || end != fb.yamlEnd {
		line, _ := diag.Position(src, end)
		errs.Addf(file, src, line, 1, "the front matter was found to end here, not at the \"---\" on line %d; expected its YAML as plain lines between the two \"---\" lines", fb.closeLine)
		return nil, false
	}
	return blockText(lines, src), true
}

// blockText returns the text of a block's lines. They are consecutive lines
// of the source, which is then sliced rather than copied.
func blockText(lines *text.Segments, src []byte) []byte {
	n := lines.Len()
	if n == 0 {
		return nil
	}
	contiguous := true
	for i := 0; i < n && contiguous; i++ {
		s := lines.At(i)
		contiguous = s.Padding == 0 && !s.ForceNewline && (i == 0 || s.Start == lines.At(i-1).Stop)
	}
	if contiguous {
		end := lines.At(n - 1).Stop
		return src[lines.At(0).Start:end:end]
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		s := lines.At(i)
		buf.Write(s.Value(src))
	}
	return buf.Bytes()
}

// fmBounds are the offsets of a file's front matter: its YAML, between
// the "---" lines, is src[yamlStart:yamlEnd]; the body starts at end, after
// the closing line, line closeLine.
type fmBounds struct{ yamlStart, yamlEnd, end, closeLine int }

const noFrontMatter = "no front matter: the file must start with a line \"---\", then YAML such as \"title: ...\", then another \"---\""

// scanFrontMatter checks, before goldmark reads the file, that it opens
// with a front matter block that closes, by goldmark-meta's rules:
// goldmark-meta would read a whole unclosed file as front matter, and
// checkLimits must know where the body starts. It returns where the YAML
// and the body are, with where each top-level key of the YAML was written
// (top-level keys of front matter always start a line; the YAML tree knows
// too, but this is one pass over bytes the file is read in anyway, and
// its Sources share one string).
//
// goldmark-meta opens the block at a first line of dashes alone, indented
// less than four columns, and closes it at the next line of dashes alone,
// however indented. "---" is required for both: a first line "-" or
// "----" is no front matter, and a line such as "--" or "  ---" in the
// YAML, which goldmark-meta would take for the end of the block, is an
// error at that line rather than the rest of the YAML read as body.
func scanFrontMatter(file string, src []byte, errs *diag.List) (fmBounds, map[string]Pos, bool) {
	if len(bytes.TrimSpace(src)) == 0 {
		errs.Add(diag.Error{File: file, Line: 1, Col: 1, Msg: "file is empty; expected front matter between --- lines, starting with a title"})
		return fmBounds{}, nil, false
	}
	first, rest := cutLine(src)
	if indent, _ := util.IndentWidth(first, 0); indent > 3 || string(util.TrimLeftSpace(util.TrimRightSpace(first))) != "---" {
		errs.Addf(file, src, 1, 1, "%s", noFrontMatter)
		return fmBounds{}, nil, false
	}
	var found [16]keyLine
	keys := found[:0]
	size := 0
	for n := 2; len(rest) > 0; n++ {
		start := len(src) - len(rest)
		var l []byte
		l, rest = cutLine(rest)
		if isDashes(l) {
			if string(util.TrimLeftSpace(util.TrimRightSpace(l))) != "---" || l[0] != '-' {
				errs.Addf(file, src, n, 1, "a line of dashes alone ends the front matter, even indented or inside a YAML text; expected \"---\" at the start of the line to close it: remove this line or put other text on it")
				return fmBounds{}, nil, false
			}
			b := fmBounds{yamlStart: len(first) + 1, yamlEnd: start, end: len(src) - len(rest), closeLine: n}
			return b, fieldPositions(src, keys, size), true
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
	return fmBounds{}, nil, false
}

// isDashes reports whether l is a line that goldmark-meta takes for the
// start or end of front matter: dashes alone, with space around them.
func isDashes(l []byte) bool {
	l = util.TrimLeftSpace(util.TrimRightSpace(l))
	return len(l) > 0 && len(bytes.Trim(l, "-")) == 0
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
