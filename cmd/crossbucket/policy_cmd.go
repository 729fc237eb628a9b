package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crossbucket/crossbucket/internal/policy"
)

const policyUsage = `usage: crossbucket policy validate FILE [--type identity|resource|trust|rcp] [--bucket NAME] [--managed]

Validates the policy document in FILE ("-" for standard input) as AWS would
and prints "valid" or AWS's error code and message.
  --type     identity (default; IAM wording), resource (S3 bucket policy;
             S3 wording), trust (role trust policy), rcp
  --bucket   for --type resource, the bucket the policy is attached to
  --managed  for --type identity, apply the rules of IAM managed policies
Exit status: 0 valid, 1 invalid, 2 usage or I/O error.
`

// runPolicy implements "crossbucket policy ...". args are the arguments
// after "policy" (a leading "policy" is tolerated).
func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "policy" {
		args = args[1:]
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, policyUsage)
		return 2
	}
	switch args[0] {
	case "validate":
		return runPolicyValidate(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "crossbucket policy: unknown command %q\n%s", args[0], policyUsage)
	return 2
}

func runPolicyValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	kind := policy.KindIdentity
	opts := &policy.Options{}
	file := ""
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "crossbucket policy validate: "+format+"\n%s", append(a, policyUsage)...)
		return 2
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			if file != "" {
				return usage("more than one FILE")
			}
			file = a
			continue
		}
		needValue := func() (string, bool) {
			if hasValue {
				return value, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch name {
		case "type":
			v, ok := needValue()
			if !ok {
				return usage("--type needs a value")
			}
			switch v {
			case "identity":
				kind = policy.KindIdentity
			case "resource":
				kind = policy.KindResource
			case "trust":
				kind = policy.KindTrust
			case "rcp":
				kind = policy.KindRCP
			default:
				return usage("unknown --type %q", v)
			}
		case "bucket":
			v, ok := needValue()
			if !ok {
				return usage("--bucket needs a value")
			}
			opts.Bucket = v
		case "managed":
			opts.Managed = true
		case "h", "help":
			fmt.Fprint(stderr, policyUsage)
			return 2
		default:
			return usage("unknown flag %q", a)
		}
	}
	if file == "" {
		return usage("missing FILE")
	}
	var doc []byte
	var err error
	if file == "-" {
		doc, err = io.ReadAll(stdin)
	} else {
		doc, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(stderr, "crossbucket policy validate: %v\n", err)
		return 2
	}
	if err := policy.Validate(string(doc), kind, opts); err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(stdout, "%s: %s\n", ve.Code(), ve.Message)
			return 1
		}
		fmt.Fprintf(stderr, "crossbucket policy validate: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, "valid")
	return 0
}
