package generator

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// Faults in watch mode (issue 7, part 4): each fault is made for real on
// disk while serve runs, through the real watcher, builder, syncer and
// server. For each one the test checks that the fault is reported (on the
// reload stream, which draws the overlay, and in the terminal), that the
// server keeps serving the last good site meanwhile, and that once the
// fault is gone the next build succeeds, the pages reload and the output
// folder equals a clean build byte for byte.
//
// Tests run as root here and in CI, and root ignores permission bits, so
// chmod cannot make a file unreadable or a folder read-only for this
// process. Write errors are made instead in ways that bite root too (a
// folder where a file must go, a file where the output folder must be).
// The faults that need an ordinary user (an unreadable file or folder, a
// read-only output folder) and a full disk run in a child process in
// serve_userns_linux_test.go.

// faultRun is a running serve with its reload stream and helpers.
type faultRun struct {
	t   *testing.T
	dir string
	p   *previewRun
	ev  *testtool.EventStream
}

func startFaultRun(t *testing.T) *faultRun {
	t.Helper()
	dir := writeProject(t, miniProject)
	p := startServe(t, dir, "")
	return &faultRun{t: t, dir: dir, p: p, ev: openEvents(t, p.origin)}
}

// src returns the path of a project file.
func (f *faultRun) src(rel string) string {
	return filepath.Join(f.dir, filepath.FromSlash(rel))
}

// out returns the path of an output file.
func (f *faultRun) out(rel string) string {
	return filepath.Join(f.p.dest, filepath.FromSlash(rel))
}

// editFirst gives the first event a new body.
func (f *faultRun) editFirst(body string) {
	f.t.Helper()
	save(f.t, f.src("content/events/first.md"), firstEvent+body+"\n")
}

// serves fails unless the page at rel (under the site URL) is served with
// status 200 and holds want.
func (f *faultRun) serves(rel, want string) {
	f.t.Helper()
	code, body := fetch(f.t, f.p.url+rel)
	if code != 200 || !strings.Contains(body, want) {
		f.t.Fatalf("GET /%s: status %d, want 200 with %q", rel, code, want)
	}
}

// reloadUntil reads the stream until a reload after which the page at rel
// holds want; errors events on the way (from builds that saw a fault
// half-made) are counted and returned.
func (f *faultRun) reloadUntil(rel, want string) (errorEvents int) {
	f.t.Helper()
	for {
		name, _ := f.ev.Next()
		switch name {
		case "errors":
			errorEvents++
		case "reload":
			if _, body := fetch(f.t, f.p.url+rel); strings.Contains(body, want) {
				return errorEvents
			}
		}
	}
}

// equalsCleanBuild fails unless the output folder holds exactly what a
// clean build of the project writes.
func (f *faultRun) equalsCleanBuild(when string) {
	f.t.Helper()
	clean := filepath.Join(f.t.TempDir(), "public")
	if code, _, stderr := cli(f.t, "build", "--source", f.dir, "--dest", clean); code != 0 {
		f.t.Fatalf("%s: clean build failed: %s", when, stderr)
	}
	if diff := sameSnapshot(snapshot(f.t, clean), snapshot(f.t, f.p.dest)); diff != "" {
		f.t.Fatalf("%s: the output folder differs from a clean build: %s", when, diff)
	}
}

