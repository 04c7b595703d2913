package outdir

// The -update flag (go test ./... -update) is registered by testtool, for
// every test package: this package has no golden files and ignores it.
import _ "github.com/unictimeline/sitegen/generator/internal/testtool"
