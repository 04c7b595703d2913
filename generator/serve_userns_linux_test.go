package generator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/watch"
)

// Faults that root does not feel: an unreadable file or folder, a
// read-only output folder and a full disk. Root ignores permission bits,
// and a full disk cannot be made without mounting a small file system, so
// serve runs here in a child process (this test binary again) inside a new
// user and mount namespace: there it mounts a 4 MiB tmpfs for the output
// folder, then becomes an ordinary user (nobody) for good, so permission
// bits bite. The test, still root outside, makes each fault for real (chmod
// on the project; chmod, and a filler file written until ENOSPC, on the
// child's tmpfs, reached through /proc/PID/root) and talks to the child
// over loopback HTTP.
//
// It needs root, to map the child's users; elsewhere it is skipped.

// Environment of the child process.
const (
	childEnv    = "SITEGEN_FAULT_CHILD" // the tmpfs mount point; set only in the child
	childSource = "SITEGEN_FAULT_SOURCE"
)

// The child's users: 0 mounts the tmpfs, 1 (nobody outside) serves.
const (
	childRootUID = 65533
	childUserUID = 65534
)

// TestServeFaultChildProcess is the child's entry point, not a test: it
// does nothing unless the parent test started it.
func TestServeFaultChildProcess(t *testing.T) {
	mnt := os.Getenv(childEnv)
	if mnt == "" {
		t.Skip("the child process of TestServeFaultUnprivileged")
	}
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stderr, "child: %s: %v\n", what, err)
		os.Exit(3)
	}
	// Mounts made here must not reach the parent's namespace.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		fail("making mounts private", err)
	}
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=4m,mode=0777"); err != nil {
		fail("mounting tmpfs", err)
	}
	// From here on an ordinary user: permission bits apply.
	if err := syscall.Setgid(1); err != nil {
		fail("setgid", err)
	}
	if err := syscall.Setuid(1); err != nil {
		fail("setuid", err)
	}
	// The parent fills the disk through this file: root outside cannot
	// create files here (it has no user inside), but it can write one.
	if err := os.WriteFile(filepath.Join(mnt, "filler"), nil, 0o666); err != nil {
		fail("creating the filler file", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	c := serveConfig{
		source: os.Getenv(childSource), dest: filepath.Join(mnt, "public"), addr: "127.0.0.1:0",
		ready: func(url string) { fmt.Printf("READY %s\n", url) },
	}
	os.Exit(serve(ctx, stop, c, os.Stdout, os.Stderr))
}

// openToAll lets every user read and enter dir and the folders above it,
// up to the system's temporary folder.
func openToAll(t *testing.T, dir string) {
	t.Helper()
	top := filepath.Clean(os.TempDir())
	for d := dir; strings.HasPrefix(d, top+string(filepath.Separator)); d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, info.Mode().Perm()|0o055); err != nil {
			t.Fatal(err)
		}
	}
}

