// Command crossbucket is S3 + IAM + STS for many AWS accounts in one binary.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `crossbucket — S3, IAM and STS for many AWS accounts, with AWS's authorization

Usage:
  crossbucket serve   [--data-dir DIR] [--listen ADDR] [--domain HOST]...
  crossbucket account create [--data-dir DIR] [--id ID] [--alias NAME] [--access-key-id ID --secret-access-key S]
  crossbucket account list   [--data-dir DIR] [--json]
  crossbucket policy validate FILE [--type identity|resource|trust]
  crossbucket explain REQUEST-ID [--data-dir DIR]
  crossbucket instance endpoint INSTANCE-ID [--data-dir DIR]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "account":
		return runAccount(ctx, args[1:], stdout, stderr)
	case "policy":
		return runPolicy(args[1:], stdin, stdout, stderr)
	case "instance":
		return runInstance(ctx, args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "crossbucket: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
