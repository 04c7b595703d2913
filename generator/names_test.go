package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/project"
)

const eventFile = "---\ntitle: T\ndate: 2020-01-01\nactor: Russia\ntype: proposal\ntrack: cybercrime\nsummary: s\n---\nBody.\n"

// TestUnsafeNamesAreRefused: a content file whose name or slug cannot be a
// safe URL, whose URL is a file the build generates, or whose URL differs
// only by case from another page's, is a located error from check and
// build, and the output folder is left as it was.
func TestUnsafeNamesAreRefused(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // in the error, after the file's path
	}{
		{"space", map[string]string{"content/events/a b.md": eventFile}, "may hold only"},
		{"question mark", map[string]string{"content/events/x?.md": eventFile}, "may hold only"},
		{"hash", map[string]string{"content/events/x#y.md": eventFile}, "may hold only"},
		{"percent", map[string]string{"content/events/x%41.md": eventFile}, "may hold only"},
		{"backslash", map[string]string{`content/events/x\y.md`: eventFile}, "may hold only"},
		{"control", map[string]string{"content/events/x\x01.md": eventFile}, "a control or formatting character"},
		{"bidi override", map[string]string{"content/events/x\u202egnp.md": eventFile}, "a control or formatting character"},
		{"newline", map[string]string{"content/events/x\nffffffffffffffff keepme.txt\ny.md": eventFile}, "a control or formatting character"},
		{"folder", map[string]string{"content/a b/x.md": "---\ntitle: X\n---\n"}, "may hold only"},
		{"slug", map[string]string{"content/events/ok.md": strings.Replace(eventFile, "title: T", "title: T\nslug: \"x?y\"", 1)}, "slug \"x?y\" may hold only"},
		{"slug bidi", map[string]string{"content/events/ok.md": strings.Replace(eventFile, "title: T", "title: T\nslug: \"x\u202ey\"", 1)}, "may hold only"},
		{"case", map[string]string{"content/events/Case.md": eventFile, "content/events/case.md": eventFile}, "differs only by case"},
		{"case by slug", map[string]string{"content/events/b.md": strings.Replace(eventFile, "title: T", "title: T\nslug: First", 1), "content/events/first.md": eventFile}, "differs only by case"},
		{"case of a folder", map[string]string{"content/Docs/x.md": "---\ntitle: X\n---\n", "content/docs/overview.md": "---\ntitle: O\n---\n"}, "differs only by case"},
		{"case of a generated page", map[string]string{"content/Timeline.md": "---\ntitle: X\n---\n"}, "differs only by case from /timeline/, taken by a generated page"},
	}
	for _, g := range project.Generated() {
		if !strings.HasPrefix(g, ".") {
			tests = append(tests, struct {
				name  string
				files map[string]string
				want  string
			}{"generated " + g, map[string]string{"content/" + g + ".md": "---\ntitle: X\n---\n"}, "is the file " + g + " that the build generates"})
		}
	}
	tests = append(tests, struct {
		name  string
		files map[string]string
		want  string
	}{"generated, other case", map[string]string{"content/Robots.TXT.md": "---\ntitle: X\n---\n"}, "is the file robots.txt"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeProject(t, miniProject)
			dest := filepath.Join(t.TempDir(), "public")
			if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
				t.Fatalf("first build: %s", stderr)
			}
			before := snapshot(t, dest)
			var names []string
			for name, data := range tt.files {
				testtool.WriteFile(t, filepath.Join(dir, name), data)
				names = append(names, name)
			}
			for _, cmd := range [][]string{{"check", "--source", dir}, {"build", "--source", dir, "--dest", dest}} {
				code, _, stderr := cli(t, cmd...)
				if code != 1 {
					t.Fatalf("%s: exit %d; want 1\n%s", cmd[0], code, stderr)
				}
				located := false
				for _, n := range names {
					// At the file, or at its folder for a name the
					// walk refuses (TestControlCharactersInNamesAreRefused).
					at := strings.Contains(stderr, n+":") || strings.Contains(stderr, filepath.Dir(n)+": the name ")
					located = located || at && strings.Contains(stderr, tt.want)
				}
				if !located {
					t.Errorf("%s: no error at %q saying %q:\n%s", cmd[0], names, tt.want, stderr)
				}
			}
			if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
				t.Errorf("the output changed: %s", diff)
			}
		})
	}
}

// TestGeneratedNamesReserved: every file a build writes that is not a page
// (…/index.html) nor an asset is in project.Generated, so that no page can
// take its name.
func TestGeneratedNamesReserved(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	reserved := map[string]bool{}
	for _, g := range project.Generated() {
		reserved[g] = true
	}
	for p := range snapshot(t, dest) {
		if strings.HasSuffix(p, "index.html") || strings.HasPrefix(p, ".sitegen") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "assets", p)); err == nil {
			continue
		}
		if top, _, _ := strings.Cut(p, "/"); !reserved[p] && !reserved[top] {
			t.Errorf("the build writes %s, which project.Generated does not list", p)
		}
	}
}

// TestControlCharactersInNamesAreRefused: a file of content/ or assets/
// whose name holds a newline, another control character or a bidi
// override is an error at its folder (which could otherwise forge lines
// of the output's manifest), and the output is left as it was.
func TestControlCharactersInNamesAreRefused(t *testing.T) {
	for _, name := range []string{
		"assets/x\nffffffffffffffff keepme.txt\ny.css", "assets/a\x1b[31m.css", "assets/gnp.\u202etxt",
		"assets/d\nir/x.css", "content/notes\x01/x.md", "content/events/x\u2066.md",
	} {
		t.Run(strings.ToValidUTF8(name, "?"), func(t *testing.T) {
			dir := writeProject(t, miniProject)
			dest := filepath.Join(t.TempDir(), "public")
			if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
				t.Fatalf("first build: %s", stderr)
			}
			before := snapshot(t, dest)
			testtool.WriteFile(t, filepath.Join(dir, name), "---\ntitle: X\n---\n")
			for _, cmd := range [][]string{{"check", "--source", dir}, {"build", "--source", dir, "--dest", dest}} {
				code, _, stderr := cli(t, cmd...)
				if code != 1 || !strings.Contains(stderr, "a control or formatting character") {
					t.Errorf("%s: exit %d; want 1 with the name refused\n%s", cmd[0], code, stderr)
				}
			}
			if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
				t.Errorf("the output changed: %s", diff)
			}
		})
	}
}

// TestPageWhereAnAssetIs: a page whose URL is the path of an asset
// (content/css/site.css.md and assets/css/site.css) is an error from
// check and build, and nothing is written.
func TestPageWhereAnAssetIs(t *testing.T) {
	dir := writeProject(t, miniProject)
	testtool.WriteFile(t, filepath.Join(dir, "content/css/site.css.md"), "---\ntitle: X\n---\n")
	dest := filepath.Join(t.TempDir(), "public")
	for _, cmd := range [][]string{{"check", "--source", dir}, {"build", "--source", dir, "--dest", dest}} {
		code, _, stderr := cli(t, cmd...)
		if code != 1 || !strings.Contains(stderr, "assets/css/site.css: asset assets/css/site.css is where the page /css/site.css/ needs a folder") {
			t.Errorf("%s: exit %d; want 1 with the clash located\n%s", cmd[0], code, stderr)
		}
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("a failed first build made %s", dest)
	}
}
