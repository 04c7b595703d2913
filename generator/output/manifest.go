package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// load reads the manifest and checks the folder for files it does not name.
// The staging folder of the build being synced, stage, is skipped; any
// other staging folder was left by a build that was killed, and is removed.
func (s *Syncer) load(stage string) error {
	s.files = map[string]*syncRecord{}
	s.journal = 0
	info, err := os.Stat(s.dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("--dest %s is a file, not a folder", s.dest)
	}
	if err := s.readManifest(); err != nil {
		return err
	}
	var foreign []string
	err = filepath.WalkDir(s.dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), StagePrefix) && filepath.Dir(p) == filepath.Clean(s.dest) {
				if stage == "" || !sameDir(p, stage) {
					if err := os.RemoveAll(p); err != nil {
						return err
					}
				}
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(s.dest, p)
		rel = filepath.ToSlash(rel)
		if rel == ManifestName {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".sitegen-") && strings.HasSuffix(d.Name(), ".tmp") {
			// A temporary file of ours left by a build that was killed.
			return os.Remove(p)
		}
		if _, ok := s.files[rel]; !ok {
			foreign = append(foreign, rel)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading --dest %s: %w", s.dest, err)
	}
	if len(foreign) > 0 {
		sort.Strings(foreign)
		more := ""
		if len(foreign) > 5 {
			more = fmt.Sprintf(" and %d more", len(foreign)-5)
			foreign = foreign[:5]
		}
		return fmt.Errorf("refusing to write to %s: it holds files this generator did not write (%s%s); the generator deletes nothing it did not write, so choose an empty or new folder, or move those files away", s.dest, strings.Join(foreign, ", "), more)
	}
	// A file recorded as written but changed by hand on disk is rewritten:
	// forget hashes of files that are missing.
	for p := range s.files {
		if _, err := os.Stat(filepath.Join(s.dest, filepath.FromSlash(p))); err != nil {
			delete(s.files, p)
		}
	}
	return nil
}

// removed is the manifest's hash of a file that was removed.
const removed = "-"

// manifestLine is one line of the manifest.
type manifestLine struct{ hash, path string }

// readManifest reads the manifest, if there is one, into s.files.
func (s *Syncer) readManifest() error {
	hashes, lines, err := readManifest(s.dest)
	if err != nil {
		return err
	}
	for p, h := range hashes {
		s.files[p] = &syncRecord{hash: h}
	}
	s.journal = lines - len(hashes)
	return nil
}

// ReadManifest returns what the manifest in the output folder dest says
// the generator wrote there: each file's path and hash. Two folders whose
// manifests say the same hold files written by the same Syncs' rules,
// whether the lines were appended over many Syncs or written at once.
func ReadManifest(dest string) (map[string]string, error) {
	hashes, _, err := readManifest(dest)
	return hashes, err
}

// readManifest reads the manifest in dest, if there is one, and counts
// its lines.
func readManifest(dest string) (hashes map[string]string, lines int, err error) {
	hashes = map[string]string{}
	b, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return hashes, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the manifest of %s: %w", dest, err)
	}
	for len(b) > 0 {
		line, rest, complete := bytes.Cut(b, []byte{'\n'})
		if !complete {
			break // cut off by a crash while it was appended
		}
		b = rest
		h, p, ok := strings.Cut(string(line), " ")
		if !ok || p == "" || strings.Contains("/"+p+"/", "/../") {
			continue
		}
		lines++
		if h == removed {
			delete(hashes, p)
			continue
		}
		hashes[p] = h
	}
	return hashes, lines, nil
}

// appendManifest appends lines to the manifest, or writes it whole (from
// s.files) when the lines appended since it last was would outnumber a
// third of its files.
func (s *Syncer) appendManifest(lines []manifestLine) error {
	if len(lines) == 0 {
		return nil
	}
	s.journal += len(lines)
	if s.journal > len(s.files)/3+64 {
		return s.writeManifest()
	}
	n := 0
	for _, l := range lines {
		n += len(l.hash) + len(l.path) + 2
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = appendManifestLine(b, l)
	}
	if err := os.MkdirAll(s.dest, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dest, ManifestName), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, bareError(err))
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, bareError(err))
	}
	return nil
}

// writeManifest writes the manifest whole, a line for each file in s.files
// in order of path, through a temporary file renamed into place.
func (s *Syncer) writeManifest() error {
	paths := slices.Sorted(maps.Keys(s.files))
	n := 0
	for _, p := range paths {
		n += len(s.files[p].hash) + len(p) + 2
	}
	b := make([]byte, 0, n)
	for _, p := range paths {
		b = appendManifestLine(b, manifestLine{s.files[p].hash, p})
	}
	s.journal = 0
	return writeFileAtomic(filepath.Join(s.dest, ManifestName), b)
}

func appendManifestLine(b []byte, l manifestLine) []byte {
	b = append(b, l.hash...)
	b = append(b, ' ')
	b = append(b, l.path...)
	return append(b, '\n')
}
