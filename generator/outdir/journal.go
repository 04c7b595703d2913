package outdir

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/unictimeline/sitegen/generator/output"
)

// A Sync switches the folder from the old site to the new one in a
// commit (see commit.go): every new file is first made whole in a staging
// folder, every target is checked, and only then does a run of renames
// put the new files in place. Before the first rename the commit is
// written whole in the staging folder's journal, so that the run after a
// crash finishes it (recoverStage) before it does anything else. A
// staging folder without a journal was cut off before its commit, when
// nothing in the site had changed yet: it is removed.

// journalName is the commit's journal inside a staging folder.
const journalName = "journal"

// stageMarker is the file NewStage (and a Sync's own staging folder)
// writes at the top of a staging folder, to tell it from a folder of the
// same name that the generator did not make.
const stageMarker = ".sitegen-stage"

// StageMarker is stageMarker, for tests that plant a staging folder as a
// killed build leaves it.
const StageMarker = stageMarker

// Operations of a commit.
const (
	opWrite  = "w" // rename src over dst, keeping the old dst as backup
	opDir    = "d" // rename the folder src to dst, where nothing is
	opRemove = "r" // rename dst to backup: a removal undone by renaming back
)

// txOp is one rename of a commit. Paths are relative to the output
// folder; src and backup lie in the staging folder.
type txOp struct {
	kind        string
	src, backup string
	dst         string
}

// journal is a commit: its renames, in order, and the manifest lines to
// append once they are done.
type journal struct {
	ops   []txOp
	lines []manifestLine
}

// encode writes j as lines of tab-separated fields, every path quoted
// (strconv.Quote), so that no name can break a line or a field.
func (j *journal) encode() []byte {
	var b []byte
	for _, op := range j.ops {
		b = append(b, op.kind...)
		for _, p := range []string{op.src, op.backup, op.dst} {
			b = append(b, '\t')
			b = strconv.AppendQuote(b, p)
		}
		b = append(b, '\n')
	}
	for _, l := range j.lines {
		b = append(b, "m\t"...)
		b = appendLine(b, manifestLine{hash: l.hash, id: l.id, path: strconv.Quote(l.path)})
	}
	return append(b, "end\n"...)
}

// parseJournal reads a journal; nil when it is not one encode wrote
// whole. Its paths are checked as the manifest's are.
func parseJournal(b []byte) *journal {
	if !bytes.HasSuffix(b, []byte("\nend\n")) && string(b) != "end\n" {
		return nil
	}
	j := &journal{}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "end\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case len(f) == 2 && f[0] == "m":
			state, q, _ := strings.Cut(f[1], " ")
			p, err := strconv.Unquote(q)
			if err != nil {
				return nil
			}
			l, ok := parseLine(state + " " + p)
			if !ok {
				return nil
			}
			j.lines = append(j.lines, l)
		case len(f) == 4 && (f[0] == opWrite || f[0] == opDir || f[0] == opRemove):
			op := txOp{kind: f[0]}
			for i, dst := range []*string{&op.src, &op.backup, &op.dst} {
				p, err := strconv.Unquote(f[i+1])
				if err != nil || p != "" && !fs.ValidPath(p) {
					return nil
				}
				*dst = p
			}
			j.ops = append(j.ops, op)
		default:
			return nil
		}
	}
	return j
}

// recoverStage finishes the commit a staging folder's journal records, if
// any, then removes the folder. Finishing is rolling forward: each
// rename not yet done is done, provided its target is still the file the
// manifest names (or none) and a removal's is too; a target that is
// anything else is left alone. Then the journal's manifest lines are
// appended for the files now on disk that they describe.
func (s *Syncer) recoverStage(st stageDir) error {
	if j := st.journal; j != nil {
		for _, op := range j.ops {
			if inStage(op.src, st.name) && inStage(op.backup, st.name) && validPath(op.dst) == nil {
				s.redo(op)
			}
		}
		var lines []manifestLine
		for _, l := range j.lines {
			if l.hash == removed {
				continue
			}
			r := &syncRecord{hash: l.hash, id: l.id, tree: l.id.ino != 0}
			if own, absent := s.owned(l.path, r); own && !absent {
				s.files[l.path] = r
				lines = append(lines, l)
			}
		}
		for _, op := range j.ops {
			if op.kind == opRemove {
				if _, err := s.root.Lstat(op.dst); errors.Is(err, fs.ErrNotExist) {
					delete(s.files, op.dst)
					lines = append(lines, manifestLine{hash: removed, path: op.dst})
				}
			}
		}
		if err := s.appendManifest(lines, st.name); err != nil {
			return err
		}
	}
	return s.removeStage(st.name)
}

// redo does one rename of a commit cut off by a crash, unless it was done
// or its target is not the generator's.
func (s *Syncer) redo(op txOp) {
	switch op.kind {
	case opWrite, opDir:
		if _, err := s.root.Lstat(op.src); err != nil {
			return // done
		}
		if op.kind == opDir {
			if _, err := s.root.Lstat(op.dst); errors.Is(err, fs.ErrNotExist) {
				s.root.Rename(op.src, op.dst)
			}
			return
		}
		if own, _ := s.owned(op.dst, s.files[op.dst]); own {
			s.root.MkdirAll(parentDir(op.dst), 0o755)
			s.root.Rename(op.src, op.dst)
		}
	case opRemove:
		if own, absent := s.owned(op.dst, s.files[op.dst]); own && !absent {
			s.root.Rename(op.dst, op.backup)
		}
	}
}

// owned reports whether the file at p is the one rec describes, so that
// the generator may replace or remove it; absent is set when there is no
// file at p (which is then owned: nothing is lost). A file is the one rec
// describes when its identity is the one recorded (unchanged since the
// generator wrote or checked it), or, for a file recorded by the hash of
// its bytes, when its bytes hash to it. Anything but a regular file is
// never owned: not a symbolic link, not a folder.
func (s *Syncer) owned(p string, rec *syncRecord) (own, absent bool) {
	fi, err := s.root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return true, true
	}
	if err != nil || rec == nil || !fi.Mode().IsRegular() {
		return false, false
	}
	if rec.id.matches(idOf(fi)) {
		return true, false
	}
	if rec.tree || rec.hash == pending || rec.hash == "" {
		return false, false
	}
	f, err := s.root.Open(p)
	if err != nil {
		return false, false
	}
	defer f.Close()
	h := xxhash.New()
	if _, err := io.Copy(h, f); err != nil || output.HashString(h.Sum64()) != rec.hash {
		return false, false
	}
	rec.id = idOf(fi)
	return true, false
}

// inStage reports whether p is "" or lies in the staging folder stage:
// a journal may move files out of its own staging folder only.
func inStage(p, stage string) bool {
	return p == "" || strings.HasPrefix(p, stage+"/") && !strings.Contains(p, "/../")
}

// baseName is the last element of an output path.
func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// parentDir is the folder of an output path, "." at the top.
func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

// writeJournal writes j in the staging folder stage. A journal cut off
// by a crash lacks its last line ("end") and is ignored: it was cut off
// before the first rename.
func (s *Syncer) writeJournal(stage string, j *journal) error {
	return s.root.WriteFile(stage+"/"+journalName, j.encode(), 0o644)
}

// removeEmptyParents removes the folder dir and its parents up to the
// output folder while they are empty: os.Remove refuses a folder that is
// not, so nothing but empty folders that held our files can go.
func (s *Syncer) removeEmptyParents(dir string) {
	for dir != "." {
		if err := s.root.Remove(dir); err != nil {
			return
		}
		dir = parentDir(dir)
	}
}
