package config

import (
	"strings"
	"testing"
)

const valid = `title: "T"
baseURL: "https://example.org/site/"
types:
  report:
    label: Report
    description: A report.
  resolution:
    label: Resolution
`

func TestParseValid(t *testing.T) {
	c, errs := Parse([]byte(valid), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if c.BasePath() != "/site/" || c.Language != "en" || strings.Join(c.TypeKeys(), ",") != "report,resolution" {
		t.Errorf("got base %q lang %q types %v", c.BasePath(), c.Language, c.TypeKeys())
	}
}

func TestBaseURLOverride(t *testing.T) {
	tests := []struct{ flag, want string }{
		{"", "https://example.org/site/"},
		{"https://user.github.io/repo", "https://user.github.io/repo/"},
		{"/", "https://example.org/"},
		{"/repo/", "https://example.org/repo/"},
		{"/repo", "https://example.org/repo/"},
	}
	for _, tt := range tests {
		c, errs := Parse([]byte(valid), tt.flag)
		if len(errs) > 0 {
			t.Errorf("%q: %v", tt.flag, errs)
			continue
		}
		if got := c.BaseURL.String(); got != tt.want {
			t.Errorf("--base-url %q gives %q, want %q", tt.flag, got, tt.want)
		}
	}
	for _, bad := range []string{"ftp://x/", "example.org", "https://x/?q=1"} {
		if _, errs := Parse([]byte(valid), bad); len(errs) == 0 {
			t.Errorf("--base-url %q accepted", bad)
		}
	}
}

// TestFeedLimit: 50 newest events unless site.yaml says otherwise; 0 is
// every event; a negative limit is an error at its line.
func TestFeedLimit(t *testing.T) {
	for _, tt := range []struct {
		yaml string
		want int
	}{{"", DefaultFeedLimit}, {"feedLimit: 0\n", 0}, {"feedLimit: 7\n", 7}} {
		c, errs := Parse([]byte(valid+tt.yaml), "")
		if len(errs) > 0 {
			t.Errorf("%q: %v", tt.yaml, errs)
		} else if c.FeedLimit != tt.want {
			t.Errorf("%q: limit %d; want %d", tt.yaml, c.FeedLimit, tt.want)
		}
	}
	_, errs := Parse([]byte(valid+"feedLimit: -1\n"), "")
	if got := errs.Error(); !strings.Contains(got, "site.yaml:9:12: feedLimit: -1 is negative") {
		t.Errorf("feedLimit: -1 gives %q; want an error at site.yaml:9", got)
	}
}

const vocab = `tracks:
  information-security:
    label: "Information security"
    description: "First Committee."
    colour: "#1F5FA8"
  cybercrime:
    label: "Cybercrime"
    colour: "#a8431f"
roles:
  sponsor:    {label: "Sponsor",    description: "Tabled the text."}
  opposed:    {label: "Opposed"}
`

// TestTracksAndRoles: both vocabularies are read in the file's order, the
// colour normalised to lowercase.
func TestTracksAndRoles(t *testing.T) {
	c, errs := Parse([]byte(valid+vocab), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := strings.Join(c.TrackKeys(), ","); got != "information-security,cybercrime" {
		t.Errorf("tracks %q", got)
	}
	if c.Tracks[0].Colour != "#1f5fa8" || c.Tracks[0].Label != "Information security" || c.Tracks[0].Description != "First Committee." {
		t.Errorf("track 0 is %+v", c.Tracks[0])
	}
	if got := strings.Join(c.RoleKeys(), ","); got != "sponsor,opposed" {
		t.Errorf("roles %q", got)
	}
	if c.Roles[0].Label != "Sponsor" || c.Roles[0].Description != "Tabled the text." {
		t.Errorf("role 0 is %+v", c.Roles[0])
	}
}

// TestVocabularyErrors: each bad entry is reported at its own line, all in
// one run.
func TestVocabularyErrors(t *testing.T) {
	src := valid + `tracks:
  cyber:
    label: "Cyber"
    colour: "blue"
  Bad_Key:
    label: "X"
    colour: "#000000"
  nolabel:
    colour: "#000000"
  extra:
    label: "E"
    colour: "#000000"
    color: "#000000"
roles:
  sponsor: {description: "no label"}
`
	_, errs := Parse([]byte(src), "")
	want := map[int]string{
		12: `track "cyber": colour "blue" must be written #rrggbb`,
		13: `track key "Bad_Key" must be lowercase`,
		16: `track "nolabel" has no label`,
		21: `track "extra": expected label, description and colour: unknown field "color"`,
		23: `role "sponsor" has no label`,
	}
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for _, e := range errs {
		w, ok := want[e.Line]
		if !ok || !strings.Contains(e.Msg, w) {
			t.Errorf("line %d: %q; want %q", e.Line, e.Msg, w)
		}
	}
}

// TestDocumentLinks: documentLinks turns a symbol into a link, escaped as
// path segments with its slashes kept; a pattern without {symbol} or not
// an absolute URL is an error at its line; no pattern, no link.
func TestDocumentLinks(t *testing.T) {
	c, errs := Parse([]byte(valid), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := c.DocumentURL("A/RES/74/247"); got != "" {
		t.Errorf("no pattern: got %q, want no link", got)
	}
	c, errs = Parse([]byte(valid+"documentLinks: \"https://undocs.org/{symbol}\"\n"), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for sym, want := range map[string]string{
		"A/RES/74/247":  "https://undocs.org/A/RES/74/247",
		"A/C.1/73/L.27": "https://undocs.org/A/C.1/73/L.27",
		"S 2024#1&x=+":  "https://undocs.org/S%202024%231%26x%3D%2B",
	} {
		if got := c.DocumentURL(sym); got != want {
			t.Errorf("DocumentURL(%q) = %q, want %q", sym, got, want)
		}
	}
	for _, bad := range []string{"https://undocs.org/", "undocs.org/{symbol}"} {
		_, errs := Parse([]byte(valid+"documentLinks: \""+bad+"\"\n"), "")
		if len(errs) != 1 || errs[0].Line != 9 || !strings.Contains(errs[0].Msg, "documentLinks") {
			t.Errorf("documentLinks %q: errors %v, want one at line 9", bad, errs)
		}
	}
}

// TestSiteID: siteID must be a UUID (any case, kept in lower case).
func TestSiteID(t *testing.T) {
	c, errs := Parse([]byte(valid+"siteID: \"0B5F3C1E-6D2A-4C8E-9F1B-2A7D4E6C8B90\"\n"), "")
	if len(errs) > 0 || c.SiteID != "0b5f3c1e-6d2a-4c8e-9f1b-2a7d4e6c8b90" {
		t.Errorf("a UUID: %v, %q", errs, c.SiteID)
	}
	if _, errs := Parse([]byte(valid+"siteID: \"my-site\"\n"), ""); len(errs) != 1 || errs[0].Line != 9 || !strings.Contains(errs[0].Msg, "not a UUID") {
		t.Errorf("siteID my-site: %v; want one error at line 9", errs)
	}
}

// TestBadBaseURLFlag: a --base-url that would resolve every link of the
// site elsewhere, or that no URL holds as written, is one error naming
// the flag.
func TestBadBaseURLFlag(t *testing.T) {
	for _, bad := range []string{
		"https://x.com/a/../b/", "https://x.com/./", "/a/../", "/./", "https://x.com//", "//x.com/",
		"https://x.com/a b/", "https://x.com/a?", "https://x.com/a#", "https://x.com:99999/",
		`https://x.com/a"b/`, `https://x.com/a\b/`, "https://x.com/<a>/", "https://x.com/%7e/", "https://x.com/a%2Fb/",
		"https://x.com/a;b/", "/a b/", "https://x.com/a\u202eb/",
	} {
		_, errs := Parse([]byte(valid), bad)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "--base-url: ") {
			t.Errorf("--base-url %q: %v; want one error naming the flag", bad, errs)
		}
	}
	for _, good := range []string{"https://x.com/", "https://x.com/repo/", "http://localhost:8080/a.b/c_d/", "https://x.com/é/", "/~user/"} {
		if _, errs := Parse([]byte(valid), good); len(errs) > 0 {
			t.Errorf("--base-url %q: %v", good, errs)
		}
	}
}

// TestYAML12AndLocatedErrors: site.yaml means what YAML 1.2 says, and
// every refused value is an error at its line and column.
func TestYAML12AndLocatedErrors(t *testing.T) {
	c, errs := Parse([]byte(strings.Replace(valid, `title: "T"`, "title: No\nlanguage: no", 1)), "")
	if len(errs) > 0 || c.Title != "No" || c.Language != "no" {
		t.Fatalf("title: No, language: no read as %+v (%v)", c, errs)
	}
	for _, tt := range []struct{ extra, want string }{
		{"feedLimit: 1.5\n", "site.yaml:9:12: feedLimit must be a whole number, got the number 1.5"},
		{"feedLimit: \"7\"\n", "site.yaml:9:12: feedLimit must be a whole number, got text \"7\""},
		{"feedLimit: 0x10\nfeedLimit: 3\n", "site.yaml:10:1: invalid YAML: key \"feedLimit\" is given twice in this map (first on line 9)"},
		{"title: again\n", "site.yaml:9:1: invalid YAML: key \"title\" is given twice"},
		{"description: 2019\n", "site.yaml:9:14: description must be text, got the number 2019; to mean the text, put it in quotes: description: \"2019\""},
		{"description: [a]\n", "site.yaml:9:14: description must be text, got a list"},
		{"unsafeHTML: yes\n", "site.yaml:9:13: unsafeHTML must be true or false, got text \"yes\""},
		{"period: {from: 1998, to: 20.5}\n", "site.yaml:9:26: period: to must be a whole number, got the number 20.5"},
		{"tracks:\n  a: {label: A, colour: \"#000000\"}\n  a: {label: B, colour: \"#000000\"}\n", "site.yaml:11:3: invalid YAML: key \"a\" is given twice"},
		{"roles:\n  r:\n    label: R\n    label: S\n", "site.yaml:12:5: invalid YAML: key \"label\" is given twice"},
		{"description: \"a\\x07b\"\n", "site.yaml:9:14: description holds the character U+0007"},
		{"description: a\x1bb\n", "site.yaml:9:15: the character U+001B is not allowed in site.yaml"},
		{"colour: blue\n", "site.yaml:9:1: unknown field \"colour\""},
		{"description: a\rlanguage: b\n", "site.yaml:9:15: the character U+000D is not allowed in site.yaml"},
	} {
		_, errs := Parse([]byte(valid+tt.extra), "")
		if got := errs.Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%q:\n got %s\nwant %s", tt.extra, got, tt.want)
		}
	}
}

// FuzzParse: any site.yaml parses without a panic, into a Config or into
// errors that are each located inside the file.
func FuzzParse(f *testing.F) {
	f.Add(valid)
	f.Add(valid + vocab)
	f.Add("title: a\ntitle: b\nfeedLimit: 1.5\n")
	f.Add("types: {a: &x {label: A}, b: *x}\n")
	f.Add("period: {from: 0x10, to: 1_999}\nunsafeHTML: yes\n")
	f.Fuzz(func(t *testing.T, src string) {
		c, errs := Parse([]byte(src), "")
		if (c == nil) == (len(errs) == 0) {
			t.Fatalf("config %v with %d errors; want exactly one of them", c != nil, len(errs))
		}
		lines := strings.Count(src, "\n") + 1
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Fatalf("error not located inside the %d-line file: %+v", lines, e)
			}
		}
	})
}

// TestLandmarkTypes: `landmark: true` marks a type whose events the
// overview labels; it is optional, must be a boolean, and roles, which
// share the label-and-description form, do not accept it.
func TestLandmarkTypes(t *testing.T) {
	c, errs := Parse([]byte(valid+"  treaty:\n    label: Treaty\n    landmark: true\n"), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if c.Types[0].Landmark || c.Types[1].Landmark || !c.Types[2].Landmark {
		t.Errorf("types %+v: want only treaty a landmark", c.Types)
	}
	_, errs = Parse([]byte(valid+"  treaty:\n    label: Treaty\n    landmark: often\nroles:\n  sponsor: {label: S, landmark: true}\n"), "")
	want := map[int]string{11: `type "treaty": landmark must be true or false, got text "often"`, 13: `role "sponsor": expected label and description: unknown field "landmark"`}
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for _, e := range errs {
		if w, ok := want[e.Line]; !ok || !strings.Contains(e.Msg, w) {
			t.Errorf("line %d: %q; want %q", e.Line, e.Msg, w)
		}
	}
}
