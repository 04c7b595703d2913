// Package config reads the site configuration file, site.yaml.
//
// Load validates every field and reports problems as located diag errors, so
// a typo in the config reads like a typo in content. The Config it returns is
// plain data; nothing here keeps state between builds.
package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/yamltree"
)

// FileName is the site config's name at the project root.
const FileName = "site.yaml"

// Type is one entry of the event-type vocabulary.
type Type struct {
	Key         string
	Label       string
	Description string
	// Landmark types (site.yaml `landmark: true`) are labelled on the
	// timeline's overview chart, so its milestones can be read at a glance.
	Landmark bool
}

// Track is one entry of the track vocabulary: a thread of the story, such
// as the negotiations in one committee.
type Track struct {
	Key         string
	Label       string
	Description string
	Colour      string // "#rrggbb", lowercase
}

// Role is one entry of the role vocabulary: what an actor did in an event
// (sponsored, opposed, chaired...).
type Role struct {
	Key         string
	Label       string
	Description string
}

// Config is the site configuration.
type Config struct {
	Title       string
	Description string
	BaseURL     *url.URL // always ends in "/"
	Language    string
	PeriodFrom  int // the headline period of the timeline, in years
	PeriodTo    int
	UnsafeHTML  bool
	Types       []Type // in the order the file declares them
	// Tracks are the threads of the story (site.yaml `tracks:`), in the
	// file's order; when there are any, every event names one.
	Tracks []Track
	// Roles are what an actor may have done in an event (site.yaml
	// `roles:`), in the file's order.
	Roles []Role
	// FeedLimit caps the Atom feed and the JSON Feed at the newest events
	// (DefaultFeedLimit when site.yaml does not say; 0 means every event).
	// The calendar and the data exports always carry every event.
	FeedLimit int
	// DocumentLinks is a URL pattern holding "{symbol}", which
	// DocumentURL fills with an event's document symbol; empty when
	// site.yaml sets none, and the symbols are shown as plain text.
	DocumentLinks string
	// SiteID is a UUID naming the site for good (site.yaml's siteID;
	// sitegen init writes a random one). When set, feed entry ids and
	// calendar UIDs are made from it and each event's slug rather than
	// from the base URL, so they survive a move to another domain. Empty
	// when site.yaml sets none: the ids are then the pages' URLs.
	SiteID string
	// TimelinePart caps the events of one page of the timeline (site.yaml
	// `timelinePart`; DefaultTimelinePart when unset): a timeline with more
	// is served in parts, a year or a piece of a year each (site.Parts).
	// It caps a page of a type's, actor's or track's list of events too
	// (site.ListPage): a list item weighs about what a timeline item does.
	TimelinePart int
}

// DefaultTimelinePart keeps a part of the timeline under about 300 KB of
// HTML (an event's card is about 1 KB) and a site of a few hundred events
// on one page.
const DefaultTimelinePart = 300

// DefaultFeedLimit is how many events the feeds carry when site.yaml does
// not say. Feed readers poll a feed again and again and show what is new;
// a full-text feed of a large site's every event would weigh tens of
// megabytes on each poll. Jekyll's feed plugin carries 10 posts, MkDocs
// Material's RSS plugin 20.
const DefaultFeedLimit = 50

// BasePath is the path part of the base URL, "/" or "/repo/": every link
// the site writes starts with it, so the site works under any subpath.
func (c *Config) BasePath() string { return c.BaseURL.Path }

// TypeKeys returns the type keys in declared order.
func (c *Config) TypeKeys() []string {
	keys := make([]string, len(c.Types))
	for i, t := range c.Types {
		keys[i] = t.Key
	}
	return keys
}

// TrackKeys returns the track keys in declared order.
func (c *Config) TrackKeys() []string {
	keys := make([]string, len(c.Tracks))
	for i, t := range c.Tracks {
		keys[i] = t.Key
	}
	return keys
}

// RoleKeys returns the role keys in declared order.
func (c *Config) RoleKeys() []string {
	keys := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		keys[i] = r.Key
	}
	return keys
}

var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

var typeKeyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Parse reads the config file's bytes. baseURL, when not empty, overrides the
// file's baseURL (the --base-url flag); a path alone ("/", "/repo/") replaces
// only the path of the file's baseURL. It returns every problem found.
func Parse(src []byte, baseURL string) (*Config, diag.List) {
	p := &parser{src: src}
	raw, ok := p.decode()
	if !ok {
		return nil, p.errs
	}
	c := &Config{Title: raw.Title, Description: raw.Description, Language: raw.Language, UnsafeHTML: raw.UnsafeHTML}
	if c.Title == "" && raw.keyAt("title") == nil {
		p.at(nil, "missing title: expected title: \"My site\"")
	} else if c.Title == "" {
		p.at(raw.keyAt("title"), "title is empty: expected title: \"My site\"")
	}
	if c.Language == "" {
		c.Language = "en"
	}
	c.BaseURL = p.baseURL(raw.BaseURL, baseURL, raw.keyAt("baseURL"))
	c.FeedLimit = DefaultFeedLimit
	if raw.FeedLimit != nil {
		c.FeedLimit = *raw.FeedLimit
		if c.FeedLimit < 0 {
			p.at(raw.keyAt("feedLimit"), "feedLimit: %d is negative; expected the number of newest events the feeds carry, or 0 for all of them", c.FeedLimit)
		}
	}
	if c.TimelinePart = DefaultTimelinePart; raw.TimelinePt != nil {
		if c.TimelinePart = *raw.TimelinePt; c.TimelinePart < 1 {
			p.at(raw.at["timelinePart"], "timelinePart: %d is not a positive number; expected how many events a page of the timeline may hold (%d when unset)", c.TimelinePart, DefaultTimelinePart)
		}
	}
	if raw.Period != nil {
		c.PeriodFrom, c.PeriodTo = raw.Period.From, raw.Period.To
		if c.PeriodFrom > c.PeriodTo {
			p.at(raw.keyAt("period"), "period: from %d is after to %d", c.PeriodFrom, c.PeriodTo)
		}
	}
	c.DocumentLinks = raw.DocLinks
	c.SiteID = strings.ToLower(raw.SiteID)
	if c.SiteID != "" && !uuidRe.MatchString(c.SiteID) {
		p.at(raw.keyAt("siteID"), "siteID: %q is not a UUID; expected 36 characters such as \"0b5f3c1e-6d2a-4c8e-9f1b-2a7d4e6c8b90\" (sitegen init writes one; uuidgen makes one)", raw.SiteID)
	}
	if msg := checkDocumentLinks(raw.DocLinks); msg != "" {
		p.at(raw.keyAt("documentLinks"), "%s", msg)
	}
	c.Types = p.types(raw.Types, raw.keyAt("types"))
	c.Tracks = p.tracks(raw.Tracks)
	c.Roles = p.roles(raw.Roles)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return c, nil
}

// parser is the state of one Parse: the file's bytes and the problems
// found so far.
type parser struct {
	src  []byte
	errs diag.List
}

// baseURL returns the base URL: the flag's when given (a path alone keeps
// the file's scheme and host: absolute URLs, in feeds and canonical links,
// need them), else the file's.
func (p *parser) baseURL(fromFile, flag string, at *yamltree.Value) *url.URL {
	s := flag
	if s == "" {
		s = fromFile
	} else if strings.HasPrefix(s, "/") {
		if u, err := ParseBaseURL(fromFile); err == nil {
			u.Path = s
			s = u.String()
		}
	}
	u, err := ParseBaseURL(s)
	if err != nil {
		if fromFile == s {
			p.at(at, "%v", err)
		} else {
			// The flag's value: one error naming it, before it makes every
			// link of the site a broken one.
			p.errs.Add(diag.Error{Msg: "--base-url: " + err.Error()})
		}
		return nil
	}
	return u
}

func singular(section string) string { return strings.TrimSuffix(section, "s") }

// types reads the event types, which every site needs.
func (p *parser) types(items []vocabEntry, at *yamltree.Value) []Type {
	if len(items) == 0 {
		p.at(at, "missing types: expected at least one event type, e.g.\ntypes:\n  resolution:\n    label: \"Resolution\"\n    description: \"...\"")
	}
	var out []Type
	for _, e := range items {
		if e.Label == "" {
			p.at(e.key, "type %q has no label", e.Key)
		}
		out = append(out, Type{Key: e.Key, Label: e.Label, Description: e.Description, Landmark: e.Landmark})
	}
	return out
}

