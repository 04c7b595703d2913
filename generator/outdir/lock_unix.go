//go:build darwin || linux || openbsd || freebsd || netbsd || dragonfly

package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockDir takes an exclusive lock on the folder dir itself (flock on a
// descriptor of the folder), so that taking it writes nothing there: a
// folder that is then refused is left as it was. The kernel drops the
// lock when the process ends, killed or not. It fails at once, naming the
// process holding it, rather than wait: a second build or serve into the
// same folder is a mistake to report, not to queue.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			break
		}
	}
	if err == nil {
		return f, nil
	}
	defer f.Close()
	if !errors.Is(err, unix.EWOULDBLOCK) {
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return nil, fmt.Errorf("%s is in use by %s; one build or serve at a time may write to an output folder: wait for it to finish or stop it", dir, lockHolder(f, dir))
}

// lockHolder names the process holding the lock on f: from /proc/locks
// where there is one (Linux), else from the note the holder left.
func lockHolder(f *os.File, dir string) string {
	if fi, err := f.Stat(); err == nil {
		if pid := flockOwner(inode(fi)); pid > 0 {
			cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
			cmd = bytes.TrimRight(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}), " ")
			return fmt.Sprintf("another process: pid %d (%s)", pid, cmd)
		}
	}
	if note, err := os.ReadFile(dir + string(os.PathSeparator) + LockNoteName); err == nil {
		return "another process: " + strings.TrimSpace(string(note))
	}
	return "another process"
}

// flockOwner returns the pid holding a flock on the inode ino, from
// /proc/locks; 0 when it cannot tell.
func flockOwner(ino uint64) int {
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		return 0
	}
	suffix := ":" + strconv.FormatUint(ino, 10)
	for _, line := range strings.Split(string(b), "\n") {
		// 1: FLOCK  ADVISORY  WRITE 3041 fd:01:1234 0 EOF
		f := strings.Fields(line)
		if len(f) >= 6 && f[1] == "FLOCK" && strings.HasSuffix(f[5], suffix) {
			if pid, err := strconv.Atoi(f[4]); err == nil {
				return pid
			}
		}
	}
	return 0
}

// procLocks reports whether the system lists its locks in /proc/locks,
// where lockHolder finds the holder without a note in the folder.
func procLocks() bool {
	_, err := os.Stat("/proc/locks")
	return err == nil
}

// inode returns a file's inode number, 0 when unknown.
func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

// dirWritable checks that the folder dir of root can take new entries,
// as a rename into it needs: for a folder made read-only, or one on a
// file system mounted read-only, before the first file is replaced.
func dirWritable(root *os.Root, dir string) error {
	f, err := root.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Faccessat(int(f.Fd()), ".", unix.W_OK|unix.X_OK, 0); err != nil {
		return fmt.Errorf("the folder %s cannot be written to: %w", dir, err)
	}
	return nil
}