// startChild runs serve as nobody in a new user and mount namespace.
func startChild(t *testing.T, dir, mnt string) (*previewRun, int) {
	t.Helper()
	if os.Geteuid() != 0 {
		testtool.Missing(t, "root (to start the child as another user)", "run the tests as root, as CI does")
	}
	// The child execs this binary as nobody, which cannot enter the go
	// build cache: run a copy.
	bin := filepath.Join(t.TempDir(), "sitegen.test")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, self, bin)
	for _, d := range []string{dir, mnt, filepath.Dir(bin)} {
		openToAll(t, d)
	}
	cmd := exec.Command(bin, "-test.run=^TestServeFaultChildProcess$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"="+mnt, childSource+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{
			{ContainerID: 0, HostID: childRootUID, Size: 1},
			{ContainerID: 1, HostID: childUserUID, Size: 1},
		},
		GidMappings: []syscall.SysProcIDMap{
			{ContainerID: 0, HostID: childRootUID, Size: 1},
			{ContainerID: 1, HostID: childUserUID, Size: 1},
		},
		// Root outside is no one inside: become the namespace's root
		// before exec, or the child starts without the capabilities
		// it needs to mount.
		Credential: &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true},
	}
	p := &previewRun{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		testtool.Missing(t, fmt.Sprintf("user namespaces (%v)", err), "a Linux kernel with unprivileged user namespaces; the permission and full-disk faults need them")
	}
	var waitErr error
	exited := make(chan struct{}) // closed once waitErr is set
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.stdout, line)
			if u, ok := strings.CutPrefix(line, "READY "); ok {
				ready <- u
			}
		}
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
			if waitErr != nil {
				t.Errorf("serve in the child ended with %v:\n%s", waitErr, p.stderr)
			}
		case <-time.After(serveGuard):
			_ = cmd.Process.Kill()
			t.Error("serve in the child did not stop")
		}
	})
	select {
	case p.url = <-ready:
	case <-exited:
		t.Fatalf("the child ended before serving: %v\n%s%s", waitErr, p.stdout, p.stderr)
	case <-time.After(serveGuard):
		t.Fatal("the child did not start serving")
	}
	p.origin = p.url[:strings.Index(p.url[len("http://"):], "/")+len("http://")]
	// The child's tmpfs, as this process sees it.
	p.dest = filepath.Join(fmt.Sprintf("/proc/%d/root", cmd.Process.Pid), mnt, "public")
	return p, cmd.Process.Pid
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// fill writes the file at p until the file system is full.
func fill(t *testing.T, p string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// TestServeFaultUnprivileged makes, one after the other, an unreadable
// content file, an unreadable content folder, a read-only output folder
// and a full disk, each reported and then undone.
func TestServeFaultUnprivileged(t *testing.T) {
	dir := writeProject(t, miniProject)
	mnt := t.TempDir()
	p, _ := startChild(t, dir, mnt)
	f := &faultRun{t: t, dir: dir, p: p, ev: openEvents(t, p.origin)}
	f.serves("events/first/", "Body.")
	second := func(body string) {
		testtool.WriteFile(t, f.src("content/events/second.md"), "---\ntitle: Second\ndate: 2015\nactor: Russia\ntype: resolution\ntrack: cybercrime\nsummary: A resolution.\n---\n"+body+"\n")
	}

	t.Run("unreadable file", func(t *testing.T) {
		f.t, f.ev.T = t, t
		chmod(t, f.src("content/events/first.md"), 0)
		// The permission change alone changes no output; the next save
		// builds, and reports the file. The pause lets the change come
		// as a batch of its own, so that the save's batch does not name
		// first.md and the build must still know to read it again.
		time.Sleep(10 * watch.DefaultDebounce)
		second("Second, saved while first.md is unreadable.")
		data := f.ev.Want("errors", "content/events/first.md")
		if !strings.Contains(data, "permission denied") {
			t.Errorf("the error does not say why: %s", data)
		}
		f.serves("events/first/", "Body.")
		// Readable again: that alone rebuilds, since the last build failed.
		chmod(t, f.src("content/events/first.md"), 0o644)
		f.ev.Want("reload", "")
		f.serves("events/second/", "Second, saved while first.md is unreadable.")
	})

	t.Run("unreadable folder", func(t *testing.T) {
		f.t, f.ev.T = t, t
		chmod(t, f.src("content/docs"), 0)
		second("Second, saved while docs is unreadable.")
		f.ev.Want("errors", "permission denied")
		f.serves("docs/overview/", "Tracks")
		chmod(t, f.src("content/docs"), 0o755)
		f.ev.Want("reload", "")
		f.serves("events/second/", "Second, saved while docs is unreadable.")
		f.equalsCleanBuild("after the folder was readable again")
	})

	t.Run("read-only output folder", func(t *testing.T) {
		f.t, f.ev.T = t, t
		chmod(t, f.out("events/first"), 0o555)
		f.editFirst("Body that cannot be written.")
		data := f.ev.Want("errors", "writing the output folder")
		if !strings.Contains(data, "permission denied") {
			t.Errorf("the error does not say why: %s", data)
		}
		f.serves("events/first/", "Body.")
		// Writable again: serve's retry writes the build by itself.
		chmod(t, f.out("events/first"), 0o755)
		f.ev.Want("reload", "")
		f.serves("events/first/", "Body that cannot be written.")
		f.equalsCleanBuild("after the output folder was writable again")
	})

	t.Run("full disk", func(t *testing.T) {
		f.t, f.ev.T = t, t
		filler := filepath.Join(filepath.Dir(f.p.dest), "filler")
		fill(t, filler)
		f.editFirst("A long body. " + strings.Repeat("Many words fill the disk. ", 4000))
		data := f.ev.Want("errors", "writing the output folder")
		if !strings.Contains(data, "no space left on device") {
			t.Errorf("the error does not say why: %s", data)
		}
		f.serves("events/first/", "Body that cannot be written.")
		f.serves("", "Welcome.")
		if err := os.Truncate(filler, 0); err != nil {
			t.Fatal(err)
		}
		f.ev.Want("reload", "")
		f.serves("events/first/", "A long body.")
		f.equalsCleanBuild("after space was freed")
	})
}
