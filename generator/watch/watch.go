// Package watch tells when a project's inputs change, in batches.
//
// fsnotify is not recursive, so a Watcher watches every folder under the
// project's input folders and adds folders as they appear. It treats every
// kind of change alike (create, write, remove, rename: editors save through
// any of them), drops editor noise (project.IgnoredPath) and anything under
// excluded folders such as the output folder, and coalesces a burst of
// events into one Batch with a trailing debounce. Changes of permissions
// and other attributes (Chmod) are kept apart from content changes, in
// Batch.Attrib: they change no output, but a file made readable again can
// fix a failed build.
//
// A Batch only says that something changed, and roughly what: the build
// that follows compares file contents, not events, so an event lost or
// misnamed by the kernel cannot leave a stale page. When the kernel's event
// queue overflows, the Batch says so and the build simply runs.
package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/unictimeline/sitegen/generator/project"
)

// DefaultDebounce is how long the project must stay quiet before a Batch is
// sent. An editor's write-rename-chmod dance and a git checkout of hundreds
// of files each write with gaps of well under a millisecond, so 5 ms
// gathers most of them into one Batch. The wait adds to every rebuild an
// author waits for, so it is kept short, and a Batch sent before the
// dance was over costs no wrong page: the build that reads half of it is
// Stale, and the rest of the dance comes in the next Batch.
const DefaultDebounce = 5 * time.Millisecond

// burstPaths is how many changed paths make a Batch a burst (a git
// checkout, a search-and-replace over the project) rather than a save. A
// burst waits burstQuiet for quiet instead of the debounce: on a loaded
// machine the writing process can stall for longer than 20 ms, and each
// stall would otherwise end a Batch and start a rebuild. A save of one or
// two files keeps the short debounce.
const (
	burstPaths = 16
	burstQuiet = 100 * time.Millisecond
)

// maxWait caps how long a steady stream of events can hold a Batch back,
// so a process that writes forever still gets the site rebuilt.
const maxWait = 2 * time.Second

// Options configure a Watcher.
type Options struct {
	// Root is the project folder.
	Root string
	// Inputs are the files and folders to watch, relative to Root
	// (project.Inputs). A folder that does not exist yet is picked up when
	// it is created.
	Inputs []string
	// Exclude lists folders (absolute, or relative to the current folder)
	// whose events are dropped: the output folder.
	Exclude []string
	// Debounce is the quiet time that ends a Batch; DefaultDebounce when 0.
	Debounce time.Duration
}

// Batch is one coalesced set of changes.
type Batch struct {
	// Paths are the changed files and folders, slash-separated and relative
	// to the root, sorted, without duplicates.
	Paths []string
	// Attrib are the files and folders whose permissions or other
	// attributes changed and that are not in Paths, in the same form. A
	// build needs them only when the last one failed: making a file
	// readable again may fix it, while a build that succeeded cannot change
	// by an attribute alone until a file is saved, which reports any file
	// made unreadable.
	Attrib []string
	// Overflow is true when the kernel dropped events: anything may have
	// changed.
	Overflow bool
	// seq is the Watcher's event count when the Batch was made (see
	// Stale).
	seq uint64
}

// Watcher watches a project. Create it with New and read Batches until
// Close.
type Watcher struct {
	opts    Options
	root    string
	exclude []string
	inputs  map[string]bool // top-level input names
	fsw     *fsnotify.Watcher
	// dirs holds the watched folders. Only New and then the loop goroutine
	// touch it.
	dirs    map[string]bool
	batches chan Batch
	errs    chan error
	done    chan struct{}
	wg      sync.WaitGroup
	// seq counts the events kept so far; the loop goroutine adds to it,
	// Stale reads it from any goroutine.
	seq atomic.Uint64
}

// New starts watching. The returned Watcher already sees every change made
// after New returns.
func New(opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		opts:    opts,
		root:    root,
		inputs:  map[string]bool{},
		fsw:     fsw,
		dirs:    map[string]bool{},
		batches: make(chan Batch),
		errs:    make(chan error, 8),
		done:    make(chan struct{}),
	}
	for _, ex := range opts.Exclude {
		a, err := filepath.Abs(ex)
		if err == nil {
			w.exclude = append(w.exclude, a)
		}
	}
	for _, in := range opts.Inputs {
		w.inputs[strings.SplitN(filepath.ToSlash(filepath.Clean(in)), "/", 2)[0]] = true
	}
	// The root itself is watched (not recursively) so that the config file,
	// saved atomically, and input folders created later are seen.
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, in := range opts.Inputs {
		p := filepath.Join(root, in)
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			if _, err := w.addTree(p); err != nil {
				fsw.Close()
				return nil, err
			}
		}
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Batches delivers coalesced changes. It is closed by Close.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Stale reports whether the project changed after b was made: a build
// that read the project for b may have read a file half-written or in the
// middle of an editor's save, and a Batch with the newer changes follows.
// Watch mode drops such a build rather than show it, unless builds keep
// going stale for long (see its rebuild). Stale is safe for concurrent use.
func (w *Watcher) Stale(b Batch) bool { return w.seq.Load() != b.seq }

// Errors delivers problems watching (a folder that cannot be watched),
// which do not stop the Watcher. Reading it is optional: errors that find
// no reader are dropped.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and closes Batches.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	err := w.fsw.Close()
	w.wg.Wait()
	return err
}

