package content

import (
	"bytes"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/diag"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// frontMatterCases are front matters of every shape: a map, nothing, and
// each kind of error (syntax, a list or a scalar for the whole, keys that
// are lists, merge keys, aliases, tags, a duplicated key, a tab).
var frontMatterCases = []string{
	"---\ntitle: a\ndate: 2011\nactor: [Russia]\n---\nbody\n",
	"---\r\ntitle: a\r\nparams: {x: 1, y: [1, 2]}\r\n---\r\n",
	"---\n---\n",
	"---\n~\n---\n",
	"---\n- a\n- b\n---\n",
	"---\njust text\n---\n",
	"---\ntitle: [\n---\n",
	"---\ntitle: a\n  b: c\n---\n",
	"---\nparams: {[a, b]: c}\n---\n",
	"---\n[a]: b\n---\n",
	"---\nbase: &b {x: 1}\nparams:\n  <<: *b\n  y: 2\n---\n",
	"---\nparams:\n  <<: 7\n---\n",
	"---\ntitle: a\n--\nmore: b\n---\n",
	"---\ntitle: a\ntitle: b\n---\n",
	"---\nx: !!binary '%%%'\n---\n",
	"---\nx: *nowhere\n---\n",
	"   ---\ntitle: bom\n---\n",
	"---\n\ttitle: tab\n---\n",
}

// TestFrontMatterErrorsLocated: every front matter above either decodes
// or gives errors, each at a line and column inside the file.
func TestFrontMatterErrorsLocated(t *testing.T) {
	p := NewParser(Options{Types: testTypes})
	for _, src := range frontMatterCases {
		page, errs := p.Parse("content/docs/d.md", []byte(src))
		if (page == nil) == (len(errs) == 0) {
			t.Errorf("%q: page %v with %d errors", src, page != nil, len(errs))
		}
		lines := strings.Count(src, "\n")
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Errorf("%q: error not located in the file: %v", src, e)
			}
		}
	}
}

// TestFrontMatterFoundByGoldmarkMeta: goldmark-meta's block parser finds
// the front matter, and the pre-check (scanFrontMatter) agrees with it on
// every front matter above and on lines of dashes anywhere: where the
// pre-check accepts, the block holds exactly the YAML lines; where it
// refuses a line of dashes, goldmark-meta's block ends at that line. And
// goldmark-meta's own decoding (yaml.v2, YAML 1.1) never runs: its result
// is never in the parser context.
func TestFrontMatterFoundByGoldmarkMeta(t *testing.T) {
	p := NewParser(Options{Types: testTypes})
	cases := append([]string{
		"---\ntitle: a\n-\nb: c\n---\n",
		"---\ntitle: a\n  ---\nb: c\n---\n",
		"---\ntitle: a\n ----- \r\nb: c\n---\n",
		"---\nsummary: |\n  x\n  ---\n  y\n---\nbody\n",
		"---\ntitle: a\n---  \r\n# body\n",
		"---\n\n---\n",
		"---\ntitle: No\n---\n---\n",
	}, frontMatterCases...)
	for _, src := range cases {
		b := []byte(src)
		var errs diag.List
		bounds, _, ok := scanFrontMatter("d.md", b, &errs)
		pc := parser.NewContext()
		p.md.Parser().Parse(text.NewReader(b), parser.WithContext(pc))
		if m, err := meta.TryGet(pc); m != nil || err != nil {
			t.Errorf("%q: goldmark-meta decoded the YAML itself: %v, %v", src, m, err)
		}
		lines, _ := pc.Get(p.fm.key).(*text.Segments)
		if lines == nil {
			if ok {
				t.Errorf("%q: the pre-check found front matter, goldmark-meta did not", src)
			}
			continue
		}
		// An empty block ends where it starts, after the first line.
		start := bytes.IndexByte(b, '\n') + 1
		end := start
		if n := lines.Len(); n > 0 {
			start, end = lines.At(0).Start, lines.At(n-1).Stop
		}
		switch {
		case ok:
			if start != bounds.yamlStart || end != bounds.yamlEnd {
				t.Errorf("%q: goldmark-meta's block is [%d:%d], the pre-check's [%d:%d]", src, start, end, bounds.yamlStart, bounds.yamlEnd)
			}
			yml, ok := p.fm.yaml("d.md", b, bounds, pc, &errs)
			if !ok || string(yml) != src[bounds.yamlStart:bounds.yamlEnd] {
				t.Errorf("%q: YAML %q, %v; errors %v", src, yml, ok, errs)
			}
		case len(errs) == 1 && strings.Contains(errs[0].Msg, "dashes alone"):
			if line, _ := diag.Position(b, end); line != errs[0].Line {
				t.Errorf("%q: goldmark-meta's block ends at line %d, the pre-check's error is at %v", src, line, errs[0])
			}
		}
	}
}

// TestFrontMatterEndsOnlyAtDashes: goldmark-meta ends the front matter at
// any line of dashes alone; one that is not "---" at the start of its line
// is an error there, not the rest of the YAML read as the body.
func TestFrontMatterEndsOnlyAtDashes(t *testing.T) {
	p := NewParser(Options{Types: testTypes})
	for src, line := range map[string]int{
		"---\ntitle: a\n-\nb: c\n---\n":                  3,
		"---\ntitle: a\n--\n---\n":                       3,
		"---\ntitle: a\n  ---\n---\n":                    3,
		"---\ntitle: a\nsummary: |\n  x\n ----- \n---\n": 5,
		"---\ntitle: a\n\t---\r\n":                       3,
	} {
		_, errs := p.Parse("content/docs/d.md", []byte(src))
		if len(errs) != 1 || errs[0].Line != line || !strings.Contains(errs[0].Msg, "dashes alone") {
			t.Errorf("%q: got %v; want the error at line %d", src, errs, line)
		}
	}
}

// FuzzFrontMatterBlock: on any file that Parse hands to goldmark (the
// pre-check, the limits and the control characters passed), goldmark-meta's
// block is exactly the front matter the pre-check found, so the YAML given
// to yamltree is never other lines than the pre-check's. (1.4 million
// execs clean with -fuzztime 150s when it was written.)
func FuzzFrontMatterBlock(f *testing.F) {
	for _, s := range frontMatterCases {
		f.Add(s)
	}
	f.Add("---\ntitle: a\n  ---\n---\n")
	f.Add(" ---\n\t-\n> ---\n---\n")
	p := NewParser(Options{Types: testTypes})
	f.Fuzz(func(t *testing.T, src string) {
		b := blankBOM([]byte(src))
		var errs diag.List
		bounds, _, ok := scanFrontMatter("d.md", b, &errs)
		if !ok || !checkLimits("d.md", b, bounds.end, &errs) || !checkControls("d.md", b, &errs) {
			return
		}
		pc := parser.NewContext()
		p.md.Parser().Parse(text.NewReader(b), parser.WithContext(pc))
		if yml, ok := p.fm.yaml("d.md", b, bounds, pc, &errs); !ok || string(yml) != string(b[bounds.yamlStart:bounds.yamlEnd]) {
			t.Fatalf("%q: goldmark-meta's block is not the pre-check's: %v", src, errs)
		}
	})
}
