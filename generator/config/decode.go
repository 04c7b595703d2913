package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/yamltree"
)

// This file reads site.yaml's YAML into a rawConfig through yamltree's
// located tree, by YAML 1.2's core schema: "language: no" is the text
// "no", a key given twice is an error at its second occurrence, and every
// value of the wrong kind is an error at its line and column.

// topFields are the keys site.yaml may have, in the order the README
// lists them.
const topFields = "title, description, baseURL, language, period, unsafeHTML, feedLimit, timelinePart, documentLinks, siteID, types, tracks, roles"

// rawConfig is site.yaml as written, each field still unchecked but of
// the right kind.
type rawConfig struct {
	Title, Description, BaseURL, Language, DocLinks, SiteID string
	Period                                                  *rawPeriod
	UnsafeHTML                                              bool
	FeedLimit                                               *int
	TimelinePt                                              *int
	Types, Tracks, Roles                                    []vocabEntry
	// at holds the value of each top-level key, for errors about it.
	at map[string]*yamltree.Value
}

type rawPeriod struct{ From, To int }

// vocabEntry is one entry of types, tracks or roles.
type vocabEntry struct {
	Key                        string
	Label, Description, Colour string
	Landmark                   bool            // types only: marked and labelled on the overview
	key, colour                *yamltree.Value // where the key and colour were written
}

// at reports a problem at v's place (line 1 when there is none).
func (p *parser) at(v *yamltree.Value, format string, args ...any) {
	line, col := 1, 1
	if v != nil {
		line, col = v.Line, v.Col
	}
	p.errs.Addf(FileName, p.src, line, col, format, args...)
}

// decode reads the YAML. It reports false when the file is not YAML at
// all, or not a map of fields.
func (p *parser) decode() (rawConfig, bool) {
	raw := rawConfig{at: map[string]*yamltree.Value{}}
	if !utf8.Valid(p.src) {
		line, col := diag.Position(p.src, diag.FirstInvalidUTF8(p.src))
		p.errs.Addf(FileName, p.src, line, col, "invalid UTF-8: site.yaml must be UTF-8 text")
		return raw, false
	}
	// A lone CR is a line break to YAML but not to the line count of
	// errors, so it is refused with the control characters.
	if bad := controlIn(string(p.src)); bad != "" {
		i := controlAt(string(p.src))
		line, col := diag.Position(p.src, i)
		p.errs.Addf(FileName, p.src, line, col, "%s is not allowed in site.yaml: no page or feed can carry it; delete it (editors often do not show it)", bad)
		return raw, false
	}
	tree, yerrs := yamltree.Parse(p.src, 1)
	for _, e := range yerrs {
		p.errs.Addf(FileName, p.src, e.Line, e.Col, "invalid YAML: %s", e.Msg)
	}
	if tree == nil {
		return raw, false
	}
	switch tree.Kind {
	case yamltree.Null:
		return raw, true
	case yamltree.Map:
	default:
		p.at(tree, "site.yaml must be fields such as title: \"My site\", one a line; got %s", tree.Describe())
		return raw, false
	}
	for _, e := range tree.Map {
		k, v := e.Key.Text, e.Value
		raw.at[k] = v
		switch k {
		case "title":
			raw.Title = p.text(k, v)
		case "description":
			raw.Description = p.text(k, v)
		case "baseURL":
			raw.BaseURL = p.text(k, v)
		case "language":
			raw.Language = p.text(k, v)
		case "documentLinks":
			raw.DocLinks = p.text(k, v)
		case "siteID":
			raw.SiteID = p.text(k, v)
		case "unsafeHTML":
			raw.UnsafeHTML = p.boolean(k, v)
		case "feedLimit":
			if n, ok := p.integer(k, v); ok {
				raw.FeedLimit = &n
			}
		case "timelinePart":
			if n, ok := p.integer(k, v); ok {
				raw.TimelinePt = &n
			}
		case "period":
			raw.Period = p.period(v)
		case "types", "tracks", "roles":
			list := p.vocabulary(k, v)
			switch k {
			case "types":
				raw.Types = list
			case "tracks":
				raw.Tracks = list
			default:
				raw.Roles = list
			}
		default:
			p.at(e.Key, "unknown field %q (expected fields: %s)", k, topFields)
		}
	}
	return raw, true
}

