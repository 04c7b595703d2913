package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// TestHTMLValid runs the Nu HTML checker over every generated page in one
// JVM (it takes seconds to start) and fails on any error it reports.
func TestHTMLValid(t *testing.T) {
	jar := testtool.NodeModule(t, "vnu-jar/build/dist/vnu.jar")
	java := testtool.Java(t)
	s := serve(t)
	dir := t.TempDir()
	var files []string
	for _, p := range s.out.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, s.out.File(p), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < len(s.site.Events) {
		t.Fatalf("only %d HTML pages in the output", len(files))
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // vnu writes its report to stderr
	runErr := cmd.Run()
	var report struct {
		Messages []struct {
			Type, URL, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("vnu did not report JSON (%v, run error %v):\n%s", err, runErr, stderr.String())
	}
	for _, m := range report.Messages {
		page := strings.TrimPrefix(strings.TrimPrefix(m.URL, "file:"), dir+"/")
		t.Errorf("%s:%d: %s: %s\n\t%s", page, m.LastLine, m.Type, m.Message, strings.TrimSpace(m.Extract))
	}
	if runErr != nil && len(report.Messages) == 0 {
		t.Fatalf("vnu failed without messages: %v", runErr)
	}
	t.Logf("vnu checked %d pages", len(files))
}
