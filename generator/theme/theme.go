// Package theme is the default theme, built into the binary: the templates
// and assets a project gets when it has none of its own.
//
// A project overrides it file by file, as a Hugo project's layouts override
// its theme's: templates/event.html in the project replaces the theme's
// event.html and nothing else, and removing it brings the theme's back.
// Files lists the merged set; each File says where it came from, so that
// an error in a project file is reported at templates/x.html and one in the
// theme at theme/templates/x.html (the theme's path in sitegen's source,
// under generator/).
//
// The theme says nothing about any one subject: what a site says about
// itself comes from site.yaml (its title, description, period and the
// documentLinks pattern) or from its own overrides.
package theme

import (
	"embed"
	"io/fs"
	"sort"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/project"
)

// files is read-only: embed.FS cannot be changed at run time.
//
//go:embed templates assets
var files embed.FS

// FS returns the default theme: templates/... and assets/..., laid out as
// in a project.
func FS() fs.FS { return files }

// Prefix is put before a theme file's path in what a build reports, so
// that it never reads as a file of the project.
const Prefix = "theme/"

// File is one template or asset of a build, from the project or the theme.
type File struct {
	// Name is the path inside its folder: "event.html", "css/site.css".
	Name string
	// Path is its path in its file system: "templates/event.html".
	Path string
	// FS holds it: the project's, or the theme's.
	FS fs.FS
	// Theme reports whether it comes from the theme.
	Theme bool
}

// Report is the path an error about the file names: the project's path
// for a project file, the theme's (Prefix + Path) for a theme file.
func (f File) Report() string {
	if f.Theme {
		return Prefix + f.Path
	}
	return f.Path
}

// Files lists the files under dir (project.TemplatesDir or
// project.AssetsDir) of the project, and of the theme where the project
// has no file of the same name, sorted by Name. theme may be nil, for no
// theme. Problems reading the project's folder are added to errs.
func Files(proj, theme fs.FS, dir string, errs *diag.List) []File {
	seen := map[string]bool{}
	var out []File
	for _, p := range project.ListFiles(proj, dir, errs) {
		name := p[len(dir)+1:]
		seen[name] = true
		out = append(out, File{Name: name, Path: p, FS: proj})
	}
	if theme != nil {
		var terrs diag.List
		for _, p := range project.ListFiles(theme, dir, &terrs) {
			if name := p[len(dir)+1:]; !seen[name] {
				out = append(out, File{Name: name, Path: p, FS: theme, Theme: true})
			}
		}
		for _, e := range terrs {
			e.File = Prefix + e.File
			errs.Add(e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
