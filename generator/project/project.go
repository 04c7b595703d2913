// Package project knows the layout of a site project: which folders hold
// content, templates and assets, and which file names are editors' noise
// that neither the build nor the watcher should ever look at.
package project

import (
	"path"
	"strings"
)

// The project's folders and files, relative to its root.
const (
	ContentDir   = "content"
	TemplatesDir = "templates"
	AssetsDir    = "assets"
	ConfigFile   = "site.yaml"
	DefaultDest  = "public"
)

// Inputs lists every folder and file a build reads. A function, so that
// no caller can change the list for the others.
func Inputs() []string { return []string{ContentDir, TemplatesDir, AssetsDir, ConfigFile} }

// Ignored reports whether a file or folder name (one path element) is not
// part of the project: hidden files (including vim's .x.swp and Emacs's
// .#x locks), backups ending in ~, Emacs autosaves (#x#), vim's write test
// file 4913, JetBrains' and GNOME's atomic-save temporaries.
func Ignored(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, "."),
		strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		name == "4913",
		strings.HasSuffix(name, "___jb_tmp___"),
		strings.HasSuffix(name, "___jb_old___"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"):
		return true
	}
	return false
}

// IgnoredPath reports whether any element of a slash-separated path is
// Ignored.
func IgnoredPath(p string) bool {
	for _, el := range strings.Split(path.Clean(p), "/") {
		if el != "." && Ignored(el) {
			return true
		}
	}
	return false
}

// Generated lists the files and folders a build writes at the root of the
// output besides the pages and the assets (export's feeds and data, the
// search index's folder and results page, the sitemap, robots.txt, the 404
// page): no content page may take one of their names as its URL.
// TestGeneratedNamesReserved keeps it in step with the build.
func Generated() []string {
	return []string{"404.html", "sitemap.xml", "robots.txt", ".nojekyll", "feed.atom", "feed.json",
		"events.ics", "timeline.json", "timelinejs.json", "search"}
}
