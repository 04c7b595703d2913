package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// ErrAddrInUse is returned by Listen when another program holds the port.
var ErrAddrInUse = errors.New("address already in use")

// MaxHeaderBytes bounds a request's headers; larger ones are refused with
// 431. A browser's headers to a preview are a few KiB, cookies that other
// programs on localhost set included (cookies ignore the port); net/http's
// default, 1 MiB, would let any local page make the server hold a megabyte
// per connection.
const MaxHeaderBytes = 64 << 10

// The defaults of Options' timeouts. A browser sends a request's headers
// at once and reads a page at loopback speed, so these only end
// connections that hold a file descriptor for nothing: ones that never
// send a request, trickle one, stop reading, or sit idle in a keep-alive
// pool (browsers keep them for minutes).
const (
	DefaultReadTimeout  = 10 * time.Second
	DefaultWriteTimeout = 30 * time.Second
	DefaultIdleTimeout  = 30 * time.Second
)

// Connection caps, for Options.MaxConns. Every open connection costs a
// file descriptor, and so does every file a rebuild reads or writes: a
// flood of connections (a script, a browser's spare sockets, a hostile
// page) once made rebuilds fail with "too many open files". A browser
// opens at most six connections per host, so a few dozen serve many
// browsers; connections past the cap wait in the kernel's queue until one
// closes, and the timeouts above make sure one does. The ceiling leaves
// room for the load test's 300 clients and streams where descriptors are
// plenty (Go raises the soft limit to the hard one, often thousands).
const (
	maxConnsCeiling = 1024
	minConns        = 16
	// buildFiles is how many descriptors are left for the rebuild and
	// the rest of the process.
	buildFiles = 128
)

// DefaultMaxConns returns the cap on open connections for a process
// whose file descriptor limit is fdLimit (0 when unknown): at most half
// of what the rebuild leaves, between 16 and 1024.
func DefaultMaxConns(fdLimit uint64) int {
	if fdLimit == 0 || fdLimit > 2*maxConnsCeiling+buildFiles {
		return maxConnsCeiling
	}
	return max(minConns, (int(fdLimit)-buildFiles)/2)
}

// Listen opens the Server's address. When the port is taken, its error
// wraps ErrAddrInUse and says what to do.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("cannot serve at %s: %w; another program (perhaps another serve) is using that port: stop it, or choose another port with --addr, e.g. --addr 127.0.0.1:8081", s.opts.Addr, ErrAddrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot serve at %s: %w", s.opts.Addr, err)
	}
	return ln, nil
}

// or returns d, or def when d is zero.
func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Serve answers requests on ln until ctx is done, then shuts down: it ends
// the reload streams (which would otherwise hold Shutdown open forever),
// closes connections that never sent a request, and waits for other
// requests to finish. At most Options.MaxConns connections are open at
// once, and at most half of them are reload streams (see serveEvents).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ln = newLimitListener(ln, s.opts.MaxConns)
	// Browsers open spare connections that send nothing until needed;
	// Shutdown counts such a connection as busy for 5 seconds, so each
	// would hold up Ctrl-C and then fail it. Nothing is lost closing them.
	var mu sync.Mutex
	fresh := map[net.Conn]bool{}
	read := or(s.opts.ReadTimeout, DefaultReadTimeout)
	hs := &http.Server{
		Handler: s.Handler(ln.Addr().String()),
		// The reload stream lifts the read and write deadlines for
		// itself (see serveEvents); every other response is a file
		// from memory.
		ReadHeaderTimeout: read,
		ReadTimeout:       read,
		WriteTimeout:      or(s.opts.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:       or(s.opts.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    MaxHeaderBytes,
		ConnState: func(c net.Conn, st http.ConnState) {
			mu.Lock()
			defer mu.Unlock()
			if st == http.StateNew {
				fresh[c] = true
			} else {
				delete(fresh, c)
			}
		},
	}
	hs.RegisterOnShutdown(s.hub.close)
	hs.RegisterOnShutdown(func() {
		mu.Lock()
		defer mu.Unlock()
		for c := range fresh {
			c.Close()
		}
	})
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	return err
}
