package config

import (
	"strings"
	"testing"
)

// TestTimelinePart checks site.yaml's timelinePart: the default when
// unset, the value given, and a located error for a count below 1.
func TestTimelinePart(t *testing.T) {
	c, errs := Parse([]byte(valid), "")
	if len(errs) > 0 || c.TimelinePart != DefaultTimelinePart {
		t.Fatalf("unset: %v, %v; want %d", c, errs, DefaultTimelinePart)
	}
	c, errs = Parse([]byte(valid+"timelinePart: 40\n"), "")
	if len(errs) > 0 || c.TimelinePart != 40 {
		t.Fatalf("timelinePart: 40 gives %v, %v", c, errs)
	}
	_, errs = Parse([]byte(valid+"timelinePart: 0\n"), "")
	if len(errs) != 1 || errs[0].Line != 9 || !strings.Contains(errs[0].Msg, "timelinePart: 0 is not a positive number") {
		t.Errorf("timelinePart: 0 gives %v; want one error at line 9", errs)
	}
}
