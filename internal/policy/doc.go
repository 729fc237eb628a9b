// Package policy parses, validates and evaluates AWS IAM policy documents
// the way AWS does, so that the emulated S3, IAM and STS allow and refuse the
// same requests as AWS and can say why.
//
// The rules implemented here come from the AWS IAM User Guide: "Policy
// evaluation logic", "Cross-account policy evaluation logic", "IAM JSON
// policy elements reference", "IAM JSON policy elements: Condition
// operators", "IAM policy elements: Variables and tags", "Single-valued vs.
// multivalued context keys" and "AWS global condition context keys", plus the
// Amazon S3 "Bucket policy examples". Comments name the page where a rule is
// subtle.
//
// The package is pure: it does no I/O and keeps no mutable globals. A
// document is compiled once with Parse into a *Policy (ideally through a
// Cache), and Evaluate then decides requests against compiled policies
// without parsing and with few or no allocations.
package policy
