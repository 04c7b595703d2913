package content

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
)

// This file decodes the fields that make the timeline a chronology: the
// track an event belongs to, the role each actor played, the votes it
// records and the events it follows from. Whatever needs the other pages
// (that an actor has a page, that a followed event exists, that follows
// makes no cycle) is checked when the site is assembled.

// Vote is one recorded vote of an event (front matter `votes:`): a tally,
// or a text adopted without a vote.
type Vote struct {
	Body             string // "General Assembly plenary", "Third Committee"...
	Yes, No, Abstain int    // 0 for a count that is unknown

	// YesUnknown, NoUnknown and AbstainUnknown are set for a count the
	// author wrote as unknown: no source gives it (reports of a vote often
	// give only some of its figures). At most two of the three are set.
	YesUnknown, NoUnknown, AbstainUnknown bool

	Absent             int  // non-voting or absent, when HasAbsent
	HasAbsent          bool // absent was given (0 is a count, not a gap)
	AdoptedWithoutVote bool
	Source             int    // 1-based index into the event's Sources
	Note               string // e.g. who reported the tally
}

// Complete reports whether every count of the tally is known: only then
// is there a total of the votes cast, and shares of it.
func (v Vote) Complete() bool { return !v.YesUnknown && !v.NoUnknown && !v.AbstainUnknown }

// unknownCount is what an author writes for a count no source gives.
const unknownCount = "unknown"

// voteFields are the keys a vote may have.
var voteFields = [...]string{"body", "yes", "no", "abstain", "absent", "adopted_without_vote", "source", "note"}

// decodeTrack reads `track:`, required when the config declares tracks.
func (p *Parser) decodeTrack(d *decoder, fm map[string]any) {
	tracks := p.opts.Tracks
	v, ok := fm["track"]
	switch {
	case !ok && len(tracks) > 0:
		d.required(fm, "track", "one of: "+strings.Join(tracks, ", "))
	case !ok:
	case len(tracks) == 0:
		d.errAtKey("track", "track: site.yaml declares no tracks; declare them under tracks: (see README, \"Writing content\") or remove this line")
	default:
		t, isStr := v.(string)
		switch {
		case !isStr || strings.TrimSpace(t) == "":
			d.errAtKey("track", fmt.Sprintf("track must be one of: %s; got %s", strings.Join(tracks, ", "), describe(v)))
		case !contains(tracks, t):
			d.errAtKey("track", unknownMsg("track", t, tracks))
		default:
			d.page.Track = t
		}
	}
}

// unknownMsg says that value is not in the vocabulary of the site config,
// with the nearest key when one is near.
func unknownMsg(what, value string, vocab []string) string {
	msg := fmt.Sprintf("unknown %s %q", what, value)
	if c := Closest(value, vocab); c != "" {
		msg += fmt.Sprintf("; did you mean %q?", c)
	}
	return msg + " (the site config allows: " + strings.Join(vocab, ", ") + ")"
}

// actors reads `actor:`: one name, or a list whose items are names or
// one-key maps "Name: role". It fills Actors, Roles and ActorPos.
func (p *Parser) actors(d *decoder, v any) {
	var raw []any
	switch x := v.(type) {
	case string:
		raw = []any{x}
	case []any:
		raw = x
	default:
		d.errAtKey("actor", fmt.Sprintf("actor must be a name or a list of names, got %s", describe(v)))
		return
	}
	if len(raw) == 0 {
		d.errAtKey("actor", "actor is an empty list: expected at least one name")
	}
	lines := d.itemLines("actor", len(raw))
	page := d.page
	for i, a := range raw {
		name, role, ok := p.actorItem(d, a, lines[i])
		if !ok || contains(page.Actors, name) {
			continue
		}
		page.Actors = append(page.Actors, name)
		page.Roles = append(page.Roles, role)
		page.ActorPos = append(page.ActorPos, d.itemPos("actor", lines[i]))
	}
}

