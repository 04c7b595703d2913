package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/project"
)

// BenchmarkEditToReload measures what an author waits for: from writing a
// Markdown file to the reload signal arriving at a page's event stream,
// through the real watcher, build, sync and server. Each iteration is one
// edit; run it with at least 20 (make bench-serve uses -benchtime 20x) and
// read median-ms and p95-ms.
//
//	go test -run '^$' -bench EditToReload -benchtime 20x ./generator/
func BenchmarkEditToReload(b *testing.B) {
	repo := testtool.RepoRoot(b)
	// The corpus is made once in the parent's folder: a sub-benchmark runs
	// more than once (b.N = 1 first), and its own TempDir goes after each.
	parentTmp := b.TempDir()
	var synthetic string
	b.Run("real", func(b *testing.B) {
		dir := b.TempDir()
		for _, in := range project.Inputs() {
			copyInput(b, repo, dir, in)
		}
		benchEdits(b, dir, filepath.Join(dir, "content", "events", "2011-09-sco-code-of-conduct.md"))
	})
	b.Run("synthetic-10000", func(b *testing.B) {
		if synthetic == "" {
			synthetic = filepath.Join(parentTmp, "corpus")
			if err := corpus.Write(synthetic, corpus.Options{Events: 10000, Seed: 1, Repo: repo}); err != nil {
				b.Fatal(err)
			}
		}
		file, err := corpus.EventPath(synthetic, 4242)
		if err != nil {
			b.Fatal(err)
		}
		benchEdits(b, synthetic, file)
	})
}

// benchEdits serves dir and edits file b.N times, each time waiting for
// the reload.
func benchEdits(b *testing.B, dir, file string) {
	p := startServe(b, dir, "")
	ev := openEvents(b, p.origin)
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(file, orig, 0o644)
	nonce := time.Now().UnixNano() // every run's edits differ from the last run's
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Every edit changes the body's length, as an author's saves do: an
		// edit of the same length lets the sync rewrite a few bytes in
		// place, which would flatter the figure.
		src := fmt.Appendf(slices.Clip(orig), "\nEdit %d of run %d.%s\n", i, nonce, strings.Repeat(" More.", i%2))
		start := time.Now()
		if err := os.WriteFile(file, src, 0o644); err != nil {
			b.Fatal(err)
		}
		ev.Want("reload", "")
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "median-ms")
	b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "p95-ms")
	b.ReportMetric(0, "ns/op") // the mean says less than the median and p95
}

// copyInput copies one project input (a folder or site.yaml) from the
// repository, if the repository has it: assets/, for one, is optional (the
// theme's own are embedded) and this repository has none.
func copyInput(b *testing.B, repo, dir, in string) {
	from, to := filepath.Join(repo, in), filepath.Join(dir, in)
	info, err := os.Stat(from)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		b.Fatal(err)
	}
	if info.IsDir() {
		err = os.CopyFS(to, os.DirFS(from))
	} else {
		var src []byte
		if src, err = os.ReadFile(from); err == nil {
			err = os.WriteFile(to, src, 0o644)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
}
