package policy

import "unicode"

// Size limits AWS enforces on policy documents. IAM counts characters
// excluding white space ("IAM and AWS STS quotas"); S3 counts the bytes of
// the bucket policy ("Bucket policy" limits: 20 KB). Callers compare the
// result of Size (IAM) or len(doc) (S3) against these.
const (
	MaxManagedPolicySize     = 6144  // customer managed policy (CreatePolicy, CreatePolicyVersion)
	MaxUserInlinePolicySize  = 2048  // aggregate of a user's inline policies
	MaxGroupInlinePolicySize = 5120  // aggregate of a group's inline policies
	MaxRoleInlinePolicySize  = 10240 // aggregate of a role's inline policies
	MaxRoleTrustPolicySize   = 2048  // role trust policy (default quota; raisable to 4096)
	MaxSessionPolicySize     = 2048  // inline plus managed session policies passed to STS
	MaxBucketPolicySize      = 20 * 1024
)

// Size returns the size of doc as IAM counts it against its quotas: the
// number of characters that are not white space.
func Size(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}
