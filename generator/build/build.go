// Package site builds the whole site: it loads the project through an fs.FS,
// parses content (with a cache keyed on file contents), assembles the Site
// model, renders every page into an in-memory Output, checks every internal
// link, and syncs the Output to disk.
//
// Build is the one build path: the CLI's build and check, watch mode and the
// dev server all call it. Its result depends only on the project's files and
// Options, never on the clock or on what a previous build cached: an
// incremental build equals a clean build byte for byte.
package build

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/linkcheck"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/render"
	"github.com/unictimeline/sitegen/generator/site"
)

// Options configure a Builder.
type Options struct {
	// FS is the project root: os.DirFS in the CLI, fstest.MapFS in tests.
	FS fs.FS
	// BaseURL overrides the config's baseURL when not empty.
	BaseURL string
	// Drafts includes pages with draft: true.
	Drafts bool
	// SourceDate is SOURCE_DATE_EPOCH (see ParseSourceDateEpoch): the one
	// date the output may carry that is not in the content. Zero means unset.
	SourceDate time.Time
	// Stage, when set, is a staging folder made by NewStage for the one
	// build of this Builder: the build writes its output there as it goes
	// instead of keeping it in memory (see Output), and Sync moves it into
	// place. A one-shot build of a large site then needs memory for its
	// content, not for its output as well. Watch mode, which serves the
	// output from memory and builds again and again, leaves it empty.
	Stage string
}

// Builder builds a project again and again, reusing parsed pages whose file
// contents did not change. It is not safe for concurrent use: one build at a
// time, which is what watch mode does.
type Builder struct {
	opts  Options
	seed  maphash.Seed
	cache map[string]cached
	// parserKey identifies the parser options the cache was filled with.
	parserKey string
	// memo is what the last build rendered, for the next to reuse.
	memo memo
	// scans is what the last link check read from each page; it depends
	// on the page's bytes only, so it outlives changes of the site key.
	scans linkcheck.Scans
	// changed, when not nil, holds the only paths that may have changed
	// since the last build (see Changed); hintLost says that an earlier
	// hint was never used, so the next build may not trust one.
	changed  map[string]bool
	hintLost bool
	// listing is the last build's list of content files, when its walk
	// met no error: with a hint, the next build amends it rather than
	// walking the content folder again.
	listing *project.Listing
	// parsed is the last parseAll's result, when it met no error (see
	// parseHinted).
	parsed parsedFiles
	// assembled is the last build's site, when that build had no error,
	// for the next to update in place when only event bodies changed.
	assembled *assembly
	// extras is what the last build's export.WriteExtras made.
	extras export.ExtrasMemo
}

// Changed tells the Builder that since its last build only the files at
// these paths (slash-separated, relative to the project root), or under
// these folders, may have changed. The next build then reads again only
// the content files among them and those new to it, and takes every other
// content file from its cache without reading it: at 10,000 events,
// reading every file costs more than the rest of a rebuild. Watch mode
// calls it with each batch of file events; when events were lost (the
// watcher's queue overflowed) it does not, and the build reads every file.
// The hint holds for one build.
func (b *Builder) Changed(paths []string) {
	b.changed = make(map[string]bool, len(paths))
	for _, p := range paths {
		b.changed[path.Clean(p)] = true
	}
}

// fewHints is how many paths a hint may name for mayHaveChanged to test
// each file against each of them rather than look up each of the file's
// folders: a save names one or two, and the build asks about every file.
const fewHints = 8

// mayHaveChanged reports whether the content file f must be read again:
// when no hint was given, or when the hint names it or a folder above it.
func (b *Builder) mayHaveChanged(f string) bool {
	if b.changed == nil || b.hintLost || b.changed["."] {
		return true
	}
	if len(b.changed) <= fewHints {
		for p := range b.changed {
			if strings.HasPrefix(f, p) && (len(f) == len(p) || f[len(p)] == '/') {
				return true
			}
		}
		return false
	}
	for p := f; p != "." && p != "/"; p = path.Dir(p) {
		if b.changed[p] {
			return true
		}
	}
	return false
}

type cached struct {
	hash uint64
	size int
	// metaHash covers the path and the bytes before the body, which are
	// all the page's Meta depends on (see memo).
	metaHash uint64
	page     *content.Page
	errs     diag.List
}

// Stats counts the work of one build.
type Stats struct {
	Files  int // content files
	Parsed int // content files parsed (the rest came from the cache)
	Pages  int // HTML pages in the output
	// Rendered counts the pages rendered by this build; the others were
	// reused from the build before, their inputs unchanged (see memo).
	Rendered int
}

// Result is the outcome of a build: the site and its output when the build
// succeeded, and every problem found when it did not.
type Result struct {
	Site   *site.Site
	Output *output.Output
	Errors diag.List
	Stats  Stats
}

