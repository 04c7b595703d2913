package content

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
)

// Limits on the Markdown shapes that make goldmark's work grow faster than
// the file: it is quadratic in the nesting of block quotes and lists
// opened on one line (a line of 1 MB of ">" did not finish in minutes), in
// the link destinations opened in one run of text without a space (each
// "](" scans the rest of the run for its ")"), worse than quadratic in the
// delimiters of one paragraph, and in the link reference definitions of
// one (each removal moves the lines after it), and it pads every table
// row to the header's width (a wide header over many short rows makes
// cells without end). checkLimits refuses such a file, naming the limit,
// before goldmark sees it; every file within them parses in time linear
// in its size (TestHostileMarkdownIsLinear). No real page comes near them.
const (
	// MaxNesting is the deepest nesting of block quotes and list items
	// one line may open.
	MaxNesting = 32
	// MaxLinksPerWord is the most link destinations ("](") one run of
	// text without white space may open.
	MaxLinksPerWord = 32
	// MaxMarksPerBlock is the most emphasis, link and code marks one run
	// of lines without a blank line between may hold: goldmark matches
	// the delimiters of a paragraph in time that grows with their cube
	// when "*" and "_" alternate.
	MaxMarksPerBlock = 4096
	// tableCellSlack is how many table cells a file may hold beyond one
	// per byte of it: a table whose rows give their cells holds fewer
	// cells than bytes, so only padding reaches past this.
	tableCellSlack = 10000
)

// checkLimits reports, at its line, the first place in the body of src
// (from byte start) that passes one of the limits above. It reads each
// byte a bounded number of times.
func checkLimits(filePath string, src []byte, start int, errs *diag.List) bool {
	var found diag.List
	lim := limitScan{file: filePath, src: src, errs: &found, maxCells: len(src) + tableCellSlack}
	for off := start; off < len(src) && len(found) == 0; {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		lim.line(off, src[off:end])
		off = end + 1
	}
	*errs = append(*errs, found...)
	return len(found) == 0
}

// limitScan is the state of checkLimits between lines.
type limitScan struct {
	file     string
	src      []byte
	errs     *diag.List
	fence    []byte // the open code fence ("```", "~~~~"), nil outside one
	table    int    // the columns of the table being read, 0 outside one
	cells    int    // table cells so far, padding included
	maxCells int
	marks    int // marks in the current run of lines
}

// fail reports the limit passed at byte off of src.
func (l *limitScan) fail(off int, format string, args ...any) {
	line, col := diag.Position(l.src, off)
	e := diag.At(l.file, l.src, line, col, fmt.Sprintf(format, args...))
	e.Source = clipSource(e.Source, col)
	l.errs.Add(e)
}

// maxSource is the longest source line a limit's error shows whole: the
// lines that pass a limit are often megabytes long, and the error goes to
// the terminal and, in serve, to every open page.
const maxSource = 160

// clipSource cuts a long source line a little after col (or at
// maxSource/2 when col is further, and then no caret shows).
func clipSource(src string, col int) string {
	if len(src) <= maxSource {
		return src
	}
	end := maxSource / 2
	if col < maxSource {
		end = min(len(src), col+maxSource/4)
	}
	return strings.ToValidUTF8(src[:end], "") + " …"
}

// line checks one line, which starts at byte off of src.
func (l *limitScan) line(off int, ln []byte) {
	if l.inFence(ln) {
		return
	}
	body, depth, at := containers(ln)
	if depth > MaxNesting {
		l.fail(off+at, "block quotes and lists nested %d deep on one line; the limit is %d (MaxNesting)", depth, MaxNesting)
		return
	}
	l.tableRow(off, body)
	l.linksPerWord(off+len(ln)-len(body), body)
	if startsItem(ln) {
		l.marks = 0 // the item's text is a paragraph of its own
	}
	l.marksPerBlock(off+len(ln)-len(body), body)
}

// startsItem reports whether ln surely opens a list item, which ends the
// paragraph before it (a long list of links with no blank line between
// its items is many paragraphs): a bullet, or "1." or "1)", indented
// less than four spaces and followed by text. Any other number, an empty
// item or a deeper indent may continue the paragraph instead, and is
// counted with it.
func startsItem(ln []byte) bool {
	i := 0
	for i < len(ln) && i < 4 && ln[i] == ' ' {
		i++
	}
	if i > 3 {
		return false
	}
	rest, n := ln[i:], 0
	switch {
	case len(rest) > 0 && (rest[0] == '-' || rest[0] == '+' || rest[0] == '*'):
		n = 1
	case bytes.HasPrefix(rest, []byte("1.")) || bytes.HasPrefix(rest, []byte("1)")):
		n = 2
	default:
		return false
	}
	return len(rest) > n && (rest[n] == ' ' || rest[n] == '\t') && len(bytes.TrimSpace(rest[n:])) > 0
}

