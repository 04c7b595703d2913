package generator

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/unictimeline/sitegen/generator/starter"
)

func cmdInit(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("init", "init DIR\n\nWrites a new project into DIR (made if needed): site.yaml, an event, an actor,\na documentation page, a GitHub Pages workflow and a .gitignore. It uses the\ntheme built into sitegen; it never overwrites a file.")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "init needs one folder: init DIR (use . for the current folder)")
		fs.Usage()
		return exitUsage
	}
	dir := fs.Arg(0)
	paths, err := starter.Write(dir, moduleVersion())
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return exitBuild
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, "created", filepath.Join(dir, filepath.FromSlash(p)))
	}
	prog := progName()
	cd := ""
	if filepath.Clean(dir) != "." {
		cd = fmt.Sprintf("  cd %s\n", dir)
	}
	fmt.Fprintf(stdout, `
Next steps:
%[2]s  %[1]s serve                  preview at http://127.0.0.1:8080/, rebuilt on every save
  %[1]s new event "Title"      add an event (then edit content/events/...)
  %[1]s check                  find every broken date, field and link
  %[1]s build                  write the site into public/

To publish on GitHub Pages: make a repository on GitHub, push this folder
to its main branch, and in Settings → Pages choose Source: GitHub Actions.
The workflow in .github/workflows/pages.yml builds and deploys every push.
Templates and CSS come from the built-in theme: "%[1]s theme" lists its
files, and "%[1]s theme templates/partials/footer.html" copies one into
the project, where your copy replaces the theme's.
`, prog, cd)
	return exitOK
}
