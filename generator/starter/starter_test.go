package starter

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestWorkflowLints runs actionlint over the GitHub Pages workflow init
// writes: a mistake there shows only after a new user's first push.
func TestWorkflowLints(t *testing.T) {
	bin := testtool.Actionlint(t)
	for _, version := range []string{"v1.2.3", "(devel)"} {
		dir := t.TempDir()
		if _, err := Write(dir, version); err != nil {
			t.Fatal(err)
		}
		wf := filepath.Join(dir, ".github", "workflows", "pages.yml")
		cmd := exec.Command(bin, "-no-color", wf)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("actionlint: %v\n%s", err, out)
		}
		b, _ := os.ReadFile(wf)
		want := map[string]string{"v1.2.3": "@v1.2.3\n", "(devel)": "@latest\n"}[version]
		if !strings.Contains(string(b), "generator/cmd/sitegen"+want) {
			t.Errorf("version %s: the workflow does not install sitegen%s", version, strings.TrimSpace(want))
		}
	}
}
