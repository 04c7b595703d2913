package testtool

import (
	"mime"
	"net/http"
	"path"
	"strings"
)

// PagesHost serves a built site's files the way GitHub Pages serves a
// published folder: under Prefix ("/repo/" or "/"), a folder's index.html
// for its URL with a slash, a redirect to the slash for it without one, and
// 404.html with status 404 for anything else. Files may be set after the
// server starts and before the first request, for a site that has to be
// built with the server's own URL as its base URL.
type PagesHost struct {
	Prefix string
	Files  map[string][]byte
}

// ServeHTTP answers one request as GitHub Pages would.
func (p *PagesHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	notFound := func() {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(p.Files["404.html"])
	}
	if !strings.HasPrefix(r.URL.Path, p.Prefix) {
		http.Error(w, "outside the site", http.StatusNotFound)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, p.Prefix)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	b, ok := p.Files[rel]
	if !ok {
		if _, dir := p.Files[rel+"/index.html"]; dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		notFound()
		return
	}
	// GitHub Pages' types for the site's feeds and exports; the rest by
	// extension, then by content.
	ct := map[string]string{".atom": "application/atom+xml", ".ics": "text/calendar; charset=utf-8", ".json": "application/json"}[path.Ext(rel)]
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(rel))
	}
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(b)
}
