// Command hugolatency measures `hugo server` the way BenchmarkEditToReload
// (generator/serve_bench_test.go) measures ours: from writing one event's
// Markdown file to the live-reload signal reaching a browser's connection.
//
//	go run ./bench/hugolatency -source /dev/shm/corpus-hugo -file content/events/X.md -edits 20
//
// It starts `hugo server` on the project, opens the event's page once (Hugo
// re-renders only pages a browser has visited, its "fast render" default,
// so a page open in a browser is the fair case), connects to the
// live-reload websocket as a browser's livereload.js does, then appends a
// line to the file edits times, each time waiting for the "reload" command.
// It prints the median and 95th percentile in milliseconds.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

func main() {
	source := flag.String("source", "", "Hugo project (written by bench/hugoproject)")
	file := flag.String("file", "", "content file to edit, relative to -source")
	edits := flag.Int("edits", 20, "number of edits")
	flag.Parse()
	if *source == "" || *file == "" {
		fmt.Fprintln(os.Stderr, "usage: hugolatency -source DIR -file content/events/X.md [-edits 20]")
		os.Exit(2)
	}
	if err := run(*source, *file, *edits); err != nil {
		fmt.Fprintln(os.Stderr, "hugolatency:", err)
		os.Exit(1)
	}
}

func run(source, file string, edits int) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	origin := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command("hugo", "server", "--source", source, "--bind", "127.0.0.1", "--port", fmt.Sprint(port),
		"--baseURL", origin+"/", "--appendPort=false", "--quiet")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	go io.Copy(io.Discard, bufio.NewReader(stdout))

	// Wait for the first build: the page answers.
	page := origin + "/events/" + strings.TrimSuffix(filepath.Base(file), ".md") + "/"
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(page)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("hugo server did not serve %s in 5 minutes", page)
		}
		time.Sleep(100 * time.Millisecond)
	}

	ws, err := websocket.Dial(fmt.Sprintf("ws://127.0.0.1:%d/livereload", port), "", origin)
	if err != nil {
		return err
	}
	defer ws.Close()
	hello := `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`
	if err := websocket.Message.Send(ws, hello); err != nil {
		return err
	}
	msgs := make(chan string)
	go func() {
		for {
			var m string
			if err := websocket.Message.Receive(ws, &m); err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()

	path := filepath.Join(source, file)
	orig, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	defer os.WriteFile(path, orig, 0o644)
	time.Sleep(time.Second) // let the watcher settle after the first build
	nonce := time.Now().UnixNano()
	var lat []time.Duration
	for i := 0; i < edits; i++ {
		drain(msgs)
		// Every edit changes the body's length, as an author's saves do: an
		// edit of the same length lets the sync rewrite a few bytes in
		// place, which would flatter the figure.
		src := fmt.Appendf(slices.Clip(orig), "\nEdit %d of run %d.%s\n", i, nonce, strings.Repeat(" More.", i%2))
		start := time.Now()
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return err
		}
		if err := waitReload(msgs, 30*time.Second); err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
		time.Sleep(300 * time.Millisecond) // a pause between saves, as an author makes
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Printf("hugo server: %d edits, median %.0f ms, p95 %.0f ms\n", len(lat), ms(lat[len(lat)/2]), ms(lat[(len(lat)*95+99)/100-1]))
	return nil
}

// waitReload waits for a livereload "reload" command.
func waitReload(msgs <-chan string, timeout time.Duration) error {
	t := time.After(timeout)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return fmt.Errorf("the live-reload connection closed")
			}
			var c struct{ Command string }
			if json.Unmarshal([]byte(m), &c) == nil && c.Command == "reload" {
				return nil
			}
		case <-t:
			return fmt.Errorf("no reload within %s", timeout)
		}
	}
}

// drain drops messages already received.
func drain(msgs <-chan string) {
	for {
		select {
		case <-msgs:
		default:
			return
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
