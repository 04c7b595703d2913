package devserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"

	"github.com/unictimeline/sitegen/generator/diag"
)

// guard bounds every wait: a failure guard, not a timing assertion.
const guard = 20 * time.Second

func site() Files {
	return Files{Whole: map[string][]byte{
		"index.html":          []byte("<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/repo/css/site.css\"></head><body><p>home</p></body></html>"),
		"events/a/index.html": []byte("<!DOCTYPE html><html><body><p>event a</p></body></html>"),
		"404.html":            []byte("<!DOCTYPE html><html><body><p>the site's own 404</p></body></html>"),
		"css/site.css":        []byte("body{}"),
		"feed.xml":            []byte("<feed/>"),
	}, Pieces: map[string][][]byte{
		// A data export, made of its entries.
		"data.json": {[]byte(`[{"a":1}`), []byte(`,`), []byte(`{"b":2}]`)},
	}}
}

// start serves srv on a free loopback port until the test ends, and
// returns its base URL ("http://127.0.0.1:PORT").
func start(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(guard):
			t.Error("Serve did not return after shutdown")
		}
	})
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestServe(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	files := site()
	srv.Publish(files, "/repo/", nil)
	base := start(t, srv)

	tests := []struct {
		name, method, path string
		header             map[string]string
		code               int
		body               string // a substring of the body
		location           string
	}{
		{"page", "GET", "/repo/", nil, 200, "<p>home</p>", ""},
		{"nested page", "GET", "/repo/events/a/", nil, 200, "event a", ""},
		{"folder without slash", "GET", "/repo/events/a", nil, 301, "", "/repo/events/a/"},
		{"root redirects to the base path", "GET", "/", nil, 302, "", "/repo/"},
		{"base path without slash", "GET", "/repo", nil, 302, "", "/repo/"},
		{"outside the base path", "GET", "/events/a/", nil, 404, "the site's own 404", ""},
		{"missing page", "GET", "/repo/nope/", nil, 404, "the site's own 404", ""},
		{"css", "GET", "/repo/css/site.css", nil, 200, "body{}", ""},
		{"pieced file", "GET", "/repo/data.json", nil, 200, `[{"a":1},{"b":2}]`, ""},
		{"HEAD", "HEAD", "/repo/", nil, 200, "", ""},
		{"localhost", "GET", "/repo/", map[string]string{"Host": "localhost:8080"}, 200, "home", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Go's client cleans "..", so send the raw path by hand.
			resp, body := rawGet(t, base, tc.method, tc.path, tc.header["Host"])
			if resp.StatusCode != tc.code {
				t.Fatalf("%s %s: status %d, want %d; body %q", tc.method, tc.path, resp.StatusCode, tc.code, body)
			}
			if !strings.Contains(body, tc.body) {
				t.Errorf("body %q does not contain %q", body, tc.body)
			}
			if loc := resp.Header.Get("Location"); loc != tc.location {
				t.Errorf("Location %q, want %q", loc, tc.location)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			if tc.method == "HEAD" && body != "" {
				t.Errorf("HEAD sent a body: %q", body)
			}
		})
	}

	t.Run("script injected at serve time only", func(t *testing.T) {
		_, body := get(t, "GET", base+"/repo/", nil)
		if !strings.Contains(body, EventsPath) || !strings.Contains(body, srv.ID()) {
			t.Fatalf("page has no reload script: %q", body)
		}
		if i, j := strings.Index(body, "<script>"), strings.Index(body, "</body>"); i < 0 || i > j {
			t.Errorf("script not before </body>: %q", body)
		}
		if strings.Contains(string(files.Whole["index.html"]), "<script") {
			t.Error("the published files were changed")
		}
		_, css := get(t, "GET", base+"/repo/css/site.css", nil)
		_, feed := get(t, "GET", base+"/repo/feed.xml", nil)
		if css != "body{}" || feed != "<feed/>" {
			t.Errorf("non-HTML files changed: %q %q", css, feed)
		}
		// Sending a pieced file twice leaves its pieces as they were.
		for range 2 {
			if _, data := get(t, "GET", base+"/repo/data.json", nil); data != `[{"a":1},{"b":2}]` {
				t.Errorf("data.json = %q", data)
			}
		}
		if got := string(bytes.Join(files.Pieces["data.json"], nil)); got != `[{"a":1},{"b":2}]` {
			t.Errorf("the published pieces were changed: %q", got)
		}
		if resp, _ := rawGet(t, base, "HEAD", "/repo/data.json", ""); resp.ContentLength != int64(len(`[{"a":1},{"b":2}]`)) {
			t.Errorf("HEAD data.json: Content-Length %d", resp.ContentLength)
		}
	})
}

