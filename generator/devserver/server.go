// Package devserver serves the authors' preview of a site.
//
// A Server holds the last good site in memory and serves it over HTTP; the
// caller builds and syncs, then hands the result over with Publish, or the
// build's errors with Fail. Because the site is swapped in one atomic step
// after it has been written to disk, a reader never sees half a site, and a
// failed build leaves the last good site in place.
//
// Live reload: every HTML response gets a small script, added as it is
// served and never written to disk, that listens to a Server-Sent Events
// stream (EventsPath). Publish sends "reload" (or "css" when only
// stylesheets changed, which the script swaps in place); Fail sends the
// located errors, which the script draws as an overlay. Each Server has a
// random ID and each published site a version: a page whose stream
// reconnects to another server, or to a newer site than the page shows,
// reloads, so pages recover by themselves after a restart.
//
// One stream serves every tab of a browser: a browser opens at most six
// connections per host, and a stream per tab left the seventh tab of the
// preview waiting forever. The tabs share a SharedWorker (WorkerPath) that
// holds the stream and relays what it says; where there is none, one tab
// elected through a Web Lock holds it and relays over a BroadcastChannel.
//
// The server is for one author's machine: it answers GET and HEAD only,
// checks the Host header against DNS rebinding, serves nothing outside the
// site (it has no file system to traverse), forbids caching, and bounds
// its connections in number and time (see Serve), so that no client can
// take the file descriptors a rebuild needs.
package devserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"mime"
	"net"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unictimeline/sitegen/generator/diag"
)

// EventsPath is the live-reload stream's path. It sits outside any base
// path and uses a name no site page can have (content slugs never start
// with an underscore pair), so it never hides a page.
const EventsPath = "/__sitegen/events"

// Options configure a Server.
type Options struct {
	// Addr is the address the Server listens on, such as 127.0.0.1:8080.
	Addr string
	// MaxConns caps the connections open at once, and half of it the
	// reload streams; 0 means DefaultMaxConns of the process's file
	// descriptor limit.
	MaxConns int
	// ReadTimeout bounds reading a request, headers included;
	// WriteTimeout bounds writing a response (and each event of a reload
	// stream); IdleTimeout is how long a keep-alive connection may wait
	// for its next request. Zero means DefaultReadTimeout,
	// DefaultWriteTimeout and DefaultIdleTimeout; tests shorten them.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// Server serves the last good site with live reload. Create it with New.
type Server struct {
	opts  Options
	id    string
	state atomic.Pointer[state]
	hub   hub
	// mu orders Publish and Fail, so that the event a page receives always
	// describes the state it will fetch next.
	mu sync.Mutex
}

// state is one published site and the errors of the builds since.
type state struct {
	version int
	// page is the oldest version whose pages are still current: only
	// the stylesheets in css changed after it. A page of a version from
	// page on swaps those stylesheets instead of reloading, even when
	// its stream connects after the change (see clientJS).
	page     int
	css      []string
	basePath string // "/" or "/repo/"
	files    Files  // Whole is nil before the first good build
	errs     diag.List
}

// Files is a built site's files by output path ("events/x/index.html"):
// whole, or as the ordered pieces they were made of. The generator keeps
// its large data files (exports, search index) as pieces, most of them
// shared with the build before, so that a rebuild does not copy them;
// the server sends the pieces one after another.
type Files struct {
	Whole  map[string][]byte
	Pieces map[string][][]byte
}

// file returns the file at name as its pieces (one for a whole file).
func (f Files) file(name string) ([][]byte, bool) {
	if b, ok := f.Whole[name]; ok {
		return [][]byte{b}, true
	}
	p, ok := f.Pieces[name]
	return p, ok
}

// New returns a Server with no site yet: until the first Publish it
// answers with a page that waits for the build (and shows its errors).
func New(opts Options) *Server {
	var b [8]byte
	_, _ = rand.Read(b[:])
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns(fileLimit())
	}
	s := &Server{opts: opts, id: hex.EncodeToString(b[:])}
	s.hub.subs = map[chan event]struct{}{}
	s.state.Store(&state{basePath: "/"})
	return s
}

// ID returns the Server's random identity, which the reload script
// compares to notice a restart.
func (s *Server) ID() string { return s.id }

// Publish makes files (such as a output.Output's Files and Pieces) the site
// being served, under basePath ("/" or
// "/repo/"). Call it only after the site is completely written to disk:
// open pages reload as soon as it returns. changed lists the output paths
// that differ from the previous site (outdir.SyncStats.Changed). When
// nothing changed and no errors were shown, pages are left alone; when
// only stylesheets changed, pages swap them without reloading. files must
// not be modified afterwards.
func (s *Server) Publish(files Files, basePath string, changed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.state.Load()
	if basePath == "" {
		basePath = "/"
	}
	hadErrors := len(old.errs) > 0
	firstSite := old.files.Whole == nil
	if !hadErrors && !firstSite && len(changed) == 0 && basePath == old.basePath {
		return
	}
	next := &state{version: old.version + 1, page: old.version + 1, basePath: basePath, files: files}
	if !hadErrors && !firstSite && basePath == old.basePath && cssOnly(changed) {
		next.page = old.page
		next.css = union(old.css, changed)
		s.state.Store(next)
		s.hub.send(event{name: "css", data: cssData(next.version, changed), version: next.version})
		return
	}
	s.state.Store(next)
	s.hub.send(event{name: "reload", data: strconv.Itoa(next.version), version: next.version})
}

