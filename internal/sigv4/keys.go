package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

const (
	amzDateFormat   = "20060102T150405Z"
	scopeDateFormat = "20060102"
	scopeTerminator = "aws4_request"
	// emptySHA256 is the hex SHA-256 of no bytes.
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// scope is a SigV4 credential scope: DATE/REGION/SERVICE/aws4_request.
type scope struct {
	date, region, service string
}

func (s scope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + scopeTerminator
}

func (s scope) isS3() bool { return s.service == "s3" }

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// signingKey derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date),
// region), service), "aws4_request").
func signingKey(secret string, s scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), s.date)
	k = hmacSHA256(k, s.region)
	k = hmacSHA256(k, s.service)
	return hmacSHA256(k, scopeTerminator)
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// stringToSign is Algorithm \n RequestDateTime \n CredentialScope \n HashedCanonicalRequest.
func stringToSign(t time.Time, s scope, canonical string) string {
	return algorithmV4 + "\n" + t.UTC().Format(amzDateFormat) + "\n" + s.String() + "\n" + sha256Hex(canonical)
}

// signature is the hex HMAC-SHA256 of sts under key.
func signature(key []byte, sts string) string {
	return hex.EncodeToString(hmacSHA256(key, sts))
}

// equalSignatures compares in constant time.
func equalSignatures(computed, provided string) bool {
	return hmac.Equal([]byte(computed), []byte(provided))
}

// hexBytes renders s as S3's StringToSignBytes: two lower-case hex digits per
// byte, separated by spaces.
func hexBytes(s string) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	b.Grow(3 * len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}
