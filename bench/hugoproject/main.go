// Command hugoproject turns a synthetic project written by
// generator/internal/corpus into the same site for Hugo, so that make bench
// (bench/run.sh) builds identical content with both generators:
//
//	go run ./bench/hugoproject -from /dev/shm/corpus -to /dev/shm/corpus-hugo
//
// The Markdown bodies are copied unchanged. Only the front matter is adapted
// where Hugo reads it differently: a date written at year or month precision
// ("2011", "2011-09") becomes a full date, because Hugo rejects partial
// dates; `actor` becomes the `actors` taxonomy; `type` becomes the `kinds`
// taxonomy, because `type` selects a layout in Hugo. The templates and
// config come from bench/hugo; the default theme's assets
// (generator/theme/assets), with the project's own assets/ over them when it
// has any, become Hugo's static/.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	from := flag.String("from", "", "corpus project to read")
	to := flag.String("to", "", "Hugo project to write (must not exist)")
	tmpl := flag.String("hugo", "bench/hugo", "folder with hugo.toml and layouts/")
	themeAssets := flag.String("theme-assets", "generator/theme/assets", "the default theme's assets")
	flag.Parse()
	if *from == "" || *to == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/hugoproject -from CORPUS -to HUGODIR [-hugo bench/hugo]")
		os.Exit(2)
	}
	if err := convert(*from, *to, *tmpl, *themeAssets); err != nil {
		fmt.Fprintln(os.Stderr, "hugoproject:", err)
		os.Exit(1)
	}
}

func convert(from, to, tmpl, themeAssets string) error {
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s exists; remove it first", to)
	}
	if err := copyTree(tmpl, to, nil); err != nil {
		return err
	}
	if err := copyTree(themeAssets, filepath.Join(to, "static"), nil); err != nil {
		return err
	}
	// A project overrides the theme's assets file by file, when it has
	// any (the corpus copies the repository's assets/, which may not exist).
	if _, err := os.Stat(filepath.Join(from, "assets")); err == nil {
		if err := copyTree(filepath.Join(from, "assets"), filepath.Join(to, "static"), nil); err != nil {
			return err
		}
	}
	if err := copyTree(filepath.Join(from, "content"), filepath.Join(to, "content"), adapt); err != nil {
		return err
	}
	// The timeline is a list page of its own at /timeline/.
	if err := os.MkdirAll(filepath.Join(to, "content", "timeline"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(to, "content", "timeline", "_index.md"), []byte("---\ntitle: Timeline\n---\n"), 0o644)
}

// copyTree copies a folder, passing each file through edit when it is not
// nil; edit may also rename the file.
func copyTree(from, to string, edit func(rel string, b []byte) (string, []byte)) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(from, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			rel, b = edit(filepath.ToSlash(rel), b)
		}
		dst := filepath.Join(to, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

var (
	dateLine  = regexp.MustCompile(`^(date|end): *"?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"? *$`)
	actorLine = regexp.MustCompile(`^actor: *(.*)$`)
	typeLine  = regexp.MustCompile(`^type: *(.*)$`)
)

// adapt rewrites one content file's top-level front matter lines for Hugo
// and moves actor descriptions to the taxonomy's term pages.
func adapt(rel string, b []byte) (string, []byte) {
	if dir, name := filepath.Split(rel); dir == "actors/" && name != "_index.md" {
		rel = "actors/" + strings.TrimSuffix(name, ".md") + "/_index.md"
	}
	if !bytes.HasPrefix(b, []byte("---\n")) {
		return rel, b
	}
	end := bytes.Index(b[4:], []byte("\n---\n"))
	if end < 0 {
		return rel, b
	}
	fm, body := string(b[4:4+end+1]), b[4+end+1:]
	var out strings.Builder
	out.WriteString("---\n")
	for _, line := range strings.SplitAfter(fm, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case dateLine.MatchString(trimmed):
			m := dateLine.FindStringSubmatch(trimmed)
			month, day := m[3], m[4]
			if month == "" {
				month = "01"
			}
			if day == "" {
				day = "01"
			}
			fmt.Fprintf(&out, "%s: %s-%s-%s\n", m[1], m[2], month, day)
		case actorLine.MatchString(trimmed):
			v := actorLine.FindStringSubmatch(trimmed)[1]
			if !strings.HasPrefix(v, "[") {
				v = "[" + v + "]"
			}
			out.WriteString("actors: " + v + "\n")
		case typeLine.MatchString(trimmed):
			out.WriteString("kinds: [" + typeLine.FindStringSubmatch(trimmed)[1] + "]\n")
		default:
			out.WriteString(line)
		}
	}
	out.Write(body)
	return rel, []byte(out.String())
}
