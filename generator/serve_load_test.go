package generator

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/devserver"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// Soak and load tests of the preview server (issue 7, parts 5 and 6).
// They run the real serve (watcher, builder, syncer, server) on loopback
// and talk to it over real HTTP. By default they run small, so make test
// stays quick on two cores; SITEGEN_LOAD=1 runs them at full size
// (500 edit cycles; 200 clients and 100 reload streams for 30 seconds).
// -short skips them.

// loadSize says how big the soak and load tests run.
type loadSize struct {
	cycles   int           // soak: edit-and-rebuild cycles
	clients  int           // load: concurrent page fetchers
	streams  int           // load: open reload streams
	duration time.Duration // load: how long the clients fetch
	edits    int           // load: edits while the clients fetch
}

func sizeFor(t *testing.T) loadSize {
	t.Helper()
	if testing.Short() {
		t.Skip("soak and load tests skipped with -short")
	}
	if os.Getenv("SITEGEN_LOAD") == "1" {
		return loadSize{cycles: 500, clients: 200, streams: 100, duration: 30 * time.Second, edits: 5}
	}
	return loadSize{cycles: 40, clients: 20, streams: 10, duration: 3 * time.Second, edits: 2}
}

// rssKB returns the process's resident set size in KiB, from /proc (0
// where there is no /proc).
func rssKB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// heapInuse returns the bytes of live heap spans after a collection.
func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// settledGoroutines waits, as a failure guard, until no more than want
// goroutines run (connections and streams closed by the client end on the
// server once it reads the close), and returns the count it saw last.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(serveGuard)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeSoak runs edit-and-rebuild cycles through the real watcher,
// builder, syncer and server, reading the reload stream and the edited
// page over HTTP each time, with a failed build before every seventh
// cycle's edit and a second reload stream opened and dropped every tenth. Goroutines must be back to their count at the
// start, and the live heap must not grow: a leak per cycle (a stream, a
// watch, a timer, a cached page) would show in either.
func TestServeSoak(t *testing.T) {
	size := sizeFor(t)
	dir := writeProject(t, miniProject)
	p := startServe(t, dir, "")
	ev := openEvents(t, p.origin)
	src := filepath.Join(dir, "content", "events", "first.md")
	page := p.url + "events/first/"
	broken := strings.Replace(firstEvent, "date: 2011-09-12", "date: 2011-13-45", 1)
	cycle := func(i int, dropStream bool) {
		if i%7 == 3 {
			// A failed build on the way: the error path must not leak
			// either.
			save(t, src, broken+"Broken.\n")
			ev.Want("errors", "content/events/first.md")
		}
		body := fmt.Sprintf("Soak cycle %d.", i)
		save(t, src, firstEvent+body+"\n")
		ev.Want("reload", "")
		if code, got := fetch(t, page); code != 200 || !strings.Contains(got, body) {
			t.Fatalf("cycle %d: GET %s: %d without the edit", i, page, code)
		}
		if dropStream {
			// A page opened and closed: its stream must end on the server.
			resp, err := http.Get(p.origin + devserver.EventsPath)
			if err != nil {
				t.Fatal(err)
			}
			if line, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
				t.Fatalf("cycle %d: second stream: %q %v", i, line, err)
			}
			resp.Body.Close()
		}
	}
	// Warm up: caches, the HTTP connection pool, the runtime's own
	// goroutines and the first stream's goroutines on both ends. No
	// stream is dropped here, so nothing is left winding down when the
	// count is taken.
	for i := range 5 {
		cycle(-1-i, false)
	}
	startG, startHeap, startRSS := runtime.NumGoroutine(), heapInuse(), rssKB()
	start := time.Now()
	for i := range size.cycles {
		cycle(i, i%10 == 0)
	}
	took := time.Since(start)
	endG := settledGoroutines(startG)
	endHeap, endRSS := heapInuse(), rssKB()
	t.Logf("%d edit-and-rebuild cycles in %s: goroutines %d → %d; heap in use %.1f → %.1f MiB; RSS %.1f → %.1f MiB",
		size.cycles, took.Round(time.Millisecond), startG, endG,
		float64(startHeap)/(1<<20), float64(endHeap)/(1<<20), float64(startRSS)/1024, float64(endRSS)/1024)
	if endG > startG {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines grew from %d to %d over %d cycles:\n%s", startG, endG, size.cycles, buf[:runtime.Stack(buf, true)])
	}
	// The heap holds one site and one parse cache whatever the number of
	// builds; 8 MiB leaves room for the collector's slack, not for a leak
	// of a site (~1 MiB here) per cycle.
	if endHeap > startHeap+8<<20 {
		t.Errorf("heap in use grew from %d to %d bytes over %d cycles", startHeap, endHeap, size.cycles)
	}
}

// loadStream is one reload stream held open by the load test.
type loadStream struct {
	mu       sync.Mutex
	versions map[string]bool // data of every reload event received
	err      error           // why the stream ended early, if it did
}