// marksPerBlock counts the marks of ln, the rest of a line after its
// block quote and list markers, into the current run of lines; a blank
// line ends the run.
func (l *limitScan) marksPerBlock(off int, ln []byte) {
	if len(bytes.TrimSpace(ln)) == 0 {
		l.marks = 0
		return
	}
	for i, c := range ln {
		switch c {
		case '*', '_', '~', '[', ']', '`', '<', '"', '\'':
			if l.marks++; l.marks > MaxMarksPerBlock {
				l.fail(off+i, "more than %d marks of emphasis, links and code (* _ ~ [ ] ` < \" ') in one paragraph; the limit is %d (MaxMarksPerBlock): split it with blank lines", MaxMarksPerBlock, MaxMarksPerBlock)
				return
			}
		}
	}
}

// inFence reports whether ln is part of a fenced code block (its fences
// included), whose text goldmark does not parse as Markdown.
func (l *limitScan) inFence(ln []byte) bool {
	t := trimIndent(ln)
	if l.fence != nil {
		if bytes.HasPrefix(t, l.fence) && len(bytes.Trim(t, string(l.fence[:1])+" \t\r")) == 0 {
			l.fence = nil
		}
		return true
	}
	for _, c := range []byte("`~") {
		n := 0
		for n < len(t) && t[n] == c {
			n++
		}
		if n >= 3 {
			l.fence = t[:n]
			return true
		}
	}
	return false
}

// trimIndent drops up to three leading spaces, the indent a block may
// have without becoming indented code.
func trimIndent(ln []byte) []byte {
	for i := 0; i < 3 && len(ln) > 0 && ln[0] == ' '; i++ {
		ln = ln[1:]
	}
	return ln
}

// containers counts the block quote and list markers that open ln, and
// returns the rest of the line, the count and the offset of the marker
// that passed MaxNesting. It counts generously: "- - -" is a thematic
// break, not three lists, but no real line has 32 of them.
func containers(ln []byte) (rest []byte, depth, at int) {
	i := 0
	for {
		for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') {
			i++
		}
		n := markerLen(ln[i:])
		if n == 0 {
			return ln[i:], depth, at
		}
		depth++
		if depth == MaxNesting+1 {
			at = i
		}
		i += n
	}
}

// markerLen returns the length of the block quote or list marker at the
// start of b, or 0.
func markerLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	spaceAfter := func(n int) int {
		if n == len(b) || b[n] == ' ' || b[n] == '\t' {
			return n
		}
		return 0
	}
	switch c := b[0]; {
	case c == '>':
		return 1
	case c == '-' || c == '+' || c == '*':
		return spaceAfter(1)
	case c >= '0' && c <= '9':
		n := 1
		for n < len(b) && n < 10 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n < len(b) && (b[n] == '.' || b[n] == ')') {
			return spaceAfter(n + 1)
		}
	}
	return 0
}

// linksPerWord checks that no run of ln without white space (as goldmark
// counts it) opens more than MaxLinksPerWord link destinations.
func (l *limitScan) linksPerWord(off int, ln []byte) {
	n := 0
	for i := 0; i+1 < len(ln); i++ {
		switch ln[i] {
		case ' ', '\t', '\v', '\f', '\r':
			n = 0
		case ']':
			if ln[i+1] != '(' {
				continue
			}
			if n++; n > MaxLinksPerWord {
				l.fail(off+i, "more than %d link destinations \"](\" in one run of text without a space; the limit is %d (MaxLinksPerWord)", MaxLinksPerWord, MaxLinksPerWord)
				return
			}
		}
	}
}

// tableRow counts the cells a GFM table makes of ln, the rest of a line
// after its block quote and list markers: a delimiter row ("|---|:-:|")
// starts a table of as many columns, and every line up to a blank one is
// a row of it, padded to that many cells.
func (l *limitScan) tableRow(off int, ln []byte) {
	if len(bytes.TrimSpace(ln)) == 0 {
		l.table = 0
		return
	}
	if cols := delimiterRow(ln); cols > 0 {
		l.table = cols
		l.cells += 2 * cols // the header and the delimiter row
	} else {
		l.cells += l.table
	}
	if l.cells > l.maxCells {
		l.fail(off, "the tables of this file would make more than %d cells, padding short rows to their header's %d columns; give each row its cells, or split the table", l.maxCells, l.table)
	}
}

// delimiterRow returns the columns of ln if it can be a table's delimiter
// row (cells of '-' and ':' between '|'), else 0.
func delimiterRow(ln []byte) int {
	t := bytes.TrimSpace(ln)
	if bytes.IndexByte(t, '|') < 0 || bytes.IndexByte(t, '-') < 0 {
		return 0
	}
	for _, c := range t {
		if c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t' {
			return 0
		}
	}
	t = bytes.TrimPrefix(bytes.TrimSuffix(t, []byte("|")), []byte("|"))
	return bytes.Count(t, []byte("|")) + 1
}
