package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/devserver"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/watch"
)

// serveConfig is what cmdServe's flags say.
type serveConfig struct {
	source, dest, addr, baseURL string
	config                      string // --config, checked by configPath
	drafts                      bool
	// ready, when set, is called with the site's URL once the first build
	// is done and the server is listening; tests use it to learn the port.
	ready func(url string)
}

// cmdServe runs the preview server with watch-mode rebuilds.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "serve [--source DIR] [--config FILE] [--dest DIR] [--addr HOST:PORT] [--base-url URL] [--drafts]")
	var c serveConfig
	fs.StringVar(&c.source, "source", ".", "project root: the folder holding site.yaml, content/, templates/ and assets/")
	cfg := configFlag(fs)
	fs.StringVar(&c.dest, "dest", "", "output folder, kept up to date as build would write it (default: public under --source)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to serve at; only this machine can connect unless you name another interface, e.g. 0.0.0.0:8080")
	fs.StringVar(&c.baseURL, "base-url", "", "URL the site is published at (overrides baseURL in site.yaml); a path such as /repo/ is served under that path")
	fs.BoolVar(&c.drafts, "drafts", false, "include pages marked draft: true")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve takes no arguments, got %q\n", fs.Args())
		fs.Usage()
		return exitUsage
	}
	var err error
	if c.config, err = configPath(*cfg); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, stop, c, stdout, stderr)
}

// serve builds, serves and rebuilds until ctx is done. stop is called once
// shutdown begins, so that a second Ctrl-C ends the process at once.
func serve(ctx context.Context, stop func(), c serveConfig, stdout, stderr io.Writer) int {
	if c.dest == "" {
		c.dest = filepath.Join(c.source, project.DefaultDest)
	}
	inputs := configInputs(c.config)
	if err := output.CheckDest(c.source, c.dest, inputs); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitUsage
	}
	fsys, err := project.Open(c.source)
	if err != nil {
		fmt.Fprintln(stderr, "error:", project.OpenFailed(c.source, err))
		return exitBuild
	}
	defer fsys.Close()
	// One build or serve per output folder at a time: held until serve ends.
	syncer := inPlaceSyncer(c.dest)
	if err := syncer.Lock(); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	defer syncer.Close()
	srv := devserver.New(devserver.Options{Addr: c.addr})
	ln, err := srv.Listen()
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	// Watch before the first build, so that a save during it is not lost.
	w, err := watch.New(watch.Options{Root: c.source, Inputs: inputs, Exclude: []string{c.dest}})
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, "error: watching the project:", err)
		return exitBuild
	}
	defer w.Close()

	p := &preview{
		builder: build.NewBuilder(build.Options{FS: fsys, Config: c.config, BaseURL: c.baseURL, Drafts: c.drafts}),
		syncer:  syncer,
		srv:     srv,
		stale:   w.Stale,
		dest:    c.dest,
		stdout:  stdout,
		stderr:  stderr,
	}
	p.rebuild(watch.Batch{})

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String() + p.basePath
	fmt.Fprintf(stdout, "serving %s (rebuilds on every save; Ctrl-C stops)\n", url)
	if c.ready != nil {
		c.ready(url)
	}

	// stopping ends a Ctrl-C: Serve has returned err after shutting down.
	stopping := func(err error) int {
		stop()
		fmt.Fprintln(stdout, "stopping")
		w.Close()
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "error:", err)
			return exitBuild
		}
		return exitOK
	}
	for {
		// The output folder is not watched (serve writes it), so a fault
		// there (a read-only folder, a full disk) is seen gone only by
		// trying again.
		var retry <-chan time.Time
		if p.unsynced != nil {
			retry = time.After(syncRetry)
		}
		select {
		case <-retry:
			p.resync()
		case <-ctx.Done():
			return stopping(<-served)
		case err := <-served:
			if ctx.Err() != nil {
				// Ctrl-C: Serve saw the cancelled context and returned
				// before this loop saw it; that is the clean stop too.
				return stopping(err)
			}
			// The listener failed under us; nothing left to serve.
			fmt.Fprintln(stderr, "error: serving:", err)
			return exitBuild
		case b, ok := <-w.Batches():
			if !ok {
				return exitOK
			}
			p.changed(b)
		case err := <-w.Errors():
			fmt.Fprintln(stderr, "warning: watching:", err)
		}
	}
}

// preview runs the build that build runs, then hands the result to the
// server. One Builder lives across rebuilds, so unchanged files are not
// parsed again, and one Syncer, so only changed outputs are written.
type preview struct {
	builder  *build.Builder
	syncer   *output.Syncer
	srv      *devserver.Server
	dest     string
	basePath string // of the last good build; "/" before it
	failed   bool   // the last build or sync failed
	// unsynced is the last build when it could not be written, and
	// syncErr what writing it said; the serve loop retries until it can.
	unsynced *build.Result
	syncErr  string
	// attrib holds the paths whose attributes changed since the last
	// build, for the next build to read again (see Builder.Changed).
	attrib []string
	// stale reports whether the project changed after a Batch was made
	// (watch.Watcher.Stale); dropped is when the first of the builds
	// dropped since the last one shown was, zero when none was.
	stale   func(watch.Batch) bool
	dropped time.Time
	stdout  io.Writer
	stderr  io.Writer
}

