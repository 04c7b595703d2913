package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/outdir"
	"golang.org/x/tools/txtar"
)

// project is a small valid site used by the CLI tests; writeProject adds the
// repository's site.yaml, templates and assets.
const miniProject = `
-- content/_index.md --
---
title: Home
---
Welcome.
-- content/docs/overview.md --
---
title: Overview
---
## Tracks
See [the event](../events/first.md).
-- content/events/first.md --
---
title: First
date: 2011-09-12
actor: [Russia, China]
type: proposal
track: cybercrime
summary: A draft.
---
Body.
-- content/events/second.md --
---
title: Second
date: 2015
actor: Russia
type: resolution
track: cybercrime
summary: A resolution.
---
Body.
`

func writeProject(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	testtool.WriteFS(t, dir, testtool.ProjectFS(t, txtar.Parse([]byte(archive))))
	return dir
}

// cli runs the command line and returns the exit code and its output.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// snapshot returns every file under dir with its bytes (testtool.ReadTree);
// the manifest as what it says (see outdir.ReadManifest), since its lines
// may have been appended over many builds or written at once.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := testtool.ReadTree(t, dir)
	if _, ok := m[outdir.ManifestName]; ok {
		hashes, err := outdir.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		for _, p := range slices.Sorted(maps.Keys(hashes)) {
			b = fmt.Appendf(b, "%s %s\n", hashes[p], p)
		}
		m[outdir.ManifestName] = b
	}
	return m
}

// sameSnapshot says how snapshot b differs from a, or "".
func sameSnapshot(a, b map[string][]byte) string { return testtool.TreeDiff(b, a) }

func TestBuildIsCompleteAndDeterministic(t *testing.T) {
	dir := writeProject(t, miniProject)
	d1, d2 := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, d := range []string{d1, d2} {
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", d); code != 0 {
			t.Fatalf("build exit %d: %s", code, stderr)
		}
	}
	s1, s2 := snapshot(t, d1), snapshot(t, d2)
	if diff := sameSnapshot(s1, s2); diff != "" {
		t.Fatalf("two builds of the same input differ: %s", diff)
	}
	for _, want := range []string{"index.html", "timeline/index.html", "events/first/index.html", "events/second/index.html",
		"actors/index.html", "actors/russia/index.html", "actors/china/index.html", "types/index.html", "types/proposal/index.html",
		"docs/index.html", "docs/overview/index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll", "css/site.css"} {
		if _, ok := s1[want]; !ok {
			t.Errorf("output lacks %s", want)
		}
	}
	// A second build into the same folder writes nothing.
	code, stdout, _ := cli(t, "build", "--source", dir, "--dest", d1)
	if code != 0 || !strings.Contains(stdout, " 0 files written, 0 removed") {
		t.Errorf("rebuild of unchanged input: exit %d, %q; want nothing written", code, stdout)
	}
}

func TestDefaultDestIsPublicUnderSource(t *testing.T) {
	dir := writeProject(t, miniProject)
	if code, _, stderr := cli(t, "build", "--source", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Fatal(err)
	}
}

func TestFailedBuildLeavesDestUntouched(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := snapshot(t, dest)
	testtool.WriteFile(t, filepath.Join(dir, "content/events/first.md"), "---\ntitle: First\ndate: 2011-02-30\nactor: Russia\ntype: proposal\ntrack: cybercrime\n---\n")
	testtool.WriteFile(t, filepath.Join(dir, "content/events/third.md"), "---\ntitle: Third\ndate: 2012\nactor: Russia\ntype: proposl\ntrack: cybercrime\n---\n")
	code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"content/events/first.md:3:7: date: invalid date \"2011-02-30\"",
		"content/events/third.md:5:7: unknown event type \"proposl\"; did you mean \"proposal\"?",
		"2 errors",
		"was left as it was",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
		t.Errorf("a failed build changed the output folder: %s", diff)
	}
}

func TestRemovedPageIsRemovedFromOutput(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "out")
	mustCLI(t, "build", "--source", dir, "--dest", dest)
	if _, err := os.Stat(filepath.Join(dest, "events/second/index.html")); err != nil {
		t.Fatalf("the first build did not write the event: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "content/events/second.md")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "build", "--source", dir, "--dest", dest)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "events/second")); !os.IsNotExist(err) {
		t.Errorf("the removed event's folder is still there (%v)", err)
	}
	// Every summary says "N removed"; this one must count the event's page.
	if n := summaryCount(t, stdout, "removed"); n < 1 {
		t.Errorf("summary %q counts %d files removed; want the event's page", stdout, n)
	}
	// The result equals a clean build.
	clean := filepath.Join(t.TempDir(), "clean")
	mustCLI(t, "build", "--source", dir, "--dest", clean)
	if diff := sameSnapshot(snapshot(t, clean), snapshot(t, dest)); diff != "" {
		t.Errorf("rebuild after removal differs from a clean build: %s", diff)
	}
}

