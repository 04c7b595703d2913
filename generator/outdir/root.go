package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// LockNoteName is the file in which the process holding an output
// folder's lock names itself, for a second one to report (see Lock).
const LockNoteName = ".sitegen-lock"

// Every write, rename and removal of a Syncer goes through an os.Root
// opened on the output folder: a symbolic link planted inside the folder,
// even while serve runs (events -> /elsewhere, or x.html -> /elsewhere/f),
// makes the operation fail rather than reach outside. Paths are never
// checked as strings for that.

// open opens the output folder as the Syncer's root, or again when the
// folder at dest is not the one opened (deleted and made again, replaced
// by a file). It makes the folder when create is set, and else returns an
// error satisfying fs.ErrNotExist when there is none.
func (s *Syncer) open(create bool) error {
	fi, err := os.Stat(s.dest)
	if err == nil && s.root != nil && os.SameFile(fi, s.rootInfo) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) && create {
		if err = os.MkdirAll(s.dest, 0o755); err == nil {
			fi, err = os.Stat(s.dest)
		}
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("--dest %s is a file, not a folder", s.dest)
	}
	if lfi, err := os.Lstat(s.dest); err == nil && s.rootInfo != nil && lfi.Mode()&fs.ModeSymlink != 0 && !s.destLink {
		return fmt.Errorf("--dest %s was a folder and is now a symbolic link; not following it", s.dest)
	} else if err == nil && s.rootInfo == nil {
		s.destLink = lfi.Mode()&fs.ModeSymlink != 0
	}
	root, err := os.OpenRoot(s.dest)
	if err != nil {
		return err
	}
	info, err := root.Stat(".")
	if err != nil {
		root.Close()
		return err
	}
	if lfi, err := s.lockedDir(); s.held && err == nil && !os.SameFile(lfi, info) {
		// The folder held for life was replaced: hold the new one.
		l, err := lockDir(s.dest)
		if err != nil {
			root.Close()
			return err
		}
		s.lock.Close()
		s.lock = l
	}
	if s.root != nil {
		s.root.Close()
	}
	s.root, s.rootInfo = root, info
	s.checked = false
	return nil
}

// lockedDir returns the folder the Syncer holds the lock on.
func (s *Syncer) lockedDir() (os.FileInfo, error) {
	if s.lock == nil {
		return nil, fs.ErrNotExist
	}
	return s.lock.Stat()
}

// Lock takes the output folder for this Syncer until Close, making the
// folder if it does not exist: a second Syncer, in this process or
// another, then fails to Lock or Sync with an error naming the process
// holding it. Taking the lock writes nothing in the folder; once the
// folder passed its check, the Syncer writes its pid and command in
// LockNoteName there for systems that cannot tell who holds a lock.
// Without Lock, each Sync takes the lock for its own duration.
func (s *Syncer) Lock() error {
	if s.lock != nil {
		return nil
	}
	if err := s.makeDest(); err != nil {
		return err
	}
	l, err := lockDir(s.dest)
	if err != nil {
		return err
	}
	s.lock, s.held = l, true
	return nil
}

// Close releases the folder's lock and the Syncer's hold on the folder.
func (s *Syncer) Close() error {
	if s.held && s.root != nil && s.checked {
		s.root.Remove(LockNoteName)
	}
	var err error
	if s.lock != nil {
		err = s.lock.Close()
		s.lock, s.held = nil, false
	}
	if s.root != nil {
		s.root.Close()
		s.root, s.rootInfo = nil, nil
	}
	s.checked = false
	return err
}

// lockFor takes the lock for one call when Lock was not called; the
// returned function releases it.
func (s *Syncer) lockFor() (func(), error) {
	if s.lock != nil {
		return func() {}, nil
	}
	if err := s.makeDest(); err != nil {
		return nil, err
	}
	l, err := lockDir(s.dest)
	if err != nil {
		return nil, err
	}
	s.lock = l
	return func() { l.Close(); s.lock = nil }, nil
}

