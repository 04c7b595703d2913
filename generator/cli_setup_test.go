package generator

import (
	"regexp"
	"strconv"
	"testing"
)

// mustCLI runs a command line a test depends on (a setup build) and stops
// the test when it fails: a test whose setup build failed would otherwise
// go on to compare against an empty or stale folder.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := cli(t, args...)
	if code != 0 {
		t.Fatalf("setup %v: exit %d: %s", args, code, stderr)
	}
	return stdout
}

// summaryCount returns the number before word ("written", "removed",
// "unchanged") in a build's summary line.
func summaryCount(t *testing.T, stdout, word string) int {
	t.Helper()
	m := regexp.MustCompile(`(\d+) (?:files )?` + regexp.QuoteMeta(word) + `\b`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no %q count in the summary %q", word, stdout)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
