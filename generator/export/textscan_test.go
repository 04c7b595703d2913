package export

import (
	"html"
	"net/url"
	"strings"
	"testing"
)

// absolutizeSlow is absolutizeHTML as first written, searching for both
// attributes again after each one: the reference the faster one must match.
func absolutizeSlow(s string, page *url.URL) string {
	var b strings.Builder
	for {
		h, r := strings.Index(s, ` href="`), strings.Index(s, ` src="`)
		i, n := h, len(` href="`)
		if h < 0 || (r >= 0 && r < h) {
			i, n = r, len(` src="`)
		}
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+n])
		s = s[i+n:]
		j := strings.IndexByte(s, '"')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		raw := html.UnescapeString(s[:j])
		if ref, err := url.Parse(raw); err == nil && ref.Scheme == "" {
			raw = page.ResolveReference(ref).String()
		}
		b.WriteString(html.EscapeString(raw))
		s = s[j:]
	}
}

var textScanCases = []string{
	"",
	"plain",
	`<p>See <a href="../x/">x</a> and <img src="a.png" alt="a"> and <a href="https://e.org/">e</a></p>`,
	`<img src="1.png"><img src="2.png"><a href="3/">3</a><img src="4.png">`,
	`<a title=" src=" href="y/">`,
	`<a href="q?a=1&amp;b=2#f">`,
	`<a href="unterminated`,
	`<img src="x.png" data-x=' href="no'>`,
	"  lead\t\ttab\nnew\u00a0nbsp\u0085nel\u2003em  trail  ",
	"bad\xffutf8 \xe2\x80 word",
	"<p>a</p>\n<p>b</p><ul><li>c</li><li>d</li></ul>",
	"<em>UN</em>'s &amp; &lt;tag&gt;",
}

func TestAbsolutizeHTMLMatchesReference(t *testing.T) {
	page, _ := url.Parse("https://example.org/repo/events/a/")
	for _, c := range textScanCases {
		if got, want := absolutizeHTML(c, page), absolutizeSlow(c, page); got != want {
			t.Errorf("absolutizeHTML(%q)\n got %q\nwant %q", c, got, want)
		}
	}
}

func FuzzTextScan(f *testing.F) {
	for _, c := range textScanCases {
		f.Add(c)
	}
	page, _ := url.Parse("https://example.org/repo/events/a/")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := absolutizeHTML(s, page), absolutizeSlow(s, page); got != want {
			t.Errorf("absolutizeHTML(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// TestAbsolutizeHTML resolves body links against the event page.
func TestAbsolutizeHTML(t *testing.T) {
	page, _ := url.Parse("https://h.example/repo/events/x/")
	in := `<p><a href="/repo/events/y/#vote">y</a> <a href="#top">top</a> <img src="../../img/a.png" alt=""> <a href="https://other.example/a?b=1&amp;c=2">o</a> <a href="mailto:a@b.example">m</a></p>`
	want := `<p><a href="https://h.example/repo/events/y/#vote">y</a> <a href="https://h.example/repo/events/x/#top">top</a> <img src="https://h.example/repo/img/a.png" alt=""> <a href="https://other.example/a?b=1&amp;c=2">o</a> <a href="mailto:a@b.example">m</a></p>`
	if got := absolutizeHTML(in, page); got != want {
		t.Errorf("absolutizeHTML:\n got %s\nwant %s", got, want)
	}
}
