package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/output"
)

// The manifest has a line "state path" for each file the generator wrote
// in the output folder, sorted by path when written whole. A Sync appends
// a line for each file it wrote or removed ("- path") once its commit is
// done, and "pending+inode path" before it updates a file in place (see
// Syncer.InPlace): a later line for a path replaces the earlier ones. On a
// save in watch mode that is a few dozen short lines instead of a 700 KB
// file written twice. A line cut off by a crash has no newline and is
// ignored.
//
// A line is trusted only as a claim: before the generator removes or
// replaces a file the manifest names, it checks that the file on disk is
// the one the line describes (see Syncer.owned). And the format cannot be
// injected into: a path is written only if validPath accepts it (no
// control character, so no newline), and every line read must parse in
// full and name a valid path, or it is ignored, which makes the file it
// names foreign, never deletable.
//
// A state is the file's hash: the xxHash64 of its bytes, or for a file
// made of pieces the hash of its pieces' hashes (see treeSum), which the
// bytes on disk alone cannot give again; such a line adds the identity the
// file had when written (inode, size and modification time in
// nanoseconds), "hash+inode.size.mtime", which any write to the file
// changes and which no injected or hand-made line can guess.

// removed is the manifest's state of a file that was removed.
const removed = "-"

// pending is the hash of a file being updated in place: its bytes are
// unknown, but its inode is the one the line names.
const pending = "pending"

// fileID is a file's identity on disk: enough to tell that a file is the
// very one the generator wrote, unchanged. The zero fileID is no identity.
type fileID struct {
	ino   uint64
	size  int64 // -1: any (a pending file)
	mtime int64 // nanoseconds
}

// idOf returns the identity of a file.
func idOf(fi os.FileInfo) fileID {
	return fileID{ino: inode(fi), size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}

// matches reports whether a file whose identity is now still is id.
func (id fileID) matches(now fileID) bool {
	if id.ino == 0 || id.ino != now.ino {
		return false
	}
	return id.size == -1 || id.size == now.size && id.mtime == now.mtime
}

// manifestLine is one line of the manifest.
type manifestLine struct {
	hash string // a hash, pending or removed
	id   fileID // for a pieced or pending file
	path string
}

// appendLine appends the line l to b.
func appendLine(b []byte, l manifestLine) []byte {
	b = append(b, l.hash...)
	if l.id.ino != 0 {
		b = append(b, '+')
		b = strconv.AppendUint(b, l.id.ino, 10)
		if l.id.size >= 0 {
			b = append(b, '.')
			b = strconv.AppendInt(b, l.id.size, 10)
			b = append(b, '.')
			b = strconv.AppendInt(b, l.id.mtime, 10)
		}
	}
	b = append(b, ' ')
	b = append(b, l.path...)
	return append(b, '\n')
}

// parseLine parses one line of the manifest (without its newline); ok is
// false for anything appendLine would not have written.
func parseLine(line string) (l manifestLine, ok bool) {
	state, p, found := strings.Cut(line, " ")
	if !found || validPath(p) != nil {
		return l, false
	}
	l.path = p
	hash, id, hasID := strings.Cut(state, "+")
	l.hash = hash
	switch {
	case hash == removed || hash == pending:
	case len(hash) == 0 || len(hash) > 16 || strings.Trim(hash, "0123456789abcdef") != "":
		return l, false
	}
	if hash == removed && hasID {
		return l, false
	}
	if !hasID {
		return l, hash != pending
	}
	return l, parseID(id, hash == pending, &l.id)
}

// parseID parses "inode" (a pending file's) or "inode.size.mtime".
func parseID(s string, inodeOnly bool, id *fileID) bool {
	parts := strings.Split(s, ".")
	if inodeOnly != (len(parts) == 1) || !inodeOnly && len(parts) != 3 {
		return false
	}
	var err error
	if id.ino, err = strconv.ParseUint(parts[0], 10, 64); err != nil || id.ino == 0 {
		return false
	}
	if inodeOnly {
		id.size = -1
		return true
	}
	id.size, err = strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id.size < 0 {
		return false
	}
	id.mtime, err = strconv.ParseInt(parts[2], 10, 64)
	return err == nil
}

// reservedPrefix starts the names the generator keeps for itself at the
// top of the output folder: the manifest, the lock's note, staging
// folders. No output file may take one.
const reservedPrefix = ".sitegen-"

// validPath checks an output path before it is written in the manifest
// or used to name a file: a clean relative path (no "..", no leading
// "/", no empty or "." element), valid UTF-8 without control characters
// (so no newline can start a line of its own) or backslashes, and not one
// of the names the generator keeps for itself.
func validPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("output path %q is not a clean relative path", p)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("output path %q is not valid UTF-8", p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\\' {
			return fmt.Errorf("output path %q holds a control character or a backslash", p)
		}
	}
	if strings.HasPrefix(p, reservedPrefix) {
		return fmt.Errorf("output path %q starts with %s, which the generator keeps for its own files", p, reservedPrefix)
	}
	return nil
}

