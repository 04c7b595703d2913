package generator

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/project"
)

// newKind is a kind of content file new makes.
type newKind struct {
	name, dir, what string
}

// newKinds returns the kinds new makes, in the order its usage lists
// them. A function: no package-level mutable state.
func newKinds() []newKind {
	return []newKind{
		{"event", "events", "an event, dated (a draft until you remove draft: true)"},
		{"actor", "actors", "an actor's page: a description for an actor that events name"},
		{"doc", "docs", "a documentation page under docs/"},
	}
}

func findKind(name string) (newKind, bool) {
	for _, k := range newKinds() {
		if k.name == name {
			return k, true
		}
	}
	return newKind{}, false
}

// kindList is newKinds for a usage text, one a line.
func kindList() string {
	var b strings.Builder
	for _, k := range newKinds() {
		fmt.Fprintf(&b, "  %-6s %s\n", k.name, k.what)
	}
	return b.String()
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", `new KIND "Title" [--source DIR] [--config FILE] [--date YYYY-MM-DD]`+"\n\nKinds:\n"+strings.TrimSuffix(kindList(), "\n"))
	source := fs.String("source", ".", "project root")
	cfg := configFlag(fs)
	date := fs.String("date", "", "an event's date: YYYY, YYYY-MM or YYYY-MM-DD (default: today)")
	// Flags may follow the positional arguments: new event "Title" --date 2011.
	var pos []string
	for len(args) > 0 {
		if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	kind, ok := newKind{}, len(pos) == 2
	if ok {
		kind, ok = findKind(pos[0])
	}
	if !ok || strings.TrimSpace(pos[1]) == "" {
		fmt.Fprintf(stderr, "new needs a kind and a title, such as: new event \"Title\"\nKinds:\n%s\n", kindList())
		fs.Usage()
		return exitUsage
	}
	if *date == "" {
		*date = time.Now().Format("2006-01-02")
	} else if _, err := content.ParseDate(*date); err != nil {
		fmt.Fprintln(stderr, "error: --date:", err)
		return exitUsage
	}
	cfgPath, err := configPath(*cfg)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitUsage
	}
	title := strings.TrimSpace(pos[1])
	slug := content.Slugify(title)
	if slug == "" {
		fmt.Fprintf(stderr, "error: the title %q has no letters or digits to make a file name from\n", title)
		return exitUsage
	}
	rel := filepath.Join(project.ContentDir, kind.dir, slug+".md")
	body := newFile(kind.name, title, *date, *source, cfgPath)
	if code := writeNew(filepath.Join(*source, rel), rel, body, stderr); code != exitOK {
		return code
	}
	if kind.name == "event" {
		fmt.Fprintf(stdout, "created %s (a draft: remove draft: true when it is ready)\n", rel)
	} else {
		fmt.Fprintf(stdout, "created %s\n", rel)
	}
	return exitOK
}

// writeNew writes a new file at path, never over one that exists.
func writeNew(path, rel, body string, stderr io.Writer) int {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(stderr, "error: %s already exists; not overwriting it (choose another title, or edit that file)\n", rel)
		return exitBuild
	}
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	_, err = io.WriteString(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	return exitOK
}

// newFile is the text of a new content file of a kind.
func newFile(kind, title, date, source, cfgPath string) string {
	switch kind {
	case "actor":
		return fmt.Sprintf(actorTemplate, yamlQuote(title))
	case "doc":
		return fmt.Sprintf(docTemplate, yamlQuote(title))
	}
	typ, types, track := "statement", "", ""
	// Read through the project root: a config linked outside it is not read.
	if b, err := project.ReadFile(source, cfgPath); err == nil {
		if cfg, errs := config.Parse(b, ""); len(errs) == 0 && len(cfg.Types) > 0 {
			typ, types = cfg.Types[0].Key, strings.Join(cfg.TypeKeys(), ", ")
			if len(cfg.Tracks) > 0 {
				track = fmt.Sprintf("track: %-23s # one of the tracks in site.yaml: %s\n", cfg.Tracks[0].Key, strings.Join(cfg.TrackKeys(), ", "))
			}
		}
	}
	return fmt.Sprintf(eventTemplate, yamlQuote(title), date, typ, types, track)
}

const eventTemplate = `---
title: %s
date: %s
# end: YYYY-MM-DD            # for spans, e.g. a session over several days
actor: [Actor name]          # one name or a list; see content/actors/
type: %s                     # one of the types in site.yaml: %s
%ssummary: "One sentence saying what happened, for lists and feeds."
documents: []                # document symbols; site.yaml's documentLinks makes them links
sources:
  - title: "Title of the source"
    url: "https://example.org/..."
    publisher: "Who published it"
draft: true
---
What happened, who pushed it, who opposed it and why, and what followed.
Attribute every claim to whoever made it.
`

const actorTemplate = `---
title: %s
description: "One sentence saying who this is, for the list of actors."
---
Who they are and what part they play in the timeline. The title must be the
name events give in their actor: lists.
`

const docTemplate = `---
title: %s
description: "One sentence saying what this page is for."
weight: 10                   # orders the pages of a section, lightest first
---
## A first heading

Headings make the page's table of contents.
`

// yamlQuote writes s as a double-quoted YAML string.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