// actorItem reads one item of `actor:`, reporting at its line.
func (p *Parser) actorItem(d *decoder, a any, line int) (name, role string, ok bool) {
	if m, isMap := a.(map[any]any); isMap {
		if len(m) != 1 {
			d.errAtItem("actor", line, fmt.Sprintf("an actor with a role is one name and its role, e.g. \"- Russia: sponsor\"; got a map of %d entries", len(m)))
			return "", "", false
		}
		for k, v := range m {
			if _, isStr := k.(string); !isStr {
				d.errAtItem("actor", line, fmt.Sprintf("actor name %v is read as %s, not a name: put it in quotes", k, describe(k)))
				return "", "", false
			}
			a = k
			r, isStr := v.(string)
			switch {
			case !isStr || strings.TrimSpace(r) == "":
				d.errAtItem("actor", line, fmt.Sprintf("the role of %q must be one of: %s; got %s", k, strings.Join(p.opts.Roles, ", "), describe(v)))
			case len(p.opts.Roles) == 0:
				d.errAtItem("actor", line, "site.yaml declares no roles; declare them under roles: (see README, \"Writing content\")")
			case !contains(p.opts.Roles, strings.TrimSpace(r)):
				d.errAtItem("actor", line, unknownMsg("role", strings.TrimSpace(r), p.opts.Roles))
			default:
				role = strings.TrimSpace(r)
			}
		}
	}
	s, isStr := a.(string)
	if !isStr {
		d.errAtItem("actor", line, fmt.Sprintf("each actor must be a name (text) or \"Name: role\", got %s", describe(a)))
		return "", "", false
	}
	s = strings.TrimSpace(s)
	if s == "" || Slugify(s) == "" {
		d.errAtItem("actor", line, "actor name is empty: expected a name such as \"Russia\"")
		return "", "", false
	}
	return s, role, true
}

// votes reads `votes:`, a list of recorded votes. nSources is how many
// sources the event lists, which a vote's source must point into.
func (d *decoder) votes(v any, nSources int) []Vote {
	list, ok := v.([]any)
	if !ok {
		d.errAtKey("votes", fmt.Sprintf("votes must be a list of votes, each with body, yes, no, abstain and source (or adopted_without_vote: true); got %s", describe(v)))
		return nil
	}
	lines := d.itemLines("votes", len(list))
	var out []Vote
	for i, item := range list {
		m, ok := item.(map[any]any)
		if !ok {
			d.errAtItem("votes", lines[i], fmt.Sprintf("vote %d must be a map with body, yes, no, abstain and source, got %s", i+1, describe(item)))
			continue
		}
		if vote, ok := d.vote(stringKeys(m), i, lines[i], nSources); ok {
			out = append(out, vote)
		}
	}
	return out
}

// vote checks one vote, item i of votes: (whose "- " is on line), reporting
// each problem at the line of its key.
func (d *decoder) vote(f map[string]any, i, line, nSources int) (Vote, bool) {
	at := func(key string) int { return d.subKeyLine("votes", line, key) }
	bad := func(key, format string, args ...any) {
		d.errAtItem("votes", at(key), fmt.Sprintf("vote %d: ", i+1)+fmt.Sprintf(format, args...))
	}
	n0 := len(*d.errs)
	for _, k := range sortedKeys(f) {
		if !contains(voteFields[:], k) {
			msg := fmt.Sprintf("unknown field %q", k)
			if c := Closest(k, voteFields[:]); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			bad(k, "%s (allowed: %s)", msg, strings.Join(voteFields[:], ", "))
		}
	}
	var vt Vote
	report := func(key string) func(string) {
		return func(msg string) { d.errAtItem("votes", at(key), msg) }
	}
	vt.Body = d.text(f, "body", report("body"))
	if vt.Body == "" {
		bad("body", "body is missing: expected the body that voted, e.g. body: \"General Assembly plenary\"")
	}
	vt.Note = d.text(f, "note", report("note"))
	if w, ok := f["adopted_without_vote"]; ok {
		b, isBool := w.(bool)
		if !isBool {
			bad("adopted_without_vote", "adopted_without_vote must be true or false, got %s", describe(w))
		}
		vt.AdoptedWithoutVote = b
	}
	d.tally(f, &vt, bad)
	if s, ok := f["source"]; !ok {
		bad("body", "source is missing: expected the number of the source, in this event's sources, that gives the tally, e.g. source: 1")
	} else if n, ok := d.count(s, "source", bad); ok {
		if n < 1 || n > nSources {
			bad("source", "source %d is not one of this event's sources: expected a number from 1 to %d (the sources are numbered from 1 in the order they are listed)", n, nSources)
		}
		vt.Source = n
	}
	return vt, len(*d.errs) == n0
}

