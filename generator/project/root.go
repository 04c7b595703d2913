package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// FS is a project folder opened so that nothing outside it can be read
// through it: every name is resolved by an os.Root, which follows a
// symbolic link only while the whole resolution stays inside the folder,
// however many links it takes (a link to a link at the project root, say,
// that points to /etc). Checking the link paths as strings cannot see
// such chains, and would be out of date by the time the file is read; the
// root refuses at the read itself. Build, check and serve all read the
// project through one FS made by Open.
//
// A name that resolves outside fails with an *fs.PathError whose Err is an
// *OutsideError (errors.Is(err, ErrOutside) holds), naming the link that
// leaves.
type FS struct {
	root *os.Root
	fsys fs.FS
}

// Open opens the project folder dir. The FS holds a handle on the folder
// until Close.
func Open(dir string) (*FS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &FS{root: r, fsys: r.FS()}, nil
}

// Close releases the handle on the project folder.
func (f *FS) Close() error { return f.root.Close() }

// ErrOutside is what an *OutsideError is: a name that resolves outside the
// project.
var ErrOutside = errors.New("symbolic link leads outside the project")

// OutsideError says which link leads out of the project, when it can be
// found (Link is empty when the folder changed under the read).
type OutsideError struct {
	Link   string // the link that leaves, from the project root
	Target string // what it points to, as written in the link
}

func (e *OutsideError) Error() string {
	if e.Link == "" {
		return ErrOutside.Error() + "; copy the file into the project instead"
	}
	return fmt.Sprintf("%s (through %s → %q); copy the file into the project instead", ErrOutside, e.Link, e.Target)
}

// Is makes errors.Is(err, ErrOutside) hold.
func (e *OutsideError) Is(target error) bool { return target == ErrOutside }

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	file, err := f.fsys.Open(name)
	return file, f.explain(name, err)
}

// ReadFile implements fs.ReadFileFS.
func (f *FS) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(f.fsys, name)
	return b, f.explain(name, err)
}

// ReadDir implements fs.ReadDirFS.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := fs.ReadDir(f.fsys, name)
	return d, f.explain(name, err)
}

// Stat implements fs.StatFS.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	info, err := fs.Stat(f.fsys, name)
	return info, f.explain(name, err)
}

// Lstat implements fs.ReadLinkFS.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	info, err := fs.Lstat(f.fsys, name)
	return info, f.explain(name, err)
}

// ReadLink implements fs.ReadLinkFS.
func (f *FS) ReadLink(name string) (string, error) {
	t, err := fs.ReadLink(f.fsys, name)
	return t, f.explain(name, err)
}

// escapes reports whether err is os.Root's refusal of a name that
// resolves outside it. The os package does not export that error, so it
// is known by its text; TestEscapeErrorKnown fails if the text changes.
func escapes(err error) bool {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err != nil && err.Error() == "path escapes from parent"
}

// explain turns os.Root's refusal into a PathError naming the link that
// leaves the project; other errors pass as they are.
func (f *FS) explain(name string, err error) error {
	if !escapes(err) {
		return err
	}
	op := "open"
	var pe *fs.PathError
	if errors.As(err, &pe) {
		op = pe.Op
	}
	link, target := f.escapeVia(name)
	return &fs.PathError{Op: op, Path: name, Err: &OutsideError{Link: link, Target: target}}
}

// maxHops bounds escapeVia on a loop (the root refuses a loop itself,
// with ELOOP, before explain is called; this is for a folder changing
// under the read).
const maxHops = 64

// escapeVia resolves name one element at a time, the way the root does,
// and returns the first link whose target leaves the project: for the
// message only, since the root has refused the read already.
func (f *FS) escapeVia(name string) (link, target string) {
	parts := strings.Split(name, "/")
	var done []string // resolved elements: real folders inside the root
	for hops := 0; len(parts) > 0 && hops < maxHops; {
		el := parts[0]
		parts = parts[1:]
		switch el {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		p := path.Join(append(done, el)...)
		info, err := f.root.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, el)
			continue
		}
		t, err := f.root.Readlink(p)
		if err != nil {
			return "", ""
		}
		hops++
		if joined := path.Join(path.Join(done...), t); path.IsAbs(t) || joined == ".." || strings.HasPrefix(joined, "../") {
			return p, t
		}
		parts = append(strings.Split(t, "/"), parts...)
	}
	return "", ""
}

// ReadFile reads the file name (slash-separated) of the project at dir
// under the same rule as FS: for a command that needs one file, not a build.
func ReadFile(dir, name string) ([]byte, error) {
	f, err := Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadFile(name)
}

// OpenFailed is the message for a project folder Open could not open: it
// cannot hold the site config either, which is what a build asks first.
func OpenFailed(dir string, err error) string {
	return fmt.Sprintf("missing site config: expected %s in the project folder %s, which cannot be opened: %s", ConfigFile, dir, UnwrapPathError(err))
}
