package build

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"time"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/sameslice"
	"github.com/unictimeline/sitegen/generator/render"
	"github.com/unictimeline/sitegen/generator/search"
	"github.com/unictimeline/sitegen/generator/site"
)

// memo holds what the last build made that is a pure function of inputs a
// cheap key covers, so that the next build can reuse it: every rendered
// page and every resolved body. Watch mode rebuilds a 10,000-event site
// after one event's text changed by rendering that event's page alone.
//
// The key has two parts. The site key covers what every page may read:
// the site config, the build options, the templates, and the Meta (path
// and front matter) of every event; for the few other content files (home,
// documentation, actors), whose tables of contents and bodies the site
// model carries, the whole file. The page part is the page's own parsed
// content, *content.Page, which the parse cache replaces exactly when its
// file's bytes change. Templates reach no body but that of the page they
// render (Event and Doc keep bodies unexported; PageData.Body is the page's
// own) and the template functions are pure, so a page whose two key parts
// are unchanged renders to the same bytes as before: reusing them keeps an
// incremental build equal to a clean one.
type memo struct {
	site   uint64
	pages  pagesMemo   // every page rendered (see renderAll)
	bodies site.Bodies // content → its body with links resolved
	// entries holds, per generated file (a feed, an export, the search
	// index), each entry's encoded bytes by the content it was made from.
	entries map[string]export.EntryMemo
	// search is the search index's term index and files, which the next
	// build updates for the events whose entries changed.
	search *search.Memo
	// timeline is the timeline's data files (see writeTimelineData),
	// made of the events' front matter and order only.
	timeline *timelineMemo
	// assets is each stylesheet's and script's minified bytes by its
	// source bytes (see minifyAssets): they depend on nothing else, so
	// they outlive a change of the site key.
	assets map[string]minifiedAsset
}

// pagesMemo is what renderAll made, page by page in the order of
// pageJobs: each page's site path and output file, the content it was made
// from (nil for generated list pages) and its bytes (nil when it failed).
// Under an unchanged site key pageJobs lists the same pages in the same
// order, so a page is found at its index: at 10,000 events, maps by output
// file cost more of a rebuild than rendering the one edited page.
//
// site and jobs are the site the pages were rendered from and renderAll's
// jobs for it: a build that updated that site in place lists the same
// pages, and takes the jobs too (see reuseJobs). Its pages then update
// paths, pages and out in place rather than make them again.
type pagesMemo struct {
	site  *site.Site
	jobs  []job
	paths []string
	files []string
	pages []*content.Page
	out   [][]byte
	// outputs is how many files the build's Output had in all.
	outputs int
}

// reusable returns the part of the last build's memo that a build with
// site key site may reuse: all of it when the key is unchanged, else none.
func (m *memo) reusable(site uint64) memo {
	if m.site != site {
		return memo{site: site, assets: m.assets}
	}
	return *m
}

// siteKey hashes everything that every page may read (see memo). files,
// pages and entries are parallel, as parseAll returns them; a nil page is
// a file that failed to parse. When nothing it hashes can have changed
// since the last build (see keyInputs.same), it is that build's key.
func (b *Builder) siteKey(cfgSrc []byte, tmpl *render.Templates, files []string, pages []*content.Page, entries []cached) uint64 {
	if b.keyed.same(cfgSrc, tmpl, files, entries) {
		b.keyed.entries = entries
		return b.keyed.key
	}
	key := b.hashSiteKey(cfgSrc, tmpl, files, pages, entries)
	b.keyed = keyInputs{key: key, cfg: cfgSrc, tmpl: tmpl, files: files, entries: entries}
	return key
}

// keyInputs is what the last siteKey hashed, and the key. At 10,000
// events hashing every path costs a rebuild more than a millisecond; a
// save in watch mode leaves the list of files the very same slice (see
// listContent) and changes the entries of the files it names alone.
type keyInputs struct {
	key     uint64
	cfg     []byte
	tmpl    *render.Templates
	files   []string
	entries []cached
}

// same reports whether a key made of these inputs is k's: the same
// config bytes, the same parsed templates (render.LoadAgain gives the
// same set only for the same sources), the very same list of files, and
// for each file what the key takes of it (see hashSiteKey) unchanged. An
// entry holding the same page is the same parse; only the others are
// compared.
func (k *keyInputs) same(cfgSrc []byte, tmpl *render.Templates, files []string, entries []cached) bool {
	if tmpl == nil || tmpl != k.tmpl || !sameslice.Is(files, k.files) || len(entries) != len(k.entries) || !bytes.Equal(cfgSrc, k.cfg) {
		return false
	}
	for i := range entries {
		a, b := &entries[i], &k.entries[i]
		if a.page == b.page {
			continue
		}
		switch {
		case a.page == nil || b.page == nil:
			return false
		case a.page.Kind != b.page.Kind:
			return false
		case a.page.Kind == content.KindEvent && a.metaHash != b.metaHash:
			return false
		case a.page.Kind != content.KindEvent && (a.hash != b.hash || a.size != b.size):
			return false
		}
	}
	return true
}

// hashSiteKey is siteKey's hash.
func (b *Builder) hashSiteKey(cfgSrc []byte, tmpl *render.Templates, files []string, pages []*content.Page, entries []cached) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	num := func(n uint64) {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], n)
		h.Write(buf[:])
	}
	str := func(s string) {
		num(uint64(len(s)))
		h.WriteString(s)
	}
	num(uint64(len(cfgSrc)))
	h.Write(cfgSrc)
	str(b.opts.BaseURL)
	str(boolKey(b.opts.Drafts))
	str(b.opts.SourceDate.Format(time.RFC3339Nano))
	if tmpl != nil {
		tmpl.WriteKey(&h)
	}
	for i, f := range files {
		str(f)
		c := entries[i]
		switch {
		case pages[i] == nil:
			str("failed")
		case pages[i].Kind == content.KindEvent:
			num(c.metaHash)
		default:
			num(c.hash)
			num(uint64(c.size))
		}
	}
	return h.Sum64()
}

// assembly is the last build's assembled site, under its site key: a
// build with the same key updates it in place (see site.Assembly).
type assembly struct {
	key uint64
	*site.Assembly
}

// templatesMemo is the last build's parsed templates and the base URL
// their functions were made for (render.Funcs): the templates are a pure
// function of their sources and of that URL, so a build whose template
// files hold the same bytes takes them rather than parse them again (see
// render.LoadAgain, which compares the bytes).
type templatesMemo struct {
	base string
	t    *render.Templates
}

// loadTemplates loads the templates, reusing the last build's when their
// sources and base URL are the same. A staged build keeps nothing.
func (b *Builder) loadTemplates(cfg *config.Config) (*render.Templates, diag.List) {
	base := cfg.BaseURL.String()
	var last *render.Templates
	if b.templates.base == base {
		last = b.templates.t
	}
	t, errs := render.LoadAgain(b.opts.FS, b.theme(), render.Funcs(cfg.BaseURL), last)
	if b.opts.Stage == "" {
		b.templates = templatesMemo{base: base, t: t}
	}
	return t, errs
}
