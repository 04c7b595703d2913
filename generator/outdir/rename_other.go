//go:build !(darwin || linux || openbsd || freebsd || netbsd || dragonfly)

package outdir

// dirHandles is empty here: every rename goes through Root.Rename (see
// rename_unix.go).
type dirHandles map[string]struct{}

func (s *Syncer) openDirs(*commit) dirHandles { return nil }

func (dirHandles) rename(string, string) (bool, error) { return false, nil }

func (dirHandles) close() {}
