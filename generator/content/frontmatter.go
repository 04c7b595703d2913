package content

import (
	"bytes"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
)

// fmBounds are the offsets of a file's front matter: its YAML, between
// the "---" lines, is src[yamlStart:yamlEnd]; the body starts at end.
type fmBounds struct{ yamlStart, yamlEnd, end int }

// scanFrontMatter requires a front matter block that opens on the first
// line and closes, and returns where its YAML and the body are, with where
// each top-level key of it was written (top-level keys of front matter
// always start a line; the YAML tree knows too, but this is one pass over
// bytes the file is read in anyway, and its Sources share one string).
func scanFrontMatter(file string, src []byte, errs *diag.List) (fmBounds, map[string]Pos, bool) {
	if len(bytes.TrimSpace(src)) == 0 {
		errs.Add(diag.Error{File: file, Line: 1, Col: 1, Msg: "file is empty; expected front matter between --- lines, starting with a title"})
		return fmBounds{}, nil, false
	}
	first, rest := cutLine(src)
	if string(bytes.TrimSpace(first)) != "---" {
		errs.Addf(file, src, 1, 1, "no front matter: the file must start with a line \"---\", then YAML such as \"title: ...\", then another \"---\"")
		return fmBounds{}, nil, false
	}
	var found [16]keyLine
	keys := found[:0]
	size := 0
	for n := 2; len(rest) > 0; n++ {
		start := len(src) - len(rest)
		var l []byte
		l, rest = cutLine(rest)
		if string(bytes.TrimRight(l, " \t\r")) == "---" {
			b := fmBounds{yamlStart: len(first) + 1, yamlEnd: start, end: len(src) - len(rest)}
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
