package yamltree

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// parseFast reads the plain shape nearly every front matter has, without
// goccy-go-yaml: block maps whose keys are plain words, block sequences,
// and one-line values (plain scalars, quoted scalars without escapes, flow
// sequences of plain words). At 10,000 events goccy-go-yaml's tokens and
// nodes were an eighth of a build's CPU and a quarter of its allocations,
// for files it takes a few microseconds to read here.
//
// It gives the very tree Parse would give through goccy-go-yaml, with the
// same lines and columns (columns count characters, as goccy-go-yaml's
// do), and ok false for anything outside that shape, which Parse then
// hands to goccy-go-yaml: a comment, a tab, a blank line holding spaces,
// an escape, a block or multi-line scalar, a flow map, an anchor, a tag,
// an empty value, a key given twice, a document marker, and every error.
// TestFastMatchesGoccy and FuzzFastMatchesGoccy hold the two to the same
// answers.
func parseFast(src []byte, firstLine int) (*Value, bool) {
	if !fastBytesOK(src) {
		return nil, false
	}
	f := fastParser{off: firstLine - 1, text: string(src)}
	for at := 0; len(src) > 0; {
		line := src
		src = nil
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, src = line[:i], line[i+1:]
		}
		start := at
		at += len(line) + 1
		if len(line) == 0 {
			f.lines = append(f.lines, fastLine{blank: true})
			continue
		}
		ind := 0
		for ind < len(line) && line[ind] == ' ' {
			ind++
		}
		if ind == len(line) || line[ind] == '#' {
			return nil, false // spaces alone, or a comment
		}
		f.lines = append(f.lines, fastLine{text: line, start: start, indent: ind})
	}
	li := f.skipBlank(0)
	if li == len(f.lines) || f.lines[li].indent != 0 {
		return nil, false
	}
	v, li, ok := f.block(li, 0, 0)
	if !ok || v.Kind != Map || f.skipBlank(li) != len(f.lines) {
		return nil, false
	}
	return v, true
}

// fastBytesOK reports whether src holds nothing parseFast leaves to
// goccy-go-yaml wherever it is: control characters (a tab, a carriage
// return), a backslash (an escape), a byte order mark, and the Unicode
// line breaks some YAML readers count as lines.
func fastBytesOK(src []byte) bool {
	for _, c := range src {
		if c < 0x20 && c != '\n' || c == 0x7f || c == '\\' {
			return false
		}
	}
	return utf8.Valid(src) && !bytes.Contains(src, []byte("\u0085")) && !bytes.Contains(src, []byte("\u2028")) &&
		!bytes.Contains(src, []byte("\u2029")) && !bytes.Contains(src, []byte("\ufeff"))
}

// fastLine is one line of the document, without its line break.
type fastLine struct {
	text   []byte
	start  int // the offset of text in the document
	indent int // leading spaces
	blank  bool
}

type fastParser struct {
	lines []fastLine
	off   int // added to line numbers
	// text is the document as one string, which every scalar's Text
	// slices (see str).
	text string
}

// str returns bytes from to to of line li as a string: a slice of the
// document's one string, not a string of its own. A page keeps most of
// its front matter's scalars for the whole build; at 100,000 events they
// were a million small strings for the garbage collector to mark, where
// a string per file is a tenth of that.
func (f *fastParser) str(li, from, to int) string {
	at := f.lines[li].start
	return f.text[at+from : at+to]
}

// maxFastDepth is how deep parseFast goes before it leaves the document
// to goccy-go-yaml (and its maxDepth error).
const maxFastDepth = 16

func (f *fastParser) skipBlank(li int) int {
	for li < len(f.lines) && f.lines[li].blank {
		li++
	}
	return li
}

// col returns the 1-based column, in characters, of byte at in line li.
func (f *fastParser) col(li, at int) int {
	return utf8.RuneCount(f.lines[li].text[:at]) + 1
}

// block reads the map or sequence that starts at byte at of line li, whose
// items are all at that column, and returns it with the line after it.
func (f *fastParser) block(li, at, depth int) (*Value, int, bool) {
	if depth > maxFastDepth {
		return nil, 0, false
	}
	text := f.lines[li].text
	if text[at] == '-' {
		return f.sequence(li, at, depth)
	}
	if _, colon := fastKey(text, at); colon < 0 {
		return nil, 0, false
	}
	return f.mapping(li, at, depth)
}

