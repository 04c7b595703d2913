package linkcheck

// Hooks for this package's external tests (package linkcheck_test), which
// build whole sites with the build package: an internal test cannot import
// it, since it imports this package.
var (
	ScanPage    = func(b []byte) Scan { return scanPage(NewNames(), b) }
	ResolveOwn  = resolveOwn
	OwnFragment = ownFragment
	CheckOwn    = checkOwn
	CheckOne    = checkOne
)

// IDs returns the ids a scan found.
func IDs(sc Scan) map[string]bool {
	ids := map[string]bool{}
	t := texts(sc.ids())
	for i := range t.ends {
		ids[t.at(i)] = true
	}
	return ids
}

// PageIDs returns the ids of each page of scans, as a check reads them.
func PageIDs(scans map[string]Scan) func(page string) idSet {
	return func(page string) idSet { sc := scans[page]; return sc.ids() }
}

// Links returns the links a scan found.
func Links(sc Scan) []string {
	links := make([]string, sc.nLinks)
	for k := range sc.links() {
		links[k] = sc.link(k)
	}
	return links
}