// tally reads a vote's numbers: yes, no and abstain (absent optional)
// for a recorded vote, none for one adopted without a vote.
func (d *decoder) tally(f map[string]any, vt *Vote, bad func(key, format string, args ...any)) {
	if vt.AdoptedWithoutVote {
		for _, k := range []string{"yes", "no", "abstain", "absent"} {
			if _, ok := f[k]; ok {
				bad(k, "%s: a text adopted without a vote has no tally; remove %s or adopted_without_vote", k, k)
			}
		}
		return
	}
	for _, k := range []string{"yes", "no", "abstain"} {
		if _, ok := f[k]; !ok {
			bad("body", "%s is missing: a recorded vote gives yes, no and abstain, each a whole number or unknown when no source gives it, e.g. abstain: unknown (or write adopted_without_vote: true)", k)
		}
	}
	vt.Yes, vt.YesUnknown = d.tallyCount(f, "yes", bad)
	vt.No, vt.NoUnknown = d.tallyCount(f, "no", bad)
	vt.Abstain, vt.AbstainUnknown = d.tallyCount(f, "abstain", bad)
	if vt.YesUnknown && vt.NoUnknown && vt.AbstainUnknown {
		bad("yes", "yes, no and abstain are all unknown: give the counts a source gives (at least one), or leave this vote out of votes and say in the text what is known of it")
	}
	if a, ok := f["absent"]; ok {
		switch a {
		case nil:
			bad("absent", "absent has no value: expected a whole number, 0 or more, or no absent line when no source gives it")
		case unknownCount:
			bad("absent", "absent is optional: leave it out when no source gives it, rather than writing unknown")
		default:
			vt.Absent, vt.HasAbsent = d.count(a, "absent", bad)
		}
	}
}

// tallyCount reads yes, no or abstain of a recorded vote: a whole number,
// or the word unknown (plain or quoted: YAML reads both as the same text)
// for a count no source gives. Nothing (key:, ~, null) is not unknown: an
// author who means it writes it. A missing key is reported by the caller.
func (d *decoder) tallyCount(f map[string]any, key string, bad func(key, format string, args ...any)) (n int, unknown bool) {
	v, ok := f[key]
	switch s, isText := v.(string); {
	case !ok:
		return 0, false
	case v == nil:
		bad(key, "%s has no value: expected a whole number, 0 or more, or unknown when no source gives it", key)
		return 0, false
	case isText && s == unknownCount:
		return 0, true
	case isText:
		msg := fmt.Sprintf("%s must be a whole number, 0 or more, or unknown when no source gives it; got %s", key, describe(v))
		if Closest(strings.TrimSpace(s), []string{unknownCount}) != "" {
			msg += "; write unknown, in lower case and without spaces"
		}
		bad(key, "%s", msg)
		return 0, false
	}
	n, _ = d.count(v, key, bad)
	return n, false
}

// count reads a whole number >= 0. A missing value (nil) is 0, already
// reported by the caller.
func (d *decoder) count(v any, key string, bad func(key, format string, args ...any)) (int, bool) {
	switch x := v.(type) {
	case nil:
		return 0, false
	case number:
		if x.whole && x.n < 0 {
			bad(key, "%s is %d: expected a whole number, 0 or more", key, x.n)
			return 0, false
		}
		if x.whole {
			return x.n, true
		}
	}
	bad(key, "%s must be a whole number, 0 or more; got %s", key, describe(v))
	return 0, false
}

// follows reads `follows:`, the slugs of the events this one follows from.
func (d *decoder) follows(v any) []string {
	list := d.stringList("follows", v)
	var out []string
	for _, s := range list {
		s = strings.TrimSuffix(s, ".md")
		if err := ValidSlug(s); err != nil {
			d.errAtKey("follows", "follows: "+err.Error()+"; expected the file name of an event, without .md")
			continue
		}
		if contains(out, s) {
			d.errAtKey("follows", fmt.Sprintf("follows names %q twice", s))
			continue
		}
		out = append(out, s)
	}
	return out
}

