// Package generator is sitegen's command line: the subcommands, their
// flags and exit codes. It only wires flags to the build, watch and serve
// packages; all the work happens in build.Build. The sitegen binary is
// generator/cmd/sitegen, which calls Main:
//
//	sitegen init DIR
//	sitegen build   [--source DIR] [--config FILE] [--dest DIR] [--base-url URL] [--drafts] [--quiet]
//	sitegen check   [--source DIR] [--config FILE] [--base-url URL] [--drafts] [--quiet]
//	sitegen serve   [--source DIR] [--config FILE] [--dest DIR] [--addr HOST:PORT] [--base-url URL] [--drafts]
//	sitegen new KIND "Title" [--source DIR]
//	sitegen theme [--source DIR] [FILE...]
//	sitegen version
//
// Exit codes: 0 success, 1 content, template or output errors, 2 usage errors.
package generator

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/outdir"
	"github.com/unictimeline/sitegen/generator/project"
)

// Exit codes.
const (
	exitOK    = 0
	exitBuild = 1 // content, template or output errors
	exitUsage = 2
)

// usage is the top-level help; %[1]s is the name of the running binary.
const usage = `Usage: %[1]s <command> [flags]

Commands:
  init     write a new project into a folder: init DIR
  build    build the site into --dest (public/ under --source unless set)
  check    do everything build does (parse, validate, render, check links) without writing
  serve    build, serve at http://127.0.0.1:8080/, rebuild on every save and reload the browser
  new      create a content file: new event|actor|doc "Title"
  theme    list the built-in theme's files, or copy some into the project to override them
  version  print sitegen's version

Run "%[1]s <command> --help" for a command's flags.
`

// Main runs sitegen with args (without the program name) and returns the
// exit code; generator/cmd/sitegen calls it and exits with that code.
func Main(args []string, stdout, stderr io.Writer) int {
	return run(args, stdout, stderr)
}

// run is Main under the name the tests use.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, progName())
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "init":
		return cmdInit(rest, stdout, stderr)
	case "build":
		return cmdBuild(rest, stdout, stderr, true)
	case "check":
		return cmdBuild(rest, stdout, stderr, false)
	case "new":
		return cmdNew(rest, stdout, stderr)
	case "theme":
		return cmdTheme(rest, stdout, stderr)
	case "serve":
		return cmdServe(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "sitegen", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprintf(stdout, usage, progName())
		return exitOK
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n", cmd)
	fmt.Fprintf(stderr, usage, progName())
	return exitUsage
}

// progName is the name of the running binary, for usage lines: "sitegen"
// when installed or run with go run ./generator/cmd/sitegen, whatever it
// was renamed to otherwise.
func progName() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "sitegen"
	}
	return filepath.Base(os.Args[0])
}

// parseFlags parses a subcommand's flags; ok is false with the exit code to
// return when parsing ended the run: --help prints the usage once, on
// stdout, and exits 0; a bad flag prints the problem and the usage on
// stderr and exits 2.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	// The flag package prints the usage itself on -help and on errors;
	// it is printed here instead, once, where it belongs.
	printUsage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = printUsage }()
	fs.SetOutput(stderr)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		printUsage()
		fs.SetOutput(stderr)
		return exitOK, false
	case err != nil:
		printUsage()
		return exitUsage, false
	}
	return 0, true
}

// newFlagSet returns a subcommand's flag set, whose usage names the running
// binary and shows each flag's default once (the flag package's
// "(default ...)"; flag descriptions do not repeat it).
func newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s %s\n", progName(), synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// configFlag adds --config to fs: the site config's path relative to
// --source. configPath checks what it says.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", project.ConfigFile, "site config file, relative to --source")
}

// configPath returns --config as a slash path inside the project, or an
// error when it leaves the project, which the build never reads outside.
func configPath(flagValue string) (string, error) {
	p := path.Clean(filepath.ToSlash(flagValue))
	if filepath.IsAbs(flagValue) || p == ".." || strings.HasPrefix(p, "../") || p == "." {
		return "", fmt.Errorf("--config %q: expected a file inside the project, relative to --source (such as site.yaml or site.staging.yaml)", flagValue)
	}
	return p, nil
}

// configInputs is project.Inputs with the config file --config names: what
// the build reads, the watcher watches and --dest must stay clear of.
func configInputs(config string) []string {
	in := project.Inputs()
	if config != "" && config != project.ConfigFile {
		in = append(in, config)
	}
	return in
}

// buildCmd is what build's and check's flags say.
type buildCmd struct {
	name                          string
	write                         bool // build writes --dest; check does not
	source, config, dest, baseURL string
	drafts, quiet                 bool
}

