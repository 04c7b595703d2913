package theme_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/starter"
	"github.com/unictimeline/sitegen/generator/theme"
)

// starterFS is the project sitegen init writes, in memory: no templates,
// no assets.
func starterFS(t *testing.T) fstest.MapFS {
	t.Helper()
	files, err := starter.Files("", "0b5f3c1e-6d2a-4c8e-9f1b-2a7d4e6c8b90")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for p, b := range files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return m
}

func outputs(t *testing.T, res *build.Result) map[string]string {
	t.Helper()
	if len(res.Errors) > 0 {
		t.Fatalf("build failed:\n%v", res.Errors)
	}
	m := map[string]string{}
	for _, p := range res.Output.Paths() {
		m[p] = string(res.Output.File(p))
	}
	return m
}

// TestDefaultTheme: a project with no templates and no assets builds with
// the theme's, and the theme's assets are in the output, minified.
func TestDefaultTheme(t *testing.T) {
	out := outputs(t, build.NewBuilder(build.Options{FS: starterFS(t)}).Build())
	for _, p := range []string{"index.html", "timeline/index.html", "actors/tim-berners-lee/index.html", "docs/adding-events/index.html", "404.html"} {
		if out[p] == "" {
			t.Errorf("no %s in the output", p)
		}
	}
	css, err := fs.ReadFile(theme.FS(), "assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	// Minified (build/minify.go): shorter, comments gone, rules kept.
	if got := out["css/site.css"]; got == "" || len(got) >= len(css) || strings.Contains(got, "/*") || !strings.Contains(got, ".overview-scroll{") {
		t.Errorf("css/site.css is not the theme's, minified: %d bytes from the theme's %d", len(got), len(css))
	}
	// The home page reads well without a period in site.yaml.
	home := out["index.html"]
	if !strings.Contains(home, "1 event in 1989;\n  1 <a href=\"/actors/\">actor</a>.") {
		t.Errorf("home page's summary:\n%s", home)
	}
	for _, bad := range []string{"0–0", "UN ", "undocs"} {
		if strings.Contains(home, bad) {
			t.Errorf("home page holds %q", bad)
		}
	}
}

// TestOverride: a project template replaces the theme's of the same name
// and changes only the pages that use it; removing it brings the theme's
// back, byte for byte, in the same Builder (as in watch mode).
func TestOverride(t *testing.T) {
	fsys := starterFS(t)
	def := outputs(t, build.NewBuilder(build.Options{FS: fsys}).Build())

	b := build.NewBuilder(build.Options{FS: fsys})
	outputs(t, b.Build())
	fsys["templates/types.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<h1>Kinds of event</h1>{{end}}`)}
	fsys["assets/css/site.css"] = &fstest.MapFile{Data: []byte("body{}")}
	over := outputs(t, b.Build())
	var changed []string
	for p, v := range over {
		if def[p] != v {
			changed = append(changed, p)
		}
	}
	if strings.Join(changed, " ") != "css/site.css types/index.html" && strings.Join(changed, " ") != "types/index.html css/site.css" {
		t.Errorf("the overrides changed %v; want css/site.css and types/index.html only", changed)
	}
	if len(over) != len(def) {
		t.Errorf("%d files with the override, %d without", len(over), len(def))
	}
	if !strings.Contains(over["types/index.html"], "<h1>Kinds of event</h1>") {
		t.Error("the override of types.html was not used")
	}

	delete(fsys, "templates/types.html")
	delete(fsys, "assets/css/site.css")
	back := outputs(t, b.Build())
	for p, v := range def {
		if back[p] != v {
			t.Errorf("%s differs from the default after the override was removed", p)
		}
	}
}

// TestErrorsNameTheirFile: an error in a project's template is reported at
// the project's file and line; one in the theme names the theme's file.
func TestErrorsNameTheirFile(t *testing.T) {
	fsys := starterFS(t)
	fsys["templates/event.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n<h1>{{.Title}</h1>\n{{end}}\n")}
	res := build.NewBuilder(build.Options{FS: fsys}).Build()
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), "templates/event.html:2: ") {
		t.Errorf("errors: %v; want one at templates/event.html:2", res.Errors)
	}

	broken := fstest.MapFS{}
	_ = fs.WalkDir(theme.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(theme.FS(), p)
			broken[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	broken["templates/types.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n{{.Nope}}\n{{end}}\n")}
	res = build.NewBuilder(build.Options{FS: starterFS(t), Theme: broken}).Build()
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), "theme/templates/types.html:2:") {
		t.Errorf("errors: %v; want one at theme/templates/types.html:2", res.Errors)
	}
	if len(res.Errors) == 1 && !bytes.Contains([]byte(res.Errors[0].Detail()), []byte("{{.Nope}}")) {
		t.Errorf("the error does not quote the theme's line:\n%s", res.Errors[0].Detail())
	}
}

// TestDocumentLinks: the theme links an event's documents through
// site.yaml's documentLinks, and shows them as plain text without it.
func TestDocumentLinks(t *testing.T) {
	const ev = "content/events/1989-03-www-proposal.md"
	for _, pattern := range []string{"", "https://undocs.org/{symbol}"} {
		fsys := starterFS(t)
		fsys[ev].Data = bytes.Replace(fsys[ev].Data, []byte("type: publication\n"), []byte("type: publication\ndocuments: [A/RES/74/247]\n"), 1)
		if pattern != "" {
			fsys["site.yaml"].Data = append(fsys["site.yaml"].Data, "documentLinks: \""+pattern+"\"\n"...)
		}
		page := outputs(t, build.NewBuilder(build.Options{FS: fsys}).Build())["events/1989-03-www-proposal/index.html"]
		want := "<li>A/RES/74/247</li>"
		if pattern != "" {
			want = `<li><a href="https://undocs.org/A/RES/74/247">A/RES/74/247</a></li>`
		}
		if !strings.Contains(page, want) {
			t.Errorf("documentLinks %q: the event page lacks %s", pattern, want)
		}
	}
}
