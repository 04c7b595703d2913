package generator

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/outdir"
)

// Hostile cases with several real processes: two builds, or a build and a
// serve, on one output folder; a build killed with SIGKILL mid-commit.

// TestHostileChild is not a test: run by the tests below as a child
// process (this test binary again), it runs the command line that
// SITEGEN_HOSTILE_ARGS holds, its arguments separated by tabs.
func TestHostileChild(t *testing.T) {
	if args := os.Getenv("SITEGEN_HOSTILE_ARGS"); args != "" {
		os.Exit(run(strings.Split(args, "\t"), os.Stdout, os.Stderr))
	}
}

// child returns the command running the command line args in a child
// process.
func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileChild$")
	cmd.Env = append(os.Environ(), "SITEGEN_HOSTILE_ARGS="+strings.Join(args, "\t"))
	return cmd
}

// TestHostileLockServeAndBuild: while serve (another process) holds the
// output folder, a build into it, in this process or a third, fails at
// once naming serve's pid and command, and leaves the folder alone; once
// serve stops, the build succeeds.
func TestHostileLockServeAndBuild(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	srv := child("serve", "--source", dir, "--dest", dest, "--addr", "127.0.0.1:18310")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "serving ") {
	}
	go func() {
		for sc.Scan() {
		}
	}()
	before := snapshot(t, dest)
	want := "pid " + strconv.Itoa(srv.Process.Pid)
	code, _, errOut := cli(t, "build", "--source", dir, "--dest", dest)
	if code == 0 || !strings.Contains(errOut, "in use by") || !strings.Contains(errOut, want) || !strings.Contains(errOut, "serve") {
		t.Errorf("build during serve: exit %d, %q; want a refusal naming %s (serve)", code, errOut, want)
	}
	out, err := child("build", "--source", dir, "--dest", dest).CombinedOutput()
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("build in a third process during serve: %v, %s", err, out)
	}
	if diff := sameSnapshot(before, snapshot(t, dest)); diff != "" {
		t.Errorf("the refused builds changed the folder: %s", diff)
	}
	srv.Process.Signal(os.Interrupt)
	srv.Wait()
	if code, _, errOut := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Errorf("build after serve stopped: %s", errOut)
	}
}

// TestHostileConcurrentBuilds: two builds of different sites started
// together in two processes, again and again: the one that does not get
// the folder says so, and the folder always holds one site whole, never
// a mix, with no staging folder left.
func TestHostileConcurrentBuilds(t *testing.T) {
	a := writeProject(t, miniProject)
	b := writeProject(t, strings.ReplaceAll(miniProject, "Body.", "Another body."))
	refs := map[string]map[string][]byte{}
	for name, dir := range map[string]string{"a": a, "b": b} {
		d := filepath.Join(t.TempDir(), name)
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", d); code != 0 {
			t.Fatal(stderr)
		}
		refs[name] = snapshot(t, d)
	}
	for round := range 8 {
		dest := filepath.Join(t.TempDir(), "public")
		if round%2 == 1 {
			cli(t, "build", "--source", a, "--dest", dest) // into a site already there
		}
		var wg sync.WaitGroup
		outs := make([][]byte, 2)
		errs := make([]error, 2)
		for i, dir := range []string{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], errs[i] = child("build", "--source", dir, "--dest", dest).CombinedOutput()
			}()
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil && !strings.Contains(string(outs[i]), "in use by") {
				t.Errorf("round %d: build %d failed otherwise: %s", round, i, outs[i])
			}
		}
		if errs[0] != nil && errs[1] != nil {
			t.Errorf("round %d: both builds failed", round)
		}
		t.Logf("round %d: a: %v, b: %v", round, errs[0], errs[1])
		got := snapshot(t, dest)
		if sameSnapshot(refs["a"], got) != "" && sameSnapshot(refs["b"], got) != "" {
			t.Errorf("round %d: the folder holds neither site whole: %s / %s", round, sameSnapshot(refs["a"], got), sameSnapshot(refs["b"], got))
		}
	}
}

// TestHostileKillDuringBuild: a build of a site that changes every page
// is killed (SIGKILL) as its commit starts, or at a random moment; the
// next run finds the folder holding the old site or the new one whole
// once it has finished or undone what the killed build left, and a build
// after that succeeds.
func TestHostileKillDuringBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 400 events ten times")
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: 400, Seed: 1, Repo: repoRootDir(t)}); err != nil {
		t.Fatal(err)
	}
	refs := map[string]map[string][]byte{}
	for _, base := range []string{"https://old.example/", "https://new.example/"} {
		d := filepath.Join(t.TempDir(), "ref")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", d, "--base-url", base); code != 0 {
			t.Fatal(stderr)
		}
		refs[base] = snapshot(t, d)
	}
	for round, when := range []time.Duration{-1, -1, 500 * time.Millisecond} {
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest, "--base-url", "https://old.example/"); code != 0 {
			t.Fatal(stderr)
		}
		cmd := child("build", "--source", dir, "--dest", dest, "--base-url", "https://new.example/")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if when < 0 {
			waitForJournal(dest, 30*time.Second)
		} else {
			time.Sleep(when)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		journal, _ := filepath.Glob(filepath.Join(dest, outdir.StagePrefix+"*", "journal"))
		if when < 0 && len(journal) == 0 {
			t.Logf("round %d: the kill came after the commit", round)
		}
		if err := outdir.NewSyncer(dest).Check(); err != nil {
			t.Fatalf("round %d: the next run: %v", round, err)
		}
		got := snapshot(t, dest)
		old, new := sameSnapshot(refs["https://old.example/"], got), sameSnapshot(refs["https://new.example/"], got)
		if old != "" && new != "" {
			t.Errorf("round %d: after the kill the folder holds a mix: old site %s, new site %s", round, old, new)
		}
		t.Logf("round %d: killed with a commit under way: %v; the next run found the new site: %v", round, len(journal) > 0, new == "")
		if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest, "--base-url", "https://new.example/"); code != 0 {
			t.Errorf("round %d: a build after the kill: %s", round, stderr)
		} else if diff := sameSnapshot(refs["https://new.example/"], snapshot(t, dest)); diff != "" {
			t.Errorf("round %d: a build after the kill %s", round, diff)
		}
	}
}

// waitForJournal returns once a staging folder in dest holds a commit's
// journal: the renames are about to start.
func waitForJournal(dest string, guard time.Duration) {
	deadline := time.Now().Add(guard)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(dest, outdir.StagePrefix+"*", "journal")); len(m) > 0 {
			return
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// repoRootDir is the repository root, one folder above this package.
func repoRootDir(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}
