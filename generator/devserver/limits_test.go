package devserver

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestSlowHeaderIsCut: a connection that sends its request's headers
// slower than the server's header timeout (10 s) is closed, so that a
// local page cannot hold connections open forever by trickling bytes.
func TestSlowHeaderIsCut(t *testing.T) {
	t.Parallel()
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(site(), "/", nil)
	addr := strings.TrimPrefix(start(t, srv), "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\nX-Slow: "); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	_ = c.SetReadDeadline(time.Now().Add(10*time.Second + guard))
	_, err = io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the connection with an unfinished header was still open after %s", time.Since(begin).Round(time.Second))
	}
	if took := time.Since(begin); took < 9*time.Second {
		t.Errorf("closed after %s, before the 10 s header timeout", took)
	}
}

// TestContentTypes: files are sent with their type, an extensionless file
// at the root (CNAME, LICENSE) as text, and any other unknown file as
// bytes, never sniffed (nosniff is set on every answer).
func TestContentTypes(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(Files{Whole: map[string][]byte{
		"index.html": []byte("<p>home</p>"), "CNAME": []byte("example.org"), "dir/LICENSE": []byte("<p>x</p>"),
		"x.unknownext": []byte("<p>x</p>"), "css/site.css": []byte("body{}"),
	}}, "/", nil)
	base := start(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	for path, want := range map[string]string{
		"/":             "text/html; charset=utf-8",
		"/CNAME":        "text/plain; charset=utf-8",
		"/dir/LICENSE":  "application/octet-stream",
		"/x.unknownext": "application/octet-stream",
		"/css/site.css": "text/css; charset=utf-8",
	} {
		resp, _, err := testtool.SendRaw(addr, testtool.RawRequest("GET", path, addr, ""), guard)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", path, got, want)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", path)
		}
	}
}

// TestInjectBeforeLastBody: the reload script goes just before the last
// </body>, whatever its case and wherever it is, or at the end without one.
func TestInjectBeforeLastBody(t *testing.T) {
	for _, tc := range []struct{ page, want string }{
		{"<p>x</p></body></html>", "<p>x</p>S</body></html>"},
		{"</body>", "S</body>"},
		{"</BODY>", "S</BODY>"},
		{"<p>a</body>b</body>", "<p>a</body>bS</body>"},
		{"<p>no body end</p>", "<p>no body end</p>S"},
		{"", "S"},
	} {
		if got := string(inject([]byte(tc.page), "S")); got != tc.want {
			t.Errorf("inject(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
}
