package s3api

import (
	"net/netip"
	"strings"
)

// validBucketName applies the general purpose bucket naming rules
// (Amazon S3 User Guide, "General purpose bucket naming rules"): 3–63
// characters of lower-case letters, digits, dots and hyphens, beginning
// and ending with a letter or digit, no two adjacent periods, not an IP
// address, none of the reserved prefixes (xn--, sthree-, amzn-s3-demo-)
// and suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
func validBucketName(s string) bool {
	if len(s) < 3 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !alnum(s[0]) || !alnum(s[len(s)-1]) || strings.Contains(s, "..") {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(s, p) {
			return false
		}
	}
	for _, suf := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(s, suf) {
			return false
		}
	}
	return true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// regions are the AWS commercial regions S3 accepts as a LocationConstraint
// and as ListBuckets' bucket-region.
var regions = map[string]bool{
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-south-1": true, "ap-south-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-4": true,
	"ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ca-central-1": true, "ca-west-1": true, "cn-north-1": true, "cn-northwest-1": true,
	"eu-central-1": true, "eu-central-2": true, "eu-west-1": true, "eu-west-2": true, "eu-west-3": true,
	"eu-north-1": true, "eu-south-1": true, "eu-south-2": true, "il-central-1": true, "mx-central-1": true,
	"me-south-1": true, "me-central-1": true, "sa-east-1": true,
	"us-gov-east-1": true, "us-gov-west-1": true,
}

// locationRegion maps a LocationConstraint to its region: "EU" is the
// legacy alias of eu-west-1. ok is false for an unknown constraint.
func locationRegion(loc string) (string, bool) {
	if loc == "EU" {
		return "eu-west-1", true
	}
	return loc, regions[loc]
}
