//go:build darwin || linux || openbsd || freebsd || netbsd || dragonfly

package outdir

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/unictimeline/sitegen/generator/parallel"
)

// dirHandles holds the folders of a commit's renames, opened through the
// output folder's root before the renames start, so that each rename in
// the window is one renameat between two open folders rather than a walk
// of both paths: at 10,000 pages that is the difference between a window
// of a second and one of a few dozen milliseconds. A folder opened
// through the root is inside it, and renameat follows no link in the
// names it is given. Folders past the cap (the descriptors the process
// may open, less 2,048 for the rest of it) are left to Root.Rename.
type dirHandles map[string]*os.File

// openDirs opens the folders of the commit's renames, up to the cap.
func (s *Syncer) openDirs(c *commit) dirHandles {
	var lim syscall.Rlimit
	capacity := 256
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur > 4096 {
		capacity = int(min(lim.Cur-2048, 1<<17))
	}
	seen := map[string]bool{}
	var dirs []string
	for _, op := range c.j.ops {
		for _, p := range []string{op.src, op.backup, op.dst} {
			if d := parentDir(p); p != "" && !seen[d] && len(dirs) < capacity {
				seen[d] = true
				dirs = append(dirs, d)
			}
		}
	}
	files := make([]*os.File, len(dirs))
	parallel.For(len(dirs), func(k int) {
		if f, err := s.root.Open(dirs[k]); err == nil {
			if fi, err := f.Stat(); err == nil && fi.IsDir() {
				files[k] = f
			} else {
				f.Close()
			}
		}
	})
	h := make(dirHandles, len(dirs))
	for k, f := range files {
		if f != nil {
			h[dirs[k]] = f
		}
	}
	return h
}

// rename renames from to to, both relative to the output folder, through
// the open folders when it has both; ok is false when it has not.
func (h dirHandles) rename(from, to string) (ok bool, err error) {
	a, b := h[parentDir(from)], h[parentDir(to)]
	if a == nil || b == nil {
		return false, nil
	}
	return true, unix.Renameat(int(a.Fd()), baseName(from), int(b.Fd()), baseName(to))
}

// close closes the folders.
func (h dirHandles) close() {
	for _, f := range h {
		f.Close()
	}
}
