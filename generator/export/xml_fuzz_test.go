package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/site"
)

const fuzzSiteYAML = `title: "Fuzz & <site>"
baseURL: "https://example.org/x/"
types:
  report: {label: "Report <&>"}
`

// FuzzXMLOutputs builds a mini-site of two events from a fuzzed title,
// summary and body, writes the feeds and the sitemap, and parses every XML
// file with encoding/xml's strict decoder: each must be well-formed, and
// the title and summary must come back as the page has them. A text the
// content parser refuses (a control character) is not a site, and is
// skipped. The calendar, which is text, must keep its lines: CRLF ends,
// no control character but the folding.
func FuzzXMLOutputs(f *testing.F) {
	f.Add("Plain", "A summary.", "Body *text*.")
	f.Add("a ]]> b", "<b>&amp;</b>", "]]> <![CDATA[ x ]]>")
	f.Add("\u00e9\u2028\U0001F600", "\ufffd", "&#1; &#xFFFE; &#x1F600; &#0; &#xD800;")
	f.Add("No", "yes", "<script>alert(1)</script>\n\n<!-- c -->")
	f.Add("x\ny", "a\r\nb", "line\r\nline\n")
	f.Add("\"quoted\" 'single'", "tab\there", "`code ]]>`\n\n    indented ]]>\n")
	f.Add("&lt;", "&#x85;", "[a](javascript:x) ![i](data:x) <http://a/]]>>")
	f.Fuzz(func(t *testing.T, title, summary, body string) {
		if !utf8.ValidString(title + summary + body) {
			return
		}
		s, pages := fuzzSite(t, title, summary, body)
		if s == nil {
			return
		}
		out := output.New("", "")
		out.Files["index.html"] = []byte("<p>")
		if errs := WriteFeeds(s, pages, out, time.Time{}, nil, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
		WriteExtras(s, out, maphash.MakeSeed(), nil)
		for _, name := range []string{AtomFile, "sitemap.xml"} {
			b := out.File(name)
			if b == nil {
				t.Fatalf("no %s written", name)
			}
			texts, err := xmlTexts(b)
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", name, err, b)
			}
			if name == AtomFile {
				for _, want := range []string{s.Events[0].Title, s.Events[0].Summary} {
					if want != "" && !texts[want] {
						t.Fatalf("%q does not come back from %s:\n%s", want, name, b)
					}
				}
			}
		}
		checkICal(t, out.File(ICalFile))
	})
}

// fuzzSite parses two events (the fuzzed one and a plain one) and
// assembles them, or returns nil when the parser refuses the fuzzed one.
func fuzzSite(t *testing.T, title, summary, body string) (*site.Site, []*content.Page) {
	cfg, errs := config.Parse([]byte(fuzzSiteYAML), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := content.NewParser(content.Options{Types: cfg.TypeKeys()})
	files := []string{"content/events/a.md", "content/events/b.md"}
	srcs := []string{
		fmt.Sprintf("---\ntitle: %s\ndate: 2019-12-27\nactor: Russia\ntype: report\nsummary: %s\n---\n%s", yamlQuote(title), yamlQuote(summary), body),
		"---\ntitle: Other\ndate: 2019\nactor: China\ntype: report\n---\nText.\n",
	}
	var pages []*content.Page
	for i, src := range srcs {
		page, errs := p.Parse(files[i], []byte(src))
		if len(errs) > 0 {
			if i == 0 {
				return nil, nil
			}
			t.Fatal(errs)
		}
		pages = append(pages, page)
	}
	s, errs := site.Assemble(cfg, pages, files, false, nil)
	if len(errs) > 0 {
		return nil, nil // a title that makes no slug, say
	}
	return s, EventPages(s)
}

// yamlQuote writes s as a YAML double-quoted scalar, escaping what YAML
// would otherwise read differently, so that the fuzzed text is what the
// page gets (less the trimming of spaces the parser does).
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// xmlTexts decodes b strictly and returns every text node and attribute
// value it holds.
func xmlTexts(b []byte) (map[string]bool, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	texts := map[string]bool{}
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			for _, a := range x.Attr {
				texts[a.Value] = true
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			texts[string(x)] = true
		}
	}
	if roots != 1 || depth != 0 {
		return nil, fmt.Errorf("%d root elements, %d left open", roots, depth)
	}
	return texts, nil
}

// checkICal checks that every line of a calendar ends in CRLF, is at most
// 75 octets, and holds no control character but a tab.
func checkICal(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("calendar does not end in CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("calendar line of %d octets: %q", len(l), l)
		}
		for _, r := range l {
			if r < 0x20 && r != '\t' || r == 0x7f {
				t.Fatalf("calendar line holds U+%04X: %q", r, l)
			}
		}
	}
}
