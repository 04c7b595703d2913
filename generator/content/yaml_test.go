package content

import (
	"strings"
	"testing"
)

// eventWith is an event file whose front matter is base fields (lines 2
// to 5) followed by extra, from line 6.
func eventWith(extra string) string {
	return "---\ntitle: T\ndate: 2019\nactor: Russia\ntype: report\n" + extra + "---\nBody.\n"
}

// TestYAML12Meaning: front matter means what YAML 1.2's core schema says,
// not YAML 1.1: No, yes and on are text; 0123 is the year 123, not octal.
func TestYAML12Meaning(t *testing.T) {
	for _, v := range []string{"No", "yes", "on", "off", "Y", "n", "NO", "1_999", "0b101", "12:30:00", "2001-12-14t21:59:43.10-05:00 x"} {
		src := strings.Replace(eventWith(""), "title: T", "title: "+v, 1)
		p, errs := parse(t, "content/events/e.md", src)
		if errs != "" {
			t.Errorf("title: %s: %s", v, errs)
			continue
		}
		if p.Title != v {
			t.Errorf("title: %s reads as %q", v, p.Title)
		}
	}
	p, errs := parse(t, "content/events/e.md", strings.Replace(eventWith(""), "date: 2019", "date: 0123", 1))
	if errs != "" || p.Date.String() != "0123" || p.Date.Time.Year() != 123 {
		t.Errorf("date: 0123 reads as %v (%s); want the year 123", p, errs)
	}
	p, errs = parse(t, "content/docs/d.md", "---\ntitle: '5'\nparams: {a: 0x10, b: 1.5, c: no, d: ~}\n---\n")
	if errs != "" || p.Title != "5" {
		t.Fatalf("%v %s", p, errs)
	}
	if p.Params["a"] != 16 || p.Params["b"] != 1.5 || p.Params["c"] != "no" || p.Params["d"] != nil {
		t.Errorf("params %#v", p.Params)
	}
}

// TestFrontMatterLocatedErrors: every refusal of a value says where
// (file:line:col) and what was expected.
func TestFrontMatterLocatedErrors(t *testing.T) {
	cases := []struct{ extra, want string }{
		{"title: again\n", `content/events/e.md:6:1: invalid YAML in front matter: key "title" is given twice in this map (first on line 2)`},
		{"summary: 5\n", `content/events/e.md:6:10: summary must be text, got the number 5; to mean the text, put it in quotes: summary: "5"`},
		{"summary: true\n", `content/events/e.md:6:10: summary must be text, got true (a true/false value)`},
		{"summary: [a, b]\n", `content/events/e.md:6:10: summary must be text, got a list`},
		{"description: {a: b}\n", `content/events/e.md:6:14: description must be text, got a map`},
		{"slug: 12\n", `content/events/e.md:6:7: slug must be text, got the number 12`},
		{"end: 0x7DF\n", `content/events/e.md:6:6: end: invalid date "0x7DF"`},
		{"end: 1_999\n", `content/events/e.md:6:6: end: invalid date "1_999"`},
		{"sources:\n  - title: S\n    url: https://x.org/\n    date: 0x7DF\n", `content/events/e.md:6:1: source 1: date: invalid date "0x7DF"`},
		{"end: 2018\n", `content/events/e.md:6:6: end 2018 is before date 2019`},
		{"sources:\n  - title: 7\n    url: https://x.org/\n", `content/events/e.md:6:1: source 1: title must be text, got the number 7`},
		{"params: {a: 1, a: 2}\n", `content/events/e.md:6:16: invalid YAML in front matter: key "a" is given twice in this map (first on line 6)`},
		{"votes:\n  - body: B\n    yes: 1\n    no: 2\n    yes: 3\n", `content/events/e.md:10:5: invalid YAML in front matter: key "yes" is given twice`},
		{"x: &a 1\n", `content/events/e.md:6:4: invalid YAML in front matter: anchors and aliases`},
		{"summary: !!int 5\n", `content/events/e.md:6:10: invalid YAML in front matter: the tag !!int is not supported`},
		{"summary: \"a\x01b\"\n", `content/events/e.md:6:12: a control character (U+0001) is not allowed`},
	}
	for _, c := range cases {
		_, errs := parse(t, "content/events/e.md", eventWith(c.extra))
		if !strings.Contains(errs, c.want) {
			t.Errorf("%q:\n got %s\nwant %s", c.extra, errs, c.want)
		}
	}
	_, errs := parse(t, "content/docs/d.md", "---\ntitle: D\nweight: 1.5\n---\n")
	if want := "content/docs/d.md:3:9: weight must be a whole number, got the number 1.5"; !strings.Contains(errs, want) {
		t.Errorf("weight: 1.5: got %s", errs)
	}
	_, errs = parse(t, "content/docs/d.md", "---\ntitle: D\n---\nA body\x7f with a DEL.\n")
	if want := "content/docs/d.md:4:7: a control character (U+007F)"; !strings.Contains(errs, want) {
		t.Errorf("DEL in body: got %s", errs)
	}
}
