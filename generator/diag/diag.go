// Package diag holds build problems as located data.
//
// Every problem a build finds — a bad date, a missing template field, a broken
// link — becomes an Error with the file (relative to the project root, with
// forward slashes), the 1-based line and column where known, and the text of
// the offending source line. A build collects all of them into a List instead
// of stopping at the first, so an author sees every mistake in one run.
package diag

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is one located problem. Line and Col are 1-based; zero means unknown.
type Error struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
	Msg    string `json:"message"`
	Source string `json:"source,omitempty"` // the text of line Line, without its newline
}

// Error formats the problem as "file:line:col: msg", leaving out unknown parts.
func (e Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if e.File != "" {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Detail formats the problem with its source line and a caret under the
// column, the way compilers print errors in a terminal.
func (e Error) Detail() string {
	s := e.Error()
	if e.Source == "" {
		return s
	}
	src := strings.ReplaceAll(e.Source, "\t", " ")
	s += "\n    " + src
	if e.Col > 0 && e.Col <= len(src)+1 {
		s += "\n    " + strings.Repeat(" ", e.Col-1) + "^"
	}
	return s
}

// List is every problem a build found. The zero value is empty and ready to use.
type List []Error

// Add appends a problem.
func (l *List) Add(e Error) { *l = append(*l, e) }

// AddAll appends every problem of another list.
func (l *List) AddAll(o List) { *l = append(*l, o...) }

// Addf appends a problem at file:line:col with a formatted message. src is
// the whole file's text; the offending line is copied from it when line > 0.
func (l *List) Addf(file string, src []byte, line, col int, format string, args ...any) {
	*l = append(*l, At(file, src, line, col, fmt.Sprintf(format, args...)))
}

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error joins the problems, one per line, in a stable order.
func (l List) Error() string {
	c := append(List(nil), l...)
	c.Sort()
	lines := make([]string, len(c))
	for i, e := range c {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the problems by file, line, column and message, and drops exact
// duplicates, so that output does not depend on the order work finished in.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e == s[i-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// At builds an Error, copying line `line` of src as its source text.
func At(file string, src []byte, line, col int, msg string) Error {
	return Error{File: file, Line: line, Col: col, Msg: msg, Source: SourceLine(src, line)}
}

// SourceLine returns line n (1-based) of src without its line ending, or ""
// when there is no such line.
func SourceLine(src []byte, n int) string {
	if n <= 0 {
		return ""
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r")
}

// Position converts a byte offset in src into a 1-based line and column. The
// column counts bytes, as Go's own tools do.
func Position(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	line = 1
	start := 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, offset - start + 1
}

// FirstInvalidUTF8 returns the offset of the first byte of b that is not
// part of valid UTF-8, or len(b): where to point an "invalid UTF-8" error
// (with Position), for content files and site.yaml alike.
func FirstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
