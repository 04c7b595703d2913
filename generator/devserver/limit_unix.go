//go:build unix

package devserver

import "syscall"

// fileLimit returns the process's limit on open file descriptors, 0 when
// it cannot be read.
func fileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	return uint64(l.Cur)
}
