package content

import (
	"slices"
	"strings"
	"testing"
)

var testTypes = []string{"proposal", "resolution", "report"}

func parse(t *testing.T, path, src string) (*Page, string) {
	t.Helper()
	p, errs := NewParser(Options{Types: testTypes}).Parse(path, []byte(src))
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return p, strings.Join(msgs, "\n")
}

func TestParseEvent(t *testing.T) {
	p, errs := parse(t, "content/events/sco.md", `---
title: "SCO states' draft code"
date: 2011-09-12
end: 2011-09
actor: [Russia, China, Russia]
type: proposal
summary: A draft.
documents: [A/66/359]
sources:
  - title: Letter
    url: https://undocs.org/A/66/359
    publisher: UN
    date: 2011-09-14
---
Text with "quotes" and a [link](other.md#vote), [self](#vote), [abs](/timeline/#x) and [ext](https://example.org).

## Vote
`)
	if errs != "" {
		t.Fatalf("errors: %s", errs)
	}
	if p.Kind != KindEvent || p.Slug != "sco" || p.Title != "SCO states' draft code" {
		t.Errorf("kind %v slug %q title %q", p.Kind, p.Slug, p.Title)
	}
	if p.Date.String() != "2011-09-12" || p.End.String() != "2011-09" {
		t.Errorf("dates %s %s", p.Date, p.End)
	}
	if strings.Join(p.Actors, ",") != "Russia,China" {
		t.Errorf("actors %q: want duplicates dropped", p.Actors)
	}
	if len(p.Sources) != 1 || p.Sources[0].Date.String() != "2011-09-14" || p.Sources[0].Publisher != "UN" {
		t.Errorf("sources %+v", p.Sources)
	}
	if len(p.Links) != 3 {
		t.Fatalf("links %+v; want 3 internal links", p.Links)
	}
	want := []struct{ target, frag string }{{"content/events/other.md", "vote"}, {"", "vote"}, {"/timeline/", "x"}}
	for i, w := range want {
		l := p.Links[i]
		if l.Target != w.target || l.Fragment != w.frag || l.Line != 15 {
			t.Errorf("link %d = %+v; want target %q fragment %q on line 15", i, l, w.target, w.frag)
		}
		if !strings.Contains(p.Body, `href="`+l.Marker+`"`) {
			t.Errorf("body lacks marker %s: %s", l.Marker, p.Body)
		}
	}
	if p.Links[0].Col != 26 {
		t.Errorf("first link column = %d, want 26 (the '[')", p.Links[0].Col)
	}
	if !strings.Contains(p.Body, `<a href="https://example.org">`) {
		t.Errorf("external link changed: %s", p.Body)
	}
	if !strings.Contains(p.Body, "&ldquo;quotes&rdquo;") {
		t.Errorf("typographer quotes missing: %s", p.Body)
	}
	if !strings.Contains(p.Body, `<h2 id="vote">Vote <a class="anchor" href="#vote"`) {
		t.Errorf("heading anchor missing: %s", p.Body)
	}
	if p.Headings != nil {
		t.Errorf("an event's headings %+v; want none: only a documentation page's are read", p.Headings)
	}
	doc, errs := parse(t, "content/docs/guide.md", "---\ntitle: Guide\n---\n## Vote\n\nText.\n\n### Then\n")
	if errs != "" {
		t.Fatalf("errors: %s", errs)
	}
	if want := []Heading{{Level: 2, ID: "vote", Text: "Vote"}, {Level: 3, ID: "then", Text: "Then"}}; !slices.Equal(doc.Headings, want) {
		t.Errorf("a documentation page's headings %+v; want %+v", doc.Headings, want)
	}
}

func TestParseMarkdownDialect(t *testing.T) {
	p, errs := parse(t, "content/docs/x.md", "---\ntitle: X\n---\n"+`| a | b |
|---|---|
| 1 | 2 |

~~gone~~ https://example.org

- [x] done

Term
: Definition

Note[^1].

[^1]: Footnote.

<script>alert(1)</script>

[bad](javascript:alert(1))
`)
	if errs != "" {
		t.Fatal(errs)
	}
	for _, want := range []string{"<table>", "<del>gone</del>", `<a href="https://example.org">`, `type="checkbox"`, "<dl>", "<dd>Definition</dd>", `class="footnote-ref"`, "<!-- raw HTML omitted -->"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, p.Body)
		}
	}
	if strings.Contains(p.Body, "<script>") || strings.Contains(p.Body, "javascript:") || strings.Contains(p.Body, `<a href="">`) {
		t.Errorf("unsafe HTML or URL survived:\n%s", p.Body)
	}
	if !strings.Contains(p.Body, "bad") {
		t.Errorf("the text of an unwrapped javascript: link is lost:\n%s", p.Body)
	}
}

func TestParseUnsafeHTMLOptIn(t *testing.T) {
	p, errs := NewParser(Options{Types: testTypes, UnsafeHTML: true}).Parse("content/x.md", []byte("---\ntitle: X\n---\n<div class=\"note\">hi</div>\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(p.Body, `<div class="note">hi</div>`) {
		t.Errorf("raw HTML dropped despite unsafeHTML: %s", p.Body)
	}
}

func TestParseAcceptsBOMAndCRLF(t *testing.T) {
	src := "\ufeff---\r\ntitle: \"Événement\"\r\ndate: 2015\r\nactor: Russia\r\ntype: report\r\n---\r\nLine one\r\n\r\n## Part\r\n"
	p, errs := parse(t, "content/events/e.md", src)
	if errs != "" {
		t.Fatal(errs)
	}
	if p.Title != "Événement" || p.Date.Precision != Year || !strings.Contains(p.Body, `<h2 id="part">`) {
		t.Errorf("got title %q date %v body %s", p.Title, p.Date, p.Body)
	}
}

func TestParseEventWithoutBody(t *testing.T) {
	p, errs := parse(t, "content/events/e.md", "---\ntitle: T\ndate: 2015-03\nactor: Russia\ntype: report\n---\n")
	if errs != "" {
		t.Fatal(errs)
	}
	if strings.TrimSpace(p.Body) != "" {
		t.Errorf("body = %q", p.Body)
	}
}

func TestKindOf(t *testing.T) {
	for path, want := range map[string]Kind{
		"content/_index.md":        KindHome,
		"content/events/a.md":      KindEvent,
		"content/events/_index.md": KindDoc,
		"content/events/x/a.md":    KindDoc,
		"content/actors/russia.md": KindActor,
		"content/docs/overview.md": KindDoc,
		"content/about.md":         KindDoc,
	} {
		if got := KindOf(path); got != want {
			t.Errorf("KindOf(%s) = %v, want %v", path, got, want)
		}
	}
}

// TestSourceLine: a line as Parse reads it, the BOM blanked out.
func TestSourceLine(t *testing.T) {
	src := []byte("\xef\xbb\xbf---\r\ntitle: T\r\n---\n")
	for n, want := range map[int]string{1: "   ---", 2: "title: T", 4: "", 0: ""} {
		if got := SourceLine(src, n); got != want {
			t.Errorf("SourceLine(line %d) = %q, want %q", n, got, want)
		}
	}
}
