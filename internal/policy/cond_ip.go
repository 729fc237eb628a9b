package policy

import (
	"net/netip"
	"strings"
)

// IpAddress and NotIpAddress test the request address against IPv4 or IPv6
// CIDR ranges; an address without a prefix length means /32 (or /128 for
// IPv6). Policy variables are not supported.

type ipValue struct {
	prefix netip.Prefix
}

func parseIPValue(s string) (ipValue, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return ipValue{}, false
		}
		return ipValue{prefix: p.Masked()}, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ipValue{}, false
	}
	return ipValue{prefix: netip.PrefixFrom(a, a.BitLen())}, true
}

func matchIP(pv *condValue, v string) bool {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	if a.Is4In6() && pv.ip.prefix.Addr().Is4() {
		a = a.Unmap()
	}
	return pv.ip.prefix.Contains(a.WithZone(""))
}
