package build

import (
	"bytes"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
	"github.com/unictimeline/sitegen/generator/linkcheck"
	"github.com/unictimeline/sitegen/generator/outdir"
	"github.com/unictimeline/sitegen/generator/output"
	"github.com/unictimeline/sitegen/generator/project"
	"github.com/unictimeline/sitegen/generator/render"
	"github.com/unictimeline/sitegen/generator/theme"
)

// The benchmarks below build a synthetic corpus (generator/internal/corpus)
// of SITEGEN_BENCH_EVENTS events, 1,000 when unset:
//
//	go test ./generator/build -run '^$' -bench . -benchmem
//	SITEGEN_BENCH_EVENTS=10000 go test ./generator/build -run '^$' -bench Build
//
// They report; they assert nothing about time. make bench compares whole
// builds with Hugo (bench/run.sh).

// benchEvents is the corpus size for the benchmarks.
func benchEvents(b *testing.B) int {
	n := 1000
	if v := os.Getenv("SITEGEN_BENCH_EVENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SITEGEN_BENCH_EVENTS=%q: want a positive number", v)
		}
	}
	return n
}

// benchProject writes a corpus into a temporary folder and loads it into
// memory, so that the benchmarks measure the build, not the disk.
func benchProject(b *testing.B) fstest.MapFS {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: benchEvents(b), Seed: 1, Repo: testtool.RepoRoot(b)}); err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return fsys
}

func mustBuild(b *testing.B, bl *Builder) *Result {
	b.Helper()
	res := bl.Build()
	if len(res.Errors) > 0 {
		b.Fatalf("the corpus does not build:\n%v", res.Errors)
	}
	return res
}

// BenchmarkBuild is a clean build in memory: every stage but the write.
func BenchmarkBuild(b *testing.B) {
	fsys := benchProject(b)
	b.ReportAllocs()
	for b.Loop() {
		mustBuild(b, NewBuilder(Options{FS: fsys}))
	}
}

// BenchmarkRebuild is watch mode's build after one event's body changed:
// one file is parsed again, everything else comes from the caches.
func BenchmarkRebuild(b *testing.B) {
	fsys := benchProject(b)
	var name string
	for p := range fsys {
		if filepath.Dir(p) == project.ContentDir+"/events" {
			name = p
			break
		}
	}
	orig := fsys[name].Data
	bl := NewBuilder(Options{FS: fsys})
	mustBuild(b, bl)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		fsys[name] = &fstest.MapFile{Data: append(bytes.Clone(orig), "\nEdit "+strconv.Itoa(i)+".\n"...), Mode: 0o644}
		mustBuild(b, bl)
	}
}

// BenchmarkRender renders every page of an assembled site, the render stage
// alone.
func BenchmarkRender(b *testing.B) {
	fsys := benchProject(b)
	res := mustBuild(b, NewBuilder(Options{FS: fsys}))
	cfgSrc, _ := fs.ReadFile(fsys, project.ConfigFile)
	cfg, errs := config.Parse(cfgSrc, "")
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	tmpl, errs := render.Load(fsys, theme.FS(), render.Funcs(cfg.BaseURL))
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, errs := renderAll(res.Site, tmpl, output.New("", ""), pagesMemo{}, nil); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkCheckLinks checks every internal link and anchor of the output.
func BenchmarkCheckLinks(b *testing.B) {
	fsys := benchProject(b)
	res := mustBuild(b, NewBuilder(Options{FS: fsys}))
	b.ReportAllocs()
	for b.Loop() {
		if errs, _ := linkcheck.Check(&linkcheck.Site{BaseURL: res.Site.Config.BaseURL, BasePath: res.Site.BasePath, Out: res.Output, Paths: res.Output.Paths()}, linkcheck.Scans{}, maphash.MakeSeed()); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkSync writes a whole site into a new folder each time (a clean
// build's write).
func BenchmarkSync(b *testing.B) {
	fsys := benchProject(b)
	res := mustBuild(b, NewBuilder(Options{FS: fsys}))
	root := b.TempDir()
	b.SetBytes(outputBytes(res.Output))
	i := 0
	for b.Loop() {
		i++
		if _, err := outdir.NewSyncer(filepath.Join(root, strconv.Itoa(i))).Sync(res.Output); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyncUnchanged syncs the same output again: nothing is written,
// every file is compared.
func BenchmarkSyncUnchanged(b *testing.B) {
	fsys := benchProject(b)
	res := mustBuild(b, NewBuilder(Options{FS: fsys}))
	sy := outdir.NewSyncer(b.TempDir())
	if _, err := sy.Sync(res.Output); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(outputBytes(res.Output))
	for b.Loop() {
		st, err := sy.Sync(res.Output)
		if err != nil {
			b.Fatal(err)
		}
		if st.Written != 0 {
			b.Fatalf("wrote %d files of an unchanged output", st.Written)
		}
	}
}

func outputBytes(o *output.Output) int64 {
	var n int64
	for _, b := range o.All() {
		n += int64(len(b))
	}
	return n
}

// BenchmarkEdit is watch mode's work after an author saved one event: the
// project on disk, the watcher's hint naming the file, the build, and the
// sync of what changed into the output folder. BenchmarkEditToReload in
// the generator package adds the watcher, its debounce and the server.
func BenchmarkEdit(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: benchEvents(b), Seed: 1, Repo: testtool.RepoRoot(b)}); err != nil {
		b.Fatal(err)
	}
	name, err := corpus.EventPath(dir, benchEvents(b)/2)
	if err != nil {
		b.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, name)
	rel = filepath.ToSlash(rel)
	orig, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	bl := NewBuilder(Options{FS: os.DirFS(dir)})
	sy := outdir.NewSyncer(filepath.Join(dir, "public"))
	sy.InPlace = true // as serve's
	if _, err := sy.Sync(mustBuild(b, bl).Output); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(name, append(bytes.Clone(orig), "\nEdit "+strconv.Itoa(i)+".\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		bl.Changed([]string{rel})
		st, err := sy.Sync(mustBuild(b, bl).Output)
		if err != nil {
			b.Fatal(err)
		}
		if st.Written == 0 {
			b.Fatal("the edit changed no output")
		}
	}
}

// BenchmarkStagedBuild is the CLI's clean build: staged, so that the
// output goes to disk as it is made and the Builder keeps no memo. It
// reports the peak heap in use (sampled every 50 ms, garbage not yet
// collected included) per event: what a large site's build needs.
func BenchmarkStagedBuild(b *testing.B) {
	fsys := benchProject(b)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		stage, err := outdir.NewStage(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		stop := sampleHeap(&peak)
		mustBuild(b, NewBuilder(Options{FS: fsys, Stage: stage}))
		stop()
	}
	b.ReportMetric(float64(peak)/float64(benchEvents(b)), "peak-heap-B/event")
}

// sampleHeap records in *peak the largest heap in use it sees until stop
// is called.
func sampleHeap(peak *uint64) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(quit); <-done }
}
