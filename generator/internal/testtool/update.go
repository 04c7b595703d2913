package testtool

import "flag"

// update is the -update flag of every test binary. It is registered here,
// in the package every test package imports, so that
// `go test ./... -update` is a flag each package's tests understand: a
// package with no golden files ignores it rather than failing with "flag
// provided but not defined". A flag is the one package-level variable
// here: the testing package parses flags into it before any test runs.
var update = flag.Bool("update", false, "rewrite the golden files (testdata) from what the code makes now; review them with git diff")

// Update reports whether the tests were run with -update: each test that
// compares output with a golden file then rewrites the file instead.
func Update() bool { return *update }
