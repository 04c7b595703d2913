// Package parallel runs a loop's iterations on every core. It is the one
// place the build's stages (parse, render, feeds, link check, hashing) get
// their parallelism from, so that each writes results into slots indexed by
// i and the output never depends on which worker finished first.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For runs f(0), …, f(n-1) on every core and returns when all are
// done. Each stage that works per file or per page (parse, render, link
// check, hashing) uses it, writing results into slots indexed by i, so the
// output never depends on which worker finished first.
//
// Workers take the next i from a shared counter, in order, one at a time:
// a large page put first is started first, and a rebuild's loops over
// 10,000 files that are mostly cache hits cost a counter increment per
// file, where a channel send cost a hand-off between goroutines.
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	wg.Add(workers - 1)
	for range workers - 1 {
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work() // the caller is one of the workers
	wg.Wait()
}
