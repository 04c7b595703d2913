package content

import (
	"fmt"
	"strings"
	"unicode"
)

// Slugify turns a name into a URL segment: letters and digits lowercased,
// every other run of characters one hyphen. Letters outside ASCII are kept,
// so "Организация" stays readable in the address bar instead of vanishing.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		hyphen = true
	}
	return b.String()
}

// ValidSlug reports why s cannot be a URL segment of the site: it must be
// non-empty, made of letters, digits, '-', '_' and '.', and must not start
// with a dot, so that no slug can name a path outside the output. The same
// rule holds for the names of content files and folders (ValidFileName),
// which become URL segments too: it leaves out control characters,
// newlines, bidi overrides, backslashes, '?', '#', '%' and spaces.
func ValidSlug(s string) error {
	if err := validSegment(s); err != nil {
		return fmt.Errorf("slug %s", err)
	}
	return nil
}

// ValidFileName reports why the content file at path (slash-separated,
// from the project root, such as "content/events/x.md") cannot become a
// page: every folder and file name in it below content/, without ".md",
// must be a valid slug.
func ValidFileName(filePath string) error {
	rel := strings.TrimSuffix(strings.TrimPrefix(filePath, "content/"), ".md")
	for _, el := range strings.Split(rel, "/") {
		if err := validSegment(el); err != nil {
			return fmt.Errorf("name %s; the names of content files and folders become URLs: rename it", err)
		}
	}
	return nil
}

// validSegment is the rule of ValidSlug, its message without the subject.
func validSegment(s string) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	if strings.HasPrefix(s, ".") {
		return fmt.Errorf("%q must not start with a dot", s)
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("%q may hold only letters, digits, '-', '_' and '.'; %q is not allowed (a slug is one URL segment)", s, r)
		}
	}
	return nil
}

// Closest returns the candidate nearest to s by edit distance, or "" when
// none is near enough to be a likely typo.
func Closest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
