// Package sameslice tells whether two slices are the very same memory.
//
// The build's reuse between runs rests on it: outputs, bodies and lists of
// paths are never written to after they are made, so the same slice means
// the same bytes or paths, found without reading them.
package sameslice

// Is reports whether a and b are the same non-empty slice: the same
// backing array and length. Different slices are treated as different even
// when equal, which only costs the caller a scan or a lookup.
func Is[T any](a, b []T) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}
