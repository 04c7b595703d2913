package generator

import (
	"runtime/debug"
	"testing"
)

// TestOneShotGC checks that a one-shot build's collector settings are set
// and restored, and that GOGC and GOMEMLIMIT set by the user win.
func TestOneShotGC(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	limit := func() int64 { return debug.SetMemoryLimit(-1) } // -1 reads it
	before, beforeLimit := percent(), limit()

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	restore := oneShotGC()
	if p, l := percent(), limit(); p != buildGCPercent || l != buildMemoryLimit {
		t.Errorf("during a build: GOGC %d, limit %d; want %d and %d", p, l, buildGCPercent, buildMemoryLimit)
	}
	restore()
	if p, l := percent(), limit(); p != before || l != beforeLimit {
		t.Errorf("after a build: GOGC %d, limit %d; want them restored to %d and %d", p, l, before, beforeLimit)
	}

	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "1GiB")
	restore = oneShotGC()
	if p, l := percent(), limit(); p != before || l != beforeLimit {
		t.Errorf("with GOGC and GOMEMLIMIT set: GOGC %d, limit %d; want the user's, %d and %d", p, l, before, beforeLimit)
	}
	restore()
}
