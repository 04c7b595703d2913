package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEscapeErrorKnown: os.Root's refusal is still recognised, so that
// it is reported as a link leading outside, naming the link.
func TestEscapeErrorKnown(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(out, filepath.Join(dir, "lnk")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../lnk/secret", filepath.Join(dir, "a", "s")); err != nil {
		t.Fatal(err)
	}
	f, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = f.ReadFile("a/s")
	var oe *OutsideError
	if !errors.As(err, &oe) || !errors.Is(err, ErrOutside) {
		t.Fatalf("ReadFile through a link out: %v; want an OutsideError", err)
	}
	if oe.Link != "lnk" || oe.Target != out {
		t.Errorf("the error names %q → %q; want lnk → %q", oe.Link, oe.Target, out)
	}
	if !strings.Contains(err.Error(), "outside the project") {
		t.Errorf("message: %v", err)
	}
}
