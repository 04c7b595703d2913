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
	if got := errs.Error(); !strings.Contains(got, "site.yaml:9: feedLimit: -1 is negative") {
		t.Errorf("feedLimit: -1 gives %q; want an error at site.yaml:9", got)
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