func TestForeignFilesAreNeverDeleted(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "site")
	testtool.WriteFile(t, filepath.Join(dest, "notes.txt"), "mine")
	code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
	if code != 1 || !strings.Contains(stderr, "holds files this generator did not write (notes.txt)") {
		t.Fatalf("exit %d, stderr %q; want a refusal naming notes.txt", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "notes.txt")); err != nil || string(b) != "mine" {
		t.Fatalf("notes.txt was touched: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); !os.IsNotExist(err) {
		t.Errorf("the refused build still wrote index.html")
	}

	// A file added by hand into a folder the generator owns is refused too.
	dest2 := filepath.Join(t.TempDir(), "site")
	mustCLI(t, "build", "--source", dir, "--dest", dest2)
	testtool.WriteFile(t, filepath.Join(dest2, "events/first/draft.txt"), "mine")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest2); code != 1 || !strings.Contains(stderr, "events/first/draft.txt") {
		t.Fatalf("exit %d, stderr %q; want a refusal naming events/first/draft.txt", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest2, "events/first/draft.txt")); err != nil {
		t.Fatal("the hand-made file was deleted")
	}
}

func TestDestInsideSourcesIsRefused(t *testing.T) {
	dir := writeProject(t, miniProject)
	for _, dest := range []string{dir, filepath.Dir(dir), filepath.Join(dir, "content"), filepath.Join(dir, "templates", "x"), filepath.Join(dir, "assets")} {
		before := snapshot(t, dir)
		code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest)
		if code != 2 || !strings.Contains(stderr, "--dest") {
			t.Errorf("--dest %s: exit %d, %q; want a usage refusal", dest, code, stderr)
		}
		if diff := sameSnapshot(before, snapshot(t, dir)); diff != "" {
			t.Errorf("--dest %s changed the project: %s", dest, diff)
		}
	}
}

func TestCheckWritesNothing(t *testing.T) {
	dir := writeProject(t, miniProject)
	code, stdout, stderr := cli(t, "check", "--source", dir)
	if code != 0 || !strings.Contains(stdout, "every internal link resolves") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/")
	}
	testtool.WriteFile(t, filepath.Join(dir, "content/docs/bad.md"), "---\ntitle: Bad\n---\n[x](nowhere.md)\n")
	if code, _, stderr := cli(t, "check", "--source", dir); code != 1 || !strings.Contains(stderr, "content/docs/bad.md:4:1: link to nowhere.md") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

func TestNewEvent(t *testing.T) {
	dir := writeProject(t, miniProject)
	code, stdout, stderr := cli(t, "new", "event", "Ad hoc committee: first session", "--source", dir, "--date", "2021-05-10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "content/events/ad-hoc-committee-first-session.md")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (stdout %q)", err, stdout)
	}
	if !strings.Contains(string(b), `title: "Ad hoc committee: first session"`) || !strings.Contains(string(b), "date: 2021-05-10") {
		t.Errorf("front matter:\n%s", b)
	}
	// The new file is a valid draft: the build passes with and without --drafts.
	for _, args := range [][]string{{"check", "--source", dir}, {"check", "--source", dir, "--drafts"}} {
		if code, _, stderr := cli(t, args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	testtool.WriteFile(t, file, "edited")
	if code, _, stderr := cli(t, "new", "event", "Ad hoc committee: first session", "--source", dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second new: exit %d, %q; want a refusal", code, stderr)
	}
	if b, _ := os.ReadFile(file); string(b) != "edited" {
		t.Errorf("new overwrote an existing file")
	}
}

func TestUsageAndExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"build", "extra"}, 2, "takes no arguments"},
		{[]string{"build", "--help"}, 0, "--base-url"},
		{[]string{"check", "--help"}, 0, "--drafts"},
		{[]string{"new", "--help"}, 0, "Kinds:\n  event"},
		{[]string{"new", "page", "x"}, 2, "new event"},
		{[]string{"version"}, 0, "sitegen"},
		{[]string{"build", "--source", "/nonexistent", "--dest", "/tmp/sitegen-none"}, 1, "missing site config"},
	}
	// --base-url is checked against a real project, so that the refusal
	// comes from the flag, not from a missing site.yaml.
	dir := writeProject(t, miniProject)
	none := filepath.Join(t.TempDir(), "none")
	for _, bad := range []string{"ftp://x", "example.org", "https://x/?q=1"} {
		tests = append(tests, struct {
			args []string
			code int
			out  string
		}{[]string{"build", "--base-url", bad, "--source", dir, "--dest", none}, 1, fmt.Sprintf("base URL %q must", bad)})
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.out) {
			t.Errorf("%v: exit %d, output %q; want exit %d with %q", tt.args, code, stdout+stderr, tt.code, tt.out)
		}
	}
}

