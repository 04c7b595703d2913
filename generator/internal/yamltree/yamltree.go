// Package yamltree reads a YAML document into a tree of values that keep
// where they were written, with the meaning YAML 1.2's core schema gives
// them. Front matter (content) and site.yaml (config) are both read here.
//
// The syntax is github.com/goccy/go-yaml's parser: it locates every node
// and every syntax error at a line and column. The plain shape almost every
// front matter has (keys, one-line values, block and flow lists) is read
// by a small reader of its own first (fast.go), which gives the same tree
// and leaves everything else to goccy-go-yaml. The meaning of a plain
// scalar is not taken from it but resolved here, by the core schema alone:
// "No", "yes", "on" are text, "0123" is the integer 123 written so,
// "0x7DF" an integer written in hex, "1_999" text. YAML 1.1's other
// readings (sexagesimal numbers, timestamps, yes/no booleans, '_' in
// numbers) never apply. A scalar keeps its text as written, so a caller can
// read "0123" as a year rather than as a number.
//
// What a hand-written file has no use for and a hostile one can abuse is
// refused with a located error: anchors and aliases (which can multiply a
// small file into a huge tree), merge keys, tags other than !!str, more
// than one document. A key given twice in one map is an error at its
// second occurrence.
package yamltree

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Kind is the kind of a Value under the core schema.
type Kind int

// The kinds of value.
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	List
	Map
)

// Value is one node of a document.
type Value struct {
	Kind Kind
	// Text is a scalar as written (a plain scalar) or the text it stands
	// for (a quoted or block scalar); "" for a list or map.
	Text   string
	Quoted bool // a quoted or block scalar, or one tagged !!str
	Bool   bool
	// Int is an Int's value; IntOK is false when it does not fit in an
	// int (Text still holds it).
	Int   int
	IntOK bool
	Float float64
	List  []*Value
	Map   []Entry // in the order written
	// Line and Col locate the value (1-based) in the text given to Parse.
	Line, Col int
}

// Entry is one key and its value in a Map.
type Entry struct {
	Key, Value *Value
}

// Error is a problem at a place in the text given to Parse.
type Error struct {
	Line, Col int
	Msg       string
}

// Parse reads src, a single YAML document, into a tree. firstLine is the
// line number of src's first line in its file (1 for a whole file, 2 for
// front matter after its "---"): every Line, and every line a message
// names, counts from it. An empty document is a Null value at firstLine.
// It returns every problem found, in document order; the tree is nil only
// when the syntax is broken.
func Parse(src []byte, firstLine int) (*Value, []Error) {
	if v, ok := parseFast(src, firstLine); ok {
		return v, nil
	}
	return parseGoccy(src, firstLine)
}

// parseGoccy is Parse by goccy-go-yaml, for what parseFast leaves to it.
func parseGoccy(src []byte, firstLine int) (*Value, []Error) {
	off := firstLine - 1
	f, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		e := syntaxError(err)
		e.Line += off
		return nil, []Error{e}
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return &Value{Kind: Null, Line: firstLine, Col: 1}, nil
	}
	r := reader{off: off}
	v := r.node(docs[0].Body, 0)
	if len(docs) > 1 {
		l, c := r.pos(docs[1].Body)
		r.fail(l, c, "a second YAML document: expected one, with no \"---\" or \"...\" line inside it")
	}
	return v, r.errs
}

// maxDepth bounds the nesting of lists and maps: no hand-written file
// comes near it, and the walk is recursive.
const maxDepth = 64

// reader is the state of one Parse: the lines to add to the parser's,
// and the problems found.
type reader struct {
	off  int
	errs []Error
}