// itemLines returns the line of each of the n items of the list under the
// top-level key: each "- " of a block list, or the key's own line for a
// flow list ([a, b]) or when the lines cannot be told apart.
func (d *decoder) itemLines(key string, n int) []int {
	keyLine := d.page.Fields[key].Line
	out := make([]int, n)
	for i := range out {
		out[i] = keyLine
	}
	if keyLine == 0 || n == 0 {
		return out
	}
	var found []int
	indent := -1
	fm := d.src[:min(d.page.BodyStart, len(d.src))]
	rest := fm[lineStart(fm, keyLine+1):]
	for ln := keyLine + 1; len(rest) > 0; ln++ {
		var l []byte
		l, rest = cutLine(rest)
		t := bytes.TrimLeft(l, " ")
		if len(bytes.TrimSpace(t)) == 0 || t[0] == '#' {
			continue
		}
		ind := len(l) - len(t)
		if ind == 0 && t[0] != '-' {
			break // the next top-level key, or the closing ---
		}
		if t[0] == '-' && (len(t) == 1 || t[1] == ' ' || t[1] == '\r') {
			if indent < 0 {
				indent = ind
			}
			if ind == indent {
				found = append(found, ln)
			}
		}
	}
	if len(found) == n {
		return found
	}
	return out
}

// subKeyLine returns the line, in the list item that starts on line
// item, of its key sub; item itself when it is not found there.
func (d *decoder) subKeyLine(key string, item int, sub string) int {
	if item == d.page.Fields[key].Line {
		return item // a flow list: one line
	}
	names := []string{sub}
	switch sub {
	case "yes":
		names = append(names, "y", "Y", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
	case "no":
		names = append(names, "n", "N", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")
	}
	fm := d.src[:min(d.page.BodyStart, len(d.src))]
	rest := fm[lineStart(fm, item):]
	for ln := item; len(rest) > 0; ln++ {
		var raw []byte
		raw, rest = cutLine(rest)
		l := string(bytes.TrimRight(raw, "\r"))
		t := strings.TrimLeft(l, " ")
		if ln > item && t != "" && (len(l) == len(t) || strings.HasPrefix(t, "- ")) {
			break // the next item or top-level key
		}
		t = strings.TrimPrefix(t, "- ")
		for _, name := range names {
			for _, q := range []string{name, `"` + name + `"`, "'" + name + "'"} {
				if after, ok := strings.CutPrefix(t, q); ok && strings.HasPrefix(strings.TrimLeft(after, " "), ":") {
					return ln
				}
			}
		}
	}
	return item
}

// lineStart returns the offset in src of the start of line n (1-based),
// or len(src) past the end.
func lineStart(src []byte, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			return len(src)
		}
		off += j + 1
	}
	return off
}

// itemPos is where the list item of key on line starts: its line and the
// column of its text (of the key's value for a list written on one line).
func (d *decoder) itemPos(key string, line int) Pos {
	if line == d.page.Fields[key].Line {
		return Pos{Line: line, Col: d.page.Fields[key].Col}
	}
	return Pos{Line: line, Col: d.lineCol(line)}
}

// errAtItem reports msg at line, an item of the list under key: at the
// key's value when the item is written on the key's line ([a, b]).
func (d *decoder) errAtItem(key string, line int, msg string) {
	if line == d.page.Fields[key].Line {
		d.errAtKey(key, msg)
		return
	}
	d.errAtLine(line, msg)
}

// errAtLine reports msg at a line of the file, at its first non-blank
// character.
func (d *decoder) errAtLine(line int, msg string) {
	d.errs.Add(diag.At(d.page.Path, d.src, line, d.lineCol(line), msg))
}

// lineCol is the column of the first character of a line that is not a
// space or a list item's "-"; 0 for no line.
func (d *decoder) lineCol(line int) int {
	if line <= 0 {
		return 0
	}
	l, _ := cutLine(d.src[lineStart(d.src, line):])
	return len(l) - len(bytes.TrimLeft(l, " -")) + 1
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
