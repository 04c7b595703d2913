package content

import (
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/yamltree"
)

// number is a YAML number as its author wrote it: "0123" stays "0123", so
// that a date field reads it as the year 123 (YAML 1.2 has no octal
// without "0o"), and an error can quote it as written.
type number struct {
	text  string
	n     int
	whole bool // an integer that fits in an int; n holds it
}

// String returns the number as written.
func (n number) String() string { return n.text }

// readFrontMatter reads yml, the YAML of a file's front matter (the lines
// goldmark-meta's block holds, from the file's line 2), by YAML 1.2's core
// schema (see yamltree),
// into the fields decode reads: text as string, numbers as number, true
// and false as bool, lists as []any, maps as map[any]any, params as plain
// Go data for templates. Every problem is reported at its line and column
// in the file. It fills fields with the keys scanFrontMatter could not see
// (quoted keys, a flow map). It reports false when nothing can be decoded.
func readFrontMatter(file string, src, yml []byte, fields map[string]Pos, errs *diag.List) (map[string]any, bool) {
	// The YAML starts on the file's line 2; its columns are the file's.
	tree, yerrs := yamltree.Parse(yml, 2)
	for _, e := range yerrs {
		errs.Addf(file, src, e.Line, e.Col, "invalid YAML in front matter: %s", e.Msg)
	}
	if tree == nil {
		return nil, false
	}
	switch tree.Kind {
	case yamltree.Null:
		return map[string]any{}, true
	case yamltree.Map:
	default:
		errs.Addf(file, src, tree.Line, tree.Col, "front matter must be fields such as \"title: ...\", one a line; got %s", tree.Describe())
		return nil, false
	}
	c := converter{file: file, src: src, errs: errs}
	out := make(map[string]any, len(tree.Map))
	for _, e := range tree.Map {
		k := e.Key.Text
		c.value(e.Key)
		if k == "params" {
			c.value(e.Value)
			out[k] = e.Value.Plain()
		} else {
			out[k] = c.value(e.Value)
		}
		if _, ok := fields[k]; !ok {
			line, col := e.Key.Line, e.Key.Col
			if e.Value.Kind != yamltree.Null && e.Value.Line == line {
				col = e.Value.Col
			}
			fields[k] = Pos{Line: line, Col: col, Source: diag.SourceLine(src, line)}
		}
	}
	return out, true
}

// converter turns the tree's values into decode's, refusing text that
// a quoted scalar's escapes ("\x01", "\uFFFE") made unfit for XML:
// checkControls saw only the file's bytes.
type converter struct {
	file string
	src  []byte
	errs *diag.List
}

// value converts v for decode.
func (c converter) value(v *yamltree.Value) any {
	switch v.Kind {
	case yamltree.Bool:
		return v.Bool
	case yamltree.Int:
		return number{text: v.Text, n: v.Int, whole: v.IntOK}
	case yamltree.Float:
		return number{text: v.Text}
	case yamltree.String:
		if v.Quoted {
			for i, r := range v.Text {
				if r == '\t' || r == '\n' {
					continue
				}
				if bad := controlName(r, []byte(v.Text[i+utf8.RuneLen(r):])); bad != "" {
					c.errs.Addf(c.file, c.src, v.Line, v.Col, "this text holds %s (U+%04X), written as an escape: no feed or page can carry it; remove it", bad, r)
					break
				}
			}
		}
		return v.Text
	case yamltree.List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			out[i] = c.value(e)
		}
		return out
	case yamltree.Map:
		out := make(map[any]any, len(v.Map))
		for _, e := range v.Map {
			k := c.value(e.Key)
			if e.Key.Kind == yamltree.String {
				k = e.Key.Text
			}
			out[k] = c.value(e.Value)
		}
		return out
	}
	return nil
}
