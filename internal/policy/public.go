package policy

import "strings"

// IsPublic reports whether a bucket policy is public in the sense of S3's
// "The meaning of public" (Block Public Access): an Allow statement grants
// to every principal ("*", {"AWS":"*"} or NotPrincipal) without a condition
// that pins one of these keys to fixed values: aws:SourceIp (a set of
// CIDRs), aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
// aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, or
// aws:userid outside the pattern "AROLEID:*".
func IsPublic(p *Policy) bool {
	for _, s := range p.Statements {
		if s.Effect == Allow && s.grantsEveryone() && !s.pinnedToFixedValues() {
			return true
		}
	}
	return false
}

func (s *Statement) grantsEveryone() bool {
	if !s.hasPrincipal {
		return false
	}
	if s.notPrincipal {
		return true
	}
	for i := range s.principals {
		if s.principals[i].typ == ptAny {
			return true
		}
	}
	return false
}

// fixedKeys are the condition keys that make a wildcard grant non-public.
var fixedKeys = map[string]bool{
	"aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceowner": true, "aws:sourceaccount": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
}

func (s *Statement) pinnedToFixedValues() bool {
	for i := range s.conditions {
		c := &s.conditions[i]
		if !fixedKeys[c.key] || c.op.neg || c.op.ifExists || c.op.set != setNone || len(c.values) == 0 {
			continue
		}
		fixed := true
		for j := range c.values {
			v := &c.values[j]
			switch {
			case !v.ok:
				fixed = false
			case c.op.fam == famIP:
				fixed = v.ip.prefix.Bits() > 0
			case c.op.fam == famString || c.op.fam == famArn:
				if v.pat.vars || strings.ContainsAny(v.raw, "*?") && (c.op.like || c.op.fam == famArn) {
					fixed = false
				}
				if c.key == "aws:userid" && strings.HasSuffix(v.raw, ":*") {
					fixed = false
				}
			default:
				fixed = false
			}
			if !fixed {
				break
			}
		}
		if fixed {
			return true
		}
	}
	return false
}
