package content

import (
	"bytes"

	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v2"
)

// frontMatterParser is goldmark-meta's block parser with a Close that reads
// the YAML once. goldmark-meta's own Close unmarshals the block twice, into
// a map and into a yaml.MapSlice (for its table option, which Parse does not
// use); that second reading was a third of the time spent parsing a page.
// Finding the block (Trigger, Open, Continue) stays goldmark-meta's, so the
// same lines become front matter as before.
type frontMatterParser struct {
	parser.BlockParser
	key parser.ContextKey // where Close leaves its frontMatter for Parse
}

// frontMatter is what frontMatterParser.Close read, as goldmark-meta would
// have stored it: the map, or the error it would have reported.
type frontMatter struct {
	fields map[string]any
	err    error
}

func newFrontMatterParser() *frontMatterParser {
	return &frontMatterParser{BlockParser: meta.NewParser(), key: parser.NewContextKey()}
}

// Close decodes the block's YAML and, as goldmark-meta does, takes the block
// out of the document when it decodes.
func (b *frontMatterParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	yml := blockText(node.Lines(), reader.Source())
	fm := &frontMatter{}
	fields := map[string]any{}
	if err := yaml.Unmarshal(yml, &fields); err != nil {
		// goldmark-meta reports the error of its second reading, into a
		// yaml.MapSlice, when that one fails too; the message differs
		// (e.g. "into yaml.MapSlice" for a list), so read it that way
		// here too. Only a file that does not parse pays for this.
		var items yaml.MapSlice
		if err2 := yaml.Unmarshal(yml, &items); err2 != nil {
			err = err2
		}
		fm.err = err
	} else {
		fm.fields = fields
	}
	pc.Set(b.key, fm)
	if fm.err == nil {
		node.Parent().RemoveChild(node.Parent(), node)
	}
}

// get returns the front matter Close read for pc's document: nil, nil when
// there was no front matter block.
func (b *frontMatterParser) get(pc parser.Context) (map[string]any, error) {
	v, _ := pc.Get(b.key).(*frontMatter)
	if v == nil {
		return nil, nil
	}
	return v.fields, v.err
}

// blockText returns the text of a block's lines. They are consecutive lines
// of the source, which is then sliced rather than copied.
func blockText(lines *text.Segments, src []byte) []byte {
	n := lines.Len()
	if n == 0 {
		return nil
	}
	contiguous := true
	for i := 0; i < n; i++ {
		s := lines.At(i)
		if s.Padding != 0 || s.ForceNewline || i > 0 && s.Start != lines.At(i-1).Stop {
			contiguous = false
			break
		}
	}
	if contiguous {
		return src[lines.At(0).Start:lines.At(n-1).Stop:lines.At(n-1).Stop]
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		s := lines.At(i)
		buf.Write(s.Value(src))
	}
	return buf.Bytes()
}
