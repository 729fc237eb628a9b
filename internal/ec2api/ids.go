package ec2api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// newID returns prefix + 17 random hex digits (the long EC2 id format).
func newID(prefix string) string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])[:17]
}

// validID reports whether id is prefix followed by 8 or 17 lower-case hex
// digits, the two EC2 id formats.
func validID(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || (len(rest) != 8 && len(rest) != 17) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// newPrivateIP picks an address in the default VPC's 172.31.0.0/16.
func newPrivateIP() string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("172.31.%d.%d", b[0], 4+int(b[1])%250)
}
