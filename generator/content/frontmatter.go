package content

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v2"
)

// frontMatterParser is goldmark-meta's block parser with a Close that reads
// the YAML once. goldmark-meta's own Close unmarshals the block twice, into
// a map and into a yaml.MapSlice (for its table option, which Parse does not
// use); that second reading was a third of the time spent parsing a page.
// Finding the block (Trigger, Open, Continue) stays goldmark-meta's, so the
// same lines become front matter as before.
type frontMatterParser struct {
	parser.BlockParser
	key parser.ContextKey // where Close leaves its frontMatter for Parse
}

// frontMatter is what frontMatterParser.Close read, as goldmark-meta would
// have stored it: the map, or the error it would have reported.
type frontMatter struct {
	fields map[string]any
	err    error
}

func newFrontMatterParser() *frontMatterParser {
	return &frontMatterParser{BlockParser: meta.NewParser(), key: parser.NewContextKey()}
}

// Close decodes the block's YAML and, as goldmark-meta does, takes the block
// out of the document when it decodes.
func (b *frontMatterParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	yml := blockText(node.Lines(), reader.Source())
	fm := &frontMatter{}
	fields := map[string]any{}
	if err := yaml.Unmarshal(yml, &fields); err != nil {
		// goldmark-meta reports the error of its second reading, into a
		// yaml.MapSlice, when that one fails too; the message differs
		// (e.g. "into yaml.MapSlice" for a list), so read it that way
		// here too. Only a file that does not parse pays for this.
		var items yaml.MapSlice
		if err2 := yaml.Unmarshal(yml, &items); err2 != nil {
			err = err2
		}
		fm.err = err
	} else {
		fm.fields = fields
	}
	pc.Set(b.key, fm)
	if fm.err == nil {
		node.Parent().RemoveChild(node.Parent(), node)
	}
}

// get returns the front matter Close read for pc's document: nil, nil when
// there was no front matter block.
func (b *frontMatterParser) get(pc parser.Context) (map[string]any, error) {
	v, _ := pc.Get(b.key).(*frontMatter)
	if v == nil {
		return nil, nil
	}
	return v.fields, v.err
}

// blockText returns the text of a block's lines. They are consecutive lines
// of the source, which is then sliced rather than copied.
func blockText(lines *text.Segments, src []byte) []byte {
	n := lines.Len()
	if n == 0 {
		return nil
	}
	contiguous := true
	for i := 0; i < n; i++ {
		s := lines.At(i)
		if s.Padding != 0 || s.ForceNewline || i > 0 && s.Start != lines.At(i-1).Stop {
			contiguous = false
			break
		}
	}
	if contiguous {
		return src[lines.At(0).Start:lines.At(n-1).Stop:lines.At(n-1).Stop]
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		s := lines.At(i)
		buf.Write(s.Value(src))
	}
	return buf.Bytes()
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