// addTree watches dir and every folder under it, and returns the files
// found there: they may have been created before the watch was in place.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone again already: its removal is an event too
			}
			return err
		}
		if p != dir && w.ignored(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.fsw.Add(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return err
			}
			w.dirs[p] = true
			return nil
		}
		found = append(found, p)
		return nil
	})
	return found, err
}

// rel returns p relative to the root, slash-separated, and whether p is
// inside the root.
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// ignored reports whether an event on p must be dropped: outside the
// inputs, editor noise, or in an excluded folder.
func (w *Watcher) ignored(p string) bool {
	for _, ex := range w.exclude {
		if p == ex || strings.HasPrefix(p, ex+string(filepath.Separator)) {
			return true
		}
	}
	r, ok := w.rel(p)
	if !ok || r == "." {
		return true
	}
	if !w.inputs[strings.SplitN(r, "/", 2)[0]] {
		return true
	}
	return project.IgnoredPath(r)
}

// takeWaiting handles the events already waiting, without blocking.
func (w *Watcher) takeWaiting(attrib map[string]bool, touch func(), note func(string)) {
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return // the loop sees the closed channel next
			}
			w.event(ev, attrib, touch, note)
		default:
			return
		}
	}
}

// loop gathers events into Batches until the Watcher is closed: one
// goroutine owns the pending Batch and its timers, so nothing else may
// touch them.
func (w *Watcher) loop() {
	defer w.wg.Done()
	defer close(w.batches)
	pending := map[string]bool{}
	attrib := map[string]bool{}
	overflow := false
	var quiet, deadline <-chan time.Time
	var out chan Batch // non-nil while a Batch waits for its reader
	var ready Batch

	// touch restarts the quiet timer; the deadline starts with the first
	// event of a Batch.
	touch := func() {
		w.seq.Add(1)
		if deadline == nil {
			deadline = time.After(maxWait)
		}
		d := w.opts.Debounce
		if len(pending) >= burstPaths {
			d = max(d, burstQuiet)
		}
		quiet = time.After(d)
	}
	note := func(p string) {
		if r, ok := w.rel(p); ok {
			pending[r] = true
		}
		touch()
	}
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.event(ev, attrib, touch, note)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				overflow = true
				touch()
				continue
			}
			w.report(err)
		case <-quiet:
			// An event may be waiting as the timer fires, and select
			// picks either at random: take what is waiting first, and if
			// it restarted the quiet timer the project was not quiet.
			quiet = nil
			w.takeWaiting(attrib, touch, note)
			if quiet != nil {
				continue
			}
			w.flush(pending, attrib, &overflow, &ready, &out)
			deadline = nil
		case <-deadline:
			w.flush(pending, attrib, &overflow, &ready, &out)
			quiet, deadline = nil, nil
		case out <- ready:
			out, ready = nil, Batch{}
		}
	}
}

// event takes one fsnotify event into the Batch being gathered: a change
// of attributes alone is recorded apart (it rebuilds only when nothing else
// changed); a folder created or renamed into place is watched, and the
// files already in it count as changed, since they sent no events.
func (w *Watcher) event(ev fsnotify.Event, attrib map[string]bool, touch func(), note func(p string)) {
	if ev.Op == 0 || w.ignored(ev.Name) {
		return
	}
	if ev.Op == fsnotify.Chmod {
		if r, ok := w.rel(ev.Name); ok {
			attrib[r] = true
			touch()
		}
		return
	}
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			files, err := w.addTree(ev.Name)
			if err != nil {
				w.report(err)
			}
			for _, f := range files {
				note(f)
			}
		}
	}
	note(ev.Name)
}

// forget drops the watches of a folder that was removed or renamed away,
// and of the folders under it. inotify keeps watching a renamed folder
// under its old name, and fsnotify then drops that watch when the folder's
// own move event arrives, possibly after the new name was added; dropping
// it here first lets the Create of the new name add a fresh watch that
// reports the new name.
func (w *Watcher) forget(p string) {
	for d := range w.dirs {
		if d == p || strings.HasPrefix(d, p+string(filepath.Separator)) {
			delete(w.dirs, d)
			_ = w.fsw.Remove(d) // already gone with a removed folder
		}
	}
}

// flush moves the pending paths into the Batch waiting to be sent, merging
// with one the reader has not taken yet: a slow build sees one Batch with
// everything that happened while it ran, not a queue of them.
func (w *Watcher) flush(pending, attrib map[string]bool, overflow *bool, ready *Batch, out *chan Batch) {
	if len(pending) == 0 && len(attrib) == 0 && !*overflow {
		return
	}
	all := map[string]bool{}
	for _, p := range ready.Paths {
		all[p] = true
	}
	for p := range pending {
		all[p] = true
		delete(pending, p)
	}
	attrs := map[string]bool{}
	for _, p := range ready.Attrib {
		attrs[p] = true
	}
	for p := range attrib {
		attrs[p] = true
		delete(attrib, p)
	}
	*ready = Batch{Paths: sortedKeys(all, nil), Attrib: sortedKeys(attrs, all), Overflow: ready.Overflow || *overflow, seq: w.seq.Load()}
	*overflow = false
	*out = w.batches
}

// sortedKeys returns m's keys that are not in skip, sorted; nil when there
// are none.
func sortedKeys(m, skip map[string]bool) []string {
	var keys []string
	for k := range m {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}
