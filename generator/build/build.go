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
	"hash/maphash"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/linkcheck"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/render"
	"github.com/unictimeline/sitegen/generator/search"
	"github.com/unictimeline/sitegen/generator/site"
	"github.com/unictimeline/sitegen/generator/theme"
)

// Options configure a Builder.
type Options struct {
	// FS is the project root: os.DirFS in the CLI, fstest.MapFS in tests.
	FS fs.FS
	// Theme holds the templates and assets the project's own replace file
	// by file (see package theme); nil means the default theme, built in.
	Theme fs.FS
	// Config is the site config's path in FS (the --config flag); empty
	// means project.ConfigFile, site.yaml.
	Config string
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
	// templates is the last build's templates (see loadTemplates).
	templates templatesMemo
	// keyed is what the last site key was made of (see siteKey).
	keyed keyInputs
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
	// 1. Config: without the type vocabulary nothing else can be checked.
	cfgSrc, cfg, cerrs := b.loadConfig()
	if len(cerrs) > 0 {
		return cerrs
	}
	// 2. Parse content, reusing cached pages whose bytes did not change.
	mdFiles, pages, parsed, entries := b.parseContent(cfg, &res.Stats, &errs)
	// 3. Templates.
	tmpl, terrs := b.loadTemplates(cfg)
	errs = append(errs, terrs...)
	// 4. Assemble the site model.
	keep := b.opts.Stage == ""
	var reuse memo
	var last *assembly
	if keep {
		reuse = b.memo.reusable(b.siteKey(cfgSrc, tmpl, mdFiles, pages, entries))
	}
	res.Site, last = b.assemble(cfg, mdFiles, pages, parsed, reuse, &errs)
	// 5. Render pages, exports and extras into one Output.
	out, next, made, paths := b.render(res.Site, tmpl, reuse, &errs)
	res.Stats.Pages, res.Stats.Rendered = made.pages, made.rendered
	// 6. Check every internal link of the output. Links to pages that
	// failed to render are skipped: they would only repeat those errors.
	s := res.Site
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

// loadConfig reads and parses the site config: site.yaml, or the file
// Options.Config names, which its errors name too.
func (b *Builder) loadConfig() ([]byte, *config.Config, diag.List) {
	name := b.opts.Config
	if name == "" {
		name = project.ConfigFile
	}
	src, err := fs.ReadFile(b.opts.FS, name)
	if err != nil {
		msg := "cannot read the site config: " + project.UnwrapPathError(err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "missing site config: expected " + name + " at the project root (with title, baseURL and types)"
		}
		return nil, nil, diag.List{{File: name, Msg: msg}}
	}
	cfg, errs := config.Parse(src, b.opts.BaseURL)
	for i := range errs {
		if errs[i].File == config.FileName {
			errs[i].File = name // config.Parse names site.yaml
		}
	}
	return src, cfg, errs
}

// theme returns Options.Theme, or the default theme when it is nil.
func (b *Builder) theme() fs.FS {
	if b.opts.Theme != nil {
		return b.opts.Theme
	}
	return theme.FS()
}

// parseContent lists and parses the content files, with a cache that
// holds while the parser's options are the same.
func (b *Builder) parseContent(cfg *config.Config, st *Stats, errs *diag.List) (mdFiles []string, pages []*content.Page, parsed []int, entries []cached) {
	popts := content.Options{Types: cfg.TypeKeys(), Tracks: cfg.TrackKeys(), Roles: cfg.RoleKeys(), UnsafeHTML: cfg.UnsafeHTML, DropSourceLines: true}
	if key := strings.Join(popts.Types, ",") + "|" + strings.Join(popts.Tracks, ",") + "|" + strings.Join(popts.Roles, ",") + "|" + boolKey(popts.UnsafeHTML); key != b.parserKey {
		b.cache = map[string]cached{}
		b.parsed = parsedFiles{}
		b.parserKey = key
	}
	parser := content.NewParser(popts)
	mdFiles, links := b.listContent(errs)
	pages, parsed, entries = b.parseAll(parser, mdFiles, links, errs)
	b.changed, b.hintLost = nil, false // the hint is used up
	st.Parsed = len(parsed)
	st.Files = len(mdFiles)
	return mdFiles, pages, parsed, entries
}

// assemble builds the site model, reusing the last build's resolved
// bodies and pages when every page may (see memo), and returns it with
// the assembly for the next build to update. A staged build is its
// Builder's only one (see Options.Stage): it reuses nothing and keeps
// nothing for a next build.
func (b *Builder) assemble(cfg *config.Config, mdFiles []string, pages []*content.Page, parsed []int, reuse memo, errs *diag.List) (*site.Site, *assembly) {
	last := b.assembled
	b.assembled = nil
	if b.opts.Stage != "" {
		// Nothing reads a page's raw body once assemble has resolved its
		// links (the site keeps the resolved one), and this build is the
		// Builder's last: AssembleOnce lets the raw bodies go as it
		// resolves them, a third of the live heap of a large site. The
		// cache goes too, so that a Builder used again, against
		// Options.Stage's rule, parses afresh.
		s, aerrs := site.AssembleOnce(cfg, pages, mdFiles, b.opts.Drafts)
		errs.AddAll(aerrs)
		b.cache = map[string]cached{}
		b.parsed = parsedFiles{}
		return s, nil
	}
	if last != nil && last.key == reuse.site {
		// Only event bodies changed: update the last site.
		s, aerrs := last.Update(cfg, pages, parsed)
		errs.AddAll(aerrs)
		return s, last
	}
	a, aerrs := site.NewAssembly(cfg, pages, mdFiles, b.opts.Drafts, reuse.bodies)
	errs.AddAll(aerrs)
	return a.Site, &assembly{key: reuse.site, Assembly: a}
}

// render renders the pages, and meanwhile adds the assets, feeds and
// search index: those read the site model, not the pages, so on a large
// site the feeds' encoding keeps the cores busy while templates run
// instead of starting after them. Pages go into an Output of their own and
// are merged once both are done; the result is the same whichever
// finishes first. It returns the Output, the memo for the next build, what
// rendering made, and the output's paths, sorted.
func (b *Builder) render(s *site.Site, tmpl *render.Templates, reuse memo, errs *diag.List) (*output.Output, memo, *rendered, []string) {
	keep := b.opts.Stage == ""
	out := output.New(b.opts.Stage, "files")
	pagesOut := output.New(b.opts.Stage, "pages")
	var rerrs diag.List
	made := &rendered{}
	next := memo{site: reuse.site, bodies: site.BodiesOf(s)}
	var release *bodyRelease
	if !keep {
		release = &bodyRelease{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if tmpl != nil {
			next.pages, made, rerrs = renderAll(s, tmpl, pagesOut, reuse.pages, release)
		}
	}()
	aerrs, assets := copyAssets(b.opts.FS, b.theme(), out, reuse.assets)
	errs.AddAll(aerrs)
	next.assets = assets
	if keep {
		next.entries = map[string]export.EntryMemo{}
	}
	evPages := export.EventPages(s)
	errs.AddAll(export.WriteFeeds(s, evPages, out, b.opts.SourceDate, reuse.entries, next.entries))
	search, serrs := search.Write(s, evPages, out, reuse.entries[search.File], next.entries, reuse.search)
	errs.AddAll(serrs)
	release.othersDone()
	next.search = search
	var terrs diag.List
	next.timeline, terrs = writeTimelineData(s, out, reuse.timeline)
	errs.AddAll(terrs)
	<-done
	errs.AddAll(rerrs)
	errs.AddAll(mergePages(out, pagesOut))
	next.pages.outputs = out.Len()
	var extras *export.ExtrasMemo
	if keep {
		extras = &b.extras
	}
	return out, next, made, export.WriteExtras(s, out, b.seed, extras)
}

func boolKey(v bool) string {
	if v {
		return "1"
	}
	return "0"
}
