package generator

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/devserver"
)

// floodFileLimit is the file descriptor limit of the serve that
// TestServeConnectionFlood floods: low, as on a machine whose limit is
// 256 (macOS's default) or that other programs have nearly used up.
const floodFileLimit = 256

// TestServeConnectionFlood runs serve in a child process whose file
// descriptor limit is floodFileLimit, opens far more connections to it
// than that, and edits a page: the rebuild must succeed without a single
// "too many open files", because the server holds no more connections
// than its cap and leaves the rest to wait in the kernel's queue. Once the
// flood ends, the edited page is served.
func TestServeConnectionFlood(t *testing.T) {
	if dir := os.Getenv("SITEGEN_FLOOD_CHILD"); dir != "" {
		lim := syscall.Rlimit{Cur: floodFileLimit, Max: floodFileLimit}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Fatal(err)
		}
		os.Exit(run([]string{"serve", "--source", dir, "--dest", os.Getenv("SITEGEN_FLOOD_DEST"), "--addr", "127.0.0.1:0"}, os.Stdout, os.Stderr))
	}
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeConnectionFlood$")
	cmd.Env = append(os.Environ(), "SITEGEN_FLOOD_CHILD="+dir, "SITEGEN_FLOOD_DEST="+dest)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve after Ctrl-C: %v\n%s", err, stderr.String())
			}
		case <-time.After(serveGuard):
			_ = cmd.Process.Kill()
			t.Error("serve did not stop after Ctrl-C")
		}
	}()
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			stdout.Write([]byte(sc.Text() + "\n"))
			if u, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
				url <- strings.Fields(u)[0]
			}
		}
		exited <- cmd.Wait()
	}()
	var site string
	select {
	case site = <-url:
	case <-time.After(serveGuard):
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(site, "http://"), "/")

	// The flood: connections that send nothing, four times the limit.
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	for range 4 * floodFileLimit {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("after %d connections: %v", len(flood), err)
		}
		flood = append(flood, c)
	}
	// Let the server take all the connections it will: its descriptors
	// pass the cap, and stop short of the limit.
	limit := devserver.DefaultMaxConns(floodFileLimit)
	fds := func() int {
		ents, _ := os.ReadDir("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/fd")
		return len(ents)
	}
	deadline := time.Now().Add(serveGuard)
	for fds() < limit {
		if time.Now().After(deadline) {
			t.Fatalf("the server holds only %d descriptors with %d connections waiting", fds(), len(flood))
		}
		time.Sleep(10 * time.Millisecond)
	}

	save(t, filepath.Join(dir, "content/events/first.md"), firstEvent+"Edited during the flood.\n")
	deadline = time.Now().Add(serveGuard)
	for !strings.Contains(stdout.String(), "content/events/first.md changed: rebuilt") {
		if time.Now().After(deadline) || strings.Contains(stderr.String(), "error") {
			t.Fatalf("no rebuild during the flood:\n%s%s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := fds(); n >= floodFileLimit {
		t.Errorf("the server holds %d descriptors, its limit is %d", n, floodFileLimit)
	}
	if s := stderr.String(); strings.Contains(s, "too many open files") || strings.Contains(s, "passing reason") {
		t.Errorf("the rebuild ran out of file descriptors:\n%s", s)
	}
	if !strings.Contains(readFile(t, filepath.Join(dest, "events/first/index.html")), "Edited during the flood.") {
		t.Error("the edit is not on disk")
	}

	for _, c := range flood {
		c.Close()
	}
	flood = nil
	if code, body := fetch(t, site+"events/first/"); code != 200 || !strings.Contains(body, "Edited during the flood.") {
		t.Errorf("after the flood: GET events/first/: %d without the edit", code)
	}
}
