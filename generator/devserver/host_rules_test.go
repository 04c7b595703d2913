package devserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestHostCheckRefusesLookalikes drives the Host check through the
// handler, for each way of binding the server: a web page that rebinds its
// own name to this machine must get 403 however close its name is to an
// allowed one (a name that only starts with "localhost"), and a server bound
// to one name must not answer for an arbitrary IP address.
func TestHostCheckRefusesLookalikes(t *testing.T) {
	srv := New(Options{})
	srv.Publish(site(), "/", nil)
	type tc struct {
		host string
		ok   bool
	}
	cases := map[string][]tc{
		"127.0.0.1:8080": {
			{"127.0.0.1:8080", true}, {"127.0.0.1", true}, {"localhost:8080", true}, {"localhost", true},
			{"LocalHost:8080", true}, {"localhost.:8080", true}, {"[::1]:8080", true}, {"127.0.0.2", true},
			{"localhost.attacker.example", false}, {"localhost.attacker.example:8080", false},
			{"localhostattacker.example:8080", false}, {"attackerlocalhost:8080", false},
			{"127.0.0.1.attacker.example:8080", false}, {"attacker.example:8080", false},
			{"192.168.1.5:8080", false}, {"0.0.0.0:8080", false}, {"[2001:db8::1]:8080", false},
			{"0x7f000001:8080", false}, {"2130706433:8080", false},
		},
		// Bound to a name: that name, localhost and loopback addresses, and
		// no other address, whatever interface it might belong to.
		"mybox.lan:8080": {
			{"mybox.lan:8080", true}, {"mybox.lan", true}, {"localhost:8080", true}, {"127.0.0.1:8080", true},
			{"192.168.1.5:8080", false}, {"10.0.0.1", false}, {"8.8.8.8:8080", false}, {"[2001:db8::1]:8080", false},
			{"0.0.0.0:8080", false}, {"mybox.lan.attacker.example:8080", false}, {"attacker.example:8080", false},
			{"localhost.attacker.example:8080", false},
		},
		// Bound to one address: that address and loopback, not its neighbours.
		"192.168.1.5:8080": {
			{"192.168.1.5:8080", true}, {"127.0.0.1:8080", true}, {"localhost:8080", true},
			{"192.168.1.6:8080", false}, {"attacker.example:8080", false},
		},
		// Bound to every interface on purpose: any address, still no foreign name.
		"0.0.0.0:8080": {
			{"192.168.1.5:8080", true}, {"[2001:db8::1]:8080", true}, {"localhost:8080", true},
			{"attacker.example:8080", false}, {"localhost.attacker.example:8080", false},
		},
		"[::]:8080": {
			{"192.168.1.5:8080", true}, {"[fe80::1]:8080", true},
			{"attacker.example:8080", false},
		},
	}
	for bound, hosts := range cases {
		h := srv.Handler(bound)
		for _, c := range hosts {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Host = c.host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			refused := rec.Code == http.StatusForbidden
			if refused == c.ok {
				t.Errorf("bound to %s, Host %q: status %d; want it %s", bound, c.host, rec.Code, map[bool]string{true: "served", false: "refused with 403"}[c.ok])
			}
		}
	}
}

// TestHostileRequests sends the shared list of requests the server must
// refuse (testtool.HostileRequests, which the load test sends too), with
// the site under a subpath, and checks each status and that no file from
// outside the site leaked into a body.
func TestHostileRequests(t *testing.T) {
	srv := New(Options{Addr: "127.0.0.1:0"})
	srv.Publish(site(), "/repo/", nil)
	addr := strings.TrimPrefix(start(t, srv), "http://")
	for _, bad := range testtool.HostileRequests(addr, "/repo/", EventsPath) {
		resp, body, err := testtool.SendRaw(addr, bad.Raw, guard)
		if err != nil {
			t.Errorf("%s: %v", bad.Name, err)
			continue
		}
		if resp.StatusCode != bad.Code || strings.Contains(body, "root:") || strings.Contains(body, "module github.com") {
			t.Errorf("%s: status %d, want %d; body %.200q", bad.Name, resp.StatusCode, bad.Code, body)
		}
	}
	// The method refusal says which methods are served.
	resp, body, err := testtool.SendRaw(addr, testtool.RawRequest("POST", "/repo/", addr, ""), guard)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Allow") != "GET, HEAD" || !strings.Contains(body, "GET and HEAD only") {
		t.Errorf("POST: Allow %q, body %q", resp.Header.Get("Allow"), body)
	}
}
