package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/devserver"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/outdir"
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
	if err := outdir.CheckDest(c.source, c.dest, inputs); err != nil {
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
		root:    c.source,
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
	return p.loop(ctx, w, served, func(err error) int {
		// Ctrl-C: Serve has returned err after shutting down.
		stop()
		fmt.Fprintln(stdout, "stopping")
		w.Close()
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "error:", err)
			return exitBuild
		}
		return exitOK
	})
}

// loop rebuilds for every Batch of w and retries what failed, until ctx
// is done or the server (whose result comes on served) ends; stopping
// ends a Ctrl-C and returns serve's exit code.
func (p *preview) loop(ctx context.Context, w *watch.Watcher, served <-chan error, stopping func(error) int) int {
	for {
		select {
		case <-p.wake():
			p.retry()
		case <-ctx.Done():
			return stopping(<-served)
		case err := <-served:
			if ctx.Err() != nil {
				// Ctrl-C: Serve saw the cancelled context and returned
				// before this loop saw it; that is the clean stop too.
				return stopping(err)
			}
			// The listener failed under us; nothing left to serve.
			fmt.Fprintln(p.stderr, "error: serving:", err)
			return exitBuild
		case b, ok := <-w.Batches():
			if !ok {
				return exitOK
			}
			p.changed(b)
		case err := <-w.Errors():
			fmt.Fprintln(p.stderr, "warning: watching:", err)
		}
	}
}

// preview runs the build that build runs, then hands the result to the
// server. One Builder lives across rebuilds, so unchanged files are not
// parsed again, and one Syncer, so only changed outputs are written.
type preview struct {
	builder  *build.Builder
	syncer   *outdir.Syncer
	srv      *devserver.Server
	root     string // the project folder
	dest     string
	basePath string // of the last good build; "/" before it
	failed   bool   // the last build or sync failed
	// unsynced is the last build when it could not be written, and
	// syncErr what writing it said; the serve loop retries until it can.
	unsynced *build.Result
	syncErr  string
	// retryBatch is the Batch of a build that failed for a passing
	// reason (see transient), to build again after backoff; nil when
	// none waits. transientSince is when such failures began, zero when
	// the last build did not fail so; shownTransient is whether they
	// have been reported in full.
	retryBatch     *watch.Batch
	backoff        time.Duration
	transientSince time.Time
	shownTransient bool
	// inputs are the project's input folders the last good build read:
	// one of them gone is an error (see goneInputs).
	inputs []string
	// readAll makes the next build read every file, not only those its
	// Batch names: the last one failed in a way that may have left files
	// unread (too many open files, a folder gone).
	readAll bool
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
	// A newer build replaces one still waiting to be written or built
	// again, even when it fails: a retry must never show an older site.
	p.unsynced, p.retryBatch = nil, nil
	start := time.Now()
	res := p.build(b)
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
	if gone := p.goneInputs(); len(gone) > 0 {
		// Built without a folder the last good site had: that site
		// stays, in the browser and on disk, until the folder is back.
		if res.Output != nil {
			_ = res.Output.Discard()
		}
		res.Output, res.Errors = nil, gone
		p.readAll = true
	}
	if len(res.Errors) > 0 {
		p.buildFailed(b, res.Errors)
		return
	}
	p.backoff, p.transientSince, p.shownTransient = 0, time.Time{}, false
	st, err := p.syncer.Sync(res.Output)
	if err != nil {
		p.syncFailed(res, err)
		return
	}
	// Report first, then publish: a test (or an author) that sees the
	// reload also finds the line saying what the rebuild did.
	took := time.Since(start).Round(time.Millisecond)
	switch what := describe(b); {
	case what == "":
		fmt.Fprintf(p.stdout, "built %d pages from %d content files into %s (%s)\n", res.Stats.Pages, res.Stats.Files, p.dest, took)
	case len(st.Changed) == 0:
		fmt.Fprintf(p.stdout, "%s: no output changed (%s)\n", what, took)
	default:
		fmt.Fprintf(p.stdout, "%s: rebuilt in %s, %d files written, %d removed, %d content files parsed\n", what, took, st.Written, st.Removed, res.Stats.Parsed)
	}
	p.publish(res, st)
}

// build runs the Builder for b, telling it which files b names unless it
// must read them all.
func (p *preview) build(b watch.Batch) *build.Result {
	if !b.Overflow && !p.readAll && len(b.Paths)+len(b.Attrib) > 0 {
		// Only these may have changed: the build reads the content
		// files among them and trusts its cache for the rest. After an
		// overflow, or for the first build, it reads everything.
		p.builder.Changed(slices.Concat(b.Paths, b.Attrib, p.attrib))
	}
	p.attrib, p.readAll = nil, false
	return p.builder.Build()
}