// changed rebuilds for a Batch, unless only attributes changed and the
// last build was good and shown: nothing a build reads is different yet. A
// file made unreadable is read again by the next build, as a clean build
// would read it, and reported then.
func (p *preview) changed(b watch.Batch) {
	if len(b.Paths) == 0 && !b.Overflow && !p.failed && p.dropped.IsZero() {
		p.attrib = append(p.attrib, b.Attrib...)
		return
	}
	p.rebuild(b)
}

// rebuild builds and syncs; on success the server swaps in the new site
// (after it is on disk) and pages reload, on failure the errors go to the
// terminal and to every open page, and the last good site stays.
func (p *preview) rebuild(b watch.Batch) {
	// A newer build replaces one still waiting to be written, even when
	// it fails: the retry must never write an older site.
	p.unsynced = nil
	start := time.Now()
	what := describe(b)
	if !b.Overflow && len(b.Paths)+len(b.Attrib) > 0 {
		// Only these may have changed: the build reads the content
		// files among them and trusts its cache for the rest. After an
		// overflow, or for the first build, it reads everything.
		p.builder.Changed(slices.Concat(b.Paths, b.Attrib, p.attrib))
	}
	p.attrib = nil
	res := p.builder.Build()
	if p.basePath != "" && p.stale(b) && (p.dropped.IsZero() || time.Since(p.dropped) < maxDropping) {
		// Files changed while it ran: it may have read one half-saved.
		// Drop it unseen; the Batch with those changes builds again.
		// The Builder stays right, since its cache goes by contents.
		if p.dropped.IsZero() {
			p.dropped = start
		}
		return
	}
	p.dropped = time.Time{}
	if p.basePath == "" {
		p.basePath = "/"
		if res.Site != nil {
			p.basePath = res.Site.BasePath
		}
	}
	if len(res.Errors) > 0 {
		if what != "" {
			fmt.Fprintf(p.stderr, "%s:\n", what)
		}
		printErrors(p.stderr, res.Errors)
		fmt.Fprintln(p.stderr, "build failed; still serving the last good site")
		p.srv.Fail(res.Errors)
		p.failed = true
		return
	}
	st, err := p.syncer.Sync(res.Output)
	if err != nil {
		p.syncFailed(res, err)
		return
	}
	// Report first, then publish: a test (or an author) that sees the
	// reload also finds the line saying what the rebuild did.
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case what == "":
		fmt.Fprintf(p.stdout, "built %d pages from %d content files into %s (%s)\n", res.Stats.Pages, res.Stats.Files, p.dest, took)
	case len(st.Changed) == 0:
		fmt.Fprintf(p.stdout, "%s: no output changed (%s)\n", what, took)
	default:
		fmt.Fprintf(p.stdout, "%s: rebuilt in %s, %d files written, %d removed, %d content files parsed\n", what, took, st.Written, st.Removed, res.Stats.Parsed)
	}
	p.publish(res, st)
}

// maxDropping is how long rebuilds may be dropped as stale (see rebuild)
// before one is shown anyway: a process that writes into the project
// without pause must not hold the preview back for ever.
const maxDropping = time.Second

// syncRetry is how often serve tries again to write a build that could
// not be written.
const syncRetry = time.Second

// syncFailed reports that res could not be written, unless the same error
// was reported already, and keeps res to retry.
func (p *preview) syncFailed(res *build.Result, err error) {
	if p.unsynced == nil || err.Error() != p.syncErr {
		fmt.Fprintln(p.stderr, "error: writing", p.dest+":", err)
		fmt.Fprintln(p.stderr, "still serving the last good site; writing again every", syncRetry)
		p.srv.Fail(diag.List{{File: p.dest, Msg: "writing the output folder: " + err.Error()}})
	}
	p.failed = true
	p.unsynced, p.syncErr = res, err.Error()
}

// resync tries again to write the build that could not be written.
func (p *preview) resync() {
	start := time.Now()
	res := p.unsynced
	st, err := p.syncer.Sync(res.Output)
	if err != nil {
		p.syncFailed(res, err)
		return
	}
	p.unsynced = nil
	fmt.Fprintf(p.stdout, "%s can be written again: %d files written, %d removed (%s)\n", p.dest, st.Written, st.Removed, time.Since(start).Round(time.Millisecond))
	p.publish(res, st)
}

// publish hands a build that is on disk to the server.
func (p *preview) publish(res *build.Result, st output.SyncStats) {
	p.failed = false
	p.basePath = res.Site.BasePath
	p.srv.Publish(devserver.Files{Whole: res.Output.Files, Pieces: res.Output.Pieces}, res.Site.BasePath, st.Changed)
}

// describe names what a Batch changed, for the terminal.
func describe(b watch.Batch) string {
	switch {
	case b.Overflow:
		return "many files changed"
	case len(b.Paths) == 0 && len(b.Attrib) == 0:
		return ""
	case len(b.Paths) == 0:
		return "permissions of " + b.Attrib[0] + " changed"
	case len(b.Paths) == 1:
		return b.Paths[0] + " changed"
	}
	return fmt.Sprintf("%s and %d more changed", b.Paths[0], len(b.Paths)-1)
}

// inPlaceSyncer returns the Syncer serve writes with: it may update large
// data files in place (see output.Syncer.InPlace), since the server serves
// the site from memory and no page reads the folder.
func inPlaceSyncer(dest string) *output.Syncer {
	s := output.NewSyncer(dest)
	s.InPlace = true
	return s
}
