package outdir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckDest refuses output folders that would overwrite or delete the
// project: the project root itself, a folder holding it, or one of its
// input folders or anything inside them.
func CheckDest(root, dest string, inputs []string) error {
	r, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if r2, err := filepath.EvalSymlinks(r); err == nil {
		r = r2
	}
	if d2, err := evalExisting(d); err == nil {
		d = d2
	}
	if d == r || within(r, d) {
		return fmt.Errorf("--dest %s is the project folder or holds it; the build would mix its output with your sources (use a folder such as %s)", dest, filepath.Join(root, "public"))
	}
	for _, in := range inputs {
		ip := filepath.Join(r, in)
		if d == ip || within(d, ip) {
			return fmt.Errorf("--dest %s is inside the project's %s; the build would overwrite sources there", dest, in)
		}
	}
	return nil
}

// evalExisting resolves symlinks in the longest existing prefix of p.
func evalExisting(p string) (string, error) {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r, nil
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p, nil
	}
	r, err := evalExisting(parent)
	if err != nil {
		return p, err
	}
	return filepath.Join(r, filepath.Base(p)), nil
}

// within reports whether p lies inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// StagePrefix starts the name of a build's staging folder, made inside the
// output folder (see Output and NewStage).
const StagePrefix = ".sitegen-stage-"

// NewStage makes a staging folder for a build into dest (creating dest if
// needed): inside it, so that Sync can rename staged files into place,
// and marked as the generator's (see stageMarker), so that the run after a
// crash knows it may remove it. Output.Discard, which Sync calls, removes
// it. Call it once the folder is locked and checked (see Syncer.Lock and
// Check), never before: a refused folder is left as it was.
func NewStage(dest string) (string, error) {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	stage, err := os.MkdirTemp(dest, StagePrefix+"*")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(stage, stageMarker), nil, 0o644); err != nil {
		os.RemoveAll(stage)
		return "", err
	}
	return stage, nil
}
