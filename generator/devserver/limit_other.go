//go:build !unix

package devserver

// fileLimit returns 0: the limit is not known here, and DefaultMaxConns
// falls back to its ceiling.
func fileLimit() uint64 { return 0 }
