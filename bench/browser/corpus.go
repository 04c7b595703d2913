package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/unictimeline/sitegen/generator/content"
)

// corpus is what the benchmark needs of a corpus project: each event's
// slug (its file name, as the site uses it for the event's id), type and
// actors' slugs, read from the Markdown files themselves so that what the
// filtered timeline must show does not come from the site under test.
type corpus struct {
	slugs  []string // sorted
	types  map[string]string
	actors map[string][]string
}

// readCorpus reads the front matter of every file in dir/content/events.
func readCorpus(dir string) (*corpus, error) {
	files, err := filepath.Glob(filepath.Join(dir, "content", "events", "*.md"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no events in %s/content/events", dir)
	}
	c := &corpus{types: map[string]string{}, actors: map[string][]string{}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var fm struct {
			Type  string   `yaml:"type"`
			Actor []string `yaml:"actor"`
		}
		parts := bytes.SplitN(src, []byte("\n---\n"), 2)
		if len(parts) != 2 || !bytes.HasPrefix(parts[0], []byte("---\n")) {
			return nil, fmt.Errorf("%s: no front matter between --- lines", f)
		}
		if err := yaml.Unmarshal(parts[0][4:], &fm); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		slug := strings.TrimSuffix(filepath.Base(f), ".md")
		c.slugs = append(c.slugs, slug)
		c.types[slug] = fm.Type
		for _, a := range fm.Actor {
			c.actors[slug] = append(c.actors[slug], content.Slugify(a))
		}
	}
	slices.Sort(c.slugs)
	return c, nil
}

// filterCase returns the type and actor of the filtered URL and the slugs
// of the events it must show: the given ones, or else the pair with the
// most events together (the first in key order on a tie), so that the
// view is as long as a (type, actor) view of this corpus gets.
func (c *corpus) filterCase(typ, actor string) (string, string, []string) {
	if typ == "" || actor == "" {
		count := map[[2]string]int{}
		for _, s := range c.slugs {
			for _, a := range c.actors[s] {
				count[[2]string{c.types[s], a}]++
			}
		}
		best := [2]string{}
		for k, n := range count {
			if n > count[best] || n == count[best] && (k[0] < best[0] || k[0] == best[0] && k[1] < best[1]) {
				best = k
			}
		}
		typ, actor = best[0], best[1]
	}
	var want []string
	for _, s := range c.slugs {
		if c.types[s] == typ && slices.Contains(c.actors[s], actor) {
			want = append(want, s)
		}
	}
	return typ, actor, want
}
