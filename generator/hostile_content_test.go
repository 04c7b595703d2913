package generator

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// Hostile and careless front matter, site.yaml and bodies against the real
// CLI. The invariants: a file means what YAML 1.2 says it means (the
// output shows it), or the build fails with an error at file:line:col
// saying what was expected, and leaves the last good site byte for byte.
// The content and config packages' own tests try more variants of each
// class.

// hostileEvent is an event file of the mini project whose front matter
// ends with extra and whose body is body.
func hostileEvent(extra, body string) string {
	return "---\ntitle: Hostile\ndate: 2012\nactor: Russia\ntype: proposal\ntrack: cybercrime\n" + extra + "---\n" + body
}

// hostileContentCases: each writes one file (relative to the project) and
// expects either an error (want holds "file:line:col: message" text) or,
// when want starts with "ok ", a built site whose file names after "ok "
// holds the text after the next space.
var hostileContentCases = []struct {
	class, name, file, data, want string
}{
	{"YAML 1.1 readings", "title No", "content/events/h.md", strings.Replace(hostileEvent("", ""), "title: Hostile", "title: No", 1), "ok events/h/index.html >No</h1>"},
	{"YAML 1.1 readings", "title yes", "content/events/h.md", strings.Replace(hostileEvent("", ""), "title: Hostile", "title: yes", 1), "ok feed.atom <title type=\"text\">yes</title>"},
	{"YAML 1.1 readings", "title on", "content/events/h.md", strings.Replace(hostileEvent("", ""), "title: Hostile", "title: on", 1), "ok timeline.json \"title\": \"on\""},
	{"YAML 1.1 readings", "date 0123", "content/events/h.md", strings.Replace(hostileEvent("", ""), "date: 2012", "date: 0123", 1), "ok timeline.json \"date\": \"0123\""},
	{"YAML 1.1 readings", "votes yes/no keys", "content/events/h.md", hostileEvent("sources:\n  - {title: R, url: \"https://records.example/r\"}\nvotes:\n  - {body: Plenary, yes: 79, no: 60, abstain: 33, source: 1}\n", ""), "ok timeline.json \"no\": 60"},
	{"YAML 1.1 readings", "date 0x7DF", "content/events/h.md", strings.Replace(hostileEvent("", ""), "date: 2012", "date: 0x7DF", 1), `content/events/h.md:3:7: date: invalid date "0x7DF"`},
	{"YAML 1.1 readings", "date 1_999", "content/events/h.md", strings.Replace(hostileEvent("", ""), "date: 2012", "date: 1_999", 1), `content/events/h.md:3:7: date: invalid date "1_999"`},
	{"duplicate keys", "top level", "content/events/h.md", hostileEvent("title: Again\n", ""), `content/events/h.md:7:1: invalid YAML in front matter: key "title" is given twice in this map (first on line 2)`},
	{"duplicate keys", "in a vote", "content/events/h.md", hostileEvent("votes:\n  - body: P\n    yes: 1\n    yes: 2\n", ""), `content/events/h.md:10:5: invalid YAML in front matter: key "yes" is given twice`},
	{"duplicate keys", "in params", "content/events/h.md", hostileEvent("params: {a: 1, a: 2}\n", ""), `content/events/h.md:7:16: invalid YAML in front matter: key "a" is given twice`},
	{"duplicate keys", "in site.yaml", "site.yaml", "title: T\nbaseURL: \"https://example.org/\"\ntypes: {proposal: {label: P}}\ntitle: U\n", `site.yaml:4:1: invalid YAML: key "title" is given twice`},
	{"text given another kind", "title a number", "content/events/h.md", strings.Replace(hostileEvent("", ""), "title: Hostile", "title: 2019", 1), `content/events/h.md:2:8: title must be text, got the number 2019`},
	{"text given another kind", "summary a list", "content/events/h.md", hostileEvent("summary: [a, b]\n", ""), `content/events/h.md:7:10: summary must be text, got a list`},
	{"text given another kind", "description a map", "content/events/h.md", hostileEvent("description: {a: b}\n", ""), `content/events/h.md:7:14: description must be text, got a map`},
	{"text given another kind", "source title true", "content/events/h.md", hostileEvent("sources:\n  - {title: true, url: \"https://records.example/r\"}\n", ""), `content/events/h.md:7:1: source 1: title must be text, got true`},
	{"text given another kind", "feedLimit 1.5", "site.yaml", "title: T\nbaseURL: \"https://example.org/\"\nfeedLimit: 1.5\ntypes: {proposal: {label: P}}\n", `site.yaml:3:12: feedLimit must be a whole number, got the number 1.5`},
	{"dates", "year 0000", "content/events/h.md", strings.Replace(hostileEvent("", ""), "date: 2012", "date: 0000", 1), `content/events/h.md:3:7: date: invalid date "0000": the year must be 0001 to 9998`},
	{"dates", "end 9999-12-31", "content/events/h.md", hostileEvent("end: 9999-12-31\n", ""), `content/events/h.md:7:6: end: invalid date "9999-12-31": the year must be 0001 to 9998`},
	{"dates", "end before date", "content/events/h.md", hostileEvent("end: 2011\n", ""), `content/events/h.md:7:6: end 2011 is before date 2012`},
	{"dates", "same-day span", "content/events/h.md", strings.Replace(hostileEvent("end: 2012-03-04\n", ""), "date: 2012", "date: 2012-03-04", 1), "ok timeline.json \"date_display\": \"4 March 2012\""},
	{"dates", "end inside the year", "content/events/h.md", hostileEvent("end: 2012-03-04\n", ""), "ok timeline.json \"date_display\": \"2012, until 4 March\""},
	{"control characters", "ESC in a body", "content/events/h.md", hostileEvent("", "Text \x1b here.\n"), `content/events/h.md:8:6: a control character (U+001B) is not allowed in a content file`},
	{"control characters", "escaped BEL in a title", "content/events/h.md", strings.Replace(hostileEvent("", ""), "title: Hostile", `title: "a\a"`, 1), `content/events/h.md:2:8: this text holds a control character (U+0007), written as an escape`},
	{"control characters", "lone CR", "content/events/h.md", hostileEvent("summary: a\rb\n", ""), `content/events/h.md:7:11: a carriage return not followed by a newline (U+000D) is not allowed`},
	{"control characters", "U+FFFF in a body", "content/events/h.md", hostileEvent("", "Text \uffff here.\n"), `content/events/h.md:8:6: a noncharacter (U+FFFF) is not allowed`},
	{"control characters", "in site.yaml", "site.yaml", "title: \"T\x7f\"\nbaseURL: \"https://example.org/\"\ntypes: {proposal: {label: P}}\n", `site.yaml:1:10: the character U+007F is not allowed in site.yaml`},
	{"XML outputs", "references to illegal characters", "content/events/h.md", hostileEvent("summary: \"]]> <x> &amp;\"\n", "&#1; &#xFFFE; ]]> <![CDATA[ x\n"), "ok feed.atom ]]&gt; &lt;x&gt; &amp;amp;"},
	{"anchors, aliases, tags", "alias", "content/events/h.md", hostileEvent("params: {a: &x [1], b: *x}\n", ""), `content/events/h.md:7:13: invalid YAML in front matter: anchors and aliases`},
	{"anchors, aliases, tags", "merge key", "content/events/h.md", hostileEvent("params:\n  <<: {a: 1}\n", ""), `content/events/h.md:8:3: invalid YAML in front matter: merge keys (<<) are not supported`},
	{"anchors, aliases, tags", "tag", "content/events/h.md", hostileEvent("summary: !!binary aGk=\n", ""), `content/events/h.md:7:10: invalid YAML in front matter: the tag !!binary is not supported`},
}

