// Command sitegen builds a sourced timeline site from Markdown: events,
// actors and documentation pages, with feeds, a calendar and data exports.
//
//	go install github.com/unictimeline/sitegen/generator/cmd/sitegen@latest
//	sitegen init mysite && cd mysite && sitegen serve
//
// Run sitegen --help for its commands. The command line lives in package
// generator, so that its tests run it in-process; this is only its entry.
package main

import (
	"os"

	"github.com/unictimeline/sitegen/generator"
)

func main() {
	os.Exit(generator.Main(os.Args[1:], os.Stdout, os.Stderr))
}
