package testtool

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRendersPage checks that Chromium starts and runs a page's script.
func TestBrowserRendersPage(t *testing.T) {
	ctx := Browser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><title>t</title><p id="x"></p><script>document.getElementById("x").textContent = "from script"</script>`))
	}))
	defer srv.Close()
	var got string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL), chromedp.Text("#x", &got, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if got != "from script" {
		t.Fatalf("text = %q, want %q", got, "from script")
	}
}
