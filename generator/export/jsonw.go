package export

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// jsonWriter appends JSON laid out as encoding/json's Encoder lays it out
// with SetIndent(prefix, "  ") and SetEscapeHTML(false), for the one
// export whose size makes encoding/json's cost show: timeline.json, where
// every event's body is a string of kilobytes. encoding/json marshals, then
// walks its own output again to indent it; writing the indentation while
// encoding does one pass. TestTimelineEntryJSON holds the two byte-equal
// over the real site, a synthetic corpus and hostile strings.
type jsonWriter struct {
	b      []byte
	prefix string
	depth  int
	first  bool // no member written yet in the innermost object or array
}

// newline starts a line at the current depth.
func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	w.b = append(w.b, w.prefix...)
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

// member starts the next member of an object or array.
func (w *jsonWriter) member() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

// close ends an object or array; an empty one stays on its line: {} or [].
func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.b = append(w.b, c)
	w.first = false
}

// key writes an object member's key.
func (w *jsonWriter) key(k string) {
	w.member()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':', ' ')
}

// field writes a string member; omitEmpty leaves an empty one out, as the
// omitempty tag option does.
func (w *jsonWriter) field(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

// stringList writes a member holding an array of strings.
func (w *jsonWriter) stringList(k string, vs []string) {
	w.key(k)
	w.open('[')
	for _, v := range vs {
		w.member()
		w.b = appendJSONString(w.b, v)
	}
	w.close(']')
}

// stringMap writes a member holding an object of strings, its keys sorted
// as encoding/json sorts a map's.
func (w *jsonWriter) stringMap(k string, m map[string]string) {
	w.key(k)
	w.open('{')
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		w.key(key)
		w.b = appendJSONString(w.b, m[key])
	}
	w.close('}')
}

// number writes a member holding a number, left out when n is nil, as
// omitempty leaves out a nil pointer.
func (w *jsonWriter) number(k string, n *int) {
	if n == nil {
		return
	}
	w.key(k)
	w.b = strconv.AppendInt(w.b, int64(*n), 10)
}

// count writes a member holding a vote's count, null when it is unknown,
// left out when c is nil, as encoding/json does with voteCount.
func (w *jsonWriter) count(k string, c *voteCount) {
	if c == nil {
		return
	}
	w.key(k)
	if c.unknown {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = strconv.AppendInt(w.b, int64(c.n), 10)
}

// appendJSONString appends s as a JSON string the way encoding/json writes
// it with HTML escaping off: quotes, backslashes and control characters
// escaped (\b, \f, \n, \r and \t by name, the rest as \u00XX), invalid
// UTF-8 as \ufffd, and U+2028 and U+2029, which JavaScript does not allow
// in a string literal, as \u2028 and \u2029.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSON appends te as marshalJSONEntry would: indented for its place
// in timeline.json's events array, with no newline after it.
func (te *timelineEvent) appendJSON(b []byte) []byte {
	w := jsonWriter{b: b, prefix: "    "}
	w.open('{')
	w.field("id", te.ID, false)
	w.field("url", te.URL, false)
	w.field("title", te.Title, false)
	w.field("summary", te.Summary, false)
	w.field("date", te.Date, false)
	w.field("date_precision", te.DatePrecision, false)
	w.field("end", te.End, true)
	w.field("end_precision", te.EndPrecision, true)
	w.field("date_display", te.DateDisplay, false)
	w.field("type", te.Type, false)
	w.field("track", te.Track, false)
	w.stringList("actors", te.Actors)
	w.stringMap("roles", te.Roles)
	w.stringList("documents", te.Documents)
	w.key("sources")
	w.open('[')
	for _, s := range te.Sources {
		w.member()
		w.open('{')
		w.field("title", s.Title, false)
		w.field("url", s.URL, false)
		w.field("publisher", s.Publisher, true)
		w.field("date", s.Date, true)
		w.close('}')
	}
	w.close(']')
	w.key("votes")
	w.open('[')
	for _, v := range te.Votes {
		w.member()
		w.open('{')
		w.field("body", v.Body, false)
		w.key("adopted_without_vote")
		w.b = strconv.AppendBool(w.b, v.AdoptedWithoutVote)
		w.count("yes", v.Yes)
		w.count("no", v.No)
		w.count("abstain", v.Abstain)
		w.number("absent", v.Absent)
		w.key("source")
		w.b = strconv.AppendInt(w.b, int64(v.Source), 10)
		w.field("note", v.Note, true)
		w.close('}')
	}
	w.close(']')
	w.stringList("follows", te.Follows)
	w.stringList("led_to", te.LedTo)
	w.field("body_html", te.BodyHTML, false)
	w.close('}')
	return w.b
}
