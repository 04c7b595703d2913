package content_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// BenchmarkParse parses every event of a synthetic corpus of
// SITEGEN_BENCH_EVENTS events (1,000 when unset) on one core: front matter,
// validation, and the body rendered by goldmark. It reports; it asserts
// nothing about time.
func BenchmarkParse(b *testing.B) {
	n := 1000
	if v := os.Getenv("SITEGEN_BENCH_EVENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SITEGEN_BENCH_EVENTS=%q: want a positive number", v)
		}
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: n, Seed: 1, Repo: testtool.RepoRoot(b)}); err != nil {
		b.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "content", "events", "*.md"))
	if err != nil {
		b.Fatal(err)
	}
	srcs := make([][]byte, len(paths))
	var size int64
	for i, p := range paths {
		if srcs[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
		paths[i] = "content/events/" + filepath.Base(p)
		size += int64(len(srcs[i]))
	}
	parser := content.NewParser(content.Options{Types: []string{"proposal", "committee-vote", "resolution", "report", "treaty", "meeting", "statement", "decision"}, Tracks: []string{"information-security", "cybercrime"}})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, src := range srcs {
			if _, errs := parser.Parse(paths[i], src); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	}
}