func (s *loadStream) has(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.versions[v]
}

// TestServeLoad fetches every file of the site from many concurrent
// clients while many reload streams stay open, edits a page several times
// meanwhile, and sends refused requests (path traversal, plain and
// percent-encoded, oversized headers, other methods, foreign Host
// headers) all along. No fetch may fail, every stream must get the reload
// of every edit, and every bad request must be refused.
func TestServeLoad(t *testing.T) {
	size := sizeFor(t)
	dir := writeProject(t, miniProject)
	p := startServe(t, dir, "")
	control := openEvents(t, p.origin)

	// Every file of the site, as URLs.
	var urls []string
	err := filepath.WalkDir(p.dest, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(p.dest, path)
		rel = strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
		urls = append(urls, p.url+rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// One pool for everything, big enough that no connection is closed
	// for want of an idle slot (which would run loopback out of ports).
	tr := &http.Transport{MaxIdleConnsPerHost: size.clients + size.streams + 8}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}

	streams := make([]*loadStream, size.streams)
	var streamsWG sync.WaitGroup
	var bodies []io.Closer
	for i := range streams {
		s := &loadStream{versions: map[string]bool{}}
		streams[i] = s
		resp, err := client.Get(p.origin + devserver.EventsPath)
		if err != nil {
			t.Fatalf("opening stream %d: %v", i, err)
		}
		bodies = append(bodies, resp.Body)
		streamsWG.Add(1)
		go func() {
			defer streamsWG.Done()
			err := testtool.ReadEvents(resp.Body, func(name, d string) {
				if name == "reload" {
					s.mu.Lock()
					s.versions[d] = true
					s.mu.Unlock()
				}
			})
			s.mu.Lock()
			s.err = fmt.Errorf("stream ended: %v", err)
			s.mu.Unlock()
		}()
	}
	defer func() {
		for _, b := range bodies {
			b.Close()
		}
		streamsWG.Wait()
	}()

	var requests, failures, refused atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		failures.Add(1)
		firstErr.CompareAndSwap(nil, err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range size.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := urls[i%len(urls)]
				resp, err := client.Get(u)
				if err != nil {
					fail(err)
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if err != nil || resp.StatusCode != 200 || n == 0 {
					fail(fmt.Errorf("GET %s: status %d, %d bytes, %v", u, resp.StatusCode, n, err))
				}
			}
		}()
	}
	addr := strings.TrimPrefix(p.origin, "http://")
	wg.Add(1)
	go func() {
		// Bad requests, sent over their own connections all along.
		defer wg.Done()
		for {
			for _, bad := range testtool.HostileRequests(addr, "/", devserver.EventsPath) {
				select {
				case <-stop:
					return
				default:
				}
				resp, body, err := testtool.SendRaw(addr, bad.Raw, serveGuard)
				if err != nil {
					fail(fmt.Errorf("%s: %v", bad.Name, err))
					continue
				}
				if code := resp.StatusCode; code != bad.Code || strings.Contains(body, "root:") || strings.Contains(body, "module github.com") {
					fail(fmt.Errorf("%s: status %d, want %d", bad.Name, code, bad.Code))
					continue
				}
				refused.Add(1)
			}
		}
	}()

	// Edits while the load runs, each waited for on the control stream,
	// whose reload data is the version every stream must receive.
	var versions []string
	for e := range size.edits {
		time.Sleep(size.duration / time.Duration(size.edits+1))
		save(t, filepath.Join(dir, "content", "events", "first.md"), firstEvent+fmt.Sprintf("Load edit %d.\n", e))
		versions = append(versions, control.Want("reload", ""))
	}
	time.Sleep(size.duration / time.Duration(size.edits+1))
	close(stop)
	wg.Wait()

	// Every stream got every reload (they were sent before the control
	// stream's copy was read; the wait is only a guard against a stream
	// that is slow to read its own).
	deadline := time.Now().Add(serveGuard)
	missing, complete := 0, 0
	for i, s := range streams {
		before := missing
		for _, v := range versions {
			for !s.has(v) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !s.has(v) {
				missing++
				s.mu.Lock()
				t.Errorf("stream %d did not get reload %s (%v)", i, v, s.err)
				s.mu.Unlock()
			}
		}
		if missing == before {
			complete++
		}
	}
	t.Logf("%d clients for %s with %d reload streams: %d requests (%.0f/s), %d failed; %d bad requests refused; %d edits, %d of %d streams got every reload",
		size.clients, size.duration, size.streams, requests.Load(), float64(requests.Load())/size.duration.Seconds(), failures.Load(),
		refused.Load(), size.edits, complete, size.streams)
	if failures.Load() > 0 {
		t.Errorf("%d requests failed; the first: %v", failures.Load(), firstErr.Load())
	}
	if requests.Load() == 0 || refused.Load() == 0 {
		t.Error("no requests were made")
	}
}
