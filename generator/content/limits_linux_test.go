package content_test

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/content"
	"golang.org/x/sys/unix"
)

// hostileBodies builds Markdown bodies of about n bytes in the shapes
// that make a Markdown parser's work grow faster than its input: deep
// nesting on one line, unclosed link destinations, padded tables,
// delimiter runs, and the like. Some pass the limits and must parse in
// linear time, the others must be refused in linear time.
var hostileBodies = map[string]func(n int) string{
	"quote":            rep(">"),
	"quote-space":      rep("> "),
	"ordered":          rep("1. "),
	"ordered-paren":    rep("1) "),
	"quote-bullet":     rep("> - "),
	"bullets":          rep("- "),
	"stars":            rep("* "),
	"link-open":        rep("[a]("),
	"image-open":       rep("![a]("),
	"emph-link-open":   rep("*[a]("),
	"link-open-space":  rep("[a]( "),
	"brackets":         rep("["),
	"nested-brackets":  rep("[["),
	"images":           rep("!["),
	"parens":           rep("("),
	"refs":             rep("[a]"),
	"footnote-refs":    rep("[^a]"),
	"emph-star":        rep("*a"),
	"emph-under":       rep("_a"),
	"strong":           rep("**a"),
	"emph-mixed":       rep("*_a"),
	"emph-mixed-lines": rep("*_a\n"),
	"strike":           rep("~~a"),
	"backticks":        rep("`a"),
	"html-open":        rep("<a"),
	"html-comment":     rep("<!--"),
	"entities":         rep("&#1"),
	"backslashes":      rep("\\"),
	"quotes":           rep("\"'"),
	"autolinks":        rep("www.a"),
	"pipes":            rep("|"),
	"headings":         rep("# a\n"),
	"setext":           rep("a\n=\n"),
	"definitions":      rep(": a\n"),
	"link-defs":        rep("[a]: b\n"),
	"quote-lines":      rep(">\n"),
	"bullet-lines":     rep("- a\n"),
	"indented-list": func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat("  ", i%200) + "- a\n")
		}
		return b.String()
	},
	"backtick-runs": func(n int) string {
		var b strings.Builder
		for i := 1; b.Len() < n; i++ {
			b.WriteString(strings.Repeat("`", i%500+1) + "a")
		}
		return b.String()
	},
	"wide-table": func(n int) string {
		cols := 512
		return "|" + strings.Repeat("a|", cols) + "\n|" + strings.Repeat("-|", cols) + "\n" + strings.Repeat("a\n", n/2)
	},
	// Paragraphs just within MaxMarksPerBlock, one after the other.
	"emph-mixed-blocks": blocks("*_a", content.MaxMarksPerBlock/2),
	"link-defs-blocks":  blocks("[a]: b\n", content.MaxMarksPerBlock/2),
	"list-items":        rep("- " + strings.Repeat("*_a", content.MaxMarksPerBlock/2) + "\n"),
	"brackets-blocks":   blocks("[", content.MaxMarksPerBlock),
	"link-open-blocks":  blocks(strings.Repeat("[a](", content.MaxLinksPerWord)+" ", content.MaxMarksPerBlock/content.MaxLinksPerWord/2),
	"tables": func(n int) string {
		return rep("|a|b|\n|-|-|\n|c|d|\n\n")(n)
	},
}

// blocks is paragraphs of k units each, separated by blank lines.
func blocks(unit string, k int) func(n int) string {
	return rep(strings.Repeat(unit, k) + "\n\n")
}

func rep(unit string) func(n int) string {
	return func(n int) string { return strings.Repeat(unit, n/len(unit)) }
}

