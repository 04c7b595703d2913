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