// parseManifest reads a manifest's lines into records; lines counts the
// lines read, bad those ignored because they did not parse.
func parseManifest(b []byte) (recs map[string]*syncRecord, lines, bad int) {
	recs = map[string]*syncRecord{}
	for len(b) > 0 {
		line, rest, complete := bytes.Cut(b, []byte{'\n'})
		if !complete {
			break // cut off by a crash while it was appended
		}
		b = rest
		l, ok := parseLine(string(line))
		if !ok {
			bad++
			continue
		}
		lines++
		if l.hash == removed {
			delete(recs, l.path)
			continue
		}
		recs[l.path] = &syncRecord{hash: l.hash, id: l.id, tree: l.id.ino != 0 && l.hash != pending}
	}
	return recs, lines, bad
}

// readManifest reads the manifest, if there is one, into s.files.
func (s *Syncer) readManifest() error {
	b, err := s.root.ReadFile(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		s.files = map[string]*syncRecord{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the manifest of %s: %w", s.dest, err)
	}
	recs, lines, _ := parseManifest(b)
	s.files = recs
	s.journal = lines - len(recs)
	return nil
}

// ReadManifest returns what the manifest in the output folder dest says
// the generator wrote there: each file's path and hash. Two folders whose
// manifests say the same hold files written by the same Syncs' rules,
// whether the lines were appended over many Syncs or written at once.
func ReadManifest(dest string) (map[string]string, error) {
	b, err := os.ReadFile(dest + string(os.PathSeparator) + ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the manifest of %s: %w", dest, err)
	}
	recs, _, _ := parseManifest(b)
	hashes := make(map[string]string, len(recs))
	for p, r := range recs {
		hashes[p] = r.hash
	}
	return hashes, nil
}

// appendManifest appends lines to the manifest, or writes it whole (from
// s.files) when the lines appended since it last was would outnumber a
// third of its files. stage is the staging folder the whole manifest is
// written in before it is renamed into place.
func (s *Syncer) appendManifest(lines []manifestLine, stage string) error {
	if len(lines) == 0 {
		return nil
	}
	s.journal += len(lines)
	if s.journal > len(s.files)/3+64 {
		return s.writeManifest(stage)
	}
	n := 0
	for _, l := range lines {
		n += len(l.hash) + len(l.path) + 48
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = appendLine(b, l)
	}
	f, err := s.root.OpenFile(ManifestName, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, output.BareError(err))
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, output.BareError(err))
	}
	return nil
}

// writeManifest writes the manifest whole, a line for each file in s.files
// in order of path, in stage and then renamed into place.
func (s *Syncer) writeManifest(stage string) error {
	paths := slices.Sorted(maps.Keys(s.files))
	b := make([]byte, 0, len(paths)*64)
	for _, p := range paths {
		r := s.files[p]
		b = appendLine(b, manifestLine{hash: r.hash, id: r.manifestID(), path: p})
	}
	s.journal = 0
	tmp := stage + "/manifest"
	err := s.root.WriteFile(tmp, b, 0o644)
	if err == nil {
		err = s.root.Rename(tmp, ManifestName)
	}
	if err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.dest, output.BareError(err))
	}
	return nil
}

// idOfInfo is idOf for a staged file's info, which an Output keeps only
// for files made of several pieces; the zero identity for the others.
func idOfInfo(fi os.FileInfo) fileID {
	if fi == nil {
		return fileID{}
	}
	return idOf(fi)
}
