package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The fields of a document a term can occur in, as bits of a posting's
// mask. assets/js/search.js weighs them (title first, body last) and
// shows no field names: the mask only ranks.
const (
	fieldTitle uint8 = 1 << iota
	fieldActors
	fieldSummary
	fieldBody
	fieldBits = 4 // a posting keeps the mask in its low bits
)

// maxParts is how many parts of a compound token ("a/res/74/247") get a
// term of their own each, as part and as the suffix that starts there. A
// longer compound is a path or a list of numbers, whose inner suffixes
// nobody types; its parts and the whole are still indexed.
const maxParts = 8

// maxTerm is the longest term indexed, in bytes. A longer token (a URL, a
// run of digits) is still found by its parts and shorter suffixes; the
// bound keeps shards' file names short (see shardName).
const maxTerm = 64

// isWordRune reports whether r belongs to a word: letters, digits and the
// combining marks that belong to them. assets/js/search.js tokenises with
// the same classes, [\p{L}\p{N}\p{M}].
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isJoiner reports whether c, between two word characters, keeps them in
// one token: document symbols ("A/RES/74/247", "A/C.1/74/L.11"), hyphened
// words, "UN's". search.js has the same list.
func isJoiner(c byte) bool {
	return c == '/' || c == '.' || c == '-' || c == '\'' || c == '_'
}

// forEachToken calls f with each token of s, in order: a run of word
// characters, with single joiners between runs kept inside it. A right
// single quotation mark (’) joins as ' does: it is the apostrophe of
// typeset text.
func forEachToken(s string, f func(tok string)) {
	start := -1 // the current token's start, or -1 between tokens
	for i := 0; i < len(s); {
		// ASCII inline: the test is made for every byte of every body.
		c := s[i]
		r, n, word := rune(c), 1, 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
			word = isWordRune(r)
		}
		if word {
			if start < 0 {
				start = i
			}
			i += n
			continue
		}
		if start >= 0 {
			// A joiner continues the token when a word character follows.
			j := i + n
			if (r < utf8.RuneSelf && isJoiner(byte(r)) || r == '’') && j < len(s) {
				next, _ := utf8.DecodeRuneInString(s[j:])
				if isWordRune(next) {
					i = j
					continue
				}
			}
			f(s[start:i])
			start = -1
		}
		i += n
	}
	if start >= 0 {
		f(s[start:])
	}
}

// normToken folds a token as search.js folds what readers type: lower
// case, diacritics dropped (decomposed, then U+0300–U+036F removed, as
// JavaScript's normalize('NFD') and that range do), and ’ read as '. A
// token of ASCII lower case is returned as it is, without a copy.
func normToken(tok string) string {
	ascii, lower := true, true
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			lower = false
		}
	}
	if ascii {
		if lower {
			return tok
		}
		return strings.ToLower(tok)
	}
	d := norm.NFD.String(strings.ToLower(strings.ReplaceAll(tok, "’", "'")))
	return strings.Map(func(r rune) rune {
		if 0x300 <= r && r <= 0x36f {
			return -1
		}
		return r
	}, d)
}

// tokenTerms calls add with the index terms of one folded token: the token
// itself, and for a compound ("a/res/74/247") each part ("a", "res", "74",
// "247") and each suffix that starts at a part ("res/74/247", "74/247"),
// so that a reader finds the resolution by "74/247" as well as by its full
// symbol. A query term matches index terms that start with it, so the
// prefixes of these need no terms of their own.
func tokenTerms(tok string, add func(term string)) {
	if len(tok) <= maxTerm {
		add(tok)
	}
	parts := 0
	for i := 0; i < len(tok); i++ {
		if isJoiner(tok[i]) {
			parts++
		}
	}
	if parts == 0 {
		return
	}
	start := 0
	for i := 0; i <= len(tok); i++ {
		if i < len(tok) && !isJoiner(tok[i]) {
			continue
		}
		if i-start <= maxTerm {
			add(tok[start:i])
		}
		if start > 0 && parts < maxParts && len(tok)-start <= maxTerm {
			add(tok[start:])
		}
		start = i + 1
	}
}

// plainText reduces rendered HTML to its text: tags dropped, entities
// decoded, runs of white space collapsed. Bodies come from goldmark, which
// writes well-formed markup, so a tag scan is enough. A block tag ends a
// word (goldmark writes "</p>\n<p>" but "</li><li>" too); an inline tag
// does not, so "<em>UN</em>'s" stays one word.
//
// The text between two tags is decoded and collapsed as it is read, into
// one string. When an entity might run on past a tag ("&amp" before a
// "<b>"), the whole text is decoded and collapsed after instead: the
// same result, with two more copies.
func plainText(h string) string {
	if s, ok := eachText(h, true); ok {
		return s
	}
	s, _ := eachText(h, false)
	return collapseSpace(html.UnescapeString(s))
}

// eachText is plainText's tag scan: with collapse, each piece of text is
// decoded and collapsed as it is added, and ok is false when a piece's
// last entity may go on in the next; without, the pieces are joined as
// they are, a block tag as a space.
func eachText(h string, collapse bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(h))
	owed := false // collapse: a space is owed before the next word
	write := func(s string) bool {
		if !collapse {
			b.WriteString(s)
			return true
		}
		if k := strings.LastIndexByte(s, '&'); k >= 0 {
			if strings.IndexByte(s[k:], ';') < 0 {
				return false
			}
			s = html.UnescapeString(s)
		}
		owed = collapseInto(&b, s, owed)
		return true
	}
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			ok := write(h)
			return b.String(), ok
		}
		if !write(h[:i]) {
			return "", false
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			return b.String(), true
		}
		name := strings.TrimPrefix(h[i+1:i+j], "/")
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		if isBlockTag(strings.ToLower(name)) {
			write(" ")
		}
		h = h[i+j+1:]
	}
}

// collapseSpace is strings.Join(strings.Fields(s), " ") without the slice
// of every word: s's words, as unicode.IsSpace separates them, joined by
// single spaces.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	collapseInto(&b, s, false)
	return b.String()
}

// collapseInto writes s's words to b, each run of white space between
// them as one space, and none before the first word b holds. owed says
// that white space came before s (in text written before it); the result
// says whether s ends in white space, for the text written next.
func collapseInto(b *strings.Builder, s string, owed bool) bool {
	word := -1 // where the word being read starts in s, -1 between words
	for i := 0; i < len(s); {
		c := s[i]
		n := 1
		var isSpace bool
		if c < utf8.RuneSelf {
			isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		switch {
		case isSpace && word >= 0:
			// A word ends: written whole, not a character at a time.
			b.WriteString(s[word:i])
			word, owed = -1, true
		case isSpace:
			owed = true
		case word < 0:
			if owed && b.Len() > 0 {
				b.WriteByte(' ')
			}
			word, owed = i, false
		}
		i += n
	}
	if word >= 0 {
		b.WriteString(s[word:])
	}
	return owed
}

// isBlockTag reports whether the edges of an element separate words. A
// switch rather than a package map: no package-level mutable state.
func isBlockTag(name string) bool {
	switch name {
	case "p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "table", "tr", "td", "th", "hr", "figure", "figcaption":
		return true
	}
	return false
}
