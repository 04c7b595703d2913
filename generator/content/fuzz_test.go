package content

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/yuin/goldmark/renderer/html"
)

// FuzzParse feeds arbitrary files to Parse: it must never panic, must return
// either a page or errors, and every error must point inside the file.
func FuzzParse(f *testing.F) {
	f.Add("---\ntitle: a\ndate: 2011\nactor: Russia\ntype: report\n---\nBody [x](y.md#z) and [j](javascript:alert(1)).\n")
	f.Add("---\ntitle: [\n---\n")
	f.Add("\ufeff---\r\ntitle: x\r\n---\r\n## H\r\n")
	f.Add("---\n---\n")
	f.Add("")
	f.Add("---\ntitle: x\nsources:\n  - {title: t, url: 'https://x'}\n  - 7\n---\n")
	f.Add("---\r\ntitle: x\r\ntitle: y\r\n---\r\nA [a](x.md) and [b](#b) on a line,\r\nnote[^1] [c](/c/).\r\n\r\n[^1]: [d](y.md#d)\r\n\r\n[e](z.md)\r\n")
	p := NewParser(Options{Types: []string{"report", "resolution"}})
	f.Fuzz(func(t *testing.T, src string) {
		for _, path := range []string{"content/events/e.md", "content/docs/d.md"} {
			page, errs := p.Parse(path, []byte(src))
			if (page == nil) == (len(errs) == 0) {
				t.Fatalf("Parse returned page %v with %d errors; want exactly one of them", page != nil, len(errs))
			}
			lines := strings.Count(src, "\n") + 1
			for _, e := range errs {
				if e.File != path || e.Line < 0 || e.Line > lines || e.Col < 0 {
					t.Fatalf("error outside the file (%d lines): %+v", lines, e)
				}
				if !utf8.ValidString(e.Msg) {
					t.Fatalf("error message is not UTF-8: %q", e.Msg)
				}
			}
			if page != nil {
				for _, l := range page.Links {
					if l.Line < 1 || l.Line > lines {
						t.Fatalf("link on line %d of a %d-line file", l.Line, lines)
					}
					if want := diag.SourceLine([]byte(src), l.Line); l.Source != want {
						t.Fatalf("link on line %d has source %q; the line is %q", l.Line, l.Source, want)
					}
				}
				for k, pos := range page.Fields {
					if want := diag.SourceLine([]byte(src), pos.Line); pos.Source != want || pos.Col < 1 {
						t.Fatalf("field %s at %d:%d has source %q; the line is %q", k, pos.Line, pos.Col, pos.Source, want)
					}
				}
				if strings.Contains(strings.ToLower(page.Body), "href=\"javascript:") {
					t.Fatalf("javascript: link in body: %s", page.Body)
				}
			}
		}
	})
}

// FuzzDangerousURL: dangerousURL agrees with goldmark's check on the
// lowercased URL, which is what Parse asked before it looked at the
// first bytes only.
func FuzzDangerousURL(f *testing.F) {
	for _, s := range []string{"javascript:alert(1)", "JavaScript:x", "javascr\u0130pt:x", "\u212Aavascript:x", "vbscript:", "FILE:///etc", "data:image/png;base64,x", "DATA:IMAGE/JPEG;x", "data:image/svg+xml;x", "data:text/html,x", "x.md#a", "https://example.org", "", "d\u00c1ta:x", "dat"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		want := html.IsDangerousURL([]byte(strings.ToLower(url)))
		if got := dangerousURL([]byte(url)); got != want {
			t.Fatalf("dangerousURL(%q) = %v; IsDangerousURL of it lowercased is %v", url, got, want)
		}
	})
}

// FuzzParseDate: ParseDate never panics, and a date it accepts prints back
// to a string that parses to the same date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2011", "2011-09", "2011-09-12", "2019-12-27T15:04:00Z", "2011-02-30", "20111", "2011-09-12T25:00:00Z", "0000-01-01", "9999-12-31T23:59:59+14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		again, err := ParseDate(d.String())
		if err != nil {
			t.Fatalf("ParseDate(%q) = %s, which does not parse again: %v", s, d, err)
		}
		if !again.Time.Equal(d.Time) || again.Precision != d.Precision {
			t.Fatalf("round trip of %q: %v != %v", s, again, d)
		}
		if d.Human() == "" || d.Last().Before(d.Time) {
			t.Fatalf("bad date %q: human %q last %v", s, d.Human(), d.Last())
		}
	})
}

