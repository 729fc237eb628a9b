package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"regexp"
	"strings"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/audit"
	"github.com/crossbucket/crossbucket/internal/blob/fsblob"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/server"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", defaultDataDir, "data directory (metadata database and object files)")
	listen := fs.String("listen", "127.0.0.1:9000", "address to listen on")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	fsync := fs.Bool("fsync", true, "fsync object bytes and metadata before acknowledging writes; false survives process crashes but not power loss (faster, for CI)")
	var domains, endpoints multiFlag
	fs.Var(&domains, "domain", "base host for virtual-hosted-style requests (repeatable; default localhost)")
	fs.Var(&endpoints, "vpc-endpoint", "vpce-ID=ADDR[,vpc=vpc-ID][,policy=FILE]: a listener standing for a VPC endpoint (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "crossbucket: bad --log-level: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	var metaOpts []sqlstore.Option
	var blobOpts []fsblob.Option
	if !*fsync {
		metaOpts, blobOpts = append(metaOpts, sqlstore.WithRelaxedSync()), append(blobOpts, fsblob.NoSync())
	}
	st, err := openMeta(ctx, *dataDir, metaOpts...)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	defer st.Close()
	blobs, err := openBlobs(*dataDir, blobOpts...)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}

	var eps []vpcEndpointFlag
	for _, v := range endpoints {
		ep, err := parseVPCEndpoint(v)
		if err != nil {
			fmt.Fprintf(stderr, "crossbucket: --vpc-endpoint %q: %v\n", v, err)
			return 2
		}
		eps = append(eps, ep)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: listen: %v\n", err)
		return 1
	}
	endpoint := "http://" + ln.Addr().String()

	existing, err := st.ListAccounts(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	if len(existing) == 0 {
		// First start: make the first account and show its root keys, once.
		c, err := accounts.Create(ctx, st, accounts.Spec{})
		if err != nil {
			fmt.Fprintf(stderr, "crossbucket: create first account: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Created the first account %s with root access keys (shown only this once).\n", c.AccountID)
		fmt.Fprintf(stdout, "Point the aws CLI at it:\n\n")
		fmt.Fprintf(stdout, "  export AWS_ENDPOINT_URL=%s\n", endpoint)
		fmt.Fprintf(stdout, "  export AWS_ACCESS_KEY_ID=%s\n", c.AccessKeyID)
		fmt.Fprintf(stdout, "  export AWS_SECRET_ACCESS_KEY=%s\n", c.SecretAccessKey)
		fmt.Fprintf(stdout, "  export AWS_DEFAULT_REGION=us-east-1\n\n")
	} else {
		fmt.Fprintf(stdout, "%d account(s) in %s; `crossbucket account list` shows them.\n", len(existing), *dataDir)
	}
	fmt.Fprintf(stdout, "crossbucket listening on %s\n", endpoint)

	auditLog, err := audit.Open(auditDir(*dataDir), log)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: audit log: %v\n", err)
		return 1
	}
	defer auditLog.Close()

	ring, err := sessiontoken.Load(*dataDir, sessiontoken.Options{Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: session key ring: %v\n", err)
		return 1
	}

	srv := server.New(server.Config{Store: st, Blobs: blobs, Ring: ring, Logger: log, Domains: domains, Audit: auditLog})
	if err := srv.StartMetadata(ctx); err != nil {
		fmt.Fprintf(stderr, "crossbucket: instance metadata: %v\n", err)
	}
	defer srv.Close()
	errc := make(chan error, len(eps))
	for _, ep := range eps {
		eln, err := net.Listen("tcp", ep.addr)
		if err != nil {
			fmt.Fprintf(stderr, "crossbucket: VPC endpoint %s: %v\n", ep.ID, err)
			return 1
		}
		fmt.Fprintf(stdout, "VPC endpoint %s listening on http://%s\n", ep.ID, eln.Addr())
		go func() { errc <- srv.ServeEndpoint(ctx, eln, ep.VPCEndpoint) }()
	}
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	for range eps {
		if err := <-errc; err != nil {
			fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		}
	}
	return 0
}

type vpcEndpointFlag struct {
	server.VPCEndpoint
	addr string
}

var (
	vpceRE = regexp.MustCompile(`^vpce-[0-9a-z]{1,17}$`)
	vpcRE  = regexp.MustCompile(`^vpc-[0-9a-z]{1,17}$`)
)

// parseVPCEndpoint reads vpce-ID=ADDR[,vpc=vpc-ID][,policy=FILE].
func parseVPCEndpoint(v string) (vpcEndpointFlag, error) {
	var ep vpcEndpointFlag
	parts := strings.Split(v, ",")
	id, addr, ok := strings.Cut(parts[0], "=")
	if !ok || !vpceRE.MatchString(id) || addr == "" {
		return ep, fmt.Errorf("want vpce-ID=HOST:PORT")
	}
	ep.ID, ep.addr = id, addr
	for _, opt := range parts[1:] {
		k, val, _ := strings.Cut(opt, "=")
		switch k {
		case "vpc":
			if !vpcRE.MatchString(val) {
				return ep, fmt.Errorf("bad vpc id %q", val)
			}
			ep.VPC = val
		case "policy":
			doc, err := os.ReadFile(val)
			if err != nil {
				return ep, err
			}
			if err := policy.Validate(string(doc), policy.KindResource, nil); err != nil {
				return ep, fmt.Errorf("endpoint policy: %w", err)
			}
			ep.Policy = string(doc)
		default:
			return ep, fmt.Errorf("unknown option %q", k)
		}
	}
	return ep, nil
}
