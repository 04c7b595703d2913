package search

import (
	"strings"
	"testing"
)

func TestCollapseSpace(t *testing.T) {
	for _, c := range spaceCases {
		if got, want := collapseSpace(c), strings.Join(strings.Fields(c), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", c, got, want)
		}
	}
}

// spaceCases are runs of text and white space of every kind collapseSpace
// must fold as strings.Fields does.
var spaceCases = []string{"", " ", "a", " a ", "a  b", "a\tb\nc", "\u00a0a\u2003b\u3000", "é \u200b x", "\xff \xfe", "a\r\n\r\nb"}

func FuzzCollapseSpace(f *testing.F) {
	for _, c := range spaceCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