func (r *reader) fail(line, col int, format string, args ...any) {
	r.errs = append(r.errs, Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// pos locates n in the file.
func (r *reader) pos(n ast.Node) (int, int) {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line + r.off, tk.Position.Column
	}
	return 1 + r.off, 1
}

// node converts n, reporting what it refuses; a refused node reads as Null.
func (r *reader) node(n ast.Node, depth int) *Value {
	if n == nil {
		return &Value{Kind: Null, Line: 1 + r.off, Col: 1}
	}
	line, col := r.pos(n)
	v := &Value{Line: line, Col: col}
	if depth > maxDepth {
		r.fail(line, col, "nested more than %d levels deep", maxDepth)
		return v
	}
	switch x := n.(type) {
	case *ast.MappingNode:
		r.mapping(v, x.Values, depth)
		if x.Start != nil && x.Start.Position != nil {
			v.Line, v.Col = x.Start.Position.Line+r.off, x.Start.Position.Column
		}
	case *ast.MappingValueNode:
		r.mapping(v, []*ast.MappingValueNode{x}, depth)
		v.Line, v.Col = r.pos(x.Key)
	case *ast.SequenceNode:
		v.Kind = List
		for _, e := range x.Values {
			v.List = append(v.List, r.node(e, depth+1))
		}
	case *ast.TagNode:
		return r.tagged(x, depth)
	case *ast.AnchorNode, *ast.AliasNode:
		r.fail(line, col, "anchors and aliases (& and *) are not supported: write the value out")
	case *ast.MergeKeyNode:
		r.fail(line, col, "merge keys (<<) are not supported: write the keys out")
	case *ast.LiteralNode:
		v.Kind, v.Quoted = String, true
		if x.Value != nil {
			v.Text = x.Value.Value
		}
	case *ast.CommentNode, *ast.CommentGroupNode:
		v.Kind = Null
	case ast.ScalarNode:
		r.scalar(v, x)
	default:
		r.fail(line, col, "unexpected YAML %s", n.Type())
	}
	return v
}

// scalar resolves a scalar by the core schema from its text.
func (r *reader) scalar(v *Value, n ast.ScalarNode) {
	tk := n.GetToken()
	if s, ok := n.(*ast.StringNode); ok && tk != nil && (tk.Type == token.SingleQuoteType || tk.Type == token.DoubleQuoteType) {
		v.Kind, v.Text, v.Quoted = String, s.Value, true
		return
	}
	text := ""
	switch x := n.(type) {
	case *ast.StringNode:
		text = x.Value
	case *ast.NullNode:
		if tk != nil && tk.Type != token.ImplicitNullType {
			text = tk.Value
		}
	default:
		if tk != nil {
			text = tk.Value
		}
	}
	Resolve(v, text)
}

// tagged reads a node with an explicit tag: only !!str, which makes the
// scalar text whatever it looks like, is supported.
func (r *reader) tagged(n *ast.TagNode, depth int) *Value {
	line, col := r.pos(n)
	tag := ""
	if n.Start != nil {
		tag = n.Start.Value
	}
	if tag != "!!str" && tag != "tag:yaml.org,2002:str" {
		r.fail(line, col, "the tag %s is not supported: quote the value, or leave the tag out", tag)
		return &Value{Line: line, Col: col}
	}
	v := r.node(n.Value, depth+1)
	switch v.Kind {
	case List, Map:
		r.fail(line, col, "!!str is for a single value, not a list or map")
	default:
		v.Kind, v.Quoted = String, true
		v.Line, v.Col = line, col
	}
	return v
}

// mapping reads the entries of a map, refusing a key given twice.
func (r *reader) mapping(v *Value, entries []*ast.MappingValueNode, depth int) {
	v.Kind = Map
	seen := map[string]*Value{}
	for _, e := range entries {
		if e == nil {
			continue
		}
		var k *Value
		switch key := e.Key.(type) {
		case *ast.MappingKeyNode: // "? key"
			k = r.node(key.Value, depth+1)
		default:
			k = r.node(key, depth+1)
		}
		if k.Kind == List || k.Kind == Map {
			r.fail(k.Line, k.Col, "a key must be a single value, not a list or map")
			continue
		}
		val := r.node(e.Value, depth+1)
		if first, dup := seen[k.Text]; dup {
			r.fail(k.Line, k.Col, "key %q is given twice in this map (first on line %d): remove one", k.Text, first.Line)
			continue
		}
		seen[k.Text] = k
		v.Map = append(v.Map, Entry{Key: k, Value: val})
	}
}

var (
	intRe   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	octRe   = regexp.MustCompile(`^0o[0-7]+$`)
	hexRe   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	floatRe = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	infRe   = regexp.MustCompile(`^[-+]?\.(inf|Inf|INF)$`)
	nanRe   = regexp.MustCompile(`^\.(nan|NaN|NAN)$`)
)

// Resolve sets v's kind and value from a plain scalar's text by YAML
// 1.2's core schema (section 10.3.2).
func Resolve(v *Value, text string) {
	v.Text = text
	switch text {
	case "", "~", "null", "Null", "NULL":
		v.Kind = Null
		return
	case "true", "True", "TRUE":
		v.Kind, v.Bool = Bool, true
		return
	case "false", "False", "FALSE":
		v.Kind, v.Bool = Bool, false
		return
	}
	if c := text[0]; c != '-' && c != '+' && c != '.' && (c < '0' || c > '9') {
		// Every number starts so: the patterns below need not run on
		// the titles and names that most scalars are.
		v.Kind = String
		return
	}
	switch {
	case intRe.MatchString(text):
		v.Kind = Int
		v.setInt(strconv.ParseInt(text, 10, 64))
	case octRe.MatchString(text):
		v.Kind = Int
		v.setInt(strconv.ParseInt(text[2:], 8, 64))
	case hexRe.MatchString(text):
		v.Kind = Int
		v.setInt(strconv.ParseInt(text[2:], 16, 64))
	case floatRe.MatchString(text):
		v.Kind = Float
		v.Float, _ = strconv.ParseFloat(text, 64)
	case infRe.MatchString(text):
		v.Kind, v.Float = Float, math.Inf(1)
		if text[0] == '-' {
			v.Float = math.Inf(-1)
		}
	case nanRe.MatchString(text):
		v.Kind, v.Float = Float, math.NaN()
	default:
		v.Kind = String
	}
}

func (v *Value) setInt(n int64, err error) {
	if err == nil && n >= math.MinInt && n <= math.MaxInt {
		v.Int, v.IntOK = int(n), true
	}
}

// syntaxError locates a parse error of goccy/go-yaml.
func syntaxError(err error) Error {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return Error{Line: max(1, se.Token.Position.Line), Col: max(1, se.Token.Position.Column), Msg: se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return Error{Line: 1, Col: 1, Msg: msg}
}

// Get returns the value of key in a Map, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	for _, e := range v.Map {
		if e.Key.Text == key {
			return e.Value
		}
	}
	return nil
}

// Describe names a value for an error message: `the number 5`, `a list`.
func (v *Value) Describe() string {
	if v == nil {
		return "nothing"
	}
	switch v.Kind {
	case Null:
		return "nothing"
	case Bool:
		return v.Text + " (a true/false value)"
	case Int, Float:
		return "the number " + v.Text
	case String:
		return fmt.Sprintf("text %q", v.Text)
	case List:
		return "a list"
	}
	return "a map"
}

// Plain returns the value as plain Go data, for templates: nil, bool, int
// (float64 when it does not fit), float64, string, []any, map[string]any.
func (v *Value) Plain() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Int:
		if v.IntOK {
			return v.Int
		}
		f, _ := strconv.ParseFloat(strings.TrimPrefix(v.Text, "+"), 64)
		return f
	case Float:
		return v.Float
	case String:
		return v.Text
	case List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			out[i] = e.Plain()
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Map))
		for _, e := range v.Map {
			out[e.Key.Text] = e.Value.Plain()
		}
		return out
	}
	return nil
}
