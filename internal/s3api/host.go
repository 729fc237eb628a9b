package s3api

import (
	"net"
	"net/netip"
	"sort"
	"strings"
)

// BucketFromHost returns the bucket named by a virtual-hosted-style Host
// header: "bucket.localhost:9000" or "bucket.s3.us-west-2.localhost" for the
// base domain "localhost". ok is false for path-style requests: the bare
// domain, the service endpoints under it ("s3.localhost",
// "s3.eu-west-1.localhost"), IP addresses and unrelated hosts.
func BucketFromHost(host string, domains []string) (bucket string, ok bool) {
	h := strings.ToLower(strings.TrimSuffix(hostOnly(host), "."))
	if h == "" {
		return "", false
	}
	if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return "", false
	}
	ds := make([]string, 0, len(domains))
	for _, d := range domains {
		if d = strings.ToLower(strings.Trim(hostOnly(d), ".")); d != "" {
			ds = append(ds, d)
		}
	}
	// The longest domain wins: "s3.localhost" before "localhost".
	sort.Slice(ds, func(i, j int) bool { return len(ds[i]) > len(ds[j]) })
	for _, d := range ds {
		if h == d || !strings.HasSuffix(h, "."+d) {
			continue
		}
		labels := strings.Split(h[:len(h)-len(d)-1], ".")
		if isEndpoint(labels) {
			return "", false // s3.<region>.<domain>: path style
		}
		for i := max(1, len(labels)-3); i < len(labels); i++ {
			if isEndpoint(labels[i:]) {
				return strings.Join(labels[:i], "."), true
			}
		}
		return strings.Join(labels, "."), true
	}
	return "", false
}

// isEndpoint reports whether labels spell an S3 service endpoint: "s3",
// "s3-<region>", or "s3" followed by up to two region-like labels
// ("s3.us-west-2", "s3.dualstack.us-west-2").
func isEndpoint(labels []string) bool {
	if len(labels) == 0 || len(labels) > 3 {
		return false
	}
	first := labels[0]
	if first != "s3" && !(strings.HasPrefix(first, "s3-") && len(labels) == 1) {
		return false
	}
	for _, l := range labels[1:] {
		if !regionLike(l) {
			return false
		}
	}
	return true
}

func regionLike(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// hostOnly strips a port from a Host value.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
