// Package render loads the project's html/template files and executes them.
//
// The templates are the default theme's (package theme) with the project's
// own under templates/ in place of any of the same name. Every file is
// parsed into one set, named by its path relative to templates/
// ("event.html", "partials/nav.html"). A page template defines "main" (and
// may define "head"); Render clones the shared set, adds the page template
// and executes "base". Template errors — at parse or at execution — come
// back as diag errors located at the file that has the fault:
// templates/<file>:<line>:<col> for the project's, theme/templates/<file>
// for the theme's.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/theme"
)

// Dir is the templates folder, relative to the project root.
const Dir = "templates"

// Templates is a parsed template set, ready to render pages concurrently.
type Templates struct {
	pages map[string]*template.Template
	src   map[string][]byte // template sources, for error source lines
	// file is where each template comes from, as errors name it:
	// "templates/x.html" in the project, "theme/templates/x.html" in
	// the theme.
	file map[string]string
	// parts is the partialCached cache, emptied when the set is reused
	// for another build (see LoadAgain).
	parts *partials
	// bufs holds render buffers: a page is rendered into a buffer that has
	// already grown to page size, then copied out at its exact length, so a
	// large site does not pay for a buffer growing from nothing on every
	// page, nor keep each page's unused capacity alive in the Output.
	bufs sync.Pool
}

// Load parses every template under templates/ in the project proj and in
// the theme th (nil for none), the project's file replacing the theme's of the
// same name. A file at the top level of templates/ is a page template;
// files in subfolders (partials/) and base.html are shared by every page.
func Load(proj, th fs.FS, funcs template.FuncMap) (*Templates, diag.List) {
	return LoadAgain(proj, th, funcs, nil)
}

