package generator

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/unictimeline/sitegen/generator/theme"
)

// cmdTheme lists the default theme's files, saying which the project
// overrides, or copies the files it names into the project to be edited
// there: the way to start an override from the theme's own file.
func cmdTheme(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("theme", "theme [--source DIR] [FILE...]\n\nWithout FILE, lists the built-in theme's files and which of them the project\noverrides. With FILEs (such as templates/partials/footer.html), copies them\ninto the project to edit; never over a file that exists.")
	source := flags.String("source", ".", "project root")
	if code, ok := parseFlags(flags, args, stdout, stderr); !ok {
		return code
	}
	files := themeFiles()
	if flags.NArg() == 0 {
		for _, f := range files {
			mark := ""
			if _, err := os.Stat(filepath.Join(*source, filepath.FromSlash(f))); err == nil {
				mark = "  (overridden by the project)"
			}
			fmt.Fprintf(stdout, "%s%s\n", f, mark)
		}
		return exitOK
	}
	var names []string
	for _, arg := range flags.Args() {
		name := path.Clean(filepath.ToSlash(arg))
		if !slices.Contains(files, name) {
			fmt.Fprintf(stderr, "error: the theme has no %s (%s theme lists its files)\n", arg, progName())
			return exitUsage
		}
		names = append(names, name)
	}
	for _, name := range names {
		b, err := fs.ReadFile(theme.FS(), name)
		if err != nil {
			fmt.Fprintln(stderr, "error:", err)
			return exitBuild
		}
		if code := writeNew(filepath.Join(*source, filepath.FromSlash(name)), name, string(b), stderr); code != exitOK {
			return code
		}
		fmt.Fprintf(stdout, "created %s, a copy of the theme's: edit it, or delete it to use the theme's again\n", name)
	}
	return exitOK
}

// themeFiles lists the theme's templates and assets, slash paths from
// the project root, in lexical order.
func themeFiles() []string {
	var out []string
	_ = fs.WalkDir(theme.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
