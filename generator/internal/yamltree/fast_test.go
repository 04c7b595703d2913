package yamltree

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// fastCases are documents at the edges of what parseFast reads: each must
// come out of Parse as goccy-go-yaml reads it, whichever reads it.
var fastCases = []string{
	"title: \"Ad Hoc é Committee\"\ndate: 2022-08-29\nactor:\n  - Ad Hoc Committee on Cybercrime\n  - Russia\n",
	"sources:\n  - title: \"Third\"\n    url: \"https://unodc.org/x\"\n  - url: https://x.org/a\n    date: 2022-08-29\nfollows: [2022-05-ahc-second-session, x]\n",
	"actor: [Côté, Russia]\nseq0:\n- a\n- b\nm:\n   k: v\n   k2: 'v'\n",
	"a:\n  - url: x\n  - k: \"y\"\n    j: z\nb:\n  c: d\n",
	"only: 1\n", "n: 0123\nf: 1e3\nh: 0x1F\no: 0o17\nb: true\nz: ~\nnull2: null\nyes: No\n",
	"t: a: b\n", "t: a:b\n", "t: 12:30\n", "t: a #c\n", "t: a#c\n", "# c\nt: a\n", "t: a\n\n\nu: b\n",
	"t: \"\"\n", "t: ''\n", "t: 'it''s'\n", "t: \"a\" \n", "t: a \n", "t:\n", "t:\nu: b\n", "t: []\n", "t: [ ]\n",
	"t: [a,b , c]\n", "t: [a, , b]\n", "t: [a,]\n", "t: [\"a\", b]\n", "t: [a: b]\n", "t: {a: b}\n", "t: [[a]]\n",
	"t: -1\n", "t: +1\n", "t: .5\n", "t: -.inf\n", "t: .nan\n", "t: (draft)\n", "t: /x\n", "t: $5\n", "t: _x\n",
	"t: >\n  a\n", "t: |\n  a\n", "t: &a x\nu: *a\n", "t: !!str 1\n", "t: !x 1\n", "<<: {a: b}\n",
	"t: a\n  b\n", "t: \"a\n  b\"\n", "t: a\nt: b\n", "true: a\n", "1: a\n", "a-b: c\n", "a-: c\n", "-a: c\n",
	"t:\n  - a\n  -  b\n  - c: d\n    e: f\n  - g:\n      h: i\n", "t:\n  -\n  - a\n", "t:\n  - - a\n", "t:\n- a\n-b\n",
	"t:\n  k: v\n u: w\n", "t:\n  k: v\n    u: w\n", "---\nt: a\n", "t: a\n---\nu: b\n", "t: a\n...\n", "- a\n- b\n",
	"t: a\r\nu: b\r\n", "t:\ta\n", "t: a\u00a0\n", "t: \u00a0a\n", "t: a\u2028b\n", "t: €5\n", "t: é\n", "t: [é, ü]\n",
	"t: a\n   \nu: b\n", "t: a", "t: [a]", "t:\n  - a", "", "\n", "t: a,b\n", "t: \"a\" # c\n", "t: [a] # c\n",
	"t: a ]\n", "t: a'b\n", "t: a\"b\n", "t: a|b\n", "t: %x\n", "t: @x\n", "t: `x\n", "t: ?x\n", "t: ,x\n", "t: 5:\n",
	"k:\n    - a\n    - b\nl: c\n", "k:\n  m:\n    n:\n      o: p\n  q: r\n",
}

// TestFastMatchesGoccy: the documents parseFast reads, it reads as
// goccy-go-yaml does, node for node, line and column; the front matter of
// this repository's content and of every fixture is among them.
func TestFastMatchesGoccy(t *testing.T) {
	for i, doc := range append(fastCases, frontMatters(t)...) {
		if !checkFast(t, doc) && i < 4 {
			// The first cases are the shape of an event's front
			// matter, which parseFast is for.
			t.Errorf("parseFast left %q to goccy-go-yaml", doc)
		}
	}
}

// checkFast compares parseFast with goccy-go-yaml on doc, and reports
// whether parseFast read it.
func checkFast(t *testing.T, doc string) bool {
	t.Helper()
	got, ok := parseFast([]byte(doc), 2)
	if !ok {
		return false
	}
	want, errs := parseGoccy([]byte(doc), 2)
	if len(errs) > 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("document %q:\nparseFast: %s\ngoccy-go-yaml: %s %v", doc, dumpValue(got), dumpValue(want), errs)
	}
	return true
}

// frontMatters returns the front matter of every Markdown file of the
// repository's content and of the test fixtures (Markdown files and txtar
// archives, whose files may start with front matter).
func frontMatters(t *testing.T) []string {
	root := testtool.RepoRoot(t)
	var docs []string
	for _, dir := range []string{"content", "generator"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".txtar") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, part := range bytes.Split(b, []byte("\n---\n")) {
				if i := bytes.Index(part, []byte("---\n")); i >= 0 && (i == 0 || part[i-1] == '\n') {
					docs = append(docs, string(part[i+4:]))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// FuzzFastMatchesGoccy: whatever parseFast reads, goccy-go-yaml reads
// without error into the same tree.
func FuzzFastMatchesGoccy(f *testing.F) {
	for _, c := range fastCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		checkFast(t, doc)
	})
}

func dumpValue(v *Value) string {
	if v == nil {
		return "nil"
	}
	var b strings.Builder
	var dump func(v *Value, ind string)
	dump = func(v *Value, ind string) {
		fmt.Fprintf(&b, "\n%skind %d %q quoted %v at %d:%d", ind, v.Kind, v.Text, v.Quoted, v.Line, v.Col)
		for _, e := range v.List {
			dump(e, ind+"  ")
		}
		for _, e := range v.Map {
			dump(e.Key, ind+"  K ")
			dump(e.Value, ind+"  V ")
		}
	}
	dump(v, "")
	return b.String()
}
