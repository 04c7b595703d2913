// Package starter is the project `sitegen init` writes: a site.yaml, one
// event, one actor, one documentation page, a GitHub Pages workflow and a
// .gitignore for the output. It has no templates or assets: the site uses
// the default theme built into sitegen (package theme) until the project
// adds files of its own to override it.
//
// The starter builds, checks and serves as it is; a test holds it to that.
package starter

import (
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// files is read-only: embed.FS cannot be changed at run time. "all:"
// keeps .gitignore and .github/, which embed leaves out by default.
//
//go:embed all:files
var files embed.FS

// root is the starter's folder inside files.
const root = "files"

// versionMark is what the workflow holds where the version of sitegen it
// installs goes.
const versionMark = "SITEGEN_VERSION"

// tagRe matches a release version as the go command prints it, without a
// pseudo-version's date and revision.
var tagRe = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// FS returns the starter project's files, laid out from the project root.
func FS() fs.FS {
	// fs.Sub fails only on an invalid path, and root is a valid one.
	sub, _ := fs.Sub(files, root)
	return sub
}

// Paths lists the starter's files, slash-separated from the project root,
// in lexical order.
func Paths() []string {
	var out []string
	_ = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// siteIDMark is what site.yaml holds where the project's siteID goes.
const siteIDMark = "SITEGEN_SITE_ID"

// Files returns the starter's files by slash path from the project root,
// filled in: the workflow installs sitegen at version when it is a release
// (v1.2.3), else the latest; site.yaml's siteID is siteID (see NewSiteID).
func Files(version, siteID string) (map[string][]byte, error) {
	if !tagRe.MatchString(version) {
		version = "latest"
	}
	out := map[string][]byte{}
	for _, p := range Paths() {
		b, err := fs.ReadFile(FS(), p)
		if err != nil {
			return nil, err
		}
		switch path.Base(p) {
		case "pages.yml":
			b = []byte(strings.ReplaceAll(string(b), versionMark, version))
		case "site.yaml":
			b = []byte(strings.ReplaceAll(string(b), siteIDMark, siteID))
		}
		out[p] = b
	}
	return out, nil
}

// NewSiteID returns a random UUID (version 4, RFC 9562) for a new
// project's siteID.
func NewSiteID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// Write writes the starter project into dir, making dir if needed, with a
// new random siteID, and returns the paths it wrote. version is the running
// sitegen's version (see Files). Write never overwrites: when any of its
// files exists already it writes nothing and says which.
func Write(dir, version string) ([]string, error) {
	paths := Paths()
	var clash []string
	for _, p := range paths {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
			clash = append(clash, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(clash) > 0 {
		return nil, fmt.Errorf("%s already holds %s; init never overwrites a file (choose a new folder, or move those files away)", dir, strings.Join(clash, ", "))
	}
	id, err := NewSiteID()
	if err != nil {
		return nil, err
	}
	files, err := Files(version, id)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		// O_EXCL: a file made since the check above is not overwritten.
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, err
		}
		_, err = f.Write(files[p])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}
