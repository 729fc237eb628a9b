package imds

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// IMDSv2 session tokens ("Use the Instance Metadata Service to access
// instance metadata": a token is valid for 1 to 21,600 seconds and only on
// the instance that issued it). A token is
//
//	base64url(expiry (8 bytes, Unix seconds) || nonce (8) || HMAC-SHA256)
//
// where the MAC covers a domain label, the instance id, the expiry and the
// nonce under a key held by the Manager, so checking a token needs no
// storage and a token of one instance is refused by every other.
const (
	MinTokenTTL = 1
	MaxTokenTTL = 21600

	tokenLen   = 8 + 8 + sha256.Size
	tokenLabel = "crossbucket imds token v1\x00"
)

// tokenKey signs and checks tokens.
type tokenKey []byte

func newTokenKey() (tokenKey, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, nil
}

func (k tokenKey) mac(instanceID string, head []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(tokenLabel))
	m.Write([]byte(instanceID))
	m.Write([]byte{0})
	m.Write(head)
	return m.Sum(nil)
}

// issue returns a token for instanceID expiring at exp.
func (k tokenKey) issue(instanceID string, exp time.Time) (string, error) {
	b := make([]byte, 16, tokenLen)
	binary.BigEndian.PutUint64(b, uint64(exp.Unix()))
	if _, err := rand.Read(b[8:16]); err != nil {
		return "", err
	}
	b = append(b, k.mac(instanceID, b[:16])...)
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// check verifies a token of instanceID and returns its expiry; ok is false
// for a malformed, forged, foreign or expired token.
func (k tokenKey) check(instanceID, token string, now time.Time) (exp time.Time, ok bool) {
	if base64.RawURLEncoding.DecodedLen(len(token)) != tokenLen {
		return time.Time{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenLen {
		return time.Time{}, false
	}
	if !hmac.Equal(b[16:], k.mac(instanceID, b[:16])) {
		return time.Time{}, false
	}
	exp = time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	if !now.Before(exp) {
		return time.Time{}, false
	}
	return exp, true
}
