package content

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// unsafeNames are names that must not become URLs, each for another
// reason the issue lists.
var unsafeNames = []string{
	"a b", "a?b", "a#b", "a%41", `a\b`, "a\x01b", "a\nb", "a\rb", "a\tb", "a\x7fb",
	"a\u202eb", "a\u2066b", "a\u200fb", "a\u00a0b", "x\nffffffffffffffff keepme.txt\ny",
	".hidden", "..", "", "a/b", "a:b", "a\"b", "a<b", "a'b",
}

// TestOneRuleForSlugsAndFileNames: every unsafe name is refused both as a
// slug: value and as a content file or folder name, and a safe one is
// taken by both.
func TestOneRuleForSlugsAndFileNames(t *testing.T) {
	for _, s := range unsafeNames {
		if ValidSlug(s) == nil {
			t.Errorf("slug %q was taken", s)
		}
		if strings.Contains(s, "/") {
			continue // a folder and a file, each of them safe
		}
		if err := ValidFileName("content/events/" + s + ".md"); err == nil {
			t.Errorf("file name %q was taken", s)
		}
		if err := ValidFileName("content/" + s + "/x.md"); err == nil {
			t.Errorf("folder name %q was taken", s)
		}
	}
	for _, s := range []string{"2019-12-27-resolution", "российская-федерация", "a_b.c", "_index"} {
		if ValidSlug(s) != nil || ValidFileName("content/events/"+s+".md") != nil {
			t.Errorf("%q was refused", s)
		}
	}
}

// FuzzValidFileName: a content path that ValidFileName takes becomes a URL
// path that needs no escaping beyond UTF-8, stays inside the site and holds
// no space, control or format character.
func FuzzValidFileName(f *testing.F) {
	for _, s := range unsafeNames {
		f.Add("content/events/" + s + ".md")
	}
	f.Add("content/docs/guide/x.md")
	f.Fuzz(func(t *testing.T, p string) {
		if !strings.HasPrefix(p, "content/") || ValidFileName(p) != nil {
			return
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, "content/"), ".md")
		for _, el := range strings.Split(rel, "/") {
			if el == "" || el == "." || el == ".." || strings.HasPrefix(el, ".") {
				t.Fatalf("%q taken with the element %q", p, el)
			}
		}
		for _, r := range rel {
			if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`?#%\"'<>:`, r) {
				t.Fatalf("%q taken with %q", p, r)
			}
		}
		u, err := url.Parse("/" + rel + "/")
		if err != nil || u.Path != "/"+rel+"/" || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("%q does not round-trip as a URL path: %v %+v", p, err, u)
		}
	})
}
