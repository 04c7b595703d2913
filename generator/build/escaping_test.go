package build

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/export"
	"golang.org/x/tools/txtar"
)

// hostileText goes into every field an author writes.
const hostileTitle = `<script>alert("t")</script> & 'q', a; b`

const escapingSite = `
-- content/events/x.md --
---
title: "<script>alert(\"t\")</script> & 'q', a; b"
date: 2019-12-27
actor: ["<b>Evil & \"Co\"</b>"]
type: resolution
track: cybercrime
summary: "</p><script>alert(1)</script> & \"x\""
sources:
  - title: "<img src=x onerror=alert(1)>"
    url: "https://example.org/?a=1&b=\"2\"<x>"
    publisher: "A & B"
---
<script>alert(1)</script>

[click](javascript:alert(1)) and <javascript:alert(2)>
`

// TestEscapingInEveryOutput: markup written by an author comes out as text
// in every output format, and no javascript: URL becomes a link.
func TestEscapingInEveryOutput(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(escapingSite))), Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	for _, p := range res.Output.Paths() {
		b := res.Output.File(p)
		lower := bytes.ToLower(b)
		if bytes.Contains(lower, []byte(`href="javascript:`)) || bytes.Contains(lower, []byte(`src="javascript:`)) {
			t.Errorf("%s has a javascript: link", p)
		}
		if strings.HasPrefix(p, "js/") || strings.HasPrefix(p, "css/") {
			continue // the theme's own code
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>Evil"} {
			// JSON and iCalendar are not markup: there the text is data,
			// checked below by decoding it.
			if bytes.Contains(b, []byte(raw)) && !strings.HasSuffix(p, ".ics") && !strings.HasSuffix(p, ".json") {
				t.Errorf("%s contains unescaped %q", p, raw)
			}
		}
		switch {
		case strings.HasSuffix(p, ".json"):
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON", p)
			}
		case strings.HasSuffix(p, ".xml"), strings.HasSuffix(p, ".atom"):
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s is not well-formed XML: %v", p, err)
					break
				}
			}
		}
	}
	page := string(res.Output.Files["events/x/index.html"])
	for _, want := range []string{
		`<h1>&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; &#39;q&#39;, a; b</h1>`,
		`&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;`,
		`&lt;b&gt;Evil &amp; &#34;Co&#34;&lt;/b&gt;`,
		`href="https://example.org/?a=1&amp;b=%222%22%3cx%3e"`,
		`&lt;img src=x onerror=alert(1)&gt;`,
		`A &amp; B`,
		"click",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("event page lacks %q", want)
		}
	}
	// The JSON exports carry the exact text, as JSON strings.
	for _, f := range []string{export.TimelineFile, export.JSONFeedFile} {
		var v any
		if err := json.Unmarshal(res.Output.File(f), &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !hasString(v, hostileTitle) {
			t.Errorf("%s lacks the title %q as a JSON string", f, hostileTitle)
		}
	}
	// iCalendar escapes its own specials (RFC 5545 3.3.11): comma and semicolon.
	if ics := string(res.Output.File(export.ICalFile)); !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), `SUMMARY:<script>alert("t")</script> & 'q'\, a\; b`) {
		t.Errorf("calendar lacks the escaped SUMMARY:\n%s", ics)
	}
}

// hasString reports whether a decoded JSON value holds the string s.
func hasString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if hasString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasString(e, s) {
				return true
			}
		}
	}
	return false
}

// TestSourceURLMustBeHTTP: a source's URL is a link on the page, so only
// http and https are accepted.
func TestSourceURLMustBeHTTP(t *testing.T) {
	const site = `
-- content/events/x.md --
---
title: x
date: 2019
actor: Russia
type: report
sources:
  - title: t
    url: "javascript:alert(1)"
track: cybercrime
---
`
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(site))), Options{})
	if got := errorsOf(res); !strings.Contains(got, `content/events/x.md:6:1: source 1 url "javascript:alert(1)" must start with https:// or http://`) {
		t.Errorf("errors: %s", got)
	}
}
