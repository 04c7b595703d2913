package content

import (
	"strings"
	"testing"
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
