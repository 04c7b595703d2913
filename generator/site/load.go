package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/unictimeline/sitegen/generator/diag"
	"github.com/unictimeline/sitegen/generator/project"
)

// listFiles walks dir in fsys and returns the regular files in it (slash
// paths from the project root) that are not editor noise, in lexical order.
// Symbolic links are followed only when they stay inside the project; a link
// that leaves it, or that cannot be resolved (a loop), is an error.
func listFiles(fsys fs.FS, dir string, errs *diag.List) []string {
	files, _ := listFilesAndLinks(fsys, dir, errs)
	return files
}

// listFilesAndLinks is listFiles that also says which of the files are
// symbolic links: what such a file holds can change without an event on
// its own path, so a build never trusts its cache for one (see
// Builder.Changed).
func listFilesAndLinks(fsys fs.FS, dir string, errs *diag.List) (files []string, links map[string]bool) {
	if _, err := fs.Stat(fsys, dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(diag.Error{File: p, Msg: "cannot read: " + unwrapPathError(err)})
			return nil
		}
		if p != dir && project.Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if checkSymlink(fsys, p, errs) {
				files = append(files, p)
				if links == nil {
					links = map[string]bool{}
				}
				links[p] = true
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	return files, links
}

// checkSymlink reports whether the link at p may be read as a file.
func checkSymlink(fsys fs.FS, p string, errs *diag.List) bool {
	target, err := fs.ReadLink(fsys, p)
	if err != nil {
		errs.Add(diag.Error{File: p, Msg: "cannot read symbolic link: " + unwrapPathError(err)})
		return false
	}
	resolved := path.Join(path.Dir(p), target)
	if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to %q points outside the project; copy the file into the project instead", target)})
		return false
	}
	info, err := fs.Stat(fsys, p)
	if err != nil {
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("cannot follow symbolic link to %q: %s", target, unwrapPathError(err))})
		return false
	}
	if info.IsDir() {
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to the folder %q: linked folders are not followed; link the files instead", target)})
		return false
	}
	if !info.Mode().IsRegular() {
		// A named pipe or a device would block or never end the read.
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to %q, which is not a regular file", target)})
		return false
	}
	return true
}

// unwrapPathError drops the path from an *fs.PathError's text, since the
// diag.Error already names the file.
func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
