package devserver

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/unictimeline/sitegen/generator/diag"
)

// event is one message on the reload stream.
type event struct {
	name    string // hello, reload, css, errors
	data    string // one line of JSON
	version int
}

// hub fans events out to the open reload streams.
type hub struct {
	mu     sync.Mutex
	subs   map[chan event]struct{}
	closed bool
	done   chan struct{} // closed by close; made lazily under mu
}

// subscribe returns a channel of events and a function that ends the
// subscription. ok is false once the hub is closed.
func (h *hub) subscribe() (ch chan event, done <-chan struct{}, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done == nil {
		h.done = make(chan struct{})
	}
	if h.closed {
		return nil, h.done, false
	}
	// Room for a burst of builds; a stream that falls further behind is
	// dropped, and its page catches up when it reconnects (the hello
	// event carries the current version).
	ch = make(chan event, 16)
	h.subs[ch] = struct{}{}
	return ch, h.done, true
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

func (h *hub) send(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// close ends every stream, for shutdown.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done == nil {
		h.done = make(chan struct{})
	}
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}

// heartbeat keeps idle streams from being cut by anything in between and
// lets the server notice pages that went away.
const heartbeat = 25 * time.Second

// serveEvents streams events to one page. It first sends "hello" with the
// server's ID and the current site version, and the current errors if the
// last build failed, so a page that connects late catches up.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, done, ok := s.hub.subscribe()
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	// Subscribed before reading the state: an event sent in between is
	// delivered as well, and pages ignore what they already know.
	st := s.state.Load()
	hello, _ := json.Marshal(map[string]any{"server": s.id, "version": st.version})
	fmt.Fprintf(w, "retry: 500\n\n")
	writeEvent(w, event{name: "hello", data: string(hello)})
	if len(st.errs) > 0 {
		writeEvent(w, event{name: "errors", data: jsonErrors(st.errs)})
	}
	fl.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				return
			}
			writeEvent(w, e)
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
		fl.Flush()
	}
}

func writeEvent(w http.ResponseWriter, e event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
}

// jsonErrors encodes located errors for the overlay, on one line.
func jsonErrors(errs diag.List) string {
	if errs == nil {
		errs = diag.List{}
	}
	b, _ := json.Marshal(errs)
	return string(b)
}

// cssData is the css event's payload: the new version, which the page now
// shows, and the stylesheets to swap.
func cssData(version int, paths []string) string {
	b, _ := json.Marshal(map[string]any{"version": version, "paths": paths})
	return string(b)
}

//go:embed client.js
var clientJS string

// clientScript returns the script tag added to HTML pages: the page's
// server ID, site version and base path, then the client.
func (s *Server) clientScript(st *state) string {
	cfg, _ := json.Marshal(map[string]any{"server": s.id, "version": st.version, "base": st.basePath, "events": EventsPath})
	return "<script>\n(function(S){\n" + clientJS + "\n})(" + string(cfg) + ");\n</script>\n"
}