// NewBuilder returns a Builder for a project.
func NewBuilder(opts Options) *Builder {
	return &Builder{opts: opts, seed: maphash.MakeSeed(), cache: map[string]cached{}}
}

// Build builds the whole site in memory. On any error Result.Output is nil
// and Result.Errors lists every problem of the run, sorted.
func (b *Builder) Build() *Result {
	res := &Result{}
	res.Errors = b.build(res)
	if b.changed != nil {
		// The build stopped before it read the content (a broken site
		// config): the files the hint named were never read, and the
		// next hint will not name them again. Read everything next time.
		b.hintLost = true
	}
	b.changed = nil
	fillSources(b.opts.FS, res.Errors)
	res.Errors.Sort()
	if len(res.Errors) > 0 {
		if res.Output != nil {
			res.Output.Discard()
		}
		res.Output = nil
	}
	return res
}

func (b *Builder) build(res *Result) diag.List {
	var errs diag.List
	fsys := b.opts.FS

	// 1. Config: without the type vocabulary nothing else can be checked.
	cfgSrc, err := fs.ReadFile(fsys, project.ConfigFile)
	if err != nil {
		msg := "cannot read the site config: " + project.UnwrapPathError(err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "missing site config: expected " + project.ConfigFile + " at the project root (with title, baseURL and types)"
		}
		errs.Add(diag.Error{File: project.ConfigFile, Msg: msg})
		return errs
	}
	cfg, cerrs := config.Parse(cfgSrc, b.opts.BaseURL)
	if len(cerrs) > 0 {
		return cerrs
	}

	// 2. Parse content, reusing cached pages whose bytes did not change.
	popts := content.Options{Types: cfg.TypeKeys(), Tracks: cfg.TrackKeys(), Roles: cfg.RoleKeys(), UnsafeHTML: cfg.UnsafeHTML, DropSourceLines: true}
	if key := strings.Join(popts.Types, ",") + "|" + strings.Join(popts.Tracks, ",") + "|" + strings.Join(popts.Roles, ",") + "|" + boolKey(popts.UnsafeHTML); key != b.parserKey {
		b.cache = map[string]cached{}
		b.parsed = parsedFiles{}
		b.parserKey = key
	}
	parser := content.NewParser(popts)
	mdFiles, links := b.listContent(&errs)
	pages, parsed, entries := b.parseAll(parser, mdFiles, links, &errs)
	b.changed, b.hintLost = nil, false // the hint is used up
	res.Stats.Parsed = len(parsed)
	res.Stats.Files = len(mdFiles)

	tmpl, terrs := render.Load(fsys, render.Funcs(cfg.BaseURL))
	errs = append(errs, terrs...)

	// 4. Assemble the site model, reusing the last build's resolved
	// bodies and pages when every page may (see memo). A staged build is
	// its Builder's only one (see Options.Stage): it reuses nothing and
	// keeps nothing for a next build.
	keep := b.opts.Stage == ""
	var reuse memo
	var s *site.Site
	var aerrs diag.List
	last := b.assembled
	b.assembled = nil
	if keep {
		key := b.siteKey(cfgSrc, tmpl, mdFiles, pages, entries)
		reuse = b.memo.reusable(key)
		if last != nil && last.key == key {
			// Only event bodies changed: update the last site.
			s, aerrs = last.Update(cfg, pages, parsed)
		} else {
			var a *site.Assembly
			a, aerrs = site.NewAssembly(cfg, pages, mdFiles, b.opts.Drafts, reuse.bodies)
			s, last = a.Site, &assembly{key: key, Assembly: a}
		}
	} else {
		s, aerrs = site.Assemble(cfg, pages, mdFiles, b.opts.Drafts, nil)
	}
	errs = append(errs, aerrs...)
	res.Site = s
	if !keep {
		// Nothing reads a page's raw body once assemble has resolved its
		// links (the site keeps the resolved one), and this build is the
		// Builder's last: let the raw bodies go, a third of the live heap
		// of a large site. The cache goes too, so that a Builder used
		// again, against Options.Stage's rule, parses afresh.
		for _, p := range pages {
			if p != nil {
				p.Body = ""
			}
		}
		b.cache = map[string]cached{}
		b.parsed = parsedFiles{}
	}

	// 5. Render pages, and meanwhile add the assets, feeds and search
	// index: those read the site model, not the pages, so on a large site
	// the feeds' encoding keeps the cores busy while templates run instead
	// of starting after them. Pages go into an Output of their own and are
	// merged once both are done; the result is the same whichever finishes
	// first.
	out := output.New(b.opts.Stage, "files")
	pagesOut := output.New(b.opts.Stage, "pages")
	var rerrs diag.List
	made := &rendered{}
	next := memo{site: reuse.site, bodies: site.BodiesOf(s)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if tmpl != nil {
			next.pages, made, rerrs = renderAll(s, tmpl, pagesOut, reuse.pages)
		}
	}()
	errs = append(errs, copyAssets(fsys, out)...)
	if keep {
		next.entries = map[string]export.EntryMemo{}
	}
	evPages := export.EventPages(s)
	errs = append(errs, export.WriteFeeds(s, evPages, out, b.opts.SourceDate, reuse.entries, next.entries)...)
	errs = append(errs, export.WriteSearchIndex(s, evPages, out, reuse.entries[export.SearchFile], next.entries)...)
	<-done
	errs = append(errs, rerrs...)
	errs = append(errs, mergePages(out, pagesOut)...)
	var extras *export.ExtrasMemo
	if keep {
		extras = &b.extras
	}
	paths := export.WriteExtras(s, out, b.seed, extras)
	res.Stats.Pages = made.pages
	res.Stats.Rendered = made.rendered

	// 6. Check every internal link of the output. Links to pages that
	// failed to render are skipped: they would only repeat those errors.
	lerrs, scans := linkcheck.Check(&linkcheck.Site{
		BaseURL: s.Config.BaseURL, BasePath: s.BasePath, Out: out, Paths: paths,
		Scans: made.scans, Failed: made.failed, Templates: tmpl,
		Origins: func() map[string]linkcheck.Origin { return made.made.origins(s) },
	}, b.scans, b.seed)
	errs = append(errs, lerrs...)
	if keep {
		b.memo, b.scans = next, scans
		if len(errs) == 0 {
			// A build with errors may have left out pages, or the site
			// may hold what the errors were about: the next assembles
			// afresh.
			b.assembled = last
		}
	}
	res.Output = out
	return errs
}

