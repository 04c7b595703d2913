package devserver

import (
	"net"
	"sync"
)

// limitListener accepts at most cap(sem) connections open at once: past
// that, Accept waits until one closes, and new clients wait in the
// kernel's queue. It does the job of golang.org/x/net/netutil's
// LimitListener, whose connections hide the *net.TCPConn inside them:
// net/http then cannot half-close a connection, and a refused request
// (431, headers too large) reached the client as a reset instead of an
// answer.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	release := sync.OnceFunc(func() { <-l.sem })
	if tc, ok := c.(*net.TCPConn); ok {
		return &limitTCPConn{TCPConn: tc, release: release}, nil
	}
	return &limitConn{Conn: c, release: release}, nil
}

// Close closes the listener and ends a waiting Accept.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitTCPConn frees its slot when closed, and keeps every method of the
// TCP connection (CloseWrite, ReadFrom) for net/http to use.
type limitTCPConn struct {
	*net.TCPConn
	release func()
}

func (c *limitTCPConn) Close() error {
	err := c.TCPConn.Close()
	c.release()
	return err
}

// limitConn is limitTCPConn for other kinds of connection.
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
