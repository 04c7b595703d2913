package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// secretMarker is in every file outside the project: it must never reach
// the output.
const secretMarker = "SECRET-OUTSIDE-MARKER"

// symlinkInput is one of the four things a build reads, with a file that
// would be valid there, so that a followed link would build rather than
// fail for another reason.
type symlinkInput struct {
	name   string // the link's path in the project
	secret string // a valid file of its kind
}

func symlinkInputs(t *testing.T) []symlinkInput {
	root, _ := filepath.Abs("..")
	cfg, err := os.ReadFile(filepath.Join(root, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return []symlinkInput{
		{"content/events/x.md", "---\ntitle: " + secretMarker + "\ndate: 2020-01-01\nactor: Russia\ntype: proposal\ntrack: cybercrime\nsummary: s\n---\n" + secretMarker + "\n"},
		{"templates/partials/x.html", `{{define "x-secret"}}` + secretMarker + `{{end}}`},
		{"assets/x.txt", secretMarker},
		{"site.yaml", strings.Replace(string(cfg), "title:", "# "+secretMarker+"\ntitle:", 1)},
	}
}

// symlinkVariant plants, in the project dir, links that make in.name
// resolve outside it. out is a folder outside the project holding
// "secret" (in.secret) and "dir/secret".
type symlinkVariant struct {
	name string
	want string // in the error, besides the link's path
	make func(t *testing.T, dir, out string, in symlinkInput)
}

func link(t *testing.T, target, at string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(at)
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
}

// rel is target relative to the folder of the link at, as a relative
// link to it would be written.
func rel(t *testing.T, at, target string) string {
	t.Helper()
	r, err := filepath.Rel(filepath.Dir(at), target)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var symlinkVariants = []symlinkVariant{
	{"one hop, absolute", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		link(t, filepath.Join(out, "secret"), filepath.Join(dir, in.name))
	}},
	{"one hop, relative", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(out, "secret")), at)
	}},
	{"two hops through a file link at the root", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		link(t, filepath.Join(out, "secret"), filepath.Join(dir, "hop"))
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(dir, "hop")), at)
	}},
	{"two hops through a folder link at the root, absolute", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		link(t, filepath.Join(out, "dir"), filepath.Join(dir, "lnk"))
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(dir, "lnk", "secret")), at)
	}},
	{"two hops through a folder link at the root, relative", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		lnk := filepath.Join(dir, "lnk")
		link(t, rel(t, lnk, filepath.Join(out, "dir")), lnk)
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(lnk, "secret")), at)
	}},
	{"three hops inside, then out", "outside the project", func(t *testing.T, dir, out string, in symlinkInput) {
		link(t, filepath.Join(out, "secret"), filepath.Join(dir, "notes", "c"))
		link(t, "c", filepath.Join(dir, "notes", "b"))
		link(t, "notes/b", filepath.Join(dir, "a"))
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(dir, "a")), at)
	}},
	{"link to a folder outside", "", func(t *testing.T, dir, out string, in symlinkInput) {
		link(t, filepath.Join(out, "dir"), filepath.Join(dir, in.name))
	}},
	{"loop", "", func(t *testing.T, dir, out string, in symlinkInput) {
		at := filepath.Join(dir, in.name)
		link(t, rel(t, at, filepath.Join(dir, "loop-b")), at)
		link(t, rel(t, filepath.Join(dir, "loop-b"), at), filepath.Join(dir, "loop-b"))
	}},
}

// TestSymlinksOutsideAreRefused: for each of the four inputs (content,
// templates, assets, site.yaml) and each way of leaving the project by
// symbolic links, build and check fail with an error at the link, and
// nothing from outside is written.
func TestSymlinksOutsideAreRefused(t *testing.T) {
	for _, in := range symlinkInputs(t) {
		for _, v := range symlinkVariants {
			t.Run(in.name+"/"+v.name, func(t *testing.T) {
				dir := writeProject(t, miniProject)
				out := t.TempDir()
				testtool.WriteFile(t, filepath.Join(out, "secret"), in.secret)
				testtool.WriteFile(t, filepath.Join(out, "dir", "secret"), in.secret)
				v.make(t, dir, out, in)
				for _, cmd := range []string{"check", "build"} {
					dest := filepath.Join(t.TempDir(), "public")
					args := []string{cmd, "--source", dir}
					if cmd == "build" {
						args = append(args, "--dest", dest)
					}
					code, stdout, stderr := cli(t, args...)
					if code == 0 {
						t.Fatalf("%s followed a link out of the project: exit 0\n%s", cmd, stdout)
					}
					if !strings.Contains(stderr, in.name+":") || !strings.Contains(stderr, v.want) {
						t.Errorf("%s: the error does not name %s and %q:\n%s", cmd, in.name, v.want, stderr)
					}
					if strings.Contains(stdout+stderr, secretMarker) {
						t.Errorf("%s printed the outside file's contents:\n%s%s", cmd, stdout, stderr)
					}
					if _, err := os.Stat(dest); err == nil {
						for p, b := range snapshot(t, dest) {
							if strings.Contains(string(b), secretMarker) {
								t.Errorf("%s published the outside file in %s", cmd, p)
							}
						}
					}
				}
			})
		}
	}
}

// TestSymlinksInsideAreFollowed: a chain of links that stays inside the
// project, through a link at its root, is followed like a file.
func TestSymlinksInsideAreFollowed(t *testing.T) {
	dir := writeProject(t, miniProject)
	testtool.WriteFile(t, filepath.Join(dir, "notes", "in.txt"), "inside-marker")
	link(t, "notes", filepath.Join(dir, "inlnk"))
	link(t, "../inlnk/in.txt", filepath.Join(dir, "assets", "in.txt"))
	link(t, "in.txt", filepath.Join(dir, "assets", "in2.txt"))
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatalf("build exit %d: %s", code, stderr)
	}
	for _, p := range []string{"in.txt", "in2.txt"} {
		if b, err := os.ReadFile(filepath.Join(dest, p)); err != nil || string(b) != "inside-marker" {
			t.Errorf("%s: %q, %v; want the linked file's contents", p, b, err)
		}
	}
}

// TestServeRefusesLinksOutside: a link out of the project planted while
// serve runs, two hops through a link at the project root, is reported
// for each of the four inputs, and nothing from outside is written or
// served.
func TestServeRefusesLinksOutside(t *testing.T) {
	for _, in := range symlinkInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			dir := writeProject(t, miniProject)
			out := t.TempDir()
			testtool.WriteFile(t, filepath.Join(out, "dir", "secret"), in.secret)
			p := startServe(t, dir, "")
			ev := openEvents(t, p.origin)
			link(t, filepath.Join(out, "dir"), filepath.Join(dir, "lnk"))
			at := filepath.Join(dir, in.name)
			link(t, rel(t, at, filepath.Join(dir, "lnk", "secret")), at)
			ev.Want("errors", in.name)
			if !strings.Contains(p.stderr.String(), in.name+":") || !strings.Contains(p.stderr.String(), "outside the project") {
				t.Errorf("the terminal has no error at %s:\n%s", in.name, p.stderr)
			}
			for f, b := range snapshot(t, p.dest) {
				if strings.Contains(string(b), secretMarker) {
					t.Errorf("serve wrote the outside file into %s", f)
				}
			}
			if code, body := fetch(t, p.url+"x.txt"); code == 200 || strings.Contains(body, secretMarker) {
				t.Errorf("serve serves the outside file: %d %q", code, body)
			}
		})
	}
}
