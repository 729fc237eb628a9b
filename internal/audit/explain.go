package audit

import (
	"fmt"
	"strings"
)

// Explain renders the records of one request in plain words.
func Explain(requestID string, recs []Record) string {
	if len(recs) == 0 {
		return fmt.Sprintf("No authorization decision recorded for request %s.\n", requestID)
	}
	var b strings.Builder
	first := recs[0]
	fmt.Fprintf(&b, "Request %s at %s", requestID, first.Time.Format("2006-01-02T15:04:05Z"))
	switch {
	case first.VPCEndpoint != "":
		fmt.Fprintf(&b, " through VPC endpoint %s", first.VPCEndpoint)
		if first.SourceIP != "" {
			fmt.Fprintf(&b, " (from %s)", first.SourceIP)
		}
	case first.SourceIP != "":
		fmt.Fprintf(&b, " from %s", first.SourceIP)
	}
	b.WriteString("\n")
	for _, r := range recs {
		who := r.PrincipalARN
		if r.PrincipalType != "" && r.PrincipalType != "Anonymous" {
			who += " (" + r.PrincipalType + " of account " + r.Account + ")"
		}
		fmt.Fprintf(&b, "\n  %s: %s\n    on   %s", r.Decision(), r.Action, r.Resource)
		if r.ResourceAccount != "" {
			fmt.Fprintf(&b, " (account %s)", r.ResourceAccount)
		}
		fmt.Fprintf(&b, "\n    by   %s\n", who)
		if r.CrossAccount {
			b.WriteString("    the request crosses accounts: both the principal's account and the resource's account must allow it\n")
		}
		fmt.Fprintf(&b, "    why  %s\n", r.Reason)
	}
	return b.String()
}