// buildFailed reports a failed build, in the terminal and on every open
// page, or, when it failed for a passing reason, says so in one line and
// schedules it again; failures of that kind that last are reported in
// full all the same.
func (p *preview) buildFailed(b watch.Batch, errs diag.List) {
	p.failed = true
	if cause := transient(errs); cause != "" {
		// Files it could not open may be any of them.
		p.readAll = true
		p.retryBatch = &b
		if p.backoff == 0 {
			p.backoff, p.transientSince = firstRetry, time.Now()
			fmt.Fprintf(p.stderr, "build failed for a passing reason (%s); building again in %s\n", cause, p.backoff)
		} else {
			p.backoff = min(2*p.backoff, maxRetry)
		}
		if p.shownTransient || time.Since(p.transientSince) < showTransientAfter {
			return
		}
		p.shownTransient = true
	} else {
		p.backoff, p.transientSince, p.shownTransient = 0, time.Time{}, false
	}
	if what := describe(b); what != "" {
		fmt.Fprintf(p.stderr, "%s:\n", what)
	}
	printErrors(p.stderr, errs)
	fmt.Fprintln(p.stderr, "build failed; still serving the last good site")
	p.srv.Fail(errs)
}

// Retrying a build that failed for a passing reason: after firstRetry,
// then twice as long each time up to maxRetry. Such failures are reported
// in full once they have lasted showTransientAfter.
const (
	firstRetry         = 50 * time.Millisecond
	maxRetry           = 2 * time.Second
	showTransientAfter = 2 * time.Second
)

// transient returns what made a build fail when that passes by itself,
// "" when nothing did: the process or the system out of file descriptors
// (another program, a burst of connections), or a resource briefly
// unavailable. A build's errors are located text (diag.Error), so the
// cause is found by the system's wording of it.
func transient(errs diag.List) string {
	for _, e := range errs {
		for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.EAGAIN} {
			if strings.Contains(e.Msg, errno.Error()) {
				return errno.Error()
			}
		}
	}
	return ""
}

// goneInputs returns an error for each input folder that the last good
// build read and that is gone now: content/ moved away while serve runs
// would otherwise build, write and show an empty site over the good one.
func (p *preview) goneInputs() diag.List {
	var errs diag.List
	for _, in := range p.inputs {
		info, err := os.Stat(filepath.Join(p.root, in))
		if err == nil && info.IsDir() {
			continue
		}
		why := "is gone (moved or deleted)"
		if err == nil {
			why = "is no longer a folder"
		} else if !errors.Is(err, fs.ErrNotExist) {
			why = "cannot be read: " + project.UnwrapPathError(err)
		}
		errs.Add(diag.Error{File: in, Msg: fmt.Sprintf("the folder %s/ %s; the last good site stays served and in %s until it is back (to build without it, restart serve)", in, why, p.dest)})
	}
	return errs
}

// inputDirs returns the project's input folders that exist now.
func (p *preview) inputDirs() []string {
	var dirs []string
	for _, in := range project.Inputs() {
		if info, err := os.Stat(filepath.Join(p.root, in)); err == nil && info.IsDir() {
			dirs = append(dirs, in)
		}
	}
	return dirs
}

// maxDropping is how long rebuilds may be dropped as stale (see rebuild)
// before one is shown anyway: a process that writes into the project
// without pause must not hold the preview back for ever.
const maxDropping = time.Second

// syncRetry is how often serve tries again to write a build that could
// not be written.
const syncRetry = time.Second

// wake returns a channel that fires when something failed is due to be
// tried again, nil when nothing is.
func (p *preview) wake() <-chan time.Time {
	switch {
	case p.retryBatch != nil:
		return time.After(p.backoff)
	case p.unsynced != nil:
		// The output folder is not watched (serve writes it), so a
		// fault there (a read-only folder, a full disk) is seen gone
		// only by trying again.
		return time.After(syncRetry)
	}
	return nil
}

// retry tries again what wake was for.
func (p *preview) retry() {
	if b := p.retryBatch; b != nil {
		p.rebuild(*b)
		return
	}
	p.resync()
}

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
func (p *preview) publish(res *build.Result, st outdir.SyncStats) {
	p.failed = false
	p.inputs = p.inputDirs()
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
// data files in place (see outdir.Syncer.InPlace), since the server serves
// the site from memory and no page reads the folder.
func inPlaceSyncer(dest string) *outdir.Syncer {
	s := outdir.NewSyncer(dest)
	s.InPlace = true
	return s
}
