package site

import (
	"runtime"
	"sync"
)

// parallel runs f(0), …, f(n-1) on every core and returns when all are
// done. Each stage that works per file or per page (parse, render, link
// check, hashing) uses it, writing results into slots indexed by i, so the
// output never depends on which worker finished first.
func parallel(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