func boolKey(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// listContent lists the content files to parse (the Markdown ones) and
// says which are symbolic links: from the last build's listing and the
// hint when it has both (see listing.amend), else by walking the content
// folder. A listing the hint leaves as it was gives the very same slice,
// which parseHinted counts on.
func (b *Builder) listContent(errs *diag.List) ([]string, map[string]bool) {
	if b.listing != nil && b.changed != nil && !b.hintLost {
		if l, ok := b.listing.Amend(b.opts.FS, project.ContentDir, b.changed); ok {
			b.listing = l
			return l.Markdown(), l.Links()
		}
	}
	var lerrs diag.List
	files, links := project.ListFilesAndLinks(b.opts.FS, project.ContentDir, &lerrs)
	l := project.NewListing(files, links)
	b.listing = nil
	if len(lerrs) == 0 {
		b.listing = l
	}
	errs.AddAll(lerrs)
	return l.Markdown(), links
}

// parseAll reads and parses files on every core, in order of the file list.
// links names the files that are symbolic links, which are always read.
// entries[i] is what the cache now holds for files[i] (zero when it could
// not be read), for siteKey.
func (b *Builder) parseAll(parser *content.Parser, files []string, links map[string]bool, errs *diag.List) (pages []*content.Page, parsed []int, entries []cached) {
	if pages, parsed, entries, ok := b.parseHinted(parser, files, links, errs); ok {
		return pages, parsed, entries
	}
	results := make([]parseResult, len(files))
	parallel.For(len(files), func(i int) {
		results[i] = b.parseOne(parser, files[i], links)
	})

	// Keep only the files that still exist, so deleted files leave the
	// cache. When the cache holds exactly these files, as on a save in
	// watch mode, it is updated in place rather than made anew: a map of
	// 10,000 files costs a millisecond to fill.
	inPlace := len(b.cache) == len(files)
	for i := range results {
		inPlace = inPlace && results[i].known
	}
	cache := b.cache
	if !inPlace {
		cache = make(map[string]cached, len(files))
	}
	pages = make([]*content.Page, len(files))
	entries = make([]cached, len(files))
	parsed, withErrs := record(files, func(k int) int { return k }, results, cache, !inPlace, pages, entries, errs)
	b.cache = cache
	b.parsed = parsedFiles{files: files, pages: pages, entries: entries}
	if withErrs || len(links) > 0 {
		b.parsed = parsedFiles{}
	}
	return pages, parsed, entries
}

// parsedFiles is what the last parseAll returned, for parseHinted.
type parsedFiles struct {
	files   []string
	pages   []*content.Page
	entries []cached
}

// parseHinted is parseAll for a save in watch mode: when the files are
// the very list the last parseAll was given (the listing did not change),
// that one met no error and no symbolic link, and the hint names a few
// files, each of them listed, it reads and parses those alone and takes
// every other file's page from the last result by its index, rather than
// asking the cache about each of 10,000 files. ok is false when it cannot.
func (b *Builder) parseHinted(parser *content.Parser, files []string, links map[string]bool, errs *diag.List) (pages []*content.Page, parsed []int, entries []cached, ok bool) {
	last := b.parsed
	b.parsed = parsedFiles{}
	if b.changed == nil || b.hintLost || len(b.changed) > fewHints || len(links) > 0 ||
		!sameslice.Is(last.files, files) {
		return nil, nil, nil, false
	}
	var at []int
	for p := range b.changed {
		if p != project.ContentDir && !strings.HasPrefix(p, project.ContentDir+"/") {
			if strings.HasPrefix(project.ContentDir, p+"/") || p == "." {
				return nil, nil, nil, false // a folder above the content
			}
			continue // a template, an asset, the config: not parsed
		}
		i, found := slices.BinarySearchFunc(files, p, project.WalkOrder)
		if !found {
			return nil, nil, nil, false // a folder, or a file not listed
		}
		at = append(at, i)
	}
	slices.Sort(at)
	results := make([]parseResult, len(at))
	for k, i := range at {
		results[k] = b.parseOne(parser, files[i], links)
	}
	pages, entries = slices.Clone(last.pages), slices.Clone(last.entries)
	parsed, withErrs := record(files, func(k int) int { return at[k] }, results, b.cache, false, pages, entries, errs)
	if !withErrs {
		b.parsed = parsedFiles{files: files, pages: pages, entries: entries}
	}
	return pages, parsed, entries, true
}

// record takes parse results into a build: results[k] is that of
// files[index(k)], and goes into pages and entries at that index, and
// into cache when fresh is set (a cache made for this build) or the file
// was parsed anew; a file that could not be read leaves the cache. It
// reports the results' errors, and returns the indexes of the files
// parsed anew and whether any result had an error.
func record(files []string, index func(k int) int, results []parseResult, cache map[string]cached, fresh bool, pages []*content.Page, entries []cached, errs *diag.List) (parsed []int, withErrs bool) {
	for k, r := range results {
		i := index(k)
		if r.parsed {
			parsed = append(parsed, i)
		}
		if r.rerr != nil {
			errs.Add(*r.rerr)
			delete(cache, files[i])
			pages[i], entries[i] = nil, cached{}
			withErrs = true
			continue
		}
		if fresh || r.parsed {
			cache[files[i]] = r.c
		}
		errs.AddAll(r.c.errs)
		withErrs = withErrs || len(r.c.errs) > 0
		pages[i], entries[i] = r.c.page, r.c
	}
	return parsed, withErrs
}

// parseResult is what parseOne made of one file.
type parseResult struct {
	c      cached
	parsed bool
	known  bool // the cache had the file, whatever its bytes
	rerr   *diag.Error
}

// parseOne takes the file f from the cache when it cannot have changed or
// its bytes are the same, and else reads and parses it.
func (b *Builder) parseOne(parser *content.Parser, f string, links map[string]bool) parseResult {
	c, ok := b.cache[f]
	if ok && !links[f] && !b.mayHaveChanged(f) {
		return parseResult{c: c, known: true}
	}
	src, rerr := readContent(b.opts.FS, f)
	if rerr != nil {
		return parseResult{rerr: rerr, known: ok}
	}
	h := maphash.Bytes(b.seed, src)
	if ok && c.hash == h && c.size == len(src) {
		return parseResult{c: c, known: true}
	}
	page, perrs := parser.Parse(f, src)
	c = cached{hash: h, size: len(src), page: page, errs: perrs}
	if page != nil {
		c.metaHash = maphash.Bytes(b.seed, append([]byte(f+"\x00"), src[:page.BodyStart]...))
	}
	return parseResult{c: c, parsed: true, known: ok}
}

// fillSources gives each error at a line of a content file the text of
// that line, read from the file: parsed pages do not keep their lines (see
// content.Options.DropSourceLines), and errors are few.
func fillSources(fsys fs.FS, errs diag.List) {
	files := map[string][]byte{}
	for i := range errs {
		e := &errs[i]
		if e.Source != "" || e.Line <= 0 || !strings.HasPrefix(e.File, project.ContentDir+"/") {
			continue
		}
		src, ok := files[e.File]
		if !ok {
			src, _ = fs.ReadFile(fsys, e.File)
			files[e.File] = src
		}
		e.Source = content.SourceLine(src, e.Line)
	}
}

// readContent reads a content file, refusing one over content.MaxFileSize
// before reading it, so a stray 5 GB file cannot take the build's memory.
func readContent(fsys fs.FS, name string) ([]byte, *diag.Error) {
	if info, err := fs.Stat(fsys, name); err == nil && info.Size() > content.MaxFileSize {
		return nil, &diag.Error{File: name, Msg: fmt.Sprintf("file is %d bytes; content files are limited to %d bytes (%d MiB)", info.Size(), content.MaxFileSize, content.MaxFileSize>>20)}
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &diag.Error{File: name, Msg: "cannot read: " + project.UnwrapPathError(err)}
	}
	return src, nil
}