// TestEveryBadInputFailsTheCLI runs each error fixture of the build package
// through the command line over an output folder holding an earlier good
// build: each must exit 1, print its located errors, and leave the folder
// byte-identical.
func TestEveryBadInputFailsTheCLI(t *testing.T) {
	files, err := filepath.Glob("build/testdata/build/err-*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no error fixtures: %v", err)
	}
	good := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := cli(t, "build", "--source", good, "--dest", dest); code != 0 {
		t.Fatalf("good build: %s", stderr)
	}
	before := snapshot(t, dest)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want string
			var keep []txtar.File
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = string(f.Data)
				} else if !strings.HasPrefix(f.Name, "want/") {
					keep = append(keep, f)
				}
			}
			dir := writeProject(t, string(txtar.Format(&txtar.Archive{Files: keep})))
			args := []string{"build", "--source", dir, "--dest", dest}
			// The fixture's options (see TestFixtures) as flags.
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(l, "base-url: "); ok {
					args = append(args, "--base-url", strings.TrimSpace(v))
				}
			}
			code, _, stderr := cli(t, args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			// The first line of the fixture's expected errors is printed as is.
			first, _, _ := strings.Cut(want, "\n")
			if !strings.Contains(stderr, first) {
				t.Errorf("stderr lacks %q:\n%s", first, stderr)
			}
			if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
				t.Errorf("the failed build changed the output folder: %s", diff)
			}
		})
	}
}

// TestStagedBuild: build writes its output into a staging folder inside
// --dest as it goes and renames it into place; what lands equals the
// in-memory build byte for byte, and no staging folder outlives a build,
// a failed one or one that was killed.
func TestStagedBuild(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")

	// A killed build left its staging folder; the next build removes it.
	testtool.WriteFile(t, filepath.Join(dest, outdir.StagePrefix+"killed", "events", "x", "index.html"), "half a site")
	testtool.WriteFile(t, filepath.Join(dest, outdir.StagePrefix+"killed", outdir.StageMarker), "")
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), outdir.StagePrefix) {
			t.Errorf("%s is left in the output folder", e.Name())
		}
	}
	res := build.NewBuilder(build.Options{FS: os.DirFS(dir)}).Build()
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	want := res.Output.All()
	got := snapshot(t, dest)
	delete(got, outdir.ManifestName)
	if diff := sameSnapshot(want, got); diff != "" {
		t.Errorf("the staged build differs from the build in memory: %s", diff)
	}
	// A staged build's manifest records the hashes a build in memory
	// makes, pieced files included: serve after build writes nothing.
	if len(res.Output.Pieces) == 0 {
		t.Fatal("the build in memory has no pieced file to check")
	}
	if st, err := outdir.NewSyncer(dest).Sync(res.Output); err != nil || st.Written != 0 {
		t.Errorf("syncing the build in memory over the staged build: wrote %v (%v)", st.Changed, err)
	}
	// A folder the output folder lacks is moved into place whole (see
	// Syncer.moveFolders), the rest file by file: the result is the same.
	if err := os.RemoveAll(filepath.Join(dest, "events")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dest, "index.html")); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 || !strings.Contains(stdout, fmt.Sprintf(": %d files written, 0 removed", countPrefix(want, "events/")+1)) {
		t.Fatalf("rebuild after removing events/: exit %d: %s%s", code, stdout, stderr)
	}
	got = snapshot(t, dest)
	delete(got, outdir.ManifestName)
	if diff := sameSnapshot(want, got); diff != "" {
		t.Errorf("the rebuild differs from the build in memory: %s", diff)
	}

	// A failed build into a folder that did not exist leaves no folder.
	testtool.WriteFile(t, filepath.Join(dir, "content/events/first.md"), "---\ntitle: First\ndate: 2011-02-30\nactor: Russia\ntype: proposal\ntrack: cybercrime\n---\n")
	fresh := filepath.Join(t.TempDir(), "new")
	if code, _, _ := cli(t, "build", "--source", dir, "--dest", fresh); code != 1 {
		t.Fatalf("a bad build exited %d, want 1", code)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed build into a new folder left %s behind (stat: %v)", fresh, err)
	}
}

// countPrefix counts the paths in files that start with prefix.
func countPrefix(files map[string][]byte, prefix string) int {
	n := 0
	for p := range files {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}
