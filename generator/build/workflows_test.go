package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestActionlintWorkflows runs actionlint over the GitHub Actions workflows:
// a typo in pages.yml would otherwise show only after a push to main, as a
// failed deployment.
func TestActionlintWorkflows(t *testing.T) {
	bin := testtool.Actionlint(t)
	root := testtool.RepoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	for _, want := range []string{"pages.yml", "test.yml"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf(".github/workflows/%s is missing", want)
		}
	}
	cmd := exec.Command(bin, append([]string{"-no-color"}, files...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint %s: %v\n%s", strings.Join(names, " "), err, out)
	}

	// The Pages workflow must build with the URL configure-pages returns,
	// with the trailing slash the generator's base URL needs, and keep
	// public/.nojekyll in the artifact.
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "pages.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"BASE_URL: ${{ steps.pages.outputs.base_url }}",
		`--base-url "${BASE_URL}/"`,
		"include-hidden-files: true",
		"id-token: write",
		"cancel-in-progress: false",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("pages.yml lacks %q", want)
		}
	}
}