// tracks reads the tracks, the threads of the story; a site may have none.
func (p *parser) tracks(items []vocabEntry) []Track {
	var out []Track
	for _, e := range items {
		if e.Label == "" {
			p.at(e.key, "track %q has no label", e.Key)
		}
		if !colourRe.MatchString(e.Colour) {
			at := e.colour
			if at == nil {
				at = e.key
			}
			p.at(at, "track %q: colour %q must be written #rrggbb, e.g. colour: \"#1f5fa8\"", e.Key, e.Colour)
		}
		out = append(out, Track{Key: e.Key, Label: e.Label, Description: e.Description, Colour: strings.ToLower(e.Colour)})
	}
	return out
}

// roles reads the roles an actor may have in an event.
func (p *parser) roles(items []vocabEntry) []Role {
	var out []Role
	for _, e := range items {
		if e.Label == "" {
			p.at(e.key, "role %q has no label", e.Key)
		}
		out = append(out, Role{Key: e.Key, Label: e.Label, Description: e.Description})
	}
	return out
}

// ParseBaseURL checks a base URL: absolute http(s), no query, fragment
// or %-escape, a valid port, and a path whose segments are
// names a URL holds as they are (letters, digits, '-', '_', '.', '~'; no
// empty, "." or ".." segment, which would resolve every link elsewhere).
// It adds the trailing slash that a base path needs.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL such as https://user.github.io/repo/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", s)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("base URL %q has port %s; expected 1 to 65535", s, p)
		}
	}
	if strings.Contains(s, "%") {
		return nil, fmt.Errorf("base URL %q must not hold %%-escapes: write the characters themselves", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if err := checkBasePath(u.Path); err != nil {
		return nil, fmt.Errorf("base URL %q: %v", s, err)
	}
	u.RawPath = ""
	return u, nil
}

// SymbolPlaceholder is what a documentLinks pattern holds where the
// document's symbol goes.
const SymbolPlaceholder = "{symbol}"

// DocumentURL returns the link for a document symbol (an entry of an
// event's documents: list) made from documentLinks, or "" when site.yaml
// sets no pattern. The symbol is escaped as path segments, its slashes
// kept (A/RES/74/247 stays readable in the URL), and & + = escaped too,
// so that a symbol placed in a query stays one value.
func (c *Config) DocumentURL(symbol string) string {
	if c.DocumentLinks == "" {
		return ""
	}
	segs := strings.Split(symbol, "/")
	for i, s := range segs {
		segs[i] = symbolEscaper.Replace(url.PathEscape(s))
	}
	return strings.ReplaceAll(c.DocumentLinks, SymbolPlaceholder, strings.Join(segs, "/"))
}

var symbolEscaper = strings.NewReplacer("&", "%26", "+", "%2B", "=", "%3D")

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkDocumentLinks says what is wrong with a documentLinks pattern, or
// "" when nothing is (an empty pattern is no pattern).
func checkDocumentLinks(p string) string {
	if p == "" {
		return ""
	}
	if !strings.Contains(p, SymbolPlaceholder) {
		return fmt.Sprintf("documentLinks: %q has no %s; expected a URL pattern such as \"https://undocs.org/%s\"", p, SymbolPlaceholder, SymbolPlaceholder)
	}
	u, err := url.Parse(strings.Replace(p, SymbolPlaceholder, "x", 1))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("documentLinks: %q is not an absolute http or https URL; expected a pattern such as \"https://undocs.org/%s\"", p, SymbolPlaceholder)
	}
	return ""
}

// checkBasePath checks the path of a base URL, which ends in "/".
func checkBasePath(p string) error {
	if p == "/" {
		return nil
	}
	for _, seg := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("the path %s must not have empty, \".\" or \"..\" segments", p)
		}
		for _, r := range seg {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.~", r)) {
				return fmt.Errorf("the path %s may hold only letters, digits, '-', '_', '.' and '~' between its slashes; %q is not allowed", p, r)
			}
		}
	}
	return nil
}