// fastKey returns the end of the plain key at byte at of text and the
// index of the colon after it, or -1 when there is no such key: a word of
// letters, digits, '_' and inner '-', then ':' at the end of the line or
// before a space.
func fastKey(text []byte, at int) (end, colon int) {
	i := at
	for i < len(text) && (isWordByte(text[i]) || text[i] == '-' && i > at) {
		i++
	}
	if i == at || text[i-1] == '-' || i == len(text) || text[i] != ':' || i+1 < len(text) && text[i+1] != ' ' {
		return 0, -1
	}
	return i, i
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// mapping reads a block map whose first key is at byte at of line li and
// whose other keys start lines indented by at.
func (f *fastParser) mapping(li, at, depth int) (*Value, int, bool) {
	v := &Value{Kind: Map}
	for first := true; ; first = false {
		text := f.lines[li].text
		end, colon := fastKey(text, at)
		if colon < 0 {
			return nil, 0, false
		}
		k := &Value{Line: li + 1 + f.off, Col: f.col(li, at)}
		Resolve(k, f.str(li, at, end))
		if k.Kind != String || v.Get(k.Text) != nil {
			return nil, 0, false // a key such as "true" or "1", or one given twice
		}
		if first {
			v.Line, v.Col = k.Line, f.col(li, colon)
		}
		var val *Value
		var ok bool
		if colon+1 == len(text) {
			val, li, ok = f.nested(li+1, at, depth)
		} else {
			val, ok = f.inline(li, colon)
			li++
		}
		if !ok {
			return nil, 0, false
		}
		v.Map = append(v.Map, Entry{Key: k, Value: val})
		li = f.skipBlank(li)
		if li == len(f.lines) || f.lines[li].indent < at {
			return v, li, true
		}
		if f.lines[li].indent > at {
			return nil, 0, false
		}
	}
}

// nested reads the value of a key at column at that ends its line: a map
// indented further, or a sequence indented further or as far.
func (f *fastParser) nested(li, at, depth int) (*Value, int, bool) {
	li = f.skipBlank(li)
	if li == len(f.lines) {
		return nil, 0, false // an empty value: null, left to goccy-go-yaml
	}
	l := f.lines[li]
	if l.indent > at || l.indent == at && l.text[at] == '-' {
		return f.block(li, l.indent, depth+1)
	}
	return nil, 0, false
}

// sequence reads a block sequence whose items start with "- " at byte at
// of line li and of the lines after it.
func (f *fastParser) sequence(li, at, depth int) (*Value, int, bool) {
	v := &Value{Kind: List, Line: li + 1 + f.off, Col: f.col(li, at)}
	for {
		text := f.lines[li].text
		if len(text) < at+3 || text[at] != '-' || text[at+1] != ' ' {
			return nil, 0, false
		}
		c := at + 2
		for c < len(text) && text[c] == ' ' {
			c++
		}
		var item *Value
		var ok bool
		if _, colon := fastKey(text, c); colon >= 0 {
			item, li, ok = f.mapping(li, c, depth+1)
		} else {
			item, ok = f.inline(li, at)
			li++
		}
		if !ok {
			return nil, 0, false
		}
		v.List = append(v.List, item)
		li = f.skipBlank(li)
		if li == len(f.lines) || f.lines[li].indent < at {
			return v, li, true
		}
		if l := f.lines[li]; l.indent > at || l.text[at] != '-' {
			if l.indent == at {
				return v, li, true // the next key of the map around
			}
			return nil, 0, false
		}
	}
}

// inline reads the one-line value after byte at of line li (a ':' or the
// '-' of a sequence item, then spaces), which ends the line.
func (f *fastParser) inline(li, at int) (*Value, bool) {
	text := f.lines[li].text
	i := at + 1
	if i == len(text) || text[i] != ' ' {
		return nil, false
	}
	for i < len(text) && text[i] == ' ' {
		i++
	}
	if i == len(text) {
		return nil, false // trailing spaces
	}
	rest := text[i:]
	v := &Value{Line: li + 1 + f.off, Col: f.col(li, i)}
	switch c := rest[0]; c {
	case '"', '\'':
		j := bytes.IndexByte(rest[1:], c)
		if j < 0 || j+2 != len(rest) {
			return nil, false // more after the closing quote, or none
		}
		v.Kind, v.Text, v.Quoted = String, f.str(li, i+1, i+j+1), true
		return v, true
	case '[':
		return f.flow(v, li, i)
	}
	if !plainOK(rest, false) {
		return nil, false
	}
	Resolve(v, f.str(li, i, len(text)))
	return v, true
}

// flow reads the flow sequence of plain words at byte at of line li, the
// last thing on it, into v.
func (f *fastParser) flow(v *Value, li, at int) (*Value, bool) {
	text := f.lines[li].text
	if text[len(text)-1] != ']' {
		return nil, false
	}
	v.Kind = List
	inner := text[at+1 : len(text)-1]
	if len(bytes.TrimLeft(inner, " ")) == 0 {
		return v, len(inner) == 0
	}
	start := at + 1
	for _, item := range bytes.Split(inner, []byte(",")) {
		lead := len(item) - len(bytes.TrimLeft(item, " "))
		word := bytes.TrimRight(item[lead:], " ")
		if !plainOK(word, true) {
			return nil, false
		}
		e := &Value{Line: li + 1 + f.off, Col: f.col(li, start+lead)}
		Resolve(e, f.str(li, start+lead, start+lead+len(word)))
		v.List = append(v.List, e)
		start += len(item) + 1
	}
	return v, true
}

// plainOK reports whether s is a plain scalar that parseFast reads as
// goccy-go-yaml does: it starts with a letter, a digit or a character
// past ASCII, or with one of "+(/$" followed by one, and holds no
// character that could start a comment, a flow collection, a quoted
// scalar or a mapping; in a flow sequence (inFlow) no space either
// at its ends.
func plainOK(s []byte, inFlow bool) bool {
	if len(s) == 0 || s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	start := s[0]
	if start == '+' || start == '(' || start == '/' || start == '$' {
		if len(s) < 2 {
			return false
		}
		start = s[1]
	}
	if !isWordByte(start) && start < 0x80 || start == '_' {
		return false
	}
	for i, c := range s {
		if c >= 0x80 {
			r, _ := utf8.DecodeRune(s[i:])
			if r != utf8.RuneError && (unicode.IsSpace(r) || (i == 0 || i == 1 && s[0] < 0x80) && !unicode.IsLetter(r) && !unicode.IsDigit(r)) {
				return false // a space past ASCII, or a symbol first
			}
			continue
		}
		switch c {
		case '#', '[', ']', '{', '}', '"', '\'', '`', '|', '>', '&', '*', '!', '%', '@':
			return false
		case ':':
			if i+1 < len(s) && s[i+1] == ' ' || inFlow {
				return false
			}
		case ',':
			if inFlow {
				return false
			}
		}
	}
	return true
}
