// Command cmd writes a synthetic project for benchmarks and load tests:
//
//	go run ./generator/internal/corpus/cmd -dir /dev/shm/corpus -events 10000
//
// then build or serve it with --source. It is a development tool, not part
// of the generator's CLI.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/unictimeline/sitegen/generator/internal/corpus"
)

func main() {
	dir := flag.String("dir", "", "folder to write the project to (must be empty or not exist)")
	events := flag.Int("events", 10000, "number of events")
	seed := flag.Uint64("seed", 1, "random seed: the same seed writes the same bytes")
	repo := flag.String("repo", ".", "repository whose templates/, assets/ and site.yaml are copied")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./generator/internal/corpus/cmd -dir DIR [-events N] [-seed S] [-repo .]")
		os.Exit(2)
	}
	if err := corpus.Write(*dir, corpus.Options{Events: *events, Seed: *seed, Repo: *repo}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d events to %s\n", *events, *dir)
}
