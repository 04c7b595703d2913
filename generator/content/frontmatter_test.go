package content

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// frontMatterCases are front matters that goldmark-meta reads in every way
// it can: a map, nothing, and each kind of error, including those where its
// two readings (into a map and into a yaml.MapSlice) disagree.
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

// TestFrontMatterAsGoldmarkMeta checks that frontMatterParser gives what
// goldmark-meta's own extension stores: the same map, or the same error.
func TestFrontMatterAsGoldmarkMeta(t *testing.T) {
	ref := goldmark.New(goldmark.WithExtensions(meta.Meta))
	p := NewParser(Options{})
	for _, src := range frontMatterCases {
		pc := parser.NewContext()
		ref.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
		wantMap, wantErr := meta.TryGet(pc)

		pc = parser.NewContext()
		p.md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
		gotMap, gotErr := p.fm.get(pc)

		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%q: error %v; goldmark-meta gives %v", src, gotErr, wantErr)
		}
		if !reflect.DeepEqual(gotMap, wantMap) {
			t.Errorf("%q: front matter %#v; goldmark-meta gives %#v", src, gotMap, wantMap)
		}
	}
}