func cmdBuild(args []string, stdout, stderr io.Writer, write bool) int {
	c, code, ok := parseBuild(args, stdout, stderr, write)
	if !ok {
		return code
	}
	// SOURCE_DATE_EPOCH is read here, at the edge, so that a build depends
	// only on its Options; it dates the iCalendar export (see README.md).
	sourceDate, err := export.ParseSourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitUsage
	}
	fsys, err := project.Open(c.source)
	if err != nil {
		fmt.Fprintln(stderr, "error:", project.OpenFailed(c.source, err))
		return exitBuild
	}
	defer fsys.Close()
	opts := build.Options{FS: fsys, Config: c.config, BaseURL: c.baseURL, Drafts: c.drafts, SourceDate: sourceDate}
	if !write {
		return c.check(opts, stdout, stderr)
	}
	return c.build(opts, stdout, stderr)
}

// parseBuild reads build's or check's flags.
func parseBuild(args []string, stdout, stderr io.Writer, write bool) (c *buildCmd, code int, ok bool) {
	c = &buildCmd{name: "check", write: write}
	synopsis := "check [--source DIR] [--config FILE] [--base-url URL] [--drafts] [--quiet]"
	if write {
		c.name, synopsis = "build", "build [--source DIR] [--config FILE] [--dest DIR] [--base-url URL] [--drafts] [--quiet]"
	}
	fs := newFlagSet(c.name, synopsis)
	fs.StringVar(&c.source, "source", ".", "project root: the folder holding site.yaml, content/ and any templates/ and assets/ of its own")
	cfg := configFlag(fs)
	if write {
		fs.StringVar(&c.dest, "dest", "", "output folder, relative to the current folder (default: public under --source)")
	}
	fs.StringVar(&c.baseURL, "base-url", "", "URL the site is published at, e.g. https://user.github.io/repo/ (overrides baseURL in the site config; a path alone, such as / or /repo/, keeps its host)")
	fs.BoolVar(&c.drafts, "drafts", false, "include pages marked draft: true")
	fs.BoolVar(&c.quiet, "quiet", false, "print nothing but errors")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return nil, code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s takes no arguments, got %q\n", c.name, fs.Args())
		fs.Usage()
		return nil, exitUsage, false
	}
	var err error
	if c.config, err = configPath(*cfg); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return nil, exitUsage, false
	}
	if c.dest == "" {
		c.dest = filepath.Join(c.source, project.DefaultDest)
	}
	if write {
		if err := outdir.CheckDest(c.source, c.dest, configInputs(c.config)); err != nil {
			fmt.Fprintln(stderr, "error:", err)
			return nil, exitUsage, false
		}
	}
	return c, 0, true
}

// check builds in memory and reports.
func (c *buildCmd) check(opts build.Options, stdout, stderr io.Writer) int {
	start := time.Now()
	stop := progress(stderr, c.quiet)
	res := build.NewBuilder(opts).Build()
	stop()
	if len(res.Errors) > 0 {
		printErrors(stderr, res.Errors)
		return exitBuild
	}
	if !c.quiet {
		fmt.Fprintf(stdout, "ok: %d content files, %d pages, every internal link resolves (%s)\n", res.Stats.Files, res.Stats.Pages, time.Since(start).Round(time.Millisecond))
	}
	return exitOK
}

// build builds into a staging folder inside --dest and syncs it into
// place: --dest holds the old site or the new one, never a mix.
func (c *buildCmd) build(opts build.Options, stdout, stderr io.Writer) int {
	start := time.Now()
	syncer := outdir.NewSyncer(c.dest)
	stage, cleanup, err := prepareDest(syncer, c.dest)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	defer cleanup()
	opts.Stage = stage
	defer oneShotGC()()
	stop := progress(stderr, c.quiet)
	res := build.NewBuilder(opts).Build()
	stop()
	if len(res.Errors) > 0 {
		printErrors(stderr, res.Errors)
		fmt.Fprintf(stderr, "build failed; %s was left as it was\n", c.dest)
		return exitBuild
	}
	st, err := syncer.Sync(res.Output)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	warnRobots(stderr, res)
	for _, p := range st.Kept {
		fmt.Fprintf(stderr, "warning: %s is no longer part of the site but was not removed: it is not as the generator wrote it (changed by hand?); delete it yourself if it is not needed\n", filepath.Join(c.dest, filepath.FromSlash(p)))
	}
	if !c.quiet {
		// The switch is the time a reader of dest could see old and new files.
		fmt.Fprintf(stdout, "built %d pages from %d content files into %s: %d files written, %d removed, %d unchanged (%s; switched in %s)\n",
			res.Stats.Pages, res.Stats.Files, c.dest, st.Written, st.Removed, st.Unchanged, time.Since(start).Round(time.Millisecond), st.Window.Round(time.Microsecond))
	}
	return exitOK
}