// text reads a text value: a number, true/false, a list or a map is an
// error, and so is a character no page or feed can carry.
func (p *parser) text(key string, v *yamltree.Value) string {
	switch v.Kind {
	case yamltree.Null:
		return ""
	case yamltree.String:
		if bad := controlIn(v.Text); bad != "" {
			p.at(v, "%s holds %s: no page or feed can carry it; remove it", key, bad)
			return ""
		}
		return strings.TrimSpace(v.Text)
	case yamltree.Int, yamltree.Float, yamltree.Bool:
		p.at(v, "%s must be text, got %s; to mean the text, put it in quotes: %s: \"%s\"", key, v.Describe(), key, v.Text)
	default:
		p.at(v, "%s must be text, got %s", key, v.Describe())
	}
	return ""
}

func (p *parser) boolean(key string, v *yamltree.Value) bool {
	if v.Kind != yamltree.Bool {
		p.at(v, "%s must be true or false, got %s", key, v.Describe())
	}
	return v.Bool
}

// integer reads a whole number: 1.5, "7" or 1e3 are errors, not rounded.
func (p *parser) integer(key string, v *yamltree.Value) (int, bool) {
	if v.Kind != yamltree.Int || !v.IntOK {
		p.at(v, "%s must be a whole number, got %s", key, v.Describe())
		return 0, false
	}
	return v.Int, true
}

// period reads period: {from: YEAR, to: YEAR}.
func (p *parser) period(v *yamltree.Value) *rawPeriod {
	if v.Kind != yamltree.Map {
		p.at(v, "period must be a map with from and to, e.g. period: {from: 1998, to: 2025}; got %s", v.Describe())
		return nil
	}
	var out rawPeriod
	for _, e := range v.Map {
		switch e.Key.Text {
		case "from":
			out.From, _ = p.integer("period: from", e.Value)
		case "to":
			out.To, _ = p.integer("period: to", e.Value)
		default:
			p.at(e.Key, "period: unknown field %q (expected from and to)", e.Key.Text)
		}
	}
	return &out
}

// vocabulary reads types, tracks or roles: a map of keys to entries with
// label and description (and colour, for tracks).
func (p *parser) vocabulary(section string, v *yamltree.Value) []vocabEntry {
	fields := "label and description"
	switch section {
	case "tracks":
		fields = "label, description and colour"
	case "types":
		fields = "label, description and optionally landmark: true"
	}
	if v.Kind == yamltree.Null {
		return nil
	}
	if v.Kind != yamltree.Map {
		p.at(v, "%s must be a map of keys to entries with %s; got %s", section, fields, v.Describe())
		return nil
	}
	var out []vocabEntry
	for _, e := range v.Map {
		ent := vocabEntry{Key: e.Key.Text, key: e.Key}
		what := fmt.Sprintf("%s %q", singular(section), ent.Key)
		if !typeKeyRe.MatchString(ent.Key) {
			p.at(e.Key, "%s key %q must be lowercase letters, digits and hyphens", singular(section), ent.Key)
			continue
		}
		switch e.Value.Kind {
		case yamltree.Null:
		case yamltree.Map:
			for _, f := range e.Value.Map {
				switch name := f.Key.Text; {
				case name == "label":
					ent.Label = p.text(what+": label", f.Value)
				case name == "description":
					ent.Description = p.text(what+": description", f.Value)
				case name == "landmark" && section == "types":
					ent.Landmark = p.boolean(what+": landmark", f.Value)
				case name == "colour" && section == "tracks":
					ent.Colour, ent.colour = p.text(what+": colour", f.Value), f.Value
				default:
					p.at(f.Key, "%s: expected %s: unknown field %q", what, fields, name)
				}
			}
		default:
			p.at(e.Value, "%s: expected a map with %s; got %s", what, fields, e.Value.Describe())
			continue
		}
		out = append(out, ent)
	}
	return out
}

// controlIn names the first character of s that no XML output can carry
// (a control character other than tab, newline and CR before newline, or
// U+FFFE/U+FFFF), or returns "".
func controlIn(s string) string {
	if i := controlAt(s); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Sprintf("the character U+%04X", r)
	}
	return ""
}

// controlAt returns the offset of the first character controlIn names,
// or -1.
func controlAt(s string) int {
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0xfffe || r == 0xffff:
			return i
		}
	}
	return -1
}

// keyAt returns where the top-level key's value was written, or nil.
func (r rawConfig) keyAt(key string) *yamltree.Value { return r.at[key] }
