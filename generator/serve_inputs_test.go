package generator

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/build"
	"github.com/unictimeline/sitegen/generator/devserver"
	"github.com/unictimeline/sitegen/generator/watch"
)

// TestServeInputGone moves each input folder away while serve runs, or
// puts a file in its place: an error at that folder, on the stream (the
// overlay) and in the terminal, while the last good site stays served and
// the output folder is untouched; once the folder is back, the site
// rebuilds and equals a clean build.
func TestServeInputGone(t *testing.T) {
	for _, tc := range []struct {
		dir, page, want string
		asFile          bool
	}{
		{"content", "events/first/", "Body.", false},
		{"templates", "events/first/", "Body.", false},
		{"assets", "css/site.css", "", false},
		{"content", "events/first/", "Body.", true},
	} {
		name := tc.dir
		if tc.asFile {
			name += " replaced by a file"
		}
		t.Run(name, func(t *testing.T) {
			f := startFaultRun(t)
			before := snapshot(t, f.p.dest)
			if err := os.Rename(f.src(tc.dir), f.src(tc.dir+".away")); err != nil {
				t.Fatal(err)
			}
			why := "is gone"
			if tc.asFile {
				save(t, f.src(tc.dir), "not a folder\n")
				why = "is no longer a folder"
			}
			f.ev.Want("errors", `"file":"`+tc.dir+`","message":"the folder `+tc.dir+`/ `+why)
			f.serves(tc.page, tc.want)
			if diff := sameSnapshot(before, snapshot(t, f.p.dest)); diff != "" {
				t.Errorf("%s gone changed the output folder: %s", tc.dir, diff)
			}
			if !strings.Contains(f.p.stderr.String(), tc.dir+": the folder "+tc.dir+"/ "+why) {
				t.Errorf("the terminal does not say %s/ %s:\n%s", tc.dir, why, f.p.stderr)
			}
			if tc.asFile {
				if err := os.Remove(f.src(tc.dir)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Rename(f.src(tc.dir+".away"), f.src(tc.dir)); err != nil {
				t.Fatal(err)
			}
			f.reloadUntil("events/first/", "Body.")
			f.equalsCleanBuild(tc.dir + " back")
		})
	}
}

// flakyFS fails every Open with EMFILE while failing is set, as a process
// out of file descriptors does.
type flakyFS struct {
	fs.FS
	failing atomic.Bool
}

func (f *flakyFS) Open(name string) (fs.File, error) {
	if f.failing.Load() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EMFILE}
	}
	return f.FS.Open(name)
}

// TestServeRetriesTransientFailure: a build that fails because the process
// is out of file descriptors is said so in one line and built again with
// backoff until it succeeds, without an overlay for a failure that passes;
// one that keeps failing is reported in full after showTransientAfter.
func TestServeRetriesTransientFailure(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	fsys := &flakyFS{FS: os.DirFS(dir)}
	var stdout, stderr bytes.Buffer
	p := &preview{
		builder: build.NewBuilder(build.Options{FS: fsys}),
		syncer:  inPlaceSyncer(dest),
		srv:     devserver.New(devserver.Options{}),
		stale:   func(watch.Batch) bool { return false },
		root:    dir,
		dest:    dest,
		stdout:  &stdout,
		stderr:  &stderr,
	}
	onDisk := func() string { return readFile(t, filepath.Join(dest, "events/first/index.html")) }
	p.rebuild(watch.Batch{})
	if p.wake() != nil || !strings.Contains(onDisk(), "Body.") {
		t.Fatalf("first build:\n%s%s", &stdout, &stderr)
	}

	edit := watch.Batch{Paths: []string{"content/events/first.md"}}
	save(t, filepath.Join(dir, "content/events/first.md"), firstEvent+"After the retry.\n")
	fsys.failing.Store(true)
	p.changed(edit)
	if p.wake() == nil || !strings.Contains(stderr.String(), "passing reason (too many open files)") {
		t.Fatalf("a build out of file descriptors is not retried:\n%s", &stderr)
	}
	if strings.Contains(stderr.String(), "build failed; still serving") {
		t.Errorf("a passing failure was reported in full at once:\n%s", &stderr)
	}
	p.retry() // still failing: backoff grows
	if p.backoff != 2*firstRetry {
		t.Errorf("backoff after two failures is %s, want %s", p.backoff, 2*firstRetry)
	}
	fsys.failing.Store(false)
	<-p.wake()
	p.retry()
	if p.wake() != nil || !strings.Contains(onDisk(), "After the retry.") {
		t.Fatalf("the retry did not build the edit:\n%s%s", &stdout, &stderr)
	}

	// Failing for good: reported in full once it has lasted.
	save(t, filepath.Join(dir, "content/events/first.md"), firstEvent+"Never built.\n")
	fsys.failing.Store(true)
	p.changed(edit)
	deadline := time.Now().Add(serveGuard)
	for !strings.Contains(stderr.String(), "build failed; still serving") {
		if time.Now().After(deadline) {
			t.Fatalf("a lasting failure was never reported in full:\n%s", &stderr)
		}
		<-p.wake()
		p.retry()
	}
	if p.backoff > maxRetry || !strings.Contains(onDisk(), "After the retry.") {
		t.Errorf("backoff %s (max %s); the last good site must stay on disk", p.backoff, maxRetry)
	}
}
