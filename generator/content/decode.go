package content

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
)

// knownFields lists, per kind, the front matter keys a page may have.
// A function rather than a package-level map: no package-level mutable state.
func knownFields(k Kind) []string {
	switch k {
	case KindEvent:
		return []string{"title", "date", "end", "actor", "type", "track", "summary", "sources", "documents", "votes", "follows", "draft", "slug", "description", "params"}
	case KindActor:
		return []string{"title", "description", "slug", "params", "draft"}
	case KindDoc:
		return []string{"title", "description", "weight", "audience", "draft", "slug", "params"}
	case KindHome:
		return []string{"title", "description", "params"}
	}
	return nil
}

// decode fills page from the front matter map, reporting every problem.
func (p *Parser) decode(page *Page, fm map[string]any, src []byte, errs *diag.List) {
	d := decoder{page: page, src: src, errs: errs}

	keys := make([]string, 0, len(fm))
	for k := range fm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(knownFields(page.Kind), k) {
			msg := fmt.Sprintf("unknown front matter field %q for %s page", k, article(page.Kind.String()))
			if c := Closest(k, knownFields(page.Kind)); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			msg += " (allowed: " + strings.Join(knownFields(page.Kind), ", ") + "; put custom fields under params)"
			d.errAtKey(k, msg)
		}
	}

	page.Title = d.str(fm, "title")
	page.Description = d.str(fm, "description")
	page.Draft = d.boolean(fm, "draft")
	if v, ok := fm["params"]; ok {
		if m, ok := v.(map[string]any); ok {
			page.Params = m
		} else {
			d.errAtKey("params", "params must be a map of names to values")
		}
	}
	page.Slug = strings.TrimSuffix(path.Base(page.Path), ".md")
	if page.Kind == KindHome {
		page.Slug = ""
	}
	// A slug that is not text is reported by d.str, and not again as
	// an empty slug.
	if s, ok := fm["slug"]; ok {
		slug := d.str(fm, "slug")
		_, isText := s.(string)
		switch err := ValidSlug(slug); {
		case s != nil && !isText:
		case err != nil:
			d.errAtKey("slug", err.Error())
		case s != nil:
			page.Slug = slug
		}
	}

	switch page.Kind {
	case KindDoc:
		d.required(fm, "title", "a title, e.g. title: \"Overview\"")
		if _, ok := fm["weight"]; ok {
			w, ok := fm["weight"].(number)
			if !ok || !w.whole {
				d.errAtKey("weight", fmt.Sprintf("weight must be a whole number, got %s", describe(fm["weight"])))
			}
			page.Weight = w.n
		}
		page.Audience = d.audience(fm)
	case KindEvent:
		p.decodeEvent(&d, fm)
	}
}

// Audiences are the values of a documentation page's `audience` field: whom
// the page is for. The docs navigation shows one group per audience, in
// this order; a page without the field is for readers.
func Audiences() []string { return []string{AudienceReaders, AudienceContributors} }

// The audiences of documentation pages (see Audiences).
const (
	AudienceReaders      = "readers"
	AudienceContributors = "contributors"
)

// audience decodes a documentation page's `audience`: one of Audiences,
// readers when absent.
func (d *decoder) audience(fm map[string]any) string {
	if _, ok := fm["audience"]; !ok {
		return AudienceReaders
	}
	a := d.str(fm, "audience")
	if !contains(Audiences(), a) {
		d.errAtKey("audience", fmt.Sprintf("audience must be one of %s, got %q (readers: guides for people reading the site; contributors: guides for people writing it)", strings.Join(Audiences(), ", "), a))
		return AudienceReaders
	}
	return a
}

func (p *Parser) decodeEvent(d *decoder, fm map[string]any) {
	page := d.page
	d.required(fm, "title", "a title, e.g. title: \"SCO states circulate a draft code of conduct\"")
	page.Summary = d.str(fm, "summary")

	page.Date = d.date(fm, "date")
	d.required(fm, "date", "a date written "+DateForms)
	page.End = d.date(fm, "end")
	if !page.Date.IsZero() && !page.End.IsZero() && page.End.Last().Before(page.Date.Time) {
		d.errAtKey("end", fmt.Sprintf("end %s is before date %s", page.End, page.Date))
	}

	if v, ok := fm["actor"]; !ok {
		d.required(fm, "actor", "one actor name or a list, e.g. actor: [Russia, China]")
	} else {
		p.actors(d, v)
	}

	if v, ok := fm["type"]; !ok {
		d.required(fm, "type", "one of: "+strings.Join(p.opts.Types, ", "))
	} else if t, ok := v.(string); !ok || strings.TrimSpace(t) == "" {
		d.errAtKey("type", fmt.Sprintf("type must be one of: %s; got %s", strings.Join(p.opts.Types, ", "), describe(v)))
	} else if !contains(p.opts.Types, t) {
		msg := fmt.Sprintf("unknown event type %q", t)
		if c := Closest(t, p.opts.Types); c != "" {
			msg += fmt.Sprintf("; did you mean %q?", c)
		}
		msg += " (the site config allows: " + strings.Join(p.opts.Types, ", ") + ")"
		d.errAtKey("type", msg)
	} else {
		page.Type = t
	}
	p.decodeTrack(d, fm)

	if v, ok := fm["documents"]; ok {
		page.Documents = d.stringList("documents", v)
	}
	if v, ok := fm["sources"]; ok {
		page.Sources = d.sources(v)
	}
	if v, ok := fm["votes"]; ok {
		n, _ := fm["sources"].([]any)
		page.Votes = d.votes(v, len(n))
	}
	if v, ok := fm["follows"]; ok {
		page.Follows = d.follows(v)
	}
}