// TestServeFaultOutputWriteError makes one output file unwritable: a
// folder stands where the file must go, so renaming the new file into
// place fails (EISDIR), as writing a read-only file would for a user
// without root's override. It is the same failure path in the Syncer:
// writeFileAtomic returns an error and Sync reports it.
func TestServeFaultOutputWriteError(t *testing.T) {
	f := startFaultRun(t)
	page := "events/first/index.html"
	f.editFirst("Good body.")
	f.reloadUntil("events/first/", "Good body.")

	if err := os.Remove(f.out(page)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(f.out(page), 0o755); err != nil {
		t.Fatal(err)
	}
	f.editFirst("Body that cannot be written.")
	data := f.ev.Want("errors", "writing the output folder")
	if !strings.Contains(data, "index.html") {
		t.Errorf("the error does not name the file: %s", data)
	}
	if !strings.Contains(f.p.stderr.String(), "error: writing "+f.p.dest) {
		t.Errorf("the terminal does not report the write error:\n%s", f.p.stderr)
	}
	// The last good site is still served, whole.
	f.serves("events/first/", "Good body.")
	f.serves("", "Welcome.")
	f.serves("docs/overview/", "Tracks")

	// The fault goes: serve, which retries the write, notices by
	// itself, writes the build and reloads the pages.
	if err := os.Remove(f.out(page)); err != nil {
		t.Fatal(err)
	}
	f.ev.Want("reload", "")
	f.serves("events/first/", "Body that cannot be written.")
	f.equalsCleanBuild("after the write error was fixed")
	if n := strings.Count(f.p.stderr.String(), "error: writing"); n != 1 {
		t.Errorf("the write error was reported %d times, want once:\n%s", n, f.p.stderr)
	}
	f.editFirst("Body after the fix.")
	f.ev.Want("reload", "")
	f.serves("events/first/", "Body after the fix.")
	f.equalsCleanBuild("after an edit")
}

// TestServeFaultOutputFolderGone replaces the output folder with a file,
// so no output can be written at all, then removes the file; and, as a
// second fault, deletes the whole output folder while serve runs (make
// clean during make serve), which is no error, and edits a page. Each
// time, once the folder is written again, it must be complete, not hold
// only the files of the last edit.
func TestServeFaultOutputFolderGone(t *testing.T) {
	f := startFaultRun(t)
	f.editFirst("Good body.")
	f.reloadUntil("events/first/", "Good body.")

	if err := os.RemoveAll(f.p.dest); err != nil {
		t.Fatal(err)
	}
	save(t, f.p.dest, "not a folder\n")
	f.editFirst("Body that cannot be written.")
	f.ev.Want("errors", "writing the output folder")
	f.serves("events/first/", "Good body.")
	f.serves("", "Welcome.")

	if err := os.Remove(f.p.dest); err != nil {
		t.Fatal(err)
	}
	f.ev.Want("reload", "")
	f.serves("events/first/", "Body that cannot be written.")
	f.equalsCleanBuild("after the output folder came back")

	if err := os.RemoveAll(f.p.dest); err != nil {
		t.Fatal(err)
	}
	f.editFirst("Body after make clean.")
	f.ev.Want("reload", "")
	f.serves("events/first/", "Body after make clean.")
	f.equalsCleanBuild("after the output folder was deleted")
}

// TestServeFaultRapidCreateDelete creates and deletes event files as fast
// as the file system allows while builds run, and reads pages all the
// while. A build may list a file that is deleted before it is read, or
// read one that is created but not yet written: such a build fails and
// says so, which is right, and the server keeps serving the last good
// site. Once the churn stops, the next build is good and the output equals
// a clean build.
func TestServeFaultRapidCreateDelete(t *testing.T) {
	f := startFaultRun(t)
	// The churn goes on until builds have run during it (each sends an
	// event: a reload, or errors), pausing between steps for varying
	// times so that steps land before, during and after builds.
	const files, builds, maxRounds = 100, 12, 2000
	pauses := []time.Duration{0, 15 * time.Millisecond, 40 * time.Millisecond, 90 * time.Millisecond}
	event := func(i, r int) string {
		return fmt.Sprintf("---\ntitle: Flap %d\ndate: 2016-0%d\nactor: Russia\ntype: meeting\ntrack: cybercrime\nsummary: Round %d.\n---\nRound %d.\n", i, 1+i%9, r, r)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var fetchErr error
	fetches := 0
	wg.Add(1)
	go func() {
		// Pages stay served, whole, while the churn goes on. No t.Fatal
		// off the test goroutine: the first failure is kept.
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, rel := range []string{"", "events/first/", "timeline/"} {
				resp, err := http.Get(f.p.url + rel)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("GET /%s: status %d during the churn", rel, resp.StatusCode)
					}
				}
				if err != nil && fetchErr == nil {
					fetchErr = err
				}
				fetches++
			}
		}
	}()
	events, errorEvents, rounds := 0, 0, 0
	for ; events < builds; rounds++ {
		if rounds == maxRounds {
			t.Fatalf("only %d builds ran during %d rounds of churn", events, rounds)
		}
		for i := range files {
			p := f.src(fmt.Sprintf("content/events/flap-%d.md", i))
			if err := os.WriteFile(p, []byte(event(i, rounds)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(pauses[rounds%len(pauses)])
		for i := range files {
			if err := os.Remove(f.src(fmt.Sprintf("content/events/flap-%d.md", i))); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(pauses[(rounds/len(pauses))%len(pauses)])
		for drained := false; !drained; {
			select {
			case e, ok := <-f.ev.Events:
				if !ok {
					t.Fatal("the reload stream ended")
				}
				events++
				if e[0] == "errors" {
					errorEvents++
				}
			default:
				drained = true
			}
		}
	}
	// Whether a build read a file half-made during the churn is down to
	// timing; make one for certain: a file caught mid-write, its front
	// matter cut short. That build must fail, say which file, and leave
	// the last good site served.
	testtool.WriteFile(t, f.src("content/events/flap-half.md"), "---\ntitle: Flap half\ndate: 2016-0")
	for {
		name, data := f.ev.Next()
		if name == "errors" && strings.Contains(data, "content/events/flap-half.md") {
			errorEvents++
			break
		}
	}
	f.serves("events/first/", "Body.")
	if !strings.Contains(f.p.stderr.String(), "content/events/flap-half.md") {
		t.Errorf("the terminal does not name the half-written file:\n%s", f.p.stderr)
	}
	if err := os.Remove(f.src("content/events/flap-half.md")); err != nil {
		t.Fatal(err)
	}
	// Leave half of the files in place, so the final site has them.
	for i := range files / 2 {
		save(t, f.src(fmt.Sprintf("content/events/flap-%d.md", i)), event(i, 60))
	}
	f.editFirst("After the churn.")
	errorEvents += f.reloadUntil("events/first/", "After the churn.")
	close(stop)
	wg.Wait()
	if fetchErr != nil {
		t.Fatal(fetchErr)
	}
	f.serves("events/flap-0/", "Round 60.")
	f.equalsCleanBuild("after the churn")
	cannotRead := strings.Count(f.p.stderr.String(), "cannot read")
	t.Logf("%d files created and deleted %d times; %d builds during the churn; %d page fetches, all 200; %d failed builds reported (%d \"cannot read\" errors: files deleted while the build read them)",
		files, rounds, events, fetches, errorEvents, cannotRead)
}

// TestServeFaultFolderRenamed renames a content folder, edits a file under
// its new name (the watcher must follow), then moves the whole content
// folder away (an error: the last good site stays) and back.
func TestServeFaultFolderRenamed(t *testing.T) {
	f := startFaultRun(t)
	if err := os.Rename(f.src("content/docs"), f.src("content/guides")); err != nil {
		t.Fatal(err)
	}
	f.reloadUntil("guides/overview/", "Tracks")
	f.equalsCleanBuild("after renaming content/docs")
	save(t, f.src("content/guides/overview.md"), "---\ntitle: Overview\n---\n## Tracks\nEdited under the new name.\n")
	f.reloadUntil("guides/overview/", "Edited under the new name.")

	before := snapshot(t, f.p.dest)
	if err := os.Rename(f.src("content"), f.src("content.moved")); err != nil {
		t.Fatal(err)
	}
	// Reported, and the last good site stays served and on disk.
	f.ev.Want("errors", `"file":"content","message":"the folder content/ is gone`)
	f.serves("guides/overview/", "Edited under the new name.")
	if diff := sameSnapshot(before, snapshot(t, f.p.dest)); diff != "" {
		t.Errorf("content/ moved away changed the output folder: %s", diff)
	}
	if !strings.Contains(f.p.stderr.String(), "content: the folder content/ is gone") {
		t.Errorf("the terminal does not say content/ is gone:\n%s", f.p.stderr)
	}

	if err := os.Rename(f.src("content.moved"), f.src("content")); err != nil {
		t.Fatal(err)
	}
	f.reloadUntil("events/first/", "Body.")
	f.equalsCleanBuild("after content/ came back")
	// The folders that came back are watched again.
	f.editFirst("Edited after the move back.")
	f.reloadUntil("events/first/", "Edited after the move back.")
	f.equalsCleanBuild("after an edit in the folder that came back")
}
