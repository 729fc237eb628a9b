package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/crossbucket/crossbucket/internal/audit"
)

// runExplain prints the authorization decisions of one request.
func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", defaultDataDir, "data directory")
	// Accept the request id before or after the flags.
	var id string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	}
	if id == "" {
		fmt.Fprintln(stderr, "usage: crossbucket explain REQUEST-ID [--data-dir DIR]")
		return 2
	}
	recs, err := audit.Find(auditDir(*dataDir), id)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, audit.Explain(id, recs))
	if len(recs) == 0 {
		return 1
	}
	return 0
}

func auditDir(dataDir string) string { return filepath.Join(dataDir, "audit") }