// TestHostileContent runs hostileContentCases through the real CLI's build,
// after a good build of the mini project into the same --dest.
func TestHostileContent(t *testing.T) {
	for _, c := range hostileContentCases {
		t.Run(c.class+"/"+c.name, func(t *testing.T) {
			dir := writeProject(t, miniProject)
			dest := filepath.Join(t.TempDir(), "public")
			if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
				t.Fatal(stderr)
			}
			before := snapshot(t, dest)
			testtool.WriteFile(t, filepath.Join(dir, c.file), c.data)
			code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
			if ok, found := strings.CutPrefix(c.want, "ok "); found {
				file, text, _ := strings.Cut(ok, " ")
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				b, err := os.ReadFile(filepath.Join(dest, file))
				if err != nil || !bytes.Contains(b, []byte(text)) {
					t.Errorf("%s does not hold %q (%v):\n%s", file, text, err, b)
				}
				if err := wellFormed(filepath.Join(dest, "feed.atom")); err != nil {
					t.Errorf("feed.atom: %v", err)
				}
				return
			}
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d; want an error %q in:\n%s", code, c.want, stderr)
			}
			if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
				t.Errorf("the failed build changed --dest: %s", diff)
			}
		})
	}
}

// TestHostileSourceDateEpoch: a SOURCE_DATE_EPOCH past the last moment the
// exports can write (9998-12-31T23:59:59Z) is refused, naming the
// variable, and the site is left as it was.
func TestHostileSourceDateEpoch(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatal(stderr)
	}
	before := snapshot(t, dest)
	t.Setenv("SOURCE_DATE_EPOCH", "253370764800")
	code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
	if code == 0 || !strings.Contains(stderr, `SOURCE_DATE_EPOCH="253370764800" is after 9998-12-31T23:59:59Z`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
		t.Errorf("the refused build changed --dest: %s", diff)
	}
}

// wellFormed parses an XML file with encoding/xml's strict decoder.
func wellFormed(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