// Fail records a failed build: the last good site stays, and every open
// page shows errs as an overlay until the next Publish.
func (s *Server) Fail(errs diag.List) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.state.Load()
	next := *old
	next.errs = errs
	s.state.Store(&next)
	s.hub.send(event{name: "errors", data: jsonErrors(errs), version: next.version})
}

// union returns the paths in a or b, in a's order then b's, without
// duplicates; a is not modified.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, p := range b {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func cssOnly(changed []string) bool {
	for _, p := range changed {
		if !strings.HasSuffix(p, ".css") {
			return false
		}
	}
	return len(changed) > 0
}

// Handler returns the Server's HTTP handler. boundAddr is the address
// the listener got (host:port); requests must name it, localhost or a
// loopback address in their Host header.
func (s *Server) Handler(boundAddr string) http.Handler {
	boundHost, _, _ := net.SplitHostPort(boundAddr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store, no-cache, must-revalidate")
		h.Set("X-Content-Type-Options", "nosniff")
		if !allowedHost(r.Host, boundHost) {
			http.Error(w, "unexpected Host header: the preview server answers only requests for 127.0.0.1, localhost or the address it listens on", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: the preview server answers GET and HEAD only", http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case EventsPath:
			s.serveEvents(w, r)
			return
		case WorkerPath:
			s.serveWorker(w, r)
			return
		}
		s.serveSite(w, r)
	})
}

// allowedHost reports whether a request's Host header names this machine.
// A name that resolves to 127.0.0.1 through someone else's DNS (a rebinding
// attack from a web page) is refused.
func allowedHost(hostport, boundHost string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || host == boundHost {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	// Bound to every interface on purpose (--addr 0.0.0.0:8080): any
	// address of this machine is fine, a name is still not.
	b := net.ParseIP(boundHost)
	return b != nil && b.IsUnspecified()
}

// serveSite answers a request for a page or file of the site.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	if st.files.Whole == nil {
		s.writeBody(w, r, st, http.StatusServiceUnavailable, "text/html; charset=utf-8", [][]byte{[]byte(waitingPage)})
		return
	}
	p := r.URL.Path
	if p+"/" == st.basePath || (p == "/" && st.basePath != "/") {
		// The site lives under a subpath, as it will when published:
		// send the author there rather than hide the subpath.
		http.Redirect(w, r, st.basePath, http.StatusFound)
		return
	}
	rel, ok := strings.CutPrefix(p, st.basePath)
	if !ok || !cleanPath(rel) {
		s.notFound(w, r, st)
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	b, ok := st.files.file(name)
	if !ok {
		if _, dir := st.files.file(rel + "/index.html"); dir {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, st)
		return
	}
	s.writeBody(w, r, st, http.StatusOK, contentType(name), b)
}

// cleanPath accepts only paths that name a file inside the site: no empty,
// "." or ".." segment and no backslash or NUL. The request path is already
// percent-decoded, so encoded traversal (%2e%2e%2f) is caught here too.
// Nothing is read from disk, so this is a second wall, not the only one.
func cleanPath(rel string) bool {
	if strings.ContainsAny(rel, "\\\x00") {
		return false
	}
	if rel == "" {
		return true
	}
	segs := strings.Split(strings.TrimSuffix(rel, "/"), "/")
	for _, seg := range segs {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return path.Clean("/"+rel) == "/"+strings.TrimSuffix(rel, "/")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state) {
	b, ok := st.files.file("404.html")
	if !ok {
		b = [][]byte{[]byte("<!DOCTYPE html><title>Not found</title><p>Not found.</p>")}
	}
	s.writeBody(w, r, st, http.StatusNotFound, "text/html; charset=utf-8", b)
}

// writeBody sends the file made of pieces, with the reload script added
// to HTML.
func (s *Server) writeBody(w http.ResponseWriter, r *http.Request, st *state, code int, ctype string, pieces [][]byte) {
	if strings.HasPrefix(ctype, "text/html") {
		pieces = [][]byte{inject(bytes.Join(pieces, nil), s.clientScript(st))}
	}
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		// Not net.Buffers: its WriteTo clears the slices it has sent,
		// and these pieces are shared with the site being served.
		for _, p := range pieces {
			if _, err := w.Write(p); err != nil {
				return
			}
		}
	}
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	if path.Base(name) == name && !strings.Contains(name, ".") {
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// inject adds script just before the last </body>, or at the end when the
// page has none.
func inject(page []byte, script string) []byte {
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(script))
	out = append(out, page[:i]...)
	out = append(out, script...)
	return append(out, page[i:]...)
}

const waitingPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Building…</title></head>
<body><p>The site has not built yet. This page reloads when it has; errors show here.</p></body></html>
`
