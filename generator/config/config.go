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

	"github.com/unictimeline/sitegen/generator/diag"
	"gopkg.in/yaml.v2"
)

// FileName is the site config's name at the project root.
const FileName = "site.yaml"

// Type is one entry of the event-type vocabulary.
type Type struct {
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

type rawConfig struct {
	Title       string        `yaml:"title"`
	Description string        `yaml:"description"`
	BaseURL     string        `yaml:"baseURL"`
	Language    string        `yaml:"language"`
	Period      *rawPeriod    `yaml:"period"`
	UnsafeHTML  bool          `yaml:"unsafeHTML"`
	FeedLimit   *int          `yaml:"feedLimit"`
	DocLinks    string        `yaml:"documentLinks"`
	SiteID      string        `yaml:"siteID"`
	Types       yaml.MapSlice `yaml:"types"`
}

type rawPeriod struct {
	From int `yaml:"from"`
	To   int `yaml:"to"`
}

type rawType struct {
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
}

var lineRe = regexp.MustCompile(`line (\d+): (.*)`)

var fieldRe = regexp.MustCompile(`^field (\S+) not found in type`)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

var typeKeyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Parse reads the config file's bytes. baseURL, when not empty, overrides the
// file's baseURL (the --base-url flag); a path alone ("/", "/repo/") replaces
// only the path of the file's baseURL. It returns every problem found.
func Parse(src []byte, baseURL string) (*Config, diag.List) {
	var errs diag.List
	add := func(line int, format string, args ...any) {
		errs.Addf(FileName, src, line, 0, format, args...)
	}
	var raw rawConfig
	if err := yaml.UnmarshalStrict(src, &raw); err != nil {
		// Report the unknown or mistyped fields, then read the rest leniently
		// to find every other problem in the same run.
		msgs := strings.Split(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n"), "\n")
		for _, m := range msgs {
			m = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m), "yaml: "))
			if sm := lineRe.FindStringSubmatch(m); sm != nil {
				n, _ := strconv.Atoi(sm[1])
				msg := sm[2]
				if fm := fieldRe.FindStringSubmatch(msg); fm != nil {
					msg = fmt.Sprintf("unknown field %q", fm[1])
				}
				add(n, "%s (expected fields: title, description, baseURL, language, period, unsafeHTML, feedLimit, documentLinks, siteID, types)", msg)
			} else if m != "" {
				add(0, "%s", m)
			}
		}
		raw = rawConfig{}
		if yaml.Unmarshal(src, &raw) != nil {
			return nil, errs
		}
	}
	keyLine := func(key string) int {
		re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(key) + `\s*:`)
		if loc := re.FindIndex(src); loc != nil {
			l, _ := diag.Position(src, loc[0])
			return l
		}
		return 0
	}

	c := &Config{Title: raw.Title, Description: raw.Description, Language: raw.Language, UnsafeHTML: raw.UnsafeHTML}
	if c.Title == "" {
		add(0, "missing title: expected title: \"My site\"")
	}
	if c.Language == "" {
		c.Language = "en"
	}
	if baseURL == "" {
		baseURL = raw.BaseURL
	} else if strings.HasPrefix(baseURL, "/") {
		// A path alone ("--base-url /" or "/repo/") keeps the config's
		// scheme and host: absolute URLs (feeds, canonical links) need them.
		if u, err := ParseBaseURL(raw.BaseURL); err == nil {
			u.Path = baseURL
			baseURL = u.String()
		}
	}
	if u, err := ParseBaseURL(baseURL); err != nil {
		line := 0
		if raw.BaseURL == baseURL {
			line = keyLine("baseURL")
		}
		add(line, "%v", err)
	} else {
		c.BaseURL = u
	}
	c.FeedLimit = DefaultFeedLimit
	if raw.FeedLimit != nil {
		c.FeedLimit = *raw.FeedLimit
		if c.FeedLimit < 0 {
			add(keyLine("feedLimit"), "feedLimit: %d is negative; expected the number of newest events the feeds carry, or 0 for all of them", c.FeedLimit)
		}
	}
	c.DocumentLinks = raw.DocLinks
	c.SiteID = strings.ToLower(raw.SiteID)
	if c.SiteID != "" && !uuidRe.MatchString(c.SiteID) {
		add(keyLine("siteID"), "siteID: %q is not a UUID; expected 36 characters such as \"0b5f3c1e-6d2a-4c8e-9f1b-2a7d4e6c8b90\" (sitegen init writes one; uuidgen makes one)", raw.SiteID)
	}
	if msg := checkDocumentLinks(raw.DocLinks); msg != "" {
		add(keyLine("documentLinks"), "%s", msg)
	}
	if raw.Period != nil {
		c.PeriodFrom, c.PeriodTo = raw.Period.From, raw.Period.To
		if c.PeriodFrom > c.PeriodTo {
			add(keyLine("period"), "period: from %d is after to %d", c.PeriodFrom, c.PeriodTo)
		}
	}
	if len(raw.Types) == 0 {
		add(keyLine("types"), "missing types: expected at least one event type, e.g.\ntypes:\n  resolution:\n    label: \"Resolution\"\n    description: \"...\"")
	}
	for _, item := range raw.Types {
		key := fmt.Sprint(item.Key)
		line := keyLine(key)
		if !typeKeyRe.MatchString(key) {
			add(line, "type key %q must be lowercase letters, digits and hyphens", key)
			continue
		}
		b, _ := yaml.Marshal(item.Value)
		var rt rawType
		if err := yaml.UnmarshalStrict(b, &rt); err != nil {
			add(line, "type %q: expected label and description: %v", key, strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		if rt.Label == "" {
			add(line, "type %q has no label", key)
		}
		c.Types = append(c.Types, Type{Key: key, Label: rt.Label, Description: rt.Description})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

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

// ParseBaseURL checks a base URL: absolute http(s), no query or fragment.
// It adds the trailing slash that a base path needs.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL such as https://user.github.io/repo/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}