// decoder reads typed values out of a front matter map, reporting at the
// line of the key.
type decoder struct {
	page *Page
	src  []byte
	errs *diag.List
}

func (d *decoder) errAtKey(key, msg string) {
	pos := d.page.Fields[key]
	d.errs.Add(diag.Error{File: d.page.Path, Line: pos.Line, Col: pos.Col, Msg: msg, Source: pos.Source})
}

// required reports a missing key at the front matter's first line, or an
// empty value at the key.
func (d *decoder) required(fm map[string]any, key, what string) {
	v, ok := fm[key]
	switch {
	case !ok:
		d.errs.Addf(d.page.Path, d.src, 1, 1, "missing required field %q in front matter: expected %s", key, what)
	case v == nil || v == "":
		d.errAtKey(key, fmt.Sprintf("%s is empty: expected %s", key, what))
	}
}

// str reads the top-level text field key.
func (d *decoder) str(fm map[string]any, key string) string {
	return d.text(fm, key, func(msg string) { d.errAtKey(key, msg) })
}

// text reads the text field key of fm, passing report what is wrong.
func (d *decoder) text(fm map[string]any, key string, report func(msg string)) string {
	v, ok := fm[key]
	if !ok || v == nil {
		return ""
	}
	if x, ok := v.(string); ok {
		return strings.TrimSpace(x)
	}
	report(textError(key, v))
	return ""
}

func (d *decoder) boolean(fm map[string]any, key string) bool {
	v, ok := fm[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.errAtKey(key, fmt.Sprintf("%s must be true or false, got %s", key, describe(v)))
	}
	return b
}

// date reads the top-level date field key.
func (d *decoder) date(fm map[string]any, key string) Date {
	return d.dateAt(fm, key, func(msg string) { d.errAtKey(key, msg) })
}

// dateAt reads the date field key of fm, passing report what is wrong.
func (d *decoder) dateAt(fm map[string]any, key string, report func(msg string)) Date {
	v, ok := fm[key]
	if !ok {
		return Date{}
	}
	var s string
	switch x := v.(type) {
	case number:
		// The year as written: "0123" is the year 123, not a number.
		s = x.text
	case string:
		s = x
	default:
		report(fmt.Sprintf("%s must be a date written %s; got %s", key, DateForms, describe(v)))
		return Date{}
	}
	dt, err := ParseDate(s)
	if err != nil {
		report(key + ": " + err.Error())
	}
	return dt
}

func (d *decoder) stringList(key string, v any) []string {
	var raw []any
	switch x := v.(type) {
	case string:
		raw = []any{x}
	case []any:
		raw = x
	default:
		d.errAtKey(key, fmt.Sprintf("%s must be a list of text, got %s", key, describe(v)))
		return nil
	}
	var out []string
	for _, a := range raw {
		s, ok := a.(string)
		if !ok || strings.TrimSpace(s) == "" {
			d.errAtKey(key, fmt.Sprintf("each entry of %s must be non-empty text, got %s", key, describe(a)))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func (d *decoder) sources(v any) []Source {
	list, ok := v.([]any)
	if !ok {
		d.errAtKey("sources", fmt.Sprintf("sources must be a list of entries with title and url, got %s", describe(v)))
		return nil
	}
	var out []Source
	for i, item := range list {
		m, ok := item.(map[any]any)
		if !ok {
			d.errAtKey("sources", fmt.Sprintf("source %d must be a map with title and url, got %s", i+1, describe(item)))
			continue
		}
		fields := stringKeys(m)
		var s Source
		for k := range fields {
			if !contains([]string{"title", "url", "publisher", "date"}, k) {
				d.errAtKey("sources", fmt.Sprintf("source %d has unknown field %q (allowed: title, url, publisher, date)", i+1, k))
			}
		}
		report := func(msg string) { d.errAtKey("sources", fmt.Sprintf("source %d: %s", i+1, msg)) }
		s.Title = d.text(fields, "title", report)
		s.URL = d.text(fields, "url", report)
		s.Publisher = d.text(fields, "publisher", report)
		if s.Title == "" {
			d.errAtKey("sources", fmt.Sprintf("source %d has no title", i+1))
		}
		if s.URL == "" {
			d.errAtKey("sources", fmt.Sprintf("source %d has no url", i+1))
		} else if !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			d.errAtKey("sources", fmt.Sprintf("source %d url %q must start with https:// or http://", i+1, s.URL))
		}
		if _, ok := fields["date"]; ok {
			s.Date = d.dateAt(fields, "date", report)
		}
		out = append(out, s)
	}
	return out
}

func stringKeys(m map[any]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		// Nearly every key is text, which fmt.Sprint would only copy.
		if s, ok := k.(string); ok {
			out[s] = v
			continue
		}
		out[fmt.Sprint(k)] = v
	}
	return out
}

// textError says that the text field key was given v, a number, true or
// false, a list or a map. A number or a true/false value was text to its
// author, who is told to quote it; YAML 1.1 made "title: No" false, which
// YAML 1.2 (and so this decoder) reads as the text "No".
func textError(key string, v any) string {
	msg := fmt.Sprintf("%s must be text, got %s", key, describe(v))
	switch x := v.(type) {
	case number:
		msg += fmt.Sprintf("; to mean the text, put it in quotes: %s: \"%s\"", key, x.text)
	case bool:
		msg += fmt.Sprintf("; to mean the text, put it in quotes: %s: \"%v\"", key, x)
	}
	return msg
}

// describe names a YAML value's kind for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("text %q", x)
	case number:
		return "the number " + x.text
	case bool:
		return fmt.Sprintf("%v (a true/false value)", x)
	case []any:
		return "a list"
	case map[any]any, map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