// rawGet sends a request line exactly as written, as an attacker would.
func rawGet(t *testing.T, base, method, path, host string) (*http.Response, string) {
	t.Helper()
	addr := strings.TrimPrefix(base, "http://")
	if host == "" {
		host = addr
	}
	resp, body, err := testtool.SendRaw(addr, testtool.RawRequest(method, path, host, ""), guard)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// openStream opens the reload stream of the server at base.
func openStream(t *testing.T, base string) *testtool.EventStream {
	t.Helper()
	return testtool.OpenEventStream(t, base+EventsPath, guard)
}

func TestEvents(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	base := start(t, srv)

	// Before the first build: a waiting page, then a reload.
	resp, body := get(t, "GET", base+"/", nil)
	if resp.StatusCode != 503 || !strings.Contains(body, EventsPath) {
		t.Fatalf("before the first build: %d %q", resp.StatusCode, body)
	}
	s := openStream(t, base)
	s.Want("hello", `"version":0`)
	srv.Publish(site(), "/", []string{"index.html"})
	s.Want("reload", "1")

	// Nothing changed: nothing sent. CSS only: a css event. Then errors,
	// then the fix, which reloads even though the output is the same.
	srv.Publish(site(), "/", nil)
	srv.Publish(site(), "/", []string{"css/site.css"})
	s.Want("css", `"paths":["css/site.css"]`)
	errs := diag.List{{File: "content/events/a.md", Line: 2, Col: 7, Msg: "bad date", Source: "date: 20x1"}}
	srv.Fail(errs)
	s.Want("errors", `"file":"content/events/a.md","line":2,"col":7,"message":"bad date","source":"date: 20x1"`)

	// A page opened now still gets the last good site, and a stream opened
	// now gets the errors right after hello.
	if _, body := get(t, "GET", base+"/", nil); !strings.Contains(body, "<p>home</p>") {
		t.Errorf("last good site not served during errors: %q", body)
	}
	s2 := openStream(t, base)
	s2.Want("hello", `"version":2`)
	s2.Want("errors", "bad date")

	srv.Publish(site(), "/", nil)
	s.Want("reload", "3")
	s2.Want("reload", "3")
	srv.Publish(site(), "/", []string{"index.html", "css/site.css"})
	s.Want("reload", "4")
}

func TestPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = New(Options{Addr: ln.Addr().String()}).Listen()
	if !errors.Is(err, ErrAddrInUse) || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("Listen on a taken port: %v", err)
	}
}

func TestAllowedHost(t *testing.T) {
	for _, tc := range []struct {
		host, bound string
		ok          bool
	}{
		{"127.0.0.1:8080", "127.0.0.1", true},
		{"localhost:8080", "127.0.0.1", true},
		{"localhost.:8080", "127.0.0.1", true},
		{"[::1]:8080", "127.0.0.1", true},
		{"127.0.0.2", "127.0.0.1", true},
		{"attacker.example:8080", "127.0.0.1", false},
		{"192.168.1.5:8080", "127.0.0.1", false},
		{"192.168.1.5:8080", "0.0.0.0", true},
		{"attacker.example", "0.0.0.0", false},
		{"mybox.lan:8080", "mybox.lan", true},
	} {
		if got := allowedHost(tc.host, tc.bound); got != tc.ok {
			t.Errorf("allowedHost(%q, %q) = %v, want %v", tc.host, tc.bound, got, tc.ok)
		}
	}
}

// TestClientScriptParses checks the reload scripts' syntax with node when
// it is installed (it is wherever CI runs the npm-based checks).
func TestClientScriptParses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testtool.Missing(t, "node", "apt-get install -y nodejs")
	}
	srv := New(Options{})
	script := srv.clientScript(srv.state.Load())
	script = strings.TrimSuffix(strings.TrimPrefix(script, "<script>\n"), "</script>\n")
	rec := httptest.NewRecorder()
	srv.serveWorker(rec, httptest.NewRequest("GET", WorkerPath, nil))
	for name, js := range map[string]string{"client.js": script, "worker.js": rec.Body.String()} {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", p).CombinedOutput(); err != nil {
			t.Fatalf("node --check %s: %v\n%s", name, err, out)
		}
	}
}

// TestHeaderLimit: headers a browser sends pass; headers past
// MaxHeaderBytes are refused before the handler runs.
func TestHeaderLimit(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(site(), "/", nil)
	base := start(t, srv)
	for _, tc := range []struct {
		name string
		size int
		code int
	}{
		{"cookies of a busy localhost", 16 << 10, 200},
		{"oversized", 2 * MaxHeaderBytes, http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := get(t, "GET", base+"/", map[string]string{"Cookie": "a=" + strings.Repeat("b", tc.size)})
			if resp.StatusCode != tc.code {
				t.Errorf("%d bytes of headers: status %d, want %d", tc.size, resp.StatusCode, tc.code)
			}
		})
	}
}

// TestShutdownWithSpareConnection: browsers open spare connections that
// send nothing until they are needed. net/http's Shutdown counts such a
// connection as busy for its first 5 seconds, which ran out Serve's own
// 5-second limit: stopping the server then failed with "context deadline
// exceeded". Serve must stop cleanly with one open.
func TestShutdownWithSpareConnection(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(site(), "/", nil)
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	if resp, _ := get(t, "GET", base+"/", nil); resp.StatusCode != 200 {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	spare, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	// Wait until the server has accepted it: connections are accepted in
	// order, so a request on a newer connection is answered after it.
	if resp, _ := rawGet(t, base, "GET", "/", ""); resp.StatusCode != 200 {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Fatalf("Serve with a spare connection open: %v", err)
		}
	case <-time.After(guard):
		t.Fatal("Serve did not return")
	}
}
