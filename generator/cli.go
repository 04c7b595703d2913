package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/project"
)

// Exit codes.
const (
	exitOK    = 0
	exitBuild = 1 // content, template or output errors
	exitUsage = 2
)

const usage = `Usage: go run ./generator <command> [flags]

Commands:
  build    build the site into --dest (default public/)
  check    do everything build does (parse, validate, render, check links) without writing
  serve    build, serve at http://127.0.0.1:8080/, rebuild on every save and reload the browser
  new      create a content file: new event "Title"
  version  print the generator's version

Run "go run ./generator <command> --help" for a command's flags.
`

// run is main without os.Exit, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(rest, stdout, stderr, true)
	case "check":
		return cmdBuild(rest, stdout, stderr, false)
	case "new":
		return cmdNew(rest, stdout, stderr)
	case "serve":
		return cmdServe(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "sitegen", version())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// parseFlags parses a subcommand's flags; ok is false with the exit code to
// return when parsing ended the run (--help, or a bad flag).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(stderr)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, false
	}
	if err != nil {
		return exitUsage, false
	}
	return 0, true
}

func newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./generator %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func cmdBuild(args []string, stdout, stderr io.Writer, write bool) int {
	name, synopsis := "check", "check [--source DIR] [--base-url URL] [--drafts]"
	if write {
		name, synopsis = "build", "build [--source DIR] [--dest DIR] [--base-url URL] [--drafts]"
	}
	fs := newFlagSet(name, synopsis)
	source := fs.String("source", ".", "project root: the folder holding site.yaml, content/, templates/ and assets/")
	dest := project.DefaultDest
	if write {
		fs.StringVar(&dest, "dest", project.DefaultDest, "output folder, relative to the current folder (default: public under --source)")
	}
	baseURL := fs.String("base-url", "", "URL the site is published at, e.g. https://user.github.io/repo/ (overrides baseURL in site.yaml; a path alone, such as / or /repo/, keeps its host)")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s takes no arguments, got %q\n", name, fs.Args())
		fs.Usage()
		return exitUsage
	}
	destSet := false
	fs.Visit(func(f *flag.Flag) { destSet = destSet || f.Name == "dest" })
	if !destSet {
		dest = filepath.Join(*source, project.DefaultDest)
	}
	if write {
		if err := output.CheckDest(*source, dest, project.Inputs()); err != nil {
			fmt.Fprintln(stderr, "error:", err)
			return exitUsage
		}
	}

	// SOURCE_DATE_EPOCH is read here, at the edge, so that a build depends
	// only on its Options; it dates the iCalendar export (see README.md).
	sourceDate, err := export.ParseSourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitUsage
	}
	fsys, err := project.Open(*source)
	if err != nil {
		fmt.Fprintln(stderr, "error:", project.OpenFailed(*source, err))
		return exitBuild
	}
	defer fsys.Close()
	start := time.Now()
	opts := build.Options{FS: fsys, BaseURL: *baseURL, Drafts: *drafts, SourceDate: sourceDate}
	syncer := output.NewSyncer(dest)
	if write {
		// Refuse a folder holding foreign files before building into it.
		// Then stage the output inside it, so that it is written as it is
		// made instead of held in memory, and renamed into place once the
		// whole site is good (see output.Output).
		if err := syncer.Check(); err != nil {
			fmt.Fprintln(stderr, "error:", err)
			return exitBuild
		}
		_, statErr := os.Stat(dest)
		stage, err := output.NewStage(dest)
		if err != nil {
			fmt.Fprintln(stderr, "error: cannot write to the output folder:", err)
			return exitBuild
		}
		opts.Stage = stage
		defer func() {
			os.RemoveAll(stage) // Sync removed it already, unless the build failed
			if statErr != nil {
				os.Remove(dest) // made for the stage; removed only if nothing else is in it
			}
		}()
	}
	res := build.NewBuilder(opts).Build()
	if len(res.Errors) > 0 {
		printErrors(stderr, res.Errors)
		if write {
			fmt.Fprintf(stderr, "build failed; %s was left as it was\n", dest)
		}
		return exitBuild
	}
	if !write {
		fmt.Fprintf(stdout, "ok: %d content files, %d pages, every internal link resolves (%s)\n", res.Stats.Files, res.Stats.Pages, time.Since(start).Round(time.Millisecond))
		return exitOK
	}
	st, err := syncer.Sync(res.Output)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	fmt.Fprintf(stdout, "built %d pages from %d content files into %s: %d files written, %d removed, %d unchanged (%s)\n",
		res.Stats.Pages, res.Stats.Files, dest, st.Written, st.Removed, st.Unchanged, time.Since(start).Round(time.Millisecond))
	return exitOK
}

// printErrors prints every error with its source line, then a count.
func printErrors(w io.Writer, errs diag.List) {
	for _, e := range errs {
		fmt.Fprintln(w, e.Detail())
	}
	n := len(errs)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "%d error%s\n", n, plural)
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", `new event "Title" [--source DIR] [--date YYYY-MM-DD]`)
	source := fs.String("source", ".", "project root")
	date := fs.String("date", time.Now().Format("2006-01-02"), "the event's date: YYYY, YYYY-MM or YYYY-MM-DD")
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
	if len(pos) != 2 || pos[0] != "event" || strings.TrimSpace(pos[1]) == "" {
		fmt.Fprintln(stderr, `new needs a kind and a title: new event "Title"`)
		fs.Usage()
		return exitUsage
	}
	if _, err := content.ParseDate(*date); err != nil {
		fmt.Fprintln(stderr, "error: --date:", err)
		return exitUsage
	}
	title := strings.TrimSpace(pos[1])
	slug := content.Slugify(title)
	if slug == "" {
		fmt.Fprintf(stderr, "error: the title %q has no letters or digits to make a file name from\n", title)
		return exitUsage
	}
	rel := filepath.Join(project.ContentDir, "events", slug+".md")
	path := filepath.Join(*source, rel)
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
	typ, types := "statement", ""
	if b, err := project.ReadFile(*source, project.ConfigFile); err == nil {
		if cfg, errs := config.Parse(b, ""); len(errs) == 0 && len(cfg.Types) > 0 {
			typ, types = cfg.Types[0].Key, strings.Join(cfg.TypeKeys(), ", ")
		}
	}
	fmt.Fprintf(f, eventTemplate, yamlQuote(title), *date, typ, types)
	if err := f.Close(); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	fmt.Fprintf(stdout, "created %s (a draft: remove draft: true when it is ready)\n", rel)
	return exitOK
}

const eventTemplate = `---
title: %s
date: %s
# end: YYYY-MM-DD            # for spans, e.g. a session over several days
actor: [Actor name]          # one name or a list; see content/actors/
type: %s                     # one of the types in site.yaml: %s
summary: "One sentence saying what happened, for lists and feeds."
documents: []                # UN document symbols, e.g. [A/RES/74/247]
sources:
  - title: "Title of the source"
    url: "https://undocs.org/..."
    publisher: "United Nations"
draft: true
---
What happened, who pushed it, who opposed it and why, and what followed.
Attribute every claim to whoever made it.
`

// yamlQuote writes s as a double-quoted YAML string.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// version reports the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
