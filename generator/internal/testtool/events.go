package testtool

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// EventStream reads a server-sent event stream (the preview server's
// reload stream) the way a page's EventSource does, for tests.
type EventStream struct {
	T testing.TB
	// Events receives each event's name and data, in order; it is closed
	// when the stream ends.
	Events chan [2]string
	guard  time.Duration
}

// OpenEventStream connects to url and reads its events in the background.
// guard bounds how long Next waits: a failure guard, not a timing test.
// The connection closes when the test ends.
func OpenEventStream(t testing.TB, url string, guard time.Duration) *EventStream {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("%s: Content-Type %q, want text/event-stream", url, ct)
	}
	s := &EventStream{T: t, Events: make(chan [2]string, 256), guard: guard}
	go func() {
		defer close(s.Events)
		_ = ReadEvents(resp.Body, func(name, data string) { s.Events <- [2]string{name, data} })
	}()
	return s
}

// ReadEvents reads a server-sent event stream from r until it ends,
// calling each with every event's name and data line, and returns why the
// stream ended (nil at its end, as when the server closed it). It is the
// one parser of the reload stream in the tests, for readers that cannot
// use an EventStream (many streams on one client, off the test goroutine).
func ReadEvents(r io.Reader, each func(name, data string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var name string
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "event: "); ok {
			name = n
		} else if d, ok := strings.CutPrefix(line, "data: "); ok {
			each(name, d)
		}
	}
	return sc.Err()
}

// Next returns the next event's name and data, failing the test if the
// stream ends or nothing arrives within the guard.
func (s *EventStream) Next() (string, string) {
	s.T.Helper()
	select {
	case e, ok := <-s.Events:
		if !ok {
			s.T.Fatal("the event stream ended")
		}
		return e[0], e[1]
	case <-time.After(s.guard):
		s.T.Fatal("no event on the stream")
	}
	return "", ""
}

// Want reads the next event and fails unless it is name with data holding
// part; it returns the data.
func (s *EventStream) Want(name, part string) string {
	s.T.Helper()
	n, d := s.Next()
	if n != name || !strings.Contains(d, part) {
		s.T.Fatalf("next event is %q %s; want %q with %q", n, d, name, part)
	}
	return d
}
