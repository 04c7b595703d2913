package generator

import (
	"runtime/debug"
	"strings"
)

// version says what sitegen was built from: the module version when it
// was installed from a tag (go install ...@v1.2.0), and the commit and its
// time when it was built from a clone (go build stamps them), with
// "+dirty" when the clone had uncommitted changes; then the Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown: built without module information)"
	}
	v := moduleVersion()
	if v == "" {
		v = "devel"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	// Go 1.24 and later put the revision in a pseudo-version already
	// (v0.0.0-20250101120000-abcdef123456); say it again only when not.
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + rev[:min(12, len(rev))]
		if at != "" {
			v += " " + at
		}
		if modified {
			v += "+dirty"
		}
	}
	return v + " " + bi.GoVersion
}

// moduleVersion is the main module's version, or "" when it has none
// ("(devel)": built inside its own clone without a VCS stamp).
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "(devel)" {
		return ""
	}
	return bi.Main.Version
}
