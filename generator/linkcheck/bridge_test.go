package linkcheck

// Hooks for this package's external tests (package linkcheck_test), which
// build whole sites with the build package: an internal test cannot import
// it, since it imports this package.
var (
	ScanPage    = scanPage
	ResolveOwn  = resolveOwn
	OwnFragment = ownFragment
	CheckOwn    = checkOwn
	CheckOne    = checkOne
)

// IDs returns the ids a scan found.
func IDs(sc Scan) map[string]bool { return sc.ids }

// Links returns the links a scan found.
func Links(sc Scan) []string { return sc.links }
