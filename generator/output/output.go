// Package output holds a built site as files, in memory or in a staging folder.
//
// An Output is the build's result: in memory (watch mode serves from it) or
// staged in a folder beside the destination (a one-shot build of a large
// site), each file with the hash the manifest will record. Writing it into
// the output folder is package outdir's job.
package output

import (
	"bufio"
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

// Output is a built site: file paths relative to the output root
// ("events/x/index.html") and their bytes. Nothing is in the output folder
// until Sync puts it there, so a failed build never touches public/.
//
// An Output keeps its files in memory (Files), as watch mode serves them,
// unless the build was given a staging folder (Options.Stage): then each
// file is written there as soon as it is made and only its hash is kept,
// so that a large site's build holds its parsed content in memory but not
// its output as well. Sync then renames staged files into place.
type Output struct {
	// Files holds the files kept in memory whole: pages, assets, the
	// sitemap. Use File or All to read any file, Pieces included.
	Files map[string][]byte
	// Pieces holds the files kept in memory as the pieces they were made
	// of, in order: the feeds, exports and search index, made entry by
	// entry. They are not joined because in watch mode most pieces are the
	// very slices of the build before (see eventEntries): at 10,000 events
	// joining the two data exports would copy 94 MB on every save, and
	// Sync and the dev server compare and send pieces as they are.
	Pieces map[string][][]byte
	// stage is the staging folder ("" when everything is in Files); this
	// Output writes in its subfolder sub (pages and other files are made
	// side by side and may clash, which mergePages reports); staged holds
	// each file written there.
	stage  string
	sub    string
	staged map[string]StagedFile
	// root is the staging folder, opened: every staged file is written
	// through it, so that a link planted in the folder while the build
	// runs cannot take a write outside. rootErr is why it could not be
	// opened, reported by the first write.
	root    *os.Root
	rootErr error
}

// StagedFile is a file of an Output written to the staging folder: made
// by StageFile on any goroutine, then recorded with AddStaged.
type StagedFile struct {
	At   string      // where it is in the staging folder, with slashes
	Sum  string      // its manifest hash
	Tree bool        // Sum was made of more than one piece (see TreeSum)
	Info os.FileInfo // for such a file, the file as written
}

// New returns an empty Output that keeps its files in memory when
// stage is "", and else writes them in the subfolder sub of stage.
func New(stage, sub string) *Output {
	o := &Output{Files: map[string][]byte{}, Pieces: map[string][][]byte{}, stage: stage, sub: sub, staged: map[string]StagedFile{}}
	if stage != "" {
		o.root, o.rootErr = os.OpenRoot(stage)
	}
	return o
}

// Paths returns the output's file paths in lexical order.
func (o *Output) Paths() []string {
	paths := make([]string, 0, len(o.Files)+len(o.Pieces)+len(o.staged))
	for p := range o.Files {
		paths = append(paths, p)
	}
	for p := range o.Pieces {
		paths = append(paths, p)
	}
	for p := range o.staged {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Has reports whether the output has a file at path p.
func (o *Output) Has(p string) bool {
	if _, ok := o.Files[p]; ok {
		return true
	}
	if _, ok := o.Pieces[p]; ok {
		return true
	}
	_, ok := o.staged[p]
	return ok
}

// File returns the bytes of the file at p kept in memory, joining its
// pieces if it has them; nil if there is none. It copies a pieced file:
// it is for tests and small files, not for the build's hot paths.
func (o *Output) File(p string) []byte {
	if b, ok := o.Files[p]; ok {
		return b
	}
	if pieces, ok := o.Pieces[p]; ok {
		return bytes.Join(pieces, nil)
	}
	return nil
}

// All returns every file kept in memory, pieced files joined.
func (o *Output) All() map[string][]byte {
	all := make(map[string][]byte, len(o.Files)+len(o.Pieces))
	maps.Copy(all, o.Files)
	for p := range o.Pieces {
		all[p] = o.File(p)
	}
	return all
}

// Put adds a file: into memory, or written into the staging folder. Not
// safe for concurrent use; StageFile is, for writing from many workers.
func (o *Output) Put(p string, b []byte) error {
	// One piece: a small buffer, which the piece bypasses, rather than
	// the megabyte a file of many pieces is written through (a build
	// puts dozens of files).
	fw := o.create(p, 16)
	fw.Write(b)
	return fw.Close()
}

// stagedPath is where this Output stages the file p, in the staging
// folder.
func (o *Output) stagedPath(p string) string { return o.sub + "/" + p }

// createStaged creates the file at, in the staging folder, and its folder.
func (o *Output) createStaged(at string) (*os.File, error) {
	if o.rootErr != nil {
		return nil, o.rootErr
	}
	if i := strings.LastIndexByte(at, '/'); i > 0 {
		if err := o.root.MkdirAll(at[:i], 0o755); err != nil {
			return nil, err
		}
	}
	return o.root.OpenFile(at, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}

// Writer takes a generated file in pieces, in order: the feeds,
// exports and search index, whose entries are encoded one by one. In
// memory the pieces are kept as they are (Output.Pieces); when staging
// they are written as they come, so that a file of a hundred megabytes is never
// held whole, nor its entries all at once (see eventEntries).
type Writer struct {
	o      *Output
	p      string
	chunks [][]byte // in memory
	at     string   // staged: the file on disk
	f      *os.File
	w      *bufio.Writer
	sum    *TreeSum // staged: the file's manifest hash, piece by piece
	err    error
}

// Create starts the file p; Close adds it to the Output.
func (o *Output) Create(p string) *Writer { return o.create(p, 1<<20) }

// create is Create with a write buffer of size bytes when staging.
func (o *Output) create(p string, size int) *Writer {
	fw := &Writer{o: o, p: p}
	if o.stage == "" {
		return fw
	}
	fw.at = o.stagedPath(p)
	fw.f, fw.err = o.createStaged(fw.at)
	if fw.err != nil {
		return fw
	}
	fw.sum = NewTreeSum()
	fw.w = bufio.NewWriterSize(fw.f, size)
	return fw
}

// Grow makes room for n more pieces in memory: a file of 10,000 entries
// would otherwise grow its list of pieces a dozen times.
func (fw *Writer) Grow(n int) {
	if fw.f == nil {
		fw.chunks = slices.Grow(fw.chunks, n)
	}
}

// Write adds pieces to the file. In memory it keeps them, so they must not
// change afterwards.
func (fw *Writer) Write(chunks ...[]byte) {
	if fw.err != nil {
		return
	}
	if fw.f == nil {
		fw.chunks = append(fw.chunks, chunks...)
		return
	}
	for _, c := range chunks {
		fw.sum.AddPiece(c)
		if _, err := fw.w.Write(c); err != nil {
			fw.err = err
			return
		}
	}
}

// Close finishes the file and adds it to the Output.
func (fw *Writer) Close() error {
	var fi os.FileInfo
	if fw.f != nil {
		fw.err = errors.Join(fw.err, fw.w.Flush())
		if fw.err == nil {
			fi, fw.err = fw.f.Stat()
		}
		fw.err = errors.Join(fw.err, fw.f.Close())
	}
	if fw.err != nil {
		return fmt.Errorf("staging %s: %w", fw.p, BareError(fw.err))
	}
	if fw.f == nil {
		switch len(fw.chunks) {
		case 0:
			fw.o.Files[fw.p] = []byte{}
		case 1:
			fw.o.Files[fw.p] = fw.chunks[0] // an asset, kept as read
		default:
			fw.o.Pieces[fw.p] = fw.chunks
		}
		return nil
	}
	sf := StagedFile{At: fw.at, Sum: fw.sum.Sum(), Tree: fw.sum.Pieces() > 1}
	if sf.Tree {
		sf.Info = fi
	}
	fw.o.staged[fw.p] = sf
	return nil
}

// Abort drops a file that could not be made whole.
func (fw *Writer) Abort() {
	if fw.f != nil {
		fw.f.Close()
		fw.o.root.Remove(fw.at)
	}
}

// StageFile writes b at p in the staging folder, for the caller to record
// with AddStaged. It is safe for concurrent use.
func (o *Output) StageFile(p string, b []byte) (StagedFile, error) {
	name := o.stagedPath(p)
	f, err := o.createStaged(name)
	if err == nil {
		_, err = f.Write(b)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		return StagedFile{}, fmt.Errorf("staging %s: %w", p, BareError(err))
	}
	return StagedFile{At: name, Sum: ContentHash(b)}, nil
}

// Discard removes the staging folder and everything in it: all of it was
// written by this build. Sync calls it once it has moved what it needs; a
// caller that does not sync (a failed build, a refused output folder)
// calls it itself. An Output in memory has nothing to discard.
func (o *Output) Discard() error {
	if o.stage == "" {
		return nil
	}
	if o.root != nil {
		o.root.Close()
	}
	return os.RemoveAll(o.stage)
}

// Staged reports whether the Output writes its files to a staging folder
// rather than keeping them in memory.
func (o *Output) Staged() bool { return o.stage != "" }

// AddStaged records a file StageFile wrote.
func (o *Output) AddStaged(p string, f StagedFile) { o.staged[p] = f }

// Len returns the number of files in the Output.
func (o *Output) Len() int { return len(o.Files) + len(o.Pieces) + len(o.staged) }

// EachPath calls f with every file path of the Output, in no order.
func (o *Output) EachPath(f func(p string)) {
	for p := range o.Files {
		f(p)
	}
	for p := range o.Pieces {
		f(p)
	}
	for p := range o.staged {
		f(p)
	}
}

// Remove drops the file at p.
func (o *Output) Remove(p string) {
	delete(o.Files, p)
	delete(o.Pieces, p)
	delete(o.staged, p)
}

// Merge moves the files of other, which has no path in common with o, into
// o. Pages and the other files are made side by side in two Outputs (see
// the build package); merging adds the smaller map to the larger rather
// than copy thousands of pages.
func (o *Output) Merge(other *Output) {
	o.Files = merged(o.Files, other.Files)
	o.Pieces = merged(o.Pieces, other.Pieces)
	o.staged = merged(o.staged, other.staged)
	if other.root != nil && other.root != o.root {
		other.root.Close()
		other.root = o.root
	}
}

// merged returns the union of two maps with no key in common, adding the
// smaller to the larger (which it may change).
func merged[V any](a, b map[string]V) map[string]V {
	if len(a) < len(b) {
		a, b = b, a
	}
	maps.Copy(a, b)
	return a
}

// FilePath returns the output file for a site path: "/events/x/" is
// "events/x/index.html".
func FilePath(sitePath string) string {
	p := strings.TrimPrefix(sitePath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// StagedAt returns where the staged file p is on disk, or "" when p is
// not staged.
func (o *Output) StagedAt(p string) string {
	if f, ok := o.staged[p]; ok {
		return filepath.Join(o.stage, filepath.FromSlash(f.At))
	}
	return ""
}

// StageDir returns the staging folder, "" when the Output is in memory.
func (o *Output) StageDir() string { return o.stage }

// StagedFiles returns the files written to the staging folder, by path.
// The map is the Output's own: callers read it, never change it.
func (o *Output) StagedFiles() map[string]StagedFile { return o.staged }

// BareError drops the path from an *fs.PathError's or *os.LinkError's
// text, since the messages that wrap it name the file already.
func BareError(errs ...error) error {
	for _, err := range errs {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case err == nil:
			continue
		case errors.As(err, &pe):
			return pe.Err
		case errors.As(err, &le):
			return le.Err
		}
		return err
	}
	return nil
}

// StageStat returns the staging folder's info, for a Syncer to check
// that the folder it moves files from is the one this Output wrote.
func (o *Output) StageStat() (os.FileInfo, error) {
	if o.rootErr != nil {
		return nil, o.rootErr
	}
	if o.root == nil {
		return nil, errors.New("the output is not staged")
	}
	return o.root.Stat(".")
}
