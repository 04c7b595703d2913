// Command uncovered runs the mutants gremlins reports as NOT COVERED and
// never tries (see .ci/mutate and README, "Mutation testing").
//
// gremlins decides coverage from Go's coverage profile, and that profile has
// no block for the conditions of a switch's case clauses: a rule such as
// "a year has exactly four digits" (case len(s) == 4 && digits(s)) is run by
// every test and still reported as not covered, so its mutants were never
// tried. This command applies each such mutant as gremlins would (the same
// token replacements), in a copy of the module, runs the package's tests, and
// prints the outcome in gremlins' format:
//
//	go run ./.ci/uncovered -report .artifacts/mutate/content.json -pkg ./generator/content
//
// With -status it tries the mutants of other statuses instead: after
// tests were added, "-status LIVED,NOT COVERED" against the report of the
// run before them tries again every mutant that was not killed then. A
// mutant killed before is still killed as long as no test was removed, so
// that gives the score after the new tests in a fraction of a full run
// (README, "Mutation testing").
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// mutations is gremlins' table of token replacements (internal/engine/mappings.go, v0.6.0).
var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INCREMENT_DECREMENT":   {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},
}

type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

func main() {
	reportPath := flag.String("report", "", "gremlins' JSON report (-o) of one package")
	pkg := flag.String("pkg", "", "the package's folder, relative to the module root (./generator/content)")
	timeout := flag.Duration("timeout", 2*time.Minute, "the longest one test run may take")
	statuses := flag.String("status", "NOT COVERED", "the statuses of the mutants to try, separated by commas")
	flag.Parse()
	want := map[string]bool{}
	for _, st := range strings.Split(*statuses, ",") {
		want[strings.TrimSpace(st)] = true
	}
	if err := run(*reportPath, *pkg, *timeout, want); err != nil {
		fmt.Fprintln(os.Stderr, "uncovered:", err)
		os.Exit(1)
	}
}

func run(reportPath, pkg string, timeout time.Duration, want map[string]bool) error {
	b, err := os.ReadFile(reportPath)
	if err != nil {
		return err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", reportPath, err)
	}
	work, err := os.MkdirTemp("", "uncovered-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := copyModule(".", work); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, f := range rep.Files {
		path := filepath.Join(work, pkg, f.Name)
		orig, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range f.Mutations {
			if !want[m.Status] {
				continue
			}
			status := "NOT VIABLE"
			if mutated, ok := mutate(orig, m.Type, m.Line, m.Column); ok {
				if err := os.WriteFile(path, mutated, 0o644); err != nil {
					return err
				}
				status = test(work, pkg, timeout)
			}
			if err := os.WriteFile(path, orig, 0o644); err != nil {
				return err
			}
			counts[status]++
			fmt.Printf("%12s %s at %s:%d:%d\n", status, m.Type, f.Name, m.Line, m.Column)
		}
	}
	fmt.Printf("Rechecked: killed %d, lived %d, timed out %d, not viable %d\n",
		counts["KILLED"], counts["LIVED"], counts["TIMED OUT"], counts["NOT VIABLE"])
	return nil
}

// mutate returns src with the operator at line:col replaced as gremlins'
// mutant typ replaces it, or false if there is no such operator there.
func mutate(src []byte, typ string, line, col int) ([]byte, bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("x.go", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0)
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return nil, false
		}
		p := fset.Position(pos)
		if p.Line != line || p.Column != col {
			continue
		}
		to, ok := mutations[typ][tok]
		if !ok {
			return nil, false
		}
		off := p.Offset
		out := append([]byte{}, src[:off]...)
		out = append(out, to.String()...)
		return append(out, src[off+len(tok.String()):]...), true
	}
}

// test runs the package's tests in the module copy and names the outcome
// as gremlins does.
func test(work, pkg string, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-failfast", pkg)
	cmd.Dir = work
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return "TIMED OUT"
	case err == nil:
		return "LIVED"
	case strings.Contains(out.String(), "[build failed]") || strings.Contains(out.String(), "[setup failed]"):
		return "NOT VIABLE"
	case errors.As(err, &exit):
		return "KILLED"
	}
	return "NOT VIABLE"
}

// copyModule copies the module's source (not .git, node_modules or build
// output) into dst.
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			switch rel {
			case ".git", "node_modules", "public", ".artifacts", ".bench":
				return fs.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
}
