package content

import (
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
)

// maxControlErrors is how many characters checkControls reports in one
// file before it only counts the rest.
const maxControlErrors = 5

// checkControls refuses the characters that XML 1.0 cannot carry and that
// no author means to write: control characters other than tab, newline and
// a carriage return before a newline (U+0000 to U+001F, U+007F to U+009F),
// and the noncharacters U+FFFE and U+FFFF. They would make the Atom feed
// and the sitemap malformed, and they are invisible in an editor, so they
// are refused at their place rather than stripped: stripping would publish
// something other than what the file says, with no sign of it. src is the
// whole file: front matter and body are both checked. It reports
// whether there was none.
func checkControls(file string, src []byte, errs *diag.List) bool {
	found, sixth := 0, 0
	for i := 0; i < len(src); {
		c := src[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(src[i:])
		}
		if bad := controlName(r, src[i+n:]); bad != "" {
			found++
			if found <= maxControlErrors {
				line, col := diag.Position(src, i)
				errs.Addf(file, src, line, col, "%s (U+%04X) is not allowed in a content file: no feed or page can carry it; delete it (editors often do not show it)", bad, r)
			} else if found == maxControlErrors+1 {
				sixth = i
			}
		}
		i += n
	}
	if found > maxControlErrors {
		line, col := diag.Position(src, sixth)
		errs.Addf(file, src, line, col, "%d more such characters in this file, the first here", found-maxControlErrors)
	}
	return found == 0
}

// controlName names r when checkControls refuses it, or returns "". rest
// is what follows r, for a carriage return (allowed before a newline).
func controlName(r rune, rest []byte) string {
	switch {
	case r == '\r':
		if len(rest) > 0 && rest[0] == '\n' {
			return ""
		}
		return "a carriage return not followed by a newline"
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return "a control character"
	case r == 0xfffe || r == 0xffff:
		return "a noncharacter"
	}
	return ""
}
