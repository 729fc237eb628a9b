package stsapi

import (
	"bytes"
	"compress/flate"
	"encoding/json"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

// AWS packs session policies, policy ARNs and session tags into a
// compressed binary form with a limit of its own, reported as a percentage
// (STS API Reference, AssumeRole PackedPolicySize; AWS re:Post "How can I
// avoid getting a PackedPolicyTooLarge error"). The algorithm and the limit
// are not published; the emulator deflates the same inputs against these
// budgets, which admit every policy and tag set within the documented
// plain-text limits that compresses like ordinary JSON and names.
const (
	packedPolicyBudget = 1024 // bytes of deflated policy + ARNs
	packedTagBudget    = 2048 // bytes of deflated tag keys and values
)

// packedSizes returns the percentages of the policy and tag budgets used.
func packedSizes(policy string, arns []string, tags []sessiontoken.Tag) (policyPct, tagPct int) {
	if policy != "" || len(arns) > 0 {
		var b bytes.Buffer
		if policy != "" {
			if err := json.Compact(&b, []byte(policy)); err != nil {
				b.Reset()
				b.WriteString(policy)
			}
		}
		for _, a := range arns {
			b.WriteByte(0)
			b.WriteString(a)
		}
		policyPct = percent(deflatedLen(b.Bytes()), packedPolicyBudget)
	}
	if len(tags) > 0 {
		var b bytes.Buffer
		for _, t := range tags {
			b.WriteString(t.Key)
			b.WriteByte(0)
			b.WriteString(t.Value)
			b.WriteByte(0)
		}
		tagPct = percent(deflatedLen(b.Bytes()), packedTagBudget)
	}
	return policyPct, tagPct
}

func percent(n, budget int) int { return (n*100 + budget - 1) / budget }

func deflatedLen(p []byte) int {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	_, _ = w.Write(p)
	_ = w.Close()
	return out.Len()
}

// checkPacked fails with AWS's PackedPolicyTooLarge messages and otherwise
// returns the PackedPolicySize to report.
func checkPacked(policy string, arns []string, tags []sessiontoken.Tag) (int, error) {
	pp, tp := packedSizes(policy, arns, tags)
	if pp > 100 {
		return 0, awserr.Newf(awserr.PackedPolicyTooLarge, "Packed policy consumes %d%% of allotted space, please use smaller policy.", pp)
	}
	if tp > 100 {
		return 0, awserr.Newf(awserr.PackedPolicyTooLarge, "Packed size of session tags consumes %d%% of allotted space.", tp)
	}
	return max(pp, tp), nil
}
