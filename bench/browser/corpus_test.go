package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestFilterCase reads events as the corpus writes them and picks the
// type and actor with the most events together, with every event that has
// both, and no event that has only one of them.
func TestFilterCase(t *testing.T) {
	dir := t.TempDir()
	events := map[string]string{
		"1990-00001-a": "type: resolution\nactor: [Mexico, Working Group on Data Flows]",
		"1991-00002-b": "type: resolution\nactor: [Mexico]",
		"1992-00003-c": "type: meeting\nactor: [Mexico, Chile]",
		"1993-00004-d": "type: resolution\nactor: [Chile]",
		"1994-00005-e": "type: meeting\nactor: [Chile]",
		"1995-00006-f": "type: resolution\nactor: [Mexico]",
	}
	for slug, fm := range events {
		p := filepath.Join(dir, "content", "events", slug+".md")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		src := "---\ntitle: \"x\"\ndate: 1990\n" + fm + "\nsummary: \"s\"\n---\nBody.\n"
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := readCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	typ, actor, want := c.filterCase("", "")
	if typ != "resolution" || actor != "mexico" || !slices.Equal(want, []string{"1990-00001-a", "1991-00002-b", "1995-00006-f"}) {
		t.Errorf("chose %s, %s: %v; want resolution, mexico: [1990-00001-a 1991-00002-b 1995-00006-f]", typ, actor, want)
	}
	if _, _, want := c.filterCase("meeting", "chile"); !slices.Equal(want, []string{"1992-00003-c", "1994-00005-e"}) {
		t.Errorf("meeting and chile: %v", want)
	}
	if _, _, want := c.filterCase("resolution", "working-group-on-data-flows"); !slices.Equal(want, []string{"1990-00001-a"}) {
		t.Errorf("an actor's name is matched by its slug: %v", want)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median of 5 1 3 = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 4 1 3 2 = %v", m)
	}
}