// load reads the manifest and checks the folder for files it does not
// name, touching nothing: a folder holding a foreign file is refused as it
// is. Only then does it finish or clear what earlier runs left: a commit
// cut off by a crash is completed (see recoverStage), staging folders are
// removed. stage names the staging folder of the build being synced, which
// is kept.
func (s *Syncer) load(stage string) error {
	s.files = map[string]*syncRecord{}
	s.journal = 0
	if err := s.open(false); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if err := s.readManifest(); err != nil {
		return err
	}
	stages, err := s.stages()
	if err != nil {
		return fmt.Errorf("reading --dest %s: %w", s.dest, err)
	}
	if err := s.refuseForeign(stages); err != nil {
		return err
	}
	for _, st := range stages {
		if st.name == stage {
			continue
		}
		if err := s.recoverStage(st); err != nil {
			return err
		}
	}
	if s.held && !procLocks() {
		note := strconv.Itoa(os.Getpid()) + " (" + strings.Join(os.Args, " ") + ")\n"
		s.root.WriteFile(LockNoteName, []byte("pid "+note), 0o644)
	}
	// A file recorded as written but gone from disk is written again; so
	// is one where something else now stands (a folder, a link), which
	// the write then finds and refuses to replace, or a removal keeps.
	for p, r := range s.files {
		if fi, err := s.root.Lstat(p); err != nil {
			delete(s.files, p)
		} else if !fi.Mode().IsRegular() {
			*r = syncRecord{} // matches no output: written (and refused) or kept
		}
	}
	return nil
}

// stageDir is a staging folder found in the output folder: the name at
// its top and the journal of a commit it holds, if any.
type stageDir struct {
	name    string
	journal *journal
}

// stages lists the staging folders at the top of the output folder: those
// named with StagePrefix and holding the marker NewStage writes. A folder
// so named without the marker is not the generator's, and counts as a
// foreign file.
func (s *Syncer) stages() ([]stageDir, error) {
	entries, err := fs.ReadDir(s.root.FS(), ".")
	if err != nil {
		return nil, err
	}
	var out []stageDir
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), StagePrefix) {
			continue
		}
		if fi, err := s.root.Lstat(e.Name() + "/" + stageMarker); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		st := stageDir{name: e.Name()}
		if b, err := s.root.ReadFile(e.Name() + "/" + journalName); err == nil {
			st.journal = parseJournal(b)
		}
		out = append(out, st)
	}
	return out, nil
}

// refuseForeign walks the folder, following no link, and returns an error
// listing the files that neither the manifest nor a staging folder's
// journal names.
func (s *Syncer) refuseForeign(stages []stageDir) error {
	ours := map[string]bool{}
	for _, st := range stages {
		ours[st.name] = true
	}
	claimed := map[string]bool{}
	for _, st := range stages {
		if st.journal != nil {
			for _, l := range st.journal.lines {
				claimed[l.path] = true
			}
		}
	}
	var foreign []string
	err := fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if path.Dir(p) == "." && (ours[p] || p == ManifestName || p == LockNoteName) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if _, ok := s.files[p]; !ok && !claimed[p] {
			foreign = append(foreign, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading --dest %s: %w", s.dest, err)
	}
	if len(foreign) == 0 {
		return nil
	}
	sort.Strings(foreign)
	more := ""
	if len(foreign) > 5 {
		more = fmt.Sprintf(" and %d more", len(foreign)-5)
		foreign = foreign[:5]
	}
	for i, p := range foreign {
		if q := strconv.Quote(p); q[1:len(q)-1] != p || strings.ContainsAny(p, " ,") {
			foreign[i] = q // a name with a newline or a comma reads as itself
		}
	}
	return fmt.Errorf("refusing to write to %s: it holds files this generator did not write (%s%s); the generator deletes nothing it did not write, so choose an empty or new folder, or move those files away", s.dest, strings.Join(foreign, ", "), more)
}

// makeDest makes the output folder if it is not there, and refuses a
// file in its place with a message saying so rather than mkdir's.
func (s *Syncer) makeDest() error {
	if fi, err := os.Stat(s.dest); err == nil && !fi.IsDir() {
		return fmt.Errorf("--dest %s is a file, not a folder", s.dest)
	}
	return os.MkdirAll(s.dest, 0o755)
}
