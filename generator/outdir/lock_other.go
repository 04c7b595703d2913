//go:build !(darwin || linux || openbsd || freebsd || netbsd || dragonfly)

package outdir

import "os"

// lockDir opens dir without locking it: this system has no flock for Go
// here, so two builds into one folder are not kept apart (see
// lock_unix.go).
func lockDir(dir string) (*os.File, error) { return os.Open(dir) }

// inode returns 1 for every file: Go gives no inode here, so a file's
// identity (see fileID) is its size and modification time alone.
func inode(os.FileInfo) uint64 { return 1 }

// dirWritable reports nil: a folder that cannot be written to is found
// by the commit's first rename into it, which is then rolled back.
func dirWritable(*os.Root, string) error { return nil }

// procLocks reports false: no /proc/locks here.
func procLocks() bool { return false }
