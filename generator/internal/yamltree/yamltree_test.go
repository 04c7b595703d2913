package yamltree

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestResolveCoreSchema: plain scalars mean what YAML 1.2's core schema
// says (section 10.3.2), and nothing of YAML 1.1's.
func TestResolveCoreSchema(t *testing.T) {
	for _, tt := range []struct {
		text string
		kind Kind
		int  int
	}{
		{"", Null, 0}, {"~", Null, 0}, {"null", Null, 0}, {"NULL", Null, 0},
		{"true", Bool, 0}, {"False", Bool, 0},
		{"0123", Int, 123}, {"-7", Int, -7}, {"+7", Int, 7}, {"0o17", Int, 15}, {"0x7DF", Int, 2015},
		{"1.5", Float, 0}, {"1e3", Float, 0}, {".5", Float, 0}, {"-.inf", Float, 0}, {".NaN", Float, 0},
		{"No", String, 0}, {"yes", String, 0}, {"on", String, 0}, {"y", String, 0}, {"OFF", String, 0},
		{"1_999", String, 0}, {"0b101", String, 0}, {"12:30", String, 0}, {"2019-12-27", String, 0},
		{"0x", String, 0}, {"0o8", String, 0}, {"nULL", String, 0}, {"tRUE", String, 0}, {".inF", String, 0},
	} {
		var v Value
		Resolve(&v, tt.text)
		if v.Kind != tt.kind || v.Kind == Int && (!v.IntOK || v.Int != tt.int) || v.Text != tt.text {
			t.Errorf("Resolve(%q) = kind %d int %d (ok %v) text %q; want kind %d int %d", tt.text, v.Kind, v.Int, v.IntOK, v.Text, tt.kind, tt.int)
		}
	}
	var v Value
	Resolve(&v, "99999999999999999999")
	if v.Kind != Int || v.IntOK {
		t.Errorf("an integer past int64 is kind %d ok %v; want Int, not ok", v.Kind, v.IntOK)
	}
	Resolve(&v, "-.inf")
	if !math.IsInf(v.Float, -1) {
		t.Errorf("-.inf is %v", v.Float)
	}
}

// TestParseLocates: values, syntax errors and refusals are located in
// the file, counting lines from firstLine; a quoted scalar is text
// whatever it looks like.
func TestParseLocates(t *testing.T) {
	v, errs := Parse([]byte("a: 'No'\nb:\n  - x\n  - 5\nc: \"0123\"\n"), 2)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if b := v.Get("b"); b == nil || b.Kind != List || b.List[1].Line != 5 || b.List[1].Col != 5 || b.List[1].Kind != Int {
		t.Errorf("b is %+v", b)
	}
	if c := v.Get("c"); c.Kind != String || c.Text != "0123" || !c.Quoted {
		t.Errorf("c is %+v", c)
	}
	for _, tt := range []struct{ src, want string }{
		{"a: 1\nb: 2\na: 3\n", "4:1 key \"a\" is given twice in this map (first on line 2)"},
		{"a: [1,\n", "2:4 "},
		{"a: &x 1\n", "2:4 anchors and aliases"},
		{"a: !!int 1\n", "2:4 the tag !!int is not supported"},
		{"a:\n  <<: {b: 1}\n", "3:3 merge keys"},
		{"? [a]\n: b\n", "3:1 found an invalid key for this map"},
		{"a: {[b]: c}\n", "2:8 found an invalid key for this map"},
		{strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested more than 64 levels"},
	} {
		_, errs := Parse([]byte(tt.src), 2)
		var got []string
		for _, e := range errs {
			got = append(got, fmt.Sprintf("%d:%d %s", e.Line, e.Col, e.Msg))
		}
		if !strings.Contains(strings.Join(got, "\n"), tt.want) {
			t.Errorf("%q: errors %q; want %q", tt.src, got, tt.want)
		}
	}
}