// LoadAgain is Load for a build after the one that loaded last, which
// must have been given the same funcs (the same base URL): when every
// template is the same file with the same bytes, it returns last, its
// partialCached results dropped, instead of parsing the set again (in
// watch mode, a few milliseconds of every rebuild). last may be nil.
func LoadAgain(proj, th fs.FS, funcs template.FuncMap, last *Templates) (*Templates, diag.List) {
	var errs diag.List
	t := &Templates{pages: map[string]*template.Template{}, src: map[string][]byte{}, file: map[string]string{}}
	var shared, pages []string
	for _, f := range theme.Files(proj, th, Dir, &errs) {
		b, err := fs.ReadFile(f.FS, f.Path)
		if err != nil {
			errs.Add(diag.Error{File: f.Report(), Msg: "cannot read: " + err.Error()})
			continue
		}
		t.src[f.Name] = b
		t.file[f.Name] = f.Report()
		if strings.Contains(f.Name, "/") || f.Name == "base.html" {
			shared = append(shared, f.Name)
		} else {
			pages = append(pages, f.Name)
		}
	}
	if len(errs) == 0 && last.sameSources(t) {
		last.parts.reset()
		return last, nil
	}
	if _, ok := t.src["base.html"]; !ok {
		errs.Add(diag.Error{File: Dir + "/base.html", Msg: `missing base layout: expected templates/base.html defining the page skeleton, which calls {{template "main" .}}`})
		return nil, errs
	}
	sort.Strings(shared)
	sort.Strings(pages)
	parts := &partials{t: t, done: map[partialKey]*partialResult{}}
	t.parts = parts
	root := template.New("").Funcs(funcs).Funcs(template.FuncMap{"partialCached": parts.call})
	for _, name := range shared {
		if _, err := root.New(name).Parse(string(t.src[name])); err != nil {
			errs.Add(t.locate(err))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// partialCached executes the shared templates on a clone of their own:
	// html/template refuses to clone a set that has been executed, and
	// every page template below is a clone of root.
	parts.root = template.Must(root.Clone())
	for _, name := range pages {
		c := template.Must(root.Clone())
		if _, err := c.New(name).Parse(string(t.src[name])); err != nil {
			errs.Add(t.locate(err))
			continue
		}
		t.pages[name] = c
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

// sameSources reports whether t, which may be nil, was loaded from the
// very files and bytes that u was read from.
func (t *Templates) sameSources(u *Templates) bool {
	if t == nil || len(t.src) != len(u.src) {
		return false
	}
	for name, b := range u.src {
		if t.file[name] != u.file[name] || !bytes.Equal(t.src[name], b) {
			return false
		}
	}
	return true
}

// WriteKey writes every template's name and source to w in a fixed order.
// A page's output is a pure function of its data and these sources (the
// template functions are pure too), so a hash of them is part of the key
// under which a build may reuse a page rendered before.
func (t *Templates) WriteKey(w io.Writer) {
	names := make([]string, 0, len(t.src))
	for name := range t.src {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "%s\x00%s\x00%d\x00", name, t.file[name], len(t.src[name]))
		w.Write(t.src[name])
	}
}

// File returns the path an error about the template name names: the
// project's templates/name, or the theme's theme/templates/name when the
// project has no template of that name.
func (t *Templates) File(name string) string {
	if f, ok := t.file[name]; ok {
		return f
	}
	return Dir + "/" + name
}

// DropPartials lets go of every partialCached result rendered so far.
// The pages that share most of them render first (see build's
// renderAll): the lists, whose every event item is a result kept for the
// rest of the build, a hundred megabytes at 100,000 events, that the
// event pages after them never ask for. A call afterwards renders its
// partial again, to the same bytes. Not to be called while pages render.
func (t *Templates) DropPartials() { t.parts.reset() }

// Has reports whether a page template exists.
func (t *Templates) Has(name string) bool { return t.pages[name] != nil }

// Render executes the page template name with data and returns the bytes.
// Page templates are run through "base"; a template whose name does not end
// in .html (sitemap.xml, robots.txt) is executed on its own.
func (t *Templates) Render(name string, data any) ([]byte, error) {
	var out []byte
	err := t.RenderWith(name, data, func(b []byte) error {
		out = bytes.Clone(b)
		return nil
	})
	return out, err
}

// RenderWith is Render for a caller that needs the page's bytes only for
// a moment: use gets them in a buffer that is reused once it returns,
// and RenderWith returns use's error. A staged build writes each page to
// its file and lets it go, and at 10,000 pages a copy of each was a
// tenth of the bytes the build allocated.
func (t *Templates) RenderWith(name string, data any, use func(b []byte) error) error {
	c := t.pages[name]
	if c == nil {
		return diag.Error{File: t.File(name), Msg: "missing page template " + name}
	}
	buf, _ := t.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		buf.Reset()
		t.bufs.Put(buf)
	}()
	entry := "base.html"
	if !strings.HasSuffix(name, ".html") {
		entry = name
	}
	if err := c.ExecuteTemplate(buf, entry, data); err != nil {
		return t.locate(err)
	}
	return use(buf.Bytes())
}

// Locate finds where a template's source writes text, for reporting a
// problem in the output (a broken link) at the template line that made it.
// It looks in the page template first, then in the shared templates.
func (t *Templates) Locate(page, text string) (diag.Error, bool) {
	names := []string{page}
	var shared []string
	for name := range t.src {
		if name != page {
			shared = append(shared, name)
		}
	}
	sort.Strings(shared)
	for _, name := range append(names, shared...) {
		src := t.src[name]
		if i := bytes.Index(src, []byte(text)); i >= 0 {
			line, col := diag.Position(src, i)
			return diag.At(t.File(name), src, line, col, ""), true
		}
	}
	return diag.Error{}, false
}

var tmplErrRe = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+):(\d+)(?::(\d+))?: (.*)$`)

// locate turns a template error into a diag.Error at templates/<file>:L:C.
func (t *Templates) locate(err error) diag.Error {
	msg := err.Error()
	if m := tmplErrRe.FindStringSubmatch(strings.SplitN(msg, "\n", 2)[0]); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		text := m[4]
		// "executing \"main\" at <.Foo>: can't evaluate ..." reads better without the template name.
		if i := strings.Index(text, ": "); strings.HasPrefix(text, "executing ") && i > 0 {
			text = text[i+2:] + " (in " + strings.TrimPrefix(text[:i], "executing ") + ")"
		}
		return diag.At(t.File(m[1]), t.src[m[1]], line, col, text)
	}
	return diag.Error{File: Dir, Msg: msg}
}

// Funcs returns the template functions for a site published at base. They
// are pure functions of base, so a new set is made for each build.
func Funcs(base *url.URL) template.FuncMap {
	basePath := base.Path
	return template.FuncMap{
		// url prefixes a site path with the base path: {{url "/timeline/"}}.
		"url": func(p string) string { return basePath + strings.TrimPrefix(p, "/") },
		// absURL makes a full URL for canonical links, feeds and Open Graph.
		"absURL": func(p string) string {
			if !strings.HasPrefix(p, basePath) {
				p = basePath + strings.TrimPrefix(p, "/")
			}
			u := *base
			u.Path = p
			return u.String()
		},
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		// join joins strings with a separator: {{join .Documents ", "}}.
		"join":  strings.Join,
		"lower": strings.ToLower,
		// dict builds a map for passing several values to a partial.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key/value pairs, got %d arguments", len(kv))
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"base": path.Base,
	}
}