// buildMemoryLimit is the soft memory limit of a one-shot build: under
// the 3 GiB that a 100,000-event build must stay within (issue 18). It
// trades time for memory only near it. Since a staged build holds its
// bodies packed and lets them go as it renders (site.AssembleOnce), its
// live heap peaks near 950 MiB at 100,000 events (it was 2 GB), so the
// limit is far enough above it not to thrash. With buildGCPercent, the
// 100,000-event build measured 42.5 s and 2,601 MiB peak RSS with this
// limit; with 2,900 MiB, 43.0 s and 2,880 MiB, too near 3 GiB.
// Sites of 10,000 events never reach it.
const buildMemoryLimit = 2600 << 20

// buildGCPercent is a one-shot build's GOGC (see oneShotGC).
const buildGCPercent = 200

// oneShotGC tunes the garbage collector for a one-shot build and returns
// what restores the settings before. A build allocates much and keeps
// little, then exits; so, as esbuild does for its builds, it lets the
// collector run less often than Go's default: GOGC=200 (the heap grows
// to three times what is live, not twice) saves about 5 % of a
// 10,000-event build's wall time (3.72 -> 3.55 s, medians of 3) for
// about 100 MiB more (240 -> 340 MiB, Hugo's build takes 1,476 MiB).
// The soft memory limit keeps a 100,000-event build, whose live heap
// peaks near 950 MiB, under 3 GiB: the collector works harder only near
// it. GOGC or GOMEMLIMIT set by the user wins.
func oneShotGC() (restore func()) {
	oldPercent, oldLimit := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		oldPercent = debug.SetGCPercent(buildGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		oldLimit = debug.SetMemoryLimit(buildMemoryLimit)
	}
	return func() {
		if oldPercent != -2 {
			debug.SetGCPercent(oldPercent)
		}
		if oldLimit >= 0 {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}

// prepareDest takes the output folder for a build: it locks it (one
// build or serve per folder at a time), refuses it if it holds foreign
// files, and makes the staging folder inside it, so that the output is
// written as it is made instead of held in memory, and renamed into place
// once the whole site is good (see output.Output). cleanup removes the
// staging folder, and dest if the build made it and left it empty, and
// releases the lock.
func prepareDest(syncer *outdir.Syncer, dest string) (stage string, cleanup func(), err error) {
	_, statErr := os.Stat(dest)
	removeDest := func() {
		if statErr != nil {
			os.Remove(dest) // made for the build; removed only if nothing else is in it
		}
	}
	if err := syncer.Lock(); err != nil {
		return "", nil, err
	}
	if err := syncer.Check(); err != nil {
		removeDest()
		syncer.Close()
		return "", nil, err
	}
	if stage, err = outdir.NewStage(dest); err != nil {
		removeDest()
		syncer.Close()
		return "", nil, fmt.Errorf("cannot write to the output folder: %w", err)
	}
	return stage, func() {
		os.RemoveAll(stage) // Sync removed it already, unless the build failed
		removeDest()
		syncer.Close()
	}, nil
}

// progressAfter is how long a build runs before progress shows that it
// is still going: the real site builds in well under it.
const progressAfter = time.Second

// progress shows a line on w counting the seconds of a long build, when w
// is a terminal and not quiet, and returns the function that stops and
// erases it. Logs and pipes get no such line: only the result.
func progress(w io.Writer, quiet bool) (stop func()) {
	f, ok := w.(*os.File)
	if quiet || !ok {
		return func() {}
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(progressAfter)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\033[K") // erase the line
				}
				return
			case <-tick.C:
				shown = true
				fmt.Fprintf(f, "\rbuilding… %ds", int(time.Since(start).Seconds()))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// warnRobots warns when the site is published under a subpath: crawlers
// read robots.txt only at a host's root, so the one the build writes there
// is never read. It is a warning, not an error: the site works, and a
// project page on GitHub Pages (user.github.io/repo/) is always so.
func warnRobots(stderr io.Writer, res *build.Result) {
	if res.Site == nil || res.Site.BasePath == "/" || !res.Output.Has("robots.txt") {
		return
	}
	fmt.Fprintf(stderr, "warning: robots.txt is written under %s, where crawlers never read it (they read only /robots.txt at the host's root); its Sitemap line helps only if the host's own robots.txt points to %ssitemap.xml\n",
		res.Site.BasePath, res.Site.BasePath)
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
