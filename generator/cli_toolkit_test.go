package generator

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/starter"
)

// TestInit: init writes the starter project, which builds and checks at
// once with the built-in theme (no templates/ or assets/ in it); a second
// init into the same folder refuses and changes nothing.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mysite")
	code, stdout, stderr := cli(t, "init", dir)
	if code != 0 || stderr != "" {
		t.Fatalf("init: exit %d, stderr %q", code, stderr)
	}
	for _, p := range starter.Paths() {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("init did not write %s: %v", p, err)
		}
	}
	for _, want := range []string{"Next steps:", "cd " + dir, " serve ", "Settings → Pages"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("init's output lacks %q:\n%s", want, stdout)
		}
	}
	for _, d := range []string{"templates", "assets"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("init wrote %s/: the theme is built in", d)
		}
	}
	wf, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/pages.yml"))
	if !strings.Contains(string(wf), "cmd/sitegen@latest") || !strings.Contains(string(wf), "actions/deploy-pages@v5") {
		t.Errorf("the workflow does not install sitegen@latest and deploy with deploy-pages@v5:\n%s", wf)
	}
	if code, out, errOut := cli(t, "check", "--source", dir); code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("check of the new site: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "build", "--source", dir); code != 0 {
		t.Fatalf("build of the new site: exit %d: %s%s", code, out, errOut)
	}
	for _, p := range []string{"index.html", "events/1989-03-www-proposal/index.html", "css/site.css", "js/site.js"} {
		if _, err := os.Stat(filepath.Join(dir, "public", p)); err != nil {
			t.Errorf("the build wrote no %s", p)
		}
	}

	site := filepath.Join(dir, "site.yaml")
	testtool.WriteFile(t, site, "mine")
	code, _, stderr = cli(t, "init", dir)
	if code != 1 || !strings.Contains(stderr, "never overwrites") || !strings.Contains(stderr, "site.yaml") {
		t.Errorf("init over a project: exit %d, %q; want a refusal naming the files", code, stderr)
	}
	if b, _ := os.ReadFile(site); string(b) != "mine" {
		t.Error("init overwrote site.yaml")
	}
	if code, _, _ := cli(t, "init"); code != 2 {
		t.Errorf("init without a folder: exit %d, want 2", code)
	}
}

