package policy

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
)

// check applies the rules of the document's kind, in the order AWS reports
// them, to a decoded document.
func (v *validator) check(rp *rawPolicy) error {
	if v.flavor == FlavorS3 {
		return v.checkS3(rp)
	}
	return v.checkIAM(rp)
}

// checkIAM follows the order in which IAM reports MalformedPolicyDocument
// errors: version, legacy parsing, statement ids, actions, resources,
// resource formats, action prefixes, then principals.
func (v *validator) checkIAM(rp *rawPolicy) error {
	if v.opts.Managed && rp.version != Version2012 {
		return iamErr(msgIAMVersion)
	}
	for _, s := range rp.statements {
		if !s.has("Effect") || (s.effect != "Allow" && s.effect != "Deny") {
			if s.has("Effect") && (strings.EqualFold(s.effect, "Allow") || strings.EqualFold(s.effect, "Deny")) {
				// Effect names are case-sensitive to IAM's legacy parser.
				return iamErr(msgIAMLegacy)
			}
			return iamErr(msgIAMSyntax)
		}
		for _, c := range s.conditions {
			op, _ := parseOperator(c.op)
			if op.fam != famDate {
				continue
			}
			for _, val := range c.values {
				if _, ok := parseDate(val); !ok {
					return iamErr(msgIAMLegacy)
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range rp.statements {
		if s.sid == "" {
			continue
		}
		if seen[s.sid] {
			return iamErr(msgIAMSidUnique)
		}
		seen[s.sid] = true
		if v.opts.Managed && !isAlnum(s.sid) {
			return iamErr(msgIAMSidAlnum)
		}
	}
	for _, s := range rp.statements {
		if !s.has("Action") && !s.has("NotAction") || len(s.actions) == 0 {
			return iamErr(msgIAMNeedActions)
		}
	}
	for _, s := range rp.statements {
		switch v.kind {
		case KindTrust:
			if s.has("Resource") {
				return iamErr(msgIAMProhibitedRes)
			}
			if s.has("NotResource") {
				return iamErr(msgIAMProhibitedNotRes)
			}
			if !s.has("Principal") && !s.has("NotPrincipal") {
				return iamErr(msgIAMMissingPrincipal)
			}
		default:
			if !s.has("Resource") && !s.has("NotResource") || len(s.resources) == 0 {
				return iamErr(msgIAMNeedResources)
			}
			if v.kind == KindRCP && !s.has("Principal") && !s.has("NotPrincipal") {
				return iamErr(msgIAMMissingPrincipal)
			}
		}
	}
	for _, s := range rp.statements {
		for _, r := range s.resources {
			if msg := iamResourceError(r); msg != "" {
				return iamErr(msg)
			}
		}
	}
	for _, s := range rp.statements {
		for _, a := range s.actions {
			if msg := iamActionError(a); msg != "" {
				return iamErr(msg)
			}
		}
		for _, c := range s.conditions {
			if !strings.Contains(c.key, ":") {
				return iamErr(msgIAMVendor)
			}
		}
	}
	if v.kind == KindTrust {
		for _, s := range rp.statements {
			if !s.has("Action") {
				continue
			}
			for _, a := range s.actions {
				if !isTrustAction(a) {
					return iamErr(msgIAMTrustActions)
				}
			}
		}
	}
	for _, s := range rp.statements {
		for _, p := range s.principals {
			if !v.validPrincipal(p) {
				return iamErr(msgIAMInvalidPrincipal + "\"" + strings.ToUpper(p.key) + "\":\"" + p.value + "\"")
			}
		}
	}
	return nil
}

// checkS3 follows PutBucketPolicy's MalformedPolicy messages.
func (v *validator) checkS3(rp *rawPolicy) error {
	for _, s := range rp.statements {
		if !s.has("Effect") {
			return s3Err(msgS3MissingEffect)
		}
		if s.effect != "Allow" && s.effect != "Deny" {
			return s3Err(msgS3InvalidEffect + s.effect)
		}
		if !s.has("Principal") && !s.has("NotPrincipal") {
			return s3Err(msgS3MissingPrincipal)
		}
		if !s.has("Action") && !s.has("NotAction") || len(s.actions) == 0 ||
			!s.has("Resource") && !s.has("NotResource") || len(s.resources) == 0 {
			return s3Err(msgS3MissingElement)
		}
		for _, c := range s.conditions {
			if !strings.Contains(c.key, ":") {
				return s3Err(msgS3Syntax)
			}
			op, _ := parseOperator(c.op)
			if op.fam != famDate {
				continue
			}
			for _, val := range c.values {
				if _, ok := parseDate(val); !ok {
					return s3Err(msgS3Syntax)
				}
			}
		}
	}
	for _, s := range rp.statements {
		for _, p := range s.principals {
			if !v.validPrincipal(p) {
				return s3Err(msgS3InvalidPrincipal)
			}
		}
	}
	for _, s := range rp.statements {
		for _, a := range s.actions {
			if _, ok := s3ActionTypes(strings.ToLower(a)); !ok {
				return s3Err(msgS3InvalidAction)
			}
		}
	}
	for _, s := range rp.statements {
		for _, r := range s.resources {
			if !v.validS3Resource(r) {
				return s3Err(msgS3InvalidResource)
			}
		}
	}
	for _, s := range rp.statements {
		if !s.has("Action") || !s.has("Resource") {
			continue
		}
		for _, a := range s.actions {
			if !s3ActionApplies(strings.ToLower(a), s.resources) {
				return s3Err(msgS3ActionNoResource)
			}
		}
	}
	return nil
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// iamResourceError returns IAM's message for a malformed Resource entry.
func iamResourceError(r string) string {
	if r == "*" {
		return ""
	}
	var parts [6]string
	if !arn.Split(r, &parts) || parts[0] != "arn" {
		return "Resource " + r + " must be in ARN format or \"*\"."
	}
	if strings.ContainsAny(parts[2], "*?") || parts[2] == "" {
		return msgIAMResourceVendor
	}
	return ""
}

// iamActionError returns IAM's message for a malformed Action entry.
func iamActionError(a string) string {
	if a == "*" {
		return ""
	}
	switch strings.Count(a, ":") {
	case 0:
		return msgIAMVendor
	case 1:
	default:
		return msgIAMOneColon
	}
	vendor := a[:strings.IndexByte(a, ':')]
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '.' || c == '*' || c == '?') {
			return "Vendor " + vendor + " is not valid"
		}
	}
	if vendor == "" {
		return msgIAMVendor
	}
	return ""
}

// trustActions are the actions a role trust policy may allow.
var trustActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

func isTrustAction(a string) bool {
	l := strings.ToLower(a)
	if !strings.HasPrefix(l, "sts:") {
		return false
	}
	for _, t := range trustActions {
		if arn.Wildcard(l, t, false) {
			return true
		}
	}
	return false
}

// validPrincipal checks one Principal entry and, through the optional
// callback, that the IAM user or role it names exists.
func (v *validator) validPrincipal(p rawPrincipal) bool {
	switch p.key {
	case "AWS":
		e := parseAWSPrincipal(p.value)
		if e.typ == ptInvalid {
			return false
		}
		if (e.typ == ptUser || e.typ == ptRole) && v.opts.PrincipalExists != nil {
			return v.opts.PrincipalExists(e.value)
		}
		return true
	case "Service":
		return isServicePrincipal(p.value)
	case "Federated":
		return v.kind == KindTrust && p.value != "" && !strings.ContainsAny(p.value, "*?")
	case "CanonicalUser":
		return v.kind == KindResource && isCanonicalID(p.value)
	}
	return false
}

// validS3Resource checks a bucket policy resource: an S3 ARN (or "*") that
// lies in the policy's bucket when that is known.
func (v *validator) validS3Resource(r string) bool {
	if r == "*" {
		return true
	}
	rest, ok := strings.CutPrefix(r, "arn:aws:s3:::")
	if !ok || rest == "" {
		return false
	}
	if v.opts.Bucket == "" {
		return true
	}
	bucketPart := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		bucketPart = rest[:i]
	}
	// A pattern such as "bucket*" or "*" may cover the bucket.
	return arn.Wildcard(bucketPart, v.opts.Bucket, false) ||
		strings.ContainsAny(bucketPart, "*") && arn.Wildcard(rest, v.opts.Bucket, false)
}

// s3ActionApplies reports whether some action matched by pattern a applies
// to some resource: object actions need an object ARN (bucket/key), bucket
// actions the bucket ARN.
func s3ActionApplies(a string, resources []string) bool {
	types, _ := s3ActionTypes(a)
	for _, r := range resources {
		if r == "*" {
			return true
		}
		rest := strings.TrimPrefix(r, "arn:aws:s3:::")
		canBucket := !strings.Contains(rest, "/")
		canObject := strings.Contains(rest, "/") || strings.Contains(rest, "*")
		if types[s3Bucket] && canBucket || types[s3Object] && canObject {
			return true
		}
	}
	return false
}
