package devserver

import (
	_ "embed"
	"encoding/json"
	"errors"
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

// subscribe returns a channel of events and one that is closed when the
// hub is. It fails once the hub is closed, or when limit streams are
// open already.
func (h *hub) subscribe(limit int) (ch chan event, done <-chan struct{}, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done == nil {
		h.done = make(chan struct{})
	}
	if h.closed {
		return nil, h.done, errors.New("shutting down")
	}
	if len(h.subs) >= limit {
		return nil, h.done, errors.New("too many reload streams are open")
	}
	// Room for a burst of builds; a stream that falls further behind is
	// dropped, and its page catches up when it reconnects (the hello
	// event carries the current version).
	ch = make(chan event, 16)
	h.subs[ch] = struct{}{}
	return ch, h.done, nil
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

// serveEvents streams events to one page (or to the worker that relays
// them to a browser's tabs). It first sends "hello" with the server's ID,
// the current site version and what changed since the pages went stale
// (see state), and the current errors if the last build failed, so a page
// that connects late catches up.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The stream lasts as long as its page, past the server's read and
	// write timeouts: the expired read deadline would cancel the request.
	// Each write gets its own deadline instead, so a client that stops
	// reading is dropped rather than held.
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	// A stream holds its connection for as long as it is read: were
	// streams allowed every connection, they could keep every page out.
	// A browser needs one (its tabs share it).
	ch, done, err := s.hub.subscribe(max(1, s.opts.MaxConns/2))
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	// send writes and flushes, within the write timeout.
	writeTimeout := or(s.opts.WriteTimeout, DefaultWriteTimeout)
	send := func(write func()) bool {
		if rc.SetWriteDeadline(time.Now().Add(writeTimeout)) != nil {
			return false
		}
		write()
		return rc.Flush() == nil
	}
	// Subscribed before reading the state: an event sent in between is
	// delivered as well, and pages ignore what they already know.
	st := s.state.Load()
	ok := send(func() {
		fmt.Fprintf(w, "retry: 500\n\n")
		writeEvent(w, event{name: "hello", data: s.hello(st)})
		if len(st.errs) > 0 {
			writeEvent(w, event{name: "errors", data: jsonErrors(st.errs)})
		}
	})
	if !ok {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		var write func()
		select {
		case e, ok := <-ch:
			if !ok {
				return
			}
			write = func() { writeEvent(w, e) }
		case <-tick.C:
			write = func() { fmt.Fprint(w, ": ping\n\n") }
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
		if !send(write) {
			return
		}
	}
}

// hello is the hello event's data: the server's ID and what state says
// pages need to catch up.
func (s *Server) hello(st *state) string {
	css := st.css
	if css == nil {
		css = []string{}
	}
	b, _ := json.Marshal(struct {
		Server  string   `json:"server"`
		Version int      `json:"version"`
		Page    int      `json:"page"`
		CSS     []string `json:"css"`
	}{s.id, st.version, st.page, css})
	return string(b)
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

// The scripts of live reload. hub.js holds the stream and its state; it
// runs in the SharedWorker (with worker.js) or, where there is none, in
// the page (with client.js), which applies the state to the page.
var (
	//go:embed hub.js
	hubJS string
	//go:embed client.js
	clientJS string
	//go:embed worker.js
	workerJS string
)

// WorkerPath is the path of the SharedWorker script that holds a
// browser's one reload stream (see the package comment). Like EventsPath
// it can be no page of the site.
const WorkerPath = "/__sitegen/worker.js"

// clientConfig returns S, the settings both scripts get: the server ID,
// the stream and worker paths, and for a page the site version and base
// path it was served with.
func (s *Server) clientConfig(st *state) string {
	cfg, _ := json.Marshal(map[string]any{
		"server": s.id, "version": st.version, "base": st.basePath,
		"events": EventsPath, "worker": WorkerPath + "?server=" + s.id,
	})
	return string(cfg)
}

// clientScript returns the script tag added to HTML pages.
func (s *Server) clientScript(st *state) string {
	return "<script>\n(function(S){\n" + hubJS + clientJS + "\n})(" + s.clientConfig(st) + ");\n</script>\n"
}

// serveWorker sends the SharedWorker's script. Its URL names the server's
// ID, so that a browser never keeps a worker of an earlier server (and
// script) for the pages of this one.
func (s *Server) serveWorker(w http.ResponseWriter, r *http.Request) {
	js := "(function(S){\n" + hubJS + workerJS + "\n})(" + s.clientConfig(s.state.Load()) + ");\n"
	s.writeBody(w, r, nil, http.StatusOK, "text/javascript; charset=utf-8", [][]byte{[]byte(js)})
}
