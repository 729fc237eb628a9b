package iamapi

import (
	"crypto/rand"
	"net/url"
	"strings"
	"time"
)

// Unique id prefixes ("IAM identifiers", Unique identifiers table).
const (
	prefixUser            = "AIDA"
	prefixGroup           = "AGPA"
	prefixRole            = "AROA"
	prefixPolicy          = "ANPA"
	prefixInstanceProfile = "AIPA"
)

// idAlphabet is what the 17 characters after an IAM unique id's prefix are
// drawn from: upper-case letters and the digits 2–7, as in AWS's ids.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns prefix followed by 17 random characters (21 in all).
func newID(prefix string) string {
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return prefix + string(b)
}

// entityARN is arn:aws:iam::ACCOUNT:TYPE/PATH-WITHOUT-LEADING-SLASH NAME,
// e.g. arn:aws:iam::111122223333:role/service/app.
func entityARN(account, typ, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:aws:iam::" + account + ":" + typ + path + name
}

// awsPolicyAccount is the "account" of AWS managed policy ARNs.
const awsPolicyAccount = "aws"

// isoTime formats t as IAM does (ISO 8601, UTC, seconds).
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// encodeDoc URL-encodes a policy document as IAM returns documents
// (RFC 3986 percent-encoding; clients such as the AWS CLI decode it).
func encodeDoc(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// parseEntityARN splits arn:aws:iam::ACCOUNT:TYPE/PATH/NAME into its
// account, path and name; ok is false when s is not such an ARN.
func parseEntityARN(s, typ string) (account, path, name string, ok bool) {
	rest, found := strings.CutPrefix(s, "arn:aws:iam::")
	if !found {
		return "", "", "", false
	}
	account, rest, found = strings.Cut(rest, ":")
	if !found {
		return "", "", "", false
	}
	rest, found = strings.CutPrefix(rest, typ+"/")
	if !found || rest == "" {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	path, name = "/"+rest[:i+1], rest[i+1:]
	if i < 0 {
		path = "/"
	}
	if name == "" {
		return "", "", "", false
	}
	return account, path, name, true
}

// lower is the form IAM names are compared and ordered in.
func lower(s string) string { return strings.ToLower(s) }
