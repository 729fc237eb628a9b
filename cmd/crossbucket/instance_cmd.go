package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/crossbucket/crossbucket/internal/store"
)

// runInstance runs `crossbucket instance …`:
//
//	crossbucket instance endpoint INSTANCE-ID [--data-dir D]
//
// prints the URL of the instance's metadata endpoint, for
// AWS_EC2_METADATA_SERVICE_ENDPOINT.
func runInstance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: crossbucket instance endpoint INSTANCE-ID [--data-dir DIR]\n")
		return 2
	}
	switch args[0] {
	case "endpoint":
		return runInstanceEndpoint(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "crossbucket: unknown instance command %q\n", args[0])
		return 2
	}
}

func runInstanceEndpoint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("instance endpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", defaultDataDir, "data directory")
	// Flags may come before or after the instance id.
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, "usage: crossbucket instance endpoint INSTANCE-ID [--data-dir DIR]\n")
		return 2
	}
	id := pos[0]
	st, err := openMeta(ctx, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	defer st.Close()
	inst, err := st.GetInstance(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(stderr, "crossbucket: instance %s does not exist in %s\n", id, *dataDir)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	switch {
	case inst.State != store.InstanceRunning && inst.State != store.InstancePending:
		fmt.Fprintf(stderr, "crossbucket: instance %s is %s; it has no metadata endpoint\n", id, inst.State)
		return 1
	case inst.Metadata.HTTPEndpoint == "disabled":
		fmt.Fprintf(stderr, "crossbucket: instance %s was launched with its metadata endpoint disabled\n", id)
		return 1
	case inst.IMDSPort == 0:
		fmt.Fprintf(stderr, "crossbucket: instance %s has no metadata endpoint yet; is `crossbucket serve` running?\n", id)
		return 1
	}
	fmt.Fprintf(stdout, "http://%s\n", net.JoinHostPort("127.0.0.1", strconv.Itoa(inst.IMDSPort)))
	return 0
}
