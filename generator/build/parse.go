package build

import (
	"fmt"
	"hash/maphash"
	"io/fs"
	"slices"
	"strings"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/parallel"
	"github.com/unictimeline/sitegen/generator/project"
)

type cached struct {
	hash uint64
	size int
	// metaHash covers the path and the bytes before the body, which are
	// all the page's Meta depends on (see memo).
	metaHash uint64
	page     *content.Page
	errs     diag.List
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
