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
}

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
				add(n, "%s (expected fields: title, description, baseURL, language, period, unsafeHTML, feedLimit, types)", msg)
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
		if raw.BaseURL == baseURL {
			add(keyLine("baseURL"), "%v", err)
		} else {
			// The flag's value: one error naming it, before it makes every
			// link of the site a broken one.
			errs.Add(diag.Error{Msg: "--base-url: " + err.Error()})
		}
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
