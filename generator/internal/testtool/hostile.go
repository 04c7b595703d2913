package testtool

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// HostileRequest is a request the preview server must refuse, as the raw
// bytes sent (Go's client would clean the path first), with the status it
// must answer with.
type HostileRequest struct {
	Name string
	Raw  string
	Code int
}

// HostileRequests lists the requests the preview server must refuse, for a
// server at addr (host:port) serving its site under prefix ("/" or
// "/repo/") and its reload stream at eventsPath: paths that climb out of
// the site however they are encoded, methods other than GET and HEAD, an
// oversized header, and Host names of other machines (DNS rebinding). It
// is the one list: the server's own tests and the load test send it.
func HostileRequests(addr, prefix, eventsPath string) []HostileRequest {
	req := RawRequest
	_, port, _ := net.SplitHostPort(addr)
	return []HostileRequest{
		{"dot-dot", req("GET", prefix+"../../../../etc/passwd", addr, ""), 404},
		{"dot-dot in a page path", req("GET", prefix+"events/../../go.mod", addr, ""), 404},
		{"encoded dot-dot", req("GET", prefix+"%2e%2e/%2e%2e/%2e%2e/etc/passwd", addr, ""), 404},
		{"encoded slash", req("GET", prefix+"..%2f..%2f..%2fetc%2fpasswd", addr, ""), 404},
		{"double-encoded dot-dot", req("GET", prefix+"%252e%252e/%252e%252e/etc/passwd", addr, ""), 404},
		{"encoded backslash", req("GET", prefix+"..%5c..%5cgo.mod", addr, ""), 404},
		{"double slash", req("GET", prefix+"/etc/passwd", addr, ""), 404},
		{"NUL", req("GET", prefix+"index.html%00.css", addr, ""), 404},
		{"oversized header", req("GET", prefix, addr, "X-Big: "+strings.Repeat("a", 128<<10)+"\r\n"), 431},
		{"POST", req("POST", prefix, addr, ""), 405},
		{"PUT", req("PUT", prefix+"index.html", addr, ""), 405},
		{"DELETE", req("DELETE", prefix+"index.html", addr, ""), 405},
		{"OPTIONS", req("OPTIONS", prefix, addr, ""), 405},
		{"PATCH", req("PATCH", prefix, addr, ""), 405},
		{"rebinding", req("GET", prefix, "attacker.example:"+port, ""), 403},
		{"rebinding without a port", req("GET", prefix, "attacker.example", ""), 403},
		{"rebinding with a localhost prefix", req("GET", prefix, "localhost.attacker.example:"+port, ""), 403},
		{"rebinding to the events stream", req("GET", eventsPath, "attacker.example", ""), 403},
		{"LAN address", req("GET", prefix, "192.168.1.10:"+port, ""), 403},
	}
}

// SendRaw sends raw on a new connection to addr and returns the response,
// its body read, giving up after guard. The request is written alongside
// the read, so a server that answers (431) before reading an oversized
// header does not deadlock it.
func SendRaw(addr, raw string, guard time.Duration) (*http.Response, string, error) {
	c, err := net.DialTimeout("tcp", addr, guard)
	if err != nil {
		return nil, "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(guard))
	go func() { _, _ = io.WriteString(c, raw) }()
	// The method matters to reading the response: a HEAD's has no body.
	method, _, _ := strings.Cut(raw, " ")
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// RawRequest is a request as raw bytes, its path sent exactly as written.
func RawRequest(method, path, host, extraHeaders string) string {
	return method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "Connection: close\r\nContent-Length: 0\r\n\r\n"
}
