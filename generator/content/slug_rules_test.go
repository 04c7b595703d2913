package content

import "testing"

// TestValidSlugRefusesURLSyntax: a slug is one URL segment and one folder
// name, so every character that means something in a URL or a path is
// refused, not only the separators.
func TestValidSlugRefusesURLSyntax(t *testing.T) {
	for _, bad := range []string{"a%20b", "a%2fb", "a?b", "a#b", "a/b", `a\b`, "a:b", "a b", "a\tb", "a\nb", "..", ".", ".a", "a&b", "a+b", "a\"b", "a<b", "a\x7fb"} {
		if ValidSlug(bad) == nil {
			t.Errorf("ValidSlug(%q) = nil; want an error", bad)
		}
	}
}

// TestClosest pins the suggestion for a mistyped name: the nearest
// candidate within about half the name's length, the first of equally
// near ones, and the exact name over a shorter one.
func TestClosestRules(t *testing.T) {
	tests := []struct {
		s          string
		candidates []string
		want       string
	}{
		{"resolutn", []string{"proposal", "resolution"}, "resolution"},
		{"cat", []string{"bat", "hat"}, "bat"},
		{"abcd", []string{"abcd", "abc"}, "abcd"},
		{"Resolution", []string{"resolution"}, "resolution"},
		{"zzzzzzzz", []string{"resolution"}, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.s, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tt.s, tt.candidates, got, tt.want)
		}
	}
}