// parseTime is the least CPU time the parsing thread spent over runs
// parses of body, with the collector held off during each: CPU time of
// the thread rather than time on the clock, so that other processes on a
// loaded machine do not count, and no collection triggered by an earlier
// case lands in a later one.
func parseTime(p *content.Parser, body string, runs int) time.Duration {
	src := []byte("---\ntitle: x\n---\n" + body)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	best := time.Duration(1<<63 - 1)
	for range runs {
		runtime.GC()
		start := threadCPU()
		p.Parse("content/x.md", src)
		best = min(best, threadCPU()-start)
	}
	return best
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// TestHostileMarkdownIsLinear parses each hostile body at 64 KB and at
// 1 MB and fails when the second takes more than maxRatio times the
// first: linear work gives 16 (up to 30 measured, with the caches), quadratic 256. Times themselves are not
// compared with anything, so a slow machine does not fail it.
func TestHostileMarkdownIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times parses of 1 MB")
	}
	const small, large, maxRatio = 64 << 10, 1 << 20, 64
	p := content.NewParser(content.Options{})
	for name, body := range hostileBodies {
		t.Run(name, func(t *testing.T) {
			done := make(chan [2]time.Duration, 1)
			go func() {
				s := parseTime(p, body(small), 3)
				done <- [2]time.Duration{s, parseTime(p, body(large), 1)}
			}()
			select {
			case d := <-done:
				// A floor under the small time: a refusal at the first
				// line takes microseconds at either size.
				ratio := float64(d[1]) / float64(max(d[0], 50*time.Microsecond))
				t.Logf("%v at 64 KB, %v at 1 MB: ratio %.1f", d[0], d[1], ratio)
				if ratio > maxRatio {
					t.Errorf("parse time grows %.0f times for 16 times the input (%v → %v): super-linear", ratio, d[0], d[1])
				}
			case <-time.After(2 * time.Minute):
				t.Fatalf("no parse in 2 minutes")
			}
		})
	}
}

// TestLimitsAreLocatedErrors: each limit is an error at the line that
// passes it, naming the limit.
func TestLimitsAreLocatedErrors(t *testing.T) {
	p := content.NewParser(content.Options{})
	tests := []struct{ body, want string }{
		{"Text.\n\n" + strings.Repeat(">", 1000) + " a\n", fmt.Sprintf("content/x.md:7:%d: block quotes and lists nested 1000 deep", content.MaxNesting+1)},
		{strings.Repeat("1. ", 40) + "a\n", "content/x.md:5:97: block quotes and lists nested 40 deep on one line; the limit is 32"},
		{"a " + strings.Repeat("[a](", 100) + "\n", "content/x.md:5:133: more than 32 link destinations"},
		{"a\n" + strings.Repeat("2. *_a\n", 3000), "content/x.md:2054:4: more than 4096 marks"},
		{"a\n" + strings.Repeat("    - *_a\n", 3000), "more than 4096 marks"},
		{"|" + strings.Repeat("a|", 300) + "\n|" + strings.Repeat("-|", 300) + "\n" + strings.Repeat("a\n", 5000), "padding short rows to their header's 300 columns"},
	}
	for _, tt := range tests {
		_, errs := p.Parse("content/x.md", []byte("---\ntitle: x\n---\n\n"+tt.body))
		if !strings.Contains(errs.Error(), tt.want) {
			t.Errorf("errors %q; want %q", errs.Error(), tt.want)
		}
	}
	// The error shows a line of a megabyte clipped.
	_, errs := p.Parse("content/x.md", []byte("---\ntitle: x\n---\n"+strings.Repeat(">", 1<<20)))
	if len(errs) != 1 || len(errs[0].Source) > 200 || !strings.HasPrefix(errs[0].Source, ">>>") {
		t.Errorf("a limit's error on a long line: %d errors; want one with the line clipped", len(errs))
	}
	// Within the limits, and in code, the same shapes are fine.
	for _, body := range []string{
		strings.Repeat("> ", content.MaxNesting) + "a\n",
		strings.Repeat("[a](b)", content.MaxLinksPerWord) + "\n",
		"```\n" + strings.Repeat(">", 1000) + "\n" + strings.Repeat("[a](", 100) + "\n```\n",
		"|a|b|\n|-|-|\n" + strings.Repeat("|c|d|\n", 5000),
		strings.Repeat("- [A/RES/1](https://undocs.org/A/RES/1) and *[b](c)*\n", 3000),
	} {
		if _, errs := p.Parse("content/x.md", []byte("---\ntitle: x\n---\n"+body)); len(errs) > 0 {
			t.Errorf("refused within the limits: %v\n%.80s", errs, body)
		}
	}
}
