package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/config"
)

// TestListPages checks how a list is cut into pages (where they are,
// what each holds) and the compact pager of each: first, last and a
// window of two around the current page, a gap of one page shown as that
// page.
func TestListPages(t *testing.T) {
	s := &Site{Config: &config.Config{TimelinePart: 2}, BasePath: "/base/"}
	events := make([]*Event, 19)
	for i := range events {
		events[i] = &Event{}
	}
	pages := s.ListPages("/types/report/", events)
	if len(pages) != 10 {
		t.Fatalf("19 events, 2 a page: %d pages, want 10", len(pages))
	}
	if p := pages[0]; p.Path != "/types/report/" || p.URL != "/base/types/report/" || p.Prev != nil || p.Next != pages[1] {
		t.Errorf("first page at %s (%s), prev %v; want /types/report/ and no previous", p.Path, p.URL, p.Prev)
	}
	if p := pages[9]; p.Path != "/types/report/page/10/" || len(p.Events) != 1 || p.From() != 19 || p.Last() != 19 || p.Next != nil || p.Label() != "page 10 of 10" {
		t.Errorf("last page at %s with %d events (%d–%d), %q", p.Path, len(p.Events), p.From(), p.Last(), p.Label())
	}
	n := 0
	for i, p := range pages {
		if p.Events[0] != events[n] || p.Number != i+1 || p.Total != 19 {
			t.Errorf("page %d does not start at event %d", i+1, n)
		}
		n += len(p.Events)
	}
	if n != 19 {
		t.Errorf("the pages hold %d events, want 19", n)
	}
	pager := func(p *ListPage) string {
		var b []string
		for _, l := range p.Pager() {
			switch {
			case l.Page == nil:
				b = append(b, "…")
			case l.Current:
				b = append(b, fmt.Sprintf("[%d]", l.Page.Number))
			default:
				b = append(b, fmt.Sprint(l.Page.Number))
			}
		}
		return strings.Join(b, " ")
	}
	for num, want := range map[int]string{
		1:  "[1] 2 3 … 10",
		4:  "1 2 3 [4] 5 6 … 10",
		5:  "1 2 3 4 [5] 6 7 … 10",
		6:  "1 … 4 5 [6] 7 8 9 10",
		10: "1 … 8 9 [10]",
	} {
		if got := pager(pages[num-1]); got != want {
			t.Errorf("pager of page %d: %q, want %q", num, got, want)
		}
	}
	if one := s.ListPages("/actors/x/", events[:2]); len(one) != 1 || one[0].Pager() != nil {
		t.Error("a list within the cap is not one page without a pager")
	}
	if empty := s.ListPages("/actors/x/", nil); len(empty) != 1 || len(empty[0].Events) != 0 {
		t.Error("an empty list is not one empty page")
	}
}
