package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildHonoursSourceDateEpoch: the build command reads SOURCE_DATE_EPOCH
// into the calendar's DTSTAMP, and refuses a malformed value rather than
// quietly falling back.
func TestBuildHonoursSourceDateEpoch(t *testing.T) {
	dir := writeProject(t, miniProject)
	dest := filepath.Join(t.TempDir(), "out")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14T22:13:20Z
	if code, _, stderr := cli(t, "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatalf("build exit %d: %s", code, stderr)
	}
	ics, err := os.ReadFile(filepath.Join(dest, "events.ics"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ics), "DTSTAMP:20231114T221320Z\r\n") {
		t.Errorf("events.ics does not carry SOURCE_DATE_EPOCH as DTSTAMP:\n%s", ics)
	}

	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	code, _, stderr := cli(t, "build", "--source", dir, "--dest", filepath.Join(t.TempDir(), "bad"))
	if code != exitUsage || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("malformed SOURCE_DATE_EPOCH: exit %d, %q; want exit %d naming the variable", code, stderr, exitUsage)
	}
}