// TestHelp: --help prints the usage once, on stdout, and exits 0; the
// usage names the running binary; no default is shown twice.
func TestHelp(t *testing.T) {
	prog := filepath.Base(os.Args[0])
	for _, cmd := range []string{"init", "build", "check", "serve", "new", "theme"} {
		code, stdout, stderr := cli(t, cmd, "--help")
		if code != 0 || stderr != "" || strings.Count(stdout, "Usage: ") != 1 {
			t.Errorf("%s --help: exit %d, stderr %q, stdout %q; want the usage once on stdout", cmd, code, stderr, stdout)
		}
		if !strings.HasPrefix(stdout, "Usage: "+prog+" "+cmd) {
			t.Errorf("%s --help does not name the binary %s: %q", cmd, prog, stdout)
		}
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Count(l, "default") > 1 {
				t.Errorf("%s --help shows a default twice: %q", cmd, l)
			}
		}
	}
	code, stdout, stderr := cli(t, "--help")
	if code != 0 || stderr != "" || strings.Count(stdout, "Usage: ") != 1 || !strings.Contains(stdout, "init ") {
		t.Errorf("--help: exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	// A bad flag: the problem and the usage, once, on stderr.
	code, stdout, stderr = cli(t, "build", "--nope")
	if code != 2 || stdout != "" || strings.Count(stderr, "Usage: ") != 1 {
		t.Errorf("build --nope: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = cli(t, "new")
	if code != 2 || !strings.Contains(stderr, "event") || !strings.Contains(stderr, "actor") || !strings.Contains(stderr, "doc") {
		t.Errorf("new without a kind: exit %d, %q; want the kinds listed", code, stderr)
	}
}

// TestNewKinds: new makes an actor and a doc page as well as an event,
// and the site still checks.
func TestNewKinds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	if code, _, stderr := cli(t, "init", dir); code != 0 {
		t.Fatal(stderr)
	}
	for _, kind := range []string{"actor", "doc", "event"} {
		code, stdout, stderr := cli(t, "new", kind, "Ada Lovelace", "--source", dir, "--date", "1843")
		if code != 0 || !strings.Contains(stdout, "created content/") {
			t.Errorf("new %s: exit %d: %s%s", kind, code, stdout, stderr)
		}
	}
	if code, out, errOut := cli(t, "check", "--source", dir); code != 0 {
		t.Errorf("check after new: exit %d: %s%s", code, out, errOut)
	}
}

// TestConfigQuietVersion: --config reads another config file and names it
// in errors; --quiet prints nothing on success; a build under a subpath
// warns about robots.txt; version names the Go release.
func TestConfigQuietVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	if code, _, stderr := cli(t, "init", dir); code != 0 {
		t.Fatal(stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "site.yaml"))
	testtool.WriteFile(t, filepath.Join(dir, "staging.yaml"), strings.Replace(string(b), `title: "My Timeline"`, `title: "Staging"`, 1))
	code, stdout, stderr := cli(t, "build", "--source", dir, "--config", "staging.yaml", "--quiet")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("build --config --quiet: exit %d, stdout %q, stderr %q; want silence", code, stdout, stderr)
	}
	if home, _ := os.ReadFile(filepath.Join(dir, "public", "index.html")); !strings.Contains(string(home), "<title>Staging</title>") {
		t.Error("--config staging.yaml was not used")
	}
	testtool.WriteFile(t, filepath.Join(dir, "bad.yaml"), "title: x\ncolour: blue\n")
	code, _, stderr = cli(t, "check", "--source", dir, "--config", "bad.yaml")
	if code != 1 || !strings.Contains(stderr, "bad.yaml:2:1: unknown field") {
		t.Errorf("check --config bad.yaml: exit %d, %q; want errors at bad.yaml", code, stderr)
	}
	if code, _, stderr := cli(t, "check", "--source", dir, "--config", "../site.yaml"); code != 2 || !strings.Contains(stderr, "inside the project") {
		t.Errorf("--config outside the project: exit %d, %q", code, stderr)
	}
	code, _, stderr = cli(t, "build", "--source", dir, "--base-url", "https://user.github.io/repo/", "--quiet")
	if code != 0 || !strings.Contains(stderr, "warning: robots.txt is written under /repo/") {
		t.Errorf("build under a subpath: exit %d, stderr %q; want a warning about robots.txt", code, stderr)
	}
	code, stdout, _ = cli(t, "version")
	if code != 0 || !regexp.MustCompile(`^sitegen \S+.* `+regexp.QuoteMeta(runtime.Version())+`\n$`).MatchString(stdout) {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
}

// TestThemeCommand: theme lists the theme's files and marks the project's
// overrides; theme FILE copies one in, which then replaces the theme's,
// and never over a file that exists.
func TestThemeCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	if code, _, stderr := cli(t, "init", dir); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, _ := cli(t, "theme", "--source", dir)
	if code != 0 || !strings.Contains(stdout, "templates/partials/footer.html\n") || !strings.Contains(stdout, "assets/css/site.css\n") {
		t.Fatalf("theme: exit %d:\n%s", code, stdout)
	}
	if code, _, stderr := cli(t, "theme", "--source", dir, "templates/partials/footer.html"); code != 0 {
		t.Fatalf("theme FILE: exit %d: %s", code, stderr)
	}
	copied := filepath.Join(dir, "templates/partials/footer.html")
	b, err := os.ReadFile(copied)
	if err != nil {
		t.Fatal(err)
	}
	testtool.WriteFile(t, copied, strings.Replace(string(b), "Site index</a>", "Site index</a> · Made by us", 1))
	if code, _, stderr := cli(t, "build", "--source", dir, "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	if home, _ := os.ReadFile(filepath.Join(dir, "public/index.html")); !strings.Contains(string(home), "Made by us") {
		t.Error("the copied footer does not replace the theme's")
	}
	_, stdout, _ = cli(t, "theme", "--source", dir)
	if !strings.Contains(stdout, "templates/partials/footer.html  (overridden by the project)") {
		t.Errorf("theme does not mark the override:\n%s", stdout)
	}
	if code, _, stderr := cli(t, "theme", "--source", dir, "templates/partials/footer.html"); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("theme over an existing file: exit %d, %q", code, stderr)
	}
	if code, _, _ := cli(t, "theme", "--source", dir, "templates/nope.html"); code != 2 {
		t.Errorf("theme with a file it lacks: exit %d, want 2", code)
	}
}

// TestInitSiteID: each init writes a siteID of its own, a version 4 UUID,
// and the feeds' ids are made from it.
func TestInitSiteID(t *testing.T) {
	idRe := regexp.MustCompile(`(?m)^siteID: "([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"$`)
	var ids []string
	for _, name := range []string{"a", "b"} {
		dir := filepath.Join(t.TempDir(), name)
		if code, _, stderr := cli(t, "init", dir); code != 0 {
			t.Fatal(stderr)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "site.yaml"))
		m := idRe.FindSubmatch(b)
		if m == nil {
			t.Fatalf("site.yaml has no siteID:\n%s", b)
		}
		ids = append(ids, string(m[1]))
		if code, _, stderr := cli(t, "build", "--source", dir, "--quiet"); code != 0 {
			t.Fatal(stderr)
		}
		atom, _ := os.ReadFile(filepath.Join(dir, "public", "feed.atom"))
		if !strings.Contains(string(atom), "<id>urn:uuid:"+string(m[1])+"</id>") {
			t.Errorf("the feed's id is not its siteID:\n%s", atom)
		}
	}
	if ids[0] == ids[1] {
		t.Error("two inits wrote the same siteID")
	}
}