// FuzzSlugify: a slug is empty or valid, and slugifying it again changes
// nothing.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"UN General Assembly", "../../etc/passwd", "a\x00b", "Côte d’Ivoire", "---", "A/RES/74/247"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if slug == "" {
			return
		}
		if err := ValidSlug(slug); err != nil {
			t.Fatalf("Slugify(%q) = %q, which is not a valid slug: %v", s, slug, err)
		}
		if again := Slugify(slug); again != slug {
			t.Fatalf("Slugify is not idempotent: %q → %q → %q", s, slug, again)
		}
	})
}

// FuzzInternalLink: classifying a link destination never panics, and a link
// to a content file always names a .md path with no "." elements left.
func FuzzInternalLink(f *testing.F) {
	for _, s := range []string{"../events/x.md#a", "/timeline/#x", "#top", "https://example.org", "x.md?y=1", "//host/x", "../../../../etc/x.md", "mailto:a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dest string) {
		l, ok := internalLink("content/events/e.md", dest)
		if !ok {
			return
		}
		if l.Target != "" && !strings.HasPrefix(l.Target, "/") {
			if !strings.HasSuffix(strings.SplitN(l.Target, "?", 2)[0], ".md") {
				t.Fatalf("content link %q resolved to non-Markdown %q", dest, l.Target)
			}
			for _, el := range strings.Split(l.Target, "/") {
				if el == "." || (el == ".." && !strings.HasPrefix(l.Target, "..")) {
					t.Fatalf("content link %q resolved to unclean %q", dest, l.Target)
				}
			}
		}
		_ = diag.Error{}
	})
}

// FuzzFrontMatter feeds arbitrary YAML as an event's front matter: Parse
// must never panic, and every error must be located (line and column)
// inside the file. A page it accepts has text fields with no character
// that XML cannot carry.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"title: No\ndate: 0123\nactor: [Russia]\ntype: report",
		"title: a\ntitle: b",
		"votes:\n  - {body: B, yes: 1, no: 2, abstain: 0, source: 1}\n  - yes: 1\n    yes: 2",
		"a: &x [1, *x]\nb: *x",
		"<<: {a: 1}",
		"? [a]\n: b",
		"title: !!str 5\nsummary: !!binary x",
		"title: \"a\\x01b\\uFFFE\"",
		"params: {a: [{b: [{c: 1}]}]}",
		"title: |\n  block\n  text\ndate: 2019-13-40",
		"title: [\n",
		"\ttitle: x",
		"title: x\n...\ntitle: y",
		"- a\n- b",
		"sources:\n  - title: 1e3\n    url: 0x10\n    date: 1_999",
	} {
		f.Add(s)
	}
	f.Add("title: \"a\\x01b\"")
	f.Add("title: \"a\\uFFFEb\"")
	f.Add("title: 'x'\nweight: 0x10\nparams: {a: .inf}")
	p := NewParser(Options{Types: []string{"report"}, Roles: []string{"sponsor"}})
	f.Fuzz(func(t *testing.T, yml string) {
		src := "---\n" + yml + "\n---\nBody.\n"
		for _, path := range []string{"content/events/e.md", "content/docs/d.md"} {
			fuzzFrontMatterOnce(t, p, path, src)
		}
	})
}

// fuzzFrontMatterOnce checks one Parse of FuzzFrontMatter.
func fuzzFrontMatterOnce(t *testing.T, p *Parser, path, src string) {
	t.Helper()
	page, errs := p.Parse(path, []byte(src))
	if (page == nil) == (len(errs) == 0) {
		t.Fatalf("Parse returned page %v with %d errors; want exactly one of them", page != nil, len(errs))
	}
	lines := strings.Count(src, "\n")
	for _, e := range errs {
		if e.Line < 1 || e.Line > lines || e.Col < 1 {
			t.Fatalf("error not located inside the %d-line file: %+v", lines, e)
		}
	}
	if page != nil {
		for _, s := range []string{page.Title, page.Summary, page.Description} {
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff {
					t.Fatalf("text %q holds U+%04X", s, r)
				}
			}
		}
	}
}
