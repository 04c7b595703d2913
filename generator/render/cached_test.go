package render

import (
	"html/template"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

type item struct{ Name string }

// load parses a template set whose partial counts its own executions.
func load(t *testing.T, page string) (*Templates, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	fsys := fstest.MapFS{
		"templates/base.html":          {Data: []byte(`{{define "base.html"}}{{template "main" .}}{{end}}`)},
		"templates/partials/item.html": {Data: []byte(`{{count}}<b title="{{.Name}}">{{.Name}}</b>`)},
		"templates/page.html":          {Data: []byte(page)},
	}
	tmpl, errs := Load(fsys, nil, template.FuncMap{"count": func() string { n.Add(1); return "" }})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return tmpl, &n
}

// TestPartialCached renders a partial once per distinct data and gives the
// bytes {{template}} gives, escaped for the context the partial is in.
func TestPartialCached(t *testing.T) {
	tmpl, n := load(t, `{{define "main"}}{{range .}}{{partialCached "partials/item.html" .}}@@{{template "partials/item.html" .}}
{{end}}{{end}}`)
	a, b := &item{`A&"<x>`}, &item{"B"}
	got, err := tmpl.Render("page.html", []*item{a, b, a, a})
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(strings.TrimSuffix(string(got), "\n"), "\n") {
		cached, direct, _ := strings.Cut(part, "@@")
		if cached != direct {
			t.Errorf("partialCached gave %q where {{template}} gives %q", cached, direct)
		}
	}
	if !strings.Contains(string(got), `title="A&amp;&#34;&lt;x&gt;"`) {
		t.Errorf("the attribute is not escaped: %s", got)
	}
	// Four {{template}} calls, and partialCached twice (a, b): six.
	if got := n.Load(); got != 6 {
		t.Errorf("the partial ran %d times; want 6 (4 direct, 2 cached for 2 distinct items)", got)
	}
	// Another page of the same build shares the cache.
	if _, err := tmpl.Render("page.html", []*item{b}); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 7 {
		t.Errorf("after a second page with a cached item: %d runs; want 7 (only its direct call)", got)
	}
}

// TestPartialCachedSlice: a slice is keyed by its elements, so two slices
// with equal elements share one rendering, and a slice whose elements
// differ, or cannot be compared, does not.
func TestPartialCachedSlice(t *testing.T) {
	var n atomic.Int32
	fsys := fstest.MapFS{
		"templates/base.html":           {Data: []byte(`{{define "base.html"}}{{template "main" .}}{{end}}`)},
		"templates/partials/items.html": {Data: []byte(`{{count}}{{range .}}<b>{{.}}</b>{{end}}`)},
		"templates/page.html":           {Data: []byte(`{{define "main"}}{{range .}}{{partialCached "partials/items.html" .}};{{end}}{{end}}`)},
	}
	tmpl, errs := Load(fsys, nil, template.FuncMap{"count": func() string { n.Add(1); return "" }})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, err := tmpl.Render("page.html", [][]string{{"a", "<b>"}, {"a", "<b>"}, {"a"}, {}, nil})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<b>a</b><b>&lt;b&gt;</b>;<b>a</b><b>&lt;b&gt;</b>;<b>a</b>;;;"; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// {"a", "<b>"} twice, {"a"}, and the empty slice for {} and nil alike.
	if got := n.Load(); got != 3 {
		t.Errorf("the partial ran %d times; want 3", got)
	}
	if _, err := tmpl.Render("page.html", [][]any{{[]int{1}}}); err == nil || !strings.Contains(err.Error(), "cannot be a cache key") {
		t.Errorf("a slice holding a slice: error %v; want one saying it cannot be a cache key", err)
	}
}

// TestPartialCachedErrors: data that cannot be a key, and a missing
// partial, are errors that say what to do, located at the calling line.
func TestPartialCachedErrors(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{`{{define "main"}}{{partialCached "partials/item.html" .}}{{end}}`, "cannot be a cache key"},
		{`{{define "main"}}{{partialCached "partials/nope.html" 1}}{{end}}`, `no shared template "partials/nope.html"`},
	} {
		tmpl, _ := load(t, c.page)
		_, err := tmpl.Render("page.html", map[string]string{"Name": "x"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "templates/page.html:1:") {
			t.Errorf("%s: error %v; want one at templates/page.html:1 saying %q", c.page, err, c.want)
		}
	}
}

// TestLoadAgain: a set whose files hold the same bytes is the last one,
// its partialCached results dropped (the data a pointer keys may have
// changed in place since); a set one of whose files changed is parsed
// again.
func TestLoadAgain(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/base.html":          {Data: []byte(`{{define "base.html"}}{{template "main" .}}{{end}}`)},
		"templates/partials/item.html": {Data: []byte(`<b>{{.Name}}</b>`)},
		"templates/page.html":          {Data: []byte(`{{define "main"}}{{partialCached "partials/item.html" .}}{{end}}`)},
	}
	first, errs := Load(fsys, nil, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	it := &item{"before"}
	if _, err := first.Render("page.html", it); err != nil {
		t.Fatal(err)
	}
	again, errs := LoadAgain(fsys, nil, nil, first)
	if len(errs) > 0 || again != first {
		t.Fatalf("the same sources were parsed again (errors %v)", errs)
	}
	it.Name = "after"
	if got, err := again.Render("page.html", it); err != nil || string(got) != "<b>after</b>" {
		t.Errorf("the reused set rendered %q, %v; want <b>after</b>, its partial rendered again", got, err)
	}
	fsys["templates/partials/item.html"] = &fstest.MapFile{Data: []byte(`<i>{{.Name}}</i>`)}
	changed, errs := LoadAgain(fsys, nil, nil, again)
	if len(errs) > 0 || changed == again {
		t.Fatalf("a changed partial was not parsed again (errors %v)", errs)
	}
	if got, err := changed.Render("page.html", it); err != nil || string(got) != "<i>after</i>" {
		t.Errorf("after a change the set rendered %q, %v; want <i>after</i>", got, err)
	}
}
