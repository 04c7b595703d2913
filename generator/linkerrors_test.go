package generator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestBrokenMarkdownLinksAreLocatedInContent: a broken link or image
// written in a content file is reported at its line and column there,
// whatever makes it broken, and never at the template that rendered the
// page.
func TestBrokenMarkdownLinksAreLocatedInContent(t *testing.T) {
	body := "Body.\n\n" + // lines 8 and 9
		"A [query](x?.md) here.\n" + // 10
		"A [bad escape](%zz).\n" + // 11
		"[tab](java&#x09;script:alert(1))\n" + // 12
		"An ![image](missing.png).\n" + // 13
		"A [file](nothing.pdf) and [dir](sub/).\n" + // 14
		"A [colon](a:b:c) and [space](<a b.html>).\n" + // 15
		"\nNote[^1].\n\n[^1]: See [n](gone.html).\n" + // 17, 19
		"\nSee <http://localhost:8080/nowhere/>.\n" // 21
	dir := writeProject(t, miniProject)
	testtool.WriteFile(t, filepath.Join(dir, "content/events/first.md"), strings.Replace(eventFile, "Body.\n", body, 1))
	code, _, stderr := cli(t, "check", "--source", dir)
	if code != 1 {
		t.Fatalf("check: exit %d; want 1\n%s", code, stderr)
	}
	for _, want := range []string{
		"content/events/first.md:11:3: broken link",
		"content/events/first.md:12:3: broken link",
		"content/events/first.md:13:1: broken link",
		"content/events/first.md:14:4: broken link \"missing.png\"",
		"content/events/first.md:15:3: broken link \"nothing.pdf\"",
		"content/events/first.md:15:27: broken link \"sub/\"",
		"content/events/first.md:16:22: broken link \"a%20b.html\"",
		"content/events/first.md:20:11: broken link \"gone.html\"",
		"content/events/first.md:22:5: broken link \"http://localhost:8080/nowhere/\"",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("errors lack %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "templates/") {
		t.Errorf("a link written in content was blamed on a template:\n%s", stderr)
	}
}

// TestRepeatedBrokenLinkIsReportedEachTime: the same broken link written
// twice in a page, or in a footnote and in a reference definition, is an
// error at each place it was written, so that one run lists every line to
// fix; a build and a one-shot staged build say the same.
func TestRepeatedBrokenLinkIsReportedEachTime(t *testing.T) {
	body := "Body.\n\n" + // lines 9 and 10
		"A [gone](/events/gone/) and [again](/events/gone/).\n" + // 11
		"An ![image](nope.png), ![twice](nope.png) and [ref][r].\n" + // 12
		"\n[r]: /events/gone/\n" // 14
	dir := writeProject(t, miniProject)
	testtool.WriteFile(t, filepath.Join(dir, "content/events/first.md"), strings.Replace(eventFile, "Body.\n", body, 1))
	for _, args := range [][]string{{"check"}, {"build", "--dest", filepath.Join(t.TempDir(), "p")}} {
		code, _, stderr := cli(t, append(args, "--source", dir)...)
		if code != 1 {
			t.Fatalf("%v: exit %d; want 1\n%s", args, code, stderr)
		}
		for _, want := range []string{
			"content/events/first.md:11:3: broken link /events/gone/",
			"content/events/first.md:11:29: broken link /events/gone/",
			"content/events/first.md:12:4: broken link \"nope.png\"",
			"content/events/first.md:12:24: broken link \"nope.png\"",
			"content/events/first.md:12:47: broken link /events/gone/",
			"\n5 errors",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: errors lack %q:\n%s", args, want, stderr)
			}
		}
	}
}

// TestBadBaseURLIsOneError: a --base-url that would break every link is
// one error naming the flag, from check and from build.
func TestBadBaseURLIsOneError(t *testing.T) {
	dir := writeProject(t, miniProject)
	for _, bad := range []string{"https://x.com/./", "/a/../", "https://x.com/a b/", "https://x.com//"} {
		for _, cmd := range [][]string{{"check"}, {"build", "--dest", filepath.Join(t.TempDir(), "p")}} {
			args := append(cmd, "--source", dir, "--base-url", bad)
			code, _, stderr := cli(t, args...)
			if code != 1 || !strings.HasPrefix(stderr, "--base-url: ") || !strings.Contains(stderr, "\n1 error") {
				t.Errorf("%v: exit %d\n%s; want one error naming --base-url", args, code, stderr)
			}
		}
	}
}
