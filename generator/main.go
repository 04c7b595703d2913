// Command generator builds the documentation-and-timeline site.
//
//	go run ./generator build   [--source DIR] [--dest DIR] [--base-url URL] [--drafts]
//	go run ./generator check   [--source DIR] [--base-url URL] [--drafts]
//	go run ./generator serve   [--source DIR] [--dest DIR] [--addr HOST:PORT] [--base-url URL] [--drafts]
//	go run ./generator new event "Title" [--source DIR]
//	go run ./generator version
//
// Exit codes: 0 success, 1 content, template or output errors, 2 usage errors.
// main only wires flags to the site package; all work happens in build.Build.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
