package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/crossbucket/crossbucket/internal/accounts"
)

func runAccount(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "create":
		return runAccountCreate(ctx, args[1:], stdout, stderr)
	case "list":
		return runAccountList(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "crossbucket: unknown account command %q\n\n%s", args[0], usage)
		return 2
	}
}

func runAccountCreate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("account create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", defaultDataDir, "data directory")
	var spec accounts.Spec
	fs.StringVar(&spec.ID, "id", "", "12-digit account id (random when absent)")
	fs.StringVar(&spec.Alias, "alias", "", "account alias")
	fs.StringVar(&spec.AccessKeyID, "access-key-id", "", "root access key id (random when absent)")
	fs.StringVar(&spec.SecretAccessKey, "secret-access-key", "", "root secret access key (random when absent)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crossbucket: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	st, err := openMeta(ctx, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	defer st.Close()
	c, err := accounts.Create(ctx, st, spec)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	out := struct {
		AccountID       string `json:"AccountId"`
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		CanonicalUserID string `json:"CanonicalUserId"`
		Alias           string `json:"Alias,omitempty"`
	}{c.AccountID, c.AccessKeyID, c.SecretAccessKey, c.CanonicalID, c.Alias}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return 1
	}
	return 0
}

func runAccountList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("account list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", defaultDataDir, "data directory")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	st, err := openMeta(ctx, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	defer st.Close()
	list, err := st.ListAccounts(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket: %v\n", err)
		return 1
	}
	type row struct {
		AccountID       string `json:"AccountId"`
		Alias           string `json:"Alias,omitempty"`
		CanonicalUserID string `json:"CanonicalUserId"`
		Created         string `json:"Created"`
	}
	rows := make([]row, 0, len(list))
	for _, a := range list {
		rows = append(rows, row{a.ID, a.Alias, a.CanonicalID, a.CreatedAt.UTC().Format(time.RFC3339)})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT ID\tALIAS\tCANONICAL USER ID\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.AccountID, r.Alias, r.CanonicalUserID, r.Created)
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}
