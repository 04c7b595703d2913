package linkcheck

import (
	"sync"
	"sync/atomic"
)

// verdicts shares the verdict on a link that does not depend on the page
// it is on (a site path or a full URL) between the pages it is on: the
// navigation, type, actor and event links repeat on thousands of pages of
// a large site, so each is checked once. A numbered link of the check's
// own Names has its verdict at its number, which costs an index where a
// map of a large site's links cost a few cache misses per link; a link of
// another Names (a scan kept from an earlier check in watch mode) has it
// by text; a link of a scan's own (see Names) is met once or twice and is
// checked where it is.
type verdicts struct {
	names  *Names
	byNum  []atomic.Pointer[verdict]
	byText sync.Map // href → verdict
}

// verdict is checkOne's answer, shared between pages.
type verdict struct{ why, dep string }

// newVerdicts returns the verdicts for a check of scans, numbered by the
// Names most of them share (all of them, but in watch mode).
func newVerdicts(scans []Scan) *verdicts {
	vs := &verdicts{}
	// The majority vote (Boyer and Moore's): one pass, no map. Which Names
	// is chosen affects the time a check takes, not its verdicts.
	votes := 0
	for i := range scans {
		switch n := scans[i].names; {
		case n == nil:
		case votes == 0:
			vs.names, votes = n, 1
		case n == vs.names:
			votes++
		default:
			votes--
		}
	}
	if vs.names != nil {
		vs.byNum = make([]atomic.Pointer[verdict], vs.names.len())
	}
	return vs
}

// judge returns the verdict on the link l of sc, whose text is href,
// judging it with check if no page did yet. Two pages may judge the same
// link at once: both get the same verdict, and one is kept.
func (vs *verdicts) judge(sc *Scan, l uint32, href string, check func() (why, dep string)) (why, dep string) {
	switch {
	case l&localBit != 0:
		return check()
	case sc.names == vs.names && int(l) < len(vs.byNum):
		if v := vs.byNum[l].Load(); v != nil {
			return v.why, v.dep
		}
		why, dep = check()
		vs.byNum[l].Store(&verdict{why, dep})
		return why, dep
	}
	if v, ok := vs.byText.Load(href); ok {
		vd := v.(verdict)
		return vd.why, vd.dep
	}
	why, dep = check()
	vs.byText.Store(href, verdict{why, dep})
	return why, dep
}
