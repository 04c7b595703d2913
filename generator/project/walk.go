package project

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/diag"
)

// ListFiles walks dir in fsys and returns the regular files in it (slash
// paths from the project root) that are not editor noise, in lexical order.
// Symbolic links are followed only when they stay inside the project; a link
// that leaves it, or that cannot be resolved (a loop), is an error.
func ListFiles(fsys fs.FS, dir string, errs *diag.List) []string {
	files, _ := ListFilesAndLinks(fsys, dir, errs)
	return files
}

// ListFilesAndLinks is ListFiles that also says which of the files are
// symbolic links: what such a file holds can change without an event on
// its own path, so a build never trusts its cache for one (see
// Builder.Changed).
func ListFilesAndLinks(fsys fs.FS, dir string, errs *diag.List) (files []string, links map[string]bool) {
	if _, err := fs.Stat(fsys, dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(diag.Error{File: p, Msg: "cannot read: " + UnwrapPathError(err)})
			return nil
		}
		if p != dir && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != dir && !nameOK(p, errs) {
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

// nameOK reports whether the last name of p may be read: one holding a
// control character (a newline would forge lines of the output's
// manifest and of every message naming the file) or an invisible
// formatting one (a bidi override shows another name than the file's) is
// an error at its folder, naming it escaped.
func nameOK(p string, errs *diag.List) bool {
	name := path.Base(p)
	r, bad := unsafeRune(name)
	if bad {
		errs.Add(diag.Error{File: path.Dir(p), Msg: fmt.Sprintf("the name %q holds %U, a control or formatting character; rename it", name, r)})
	}
	return !bad
}

// unsafeRune returns the first control or formatting character of s.
func unsafeRune(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return r, true
		}
	}
	return 0, false
}

// checkSymlink reports whether the link at p may be read as a file.
func checkSymlink(fsys fs.FS, p string, errs *diag.List) bool {
	target, err := fs.ReadLink(fsys, p)
	if err != nil {
		errs.Add(diag.Error{File: p, Msg: "cannot read symbolic link: " + UnwrapPathError(err)})
		return false
	}
	resolved := path.Join(path.Dir(p), target)
	if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to %q points outside the project; copy the file into the project instead", target)})
		return false
	}
	info, err := fs.Stat(fsys, p)
	var out *OutsideError
	switch {
	case errors.As(err, &out) && out.Link != "":
		// A chain of links: this one stays inside, one it leads to leaves.
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to %q leads outside the project through %s → %q; copy the file into the project instead", target, out.Link, out.Target)})
		return false
	case errors.Is(err, ErrOutside):
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("symbolic link to %q leads outside the project; copy the file into the project instead", target)})
		return false
	case err != nil:
		errs.Add(diag.Error{File: p, Msg: fmt.Sprintf("cannot follow symbolic link to %q: %s", target, UnwrapPathError(err))})
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

// UnwrapPathError drops the path from an *fs.PathError's text, since the
// diag.Error already names the file.
func UnwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Listing is the content folder's file list as a build found it, kept when
// the walk met no error so that the next build can amend it from the
// watcher's hint instead of walking 10,000 files again.
type Listing struct {
	files []string // in the order of fs.WalkDir
	links map[string]bool
	md    []string // the Markdown files among them, made by markdown
}

// Markdown returns the listed files that are Markdown, in order: made
// once per Listing, so that a Listing kept as it was gives the very same
// slice.
func (l *Listing) Markdown() []string {
	if l.md == nil {
		for _, f := range l.files {
			if strings.HasSuffix(f, ".md") {
				l.md = append(l.md, f)
			}
		}
	}
	return l.md
}

// HasFiles reports whether each of paths is a regular file that l lists
// already: then l stays as it is. It is the case of every save of a file
// (not of a new one, a removal or a rename), and spares copying and
// sorting a list of 10,000 files for it.
func (l *Listing) HasFiles(fsys fs.FS, dir string, paths []string) bool {
	for _, p := range paths {
		if _, found := slices.BinarySearchFunc(l.files, p, WalkOrder); !found || l.links[p] {
			return false
		}
		if !realDirs(fsys, dir, path.Dir(p)) {
			return false
		}
		if info, err := fs.Lstat(fsys, p); err != nil || !info.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// Amend returns the Listing after a change to the paths in changed (clean,
// slash-separated, from the project root; see Builder.Changed), reading
// only those paths. ok is false when it cannot be sure to list what a walk
// would, and the caller walks: a hint naming the content folder or one
// above it, or any error on the way (the walk reports it in full).
func (l *Listing) Amend(fsys fs.FS, dir string, changed map[string]bool) (next *Listing, ok bool) {
	var touched []string
	for p := range changed {
		if p == dir || p == "." || strings.HasPrefix(dir, p+"/") {
			return nil, false
		}
		if strings.HasPrefix(p, dir+"/") {
			touched = append(touched, p)
		}
	}
	if len(touched) == 0 || l.HasFiles(fsys, dir, touched) {
		return l, true
	}
	under := func(f string) bool {
		for _, p := range touched {
			if f == p || strings.HasPrefix(f, p+"/") {
				return true
			}
		}
		return false
	}
	next = &Listing{links: map[string]bool{}}
	for _, f := range l.files {
		if !under(f) {
			next.files = append(next.files, f)
			if l.links[f] {
				next.links[f] = true
			}
		}
	}
	var errs diag.List
	for _, p := range touched {
		if _, bad := unsafeRune(p); bad {
			return nil, false // the walk reports it
		}
		if IgnoredPath(strings.TrimPrefix(p, dir+"/")) || !realDirs(fsys, dir, path.Dir(p)) {
			continue // not listed by a walk, or gone with its folder
		}
		info, err := fs.Lstat(fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, false
		case info.IsDir():
			files, links := ListFilesAndLinks(fsys, p, &errs)
			next.files = append(next.files, files...)
			for f := range links {
				next.links[f] = true
			}
		case info.Mode()&fs.ModeSymlink != 0:
			if checkSymlink(fsys, p, &errs) {
				next.files = append(next.files, p)
				next.links[p] = true
			}
		case info.Mode().IsRegular():
			next.files = append(next.files, p)
		}
	}
	if len(errs) > 0 {
		return nil, false
	}
	slices.SortFunc(next.files, WalkOrder)
	next.files = slices.Compact(next.files)
	return next, true
}

// realDirs reports whether every folder from dir down to sub (dir or a
// folder inside it) is a folder, not a link to one: a walk does not
// follow linked folders, so it would not list what lies below one.
func realDirs(fsys fs.FS, dir, sub string) bool {
	for d := sub; d != dir; d = path.Dir(d) {
		info, err := fs.Lstat(fsys, d)
		if err != nil || !info.IsDir() {
			return false
		}
		if d == "." || d == "/" {
			return false
		}
	}
	return true
}

// WalkOrder orders slash paths as fs.WalkDir visits them: by their
// elements in turn, so that "a/b" comes before "a-c" (the folder "a" sorts
// before the file "a-c", and its files are visited before the next entry).
func WalkOrder(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] == b[i] {
			continue
		}
		switch {
		case a[i] == '/':
			return -1
		case b[i] == '/':
			return 1
		case a[i] < b[i]:
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}

// NewListing returns the listing of a walk's result: files in the order
// ListFilesAndLinks returns them, and which of them are symbolic links.
func NewListing(files []string, links map[string]bool) *Listing {
	return &Listing{files: files, links: links}
}

// Links names the listed files that are symbolic links.
func (l *Listing) Links() map[string]bool { return l.links }
