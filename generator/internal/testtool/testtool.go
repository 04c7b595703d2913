// Package testtool finds the outside tools that tests drive — Chromium, the
// Nu HTML checker, axe-core, TimelineJS — and starts headless Chromium.
//
// On a developer's machine a missing tool skips the test with a message
// saying how to install it. Under CI=true a missing tool fails the test: CI
// installs everything (see .ci/run), so a skip there would hide a check.
package testtool

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Missing skips the test, or fails it under CI=true, because a tool is not
// installed. install says how to get it.
func Missing(t testing.TB, tool, install string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed, and CI=true makes a missing tool a failure; install it with: %s", tool, install)
	}
	t.Skipf("%s is not installed; skipping (install it with: %s, or run bash .ci/run)", tool, install)
}

// RepoRoot returns the repository root: the folder holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the repository root (no go.mod above this package)")
		}
		dir = parent
	}
}

// NodeModule returns the path of a file inside an installed npm package
// (from the repository's package.json), e.g. NodeModule(t, "axe-core/axe.min.js").
func NodeModule(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Missing(t, "node_modules/"+rel, "npm ci (at the repository root)")
	}
	return p
}

// Java returns the path of the java binary the Nu HTML checker runs on.
func Java(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("java")
	if err != nil {
		Missing(t, "java", "apt-get install -y default-jre-headless")
	}
	return p
}

// Chromium returns the path of Debian's chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "chromium", "apt-get install -y chromium")
	return ""
}

// Browser starts headless Chromium and returns a context for chromedp
// actions in a new tab. Everything is closed when the test ends.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		// This machine has no network but loopback: stop Chromium's
		// background connections, which would only fail and slow it.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// chromedp.Cancel waits for Chromium to exit, so it no longer writes
		// into its profile folder when t.TempDir removes it. A test may have
		// cancelled already, and a second Cancel would panic.
		if ctx.Err() == nil {
			_ = chromedp.Cancel(ctx)
		}
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil { // starts the browser now, so a broken install fails here
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Actionlint returns the actionlint binary: on PATH, or where go install
// puts it (GOPATH/bin, which need not be on PATH). Without it the test
// skips, or fails under CI=true (see Missing).
func Actionlint(t testing.TB) string {
	t.Helper()
	if bin, err := exec.LookPath("actionlint"); err == nil {
		return bin
	}
	gopath, _ := exec.Command("go", "env", "GOPATH").Output()
	bin := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "actionlint")
	if _, err := os.Stat(bin); err != nil {
		Missing(t, "actionlint", "bash .ci/setup-actionlint.sh")
	}
	return bin
}
