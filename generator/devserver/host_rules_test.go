package devserver

import (
	"net/http"
	"net/http/httptest"
	"testing"
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
