package devserver

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// short are timeouts short enough for a test to outlive several times.
// The write timeout bounds each write of the stream, which a loaded
// machine may delay by more than the others: it is longer, so that a
// stream dropped means a bug, not a slow scheduler.
var short = Options{Addr: "127.0.0.1:0", ReadTimeout: 150 * time.Millisecond, WriteTimeout: time.Second, IdleTimeout: 150 * time.Millisecond}

// closedByServer waits, as a failure guard, for the server to close c,
// reading and dropping whatever it sends first.
func closedByServer(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(guard))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("%s: the server kept the connection open", what)
	}
}

// TestTimeouts: connections that send nothing, send half a request or sit
// idle after one are closed; a reload stream stays open far past every
// timeout and still delivers events.
func TestTimeouts(t *testing.T) {
	srv := New(short)
	srv.Publish(site(), "/", nil)
	base := start(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	stream := openStream(t, base)
	stream.Want("hello", `"version":1`)

	silent := dial()
	half := dial()
	if _, err := io.WriteString(half, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); err != nil {
		t.Fatal(err)
	}
	idle := dial()
	if _, err := io.WriteString(idle, "GET /css/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 || resp.Close {
		t.Fatalf("keep-alive request: %v %v", resp, err)
	}
	closedByServer(t, silent, "a connection that sent nothing")
	closedByServer(t, half, "a connection that sent half a request")
	closedByServer(t, idle, "an idle keep-alive connection")

	// The stream has now lived through several read and idle timeouts;
	// wait past a few write timeouts too before the next build.
	time.Sleep(3 * short.WriteTimeout)
	srv.Publish(site(), "/", []string{"index.html"})
	stream.Want("reload", "2")
}

// TestMaxConns: connections past the cap wait, and go through once an open
// one closes.
func TestMaxConns(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0", MaxConns: 3})
	srv.Publish(site(), "/", nil)
	base := start(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	var held []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	got := make(chan error, 1)
	go func() {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a fourth connection was served while three were open (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	held[0].Close()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(guard):
		t.Fatal("the waiting request was not served after a connection closed")
	}
}

// TestMaxStreams: reload streams may take half the connections, no
// more, so that pages still load with the rest.
func TestMaxStreams(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0", MaxConns: 4})
	srv.Publish(site(), "/", nil)
	base := start(t, srv)
	openStream(t, base).Want("hello", "")
	openStream(t, base).Want("hello", "")
	resp, body := get(t, "GET", base+EventsPath, nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a third stream with MaxConns 4: %d %q, want 503", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", base+"/", nil); resp.StatusCode != 200 {
		t.Errorf("a page with two streams open: %d", resp.StatusCode)
	}
}

func TestDefaultMaxConns(t *testing.T) {
	for _, tc := range []struct {
		limit uint64
		want  int
	}{
		{0, 1024}, {1 << 20, 1024}, {4096, 1024}, {1024, 448}, {512, 192}, {256, 64}, {64, 16},
	} {
		if got := DefaultMaxConns(tc.limit); got != tc.want {
			t.Errorf("DefaultMaxConns(%d) = %d, want %d", tc.limit, got, tc.want)
		}
	}
}

// TestLateStreamCatchesUp: a stream opened after a CSS-only change hears
// in its hello which pages are still current and which stylesheets
// changed, so a page served before the change swaps them rather than
// reloading.
func TestLateStreamCatchesUp(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(site(), "/", nil)
	base := start(t, srv)
	srv.Publish(site(), "/", []string{"css/site.css"})
	srv.Publish(site(), "/", []string{"css/print.css"})
	openStream(t, base).Want("hello", `"version":3,"page":1,"css":["css/site.css","css/print.css"]`)
	srv.Publish(site(), "/", []string{"index.html"})
	openStream(t, base).Want("hello", `"version":4,"page":4,"css":[]`)
}

// TestWorkerScript: the worker script is served, as JavaScript, with the
// server's ID.
func TestWorkerScript(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	base := start(t, srv)
	resp, body := get(t, "GET", base+WorkerPath+"?server="+srv.ID(), nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET %s: %d %s", WorkerPath, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{srv.ID(), "onconnect", EventsPath} {
		if !strings.Contains(body, want) {
			t.Errorf("worker script lacks %q", want)
		}
	}
}
