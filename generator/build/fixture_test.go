package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"golang.org/x/tools/txtar"
)

// fixtureFS turns a txtar archive into a project (see testtool.ProjectFS).
func fixtureFS(t testing.TB, ar *txtar.Archive) fstest.MapFS {
	t.Helper()
	return testtool.ProjectFS(t, ar)
}

// buildFixture builds a project in memory.
func buildFixture(t testing.TB, fsys fs.FS, opts Options) *Result {
	t.Helper()
	opts.FS = fsys
	return NewBuilder(opts).Build()
}

// describe summarises a build for a golden file: its errors with source
// lines, or "ok" and the sorted list of output files.
func describe(res *Result) string {
	var b strings.Builder
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			b.WriteString(e.Detail())
			b.WriteByte('\n')
		}
		return b.String()
	}
	b.WriteString("ok\n")
	paths := res.Output.Paths()
	sort.Strings(paths)
	for _, p := range paths {
		if strings.HasPrefix(p, "css/") || strings.HasPrefix(p, "js/") || strings.HasPrefix(p, "img/") {
			continue // assets belong to the theme, not to the fixture
		}
		b.WriteString(p + "\n")
	}
	return b.String()
}

// TestFixtures builds every mini-site in testdata/build and compares the
// outcome with the archive's want section. go test -update rewrites them.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/build/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{}
			if strings.Contains(string(ar.Comment), "drafts: true") {
				opts.Drafts = true
			}
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(l, "base-url: "); ok {
					opts.BaseURL = strings.TrimSpace(v)
				}
			}
			res := buildFixture(t, fixtureFS(t, ar), opts)
			got := describe(res)
			// Sections "want/<output path>" are golden copies of output files.
			for i := range ar.Files {
				f := &ar.Files[i]
				out, ok := strings.CutPrefix(f.Name, "want/")
				if !ok {
					continue
				}
				var have []byte
				if res.Output != nil {
					have = res.Output.File(out)
				}
				if testtool.Update() {
					f.Data = have
				} else if w := string(f.Data); string(have) != w && !(len(have) > 0 && have[len(have)-1] != '\n' && string(have)+"\n" == w) {
					// (txtar ends every section with a newline; an output
					// without one matches its section less that newline.)
					t.Errorf("%s: output %s differs from its golden section %s (go test ./generator/build -run TestFixtures -update, then review the diff).\n--- got\n%s", file, out, f.Name, have)
				}
			}
			var want *txtar.File
			for i := range ar.Files {
				if ar.Files[i].Name == "want" {
					want = &ar.Files[i]
				}
			}
			if testtool.Update() {
				if want == nil {
					ar.Files = append(ar.Files, txtar.File{Name: "want"})
					want = &ar.Files[len(ar.Files)-1]
				}
				want.Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want == nil {
				t.Fatalf("%s has no want section; run go test ./generator/build -run TestFixtures -update and review the diff", file)
			}
			if got != string(want.Data) {
				t.Errorf("%s: build outcome differs from its want section.\n--- got\n%s--- want\n%s", file, got, want.Data)
			}
		})
	}
}
