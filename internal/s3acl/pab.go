package s3acl

import (
	"io"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// PublicAccessBlock is the S3 Block Public Access configuration of a
// bucket or an account (S3 API Reference, PublicAccessBlockConfiguration).
type PublicAccessBlock struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// Or combines two configurations the way S3 applies bucket and account
// settings: "the most restrictive combination".
func (p PublicAccessBlock) Or(q PublicAccessBlock) PublicAccessBlock {
	return PublicAccessBlock{
		BlockPublicAcls:       p.BlockPublicAcls || q.BlockPublicAcls,
		IgnorePublicAcls:      p.IgnorePublicAcls || q.IgnorePublicAcls,
		BlockPublicPolicy:     p.BlockPublicPolicy || q.BlockPublicPolicy,
		RestrictPublicBuckets: p.RestrictPublicBuckets || q.RestrictPublicBuckets,
	}
}

// CheckBlockPublicAcls fails a request that would set acl when
// BlockPublicAcls is on and acl is public: PutBucketAcl, PutObjectAcl,
// PutObject (and CopyObject, CreateMultipartUpload) with a public ACL, and
// CreateBucket when the setting comes from the account. S3 answers 403
// AccessDenied.
func CheckBlockPublicAcls(p PublicAccessBlock, acl ACL) error {
	if p.BlockPublicAcls && IsPublic(acl) {
		return awserr.New(awserr.AccessDenied)
	}
	return nil
}

type xPublicAccessBlock struct {
	BlockPublicAcls       []string  `xml:"BlockPublicAcls"`
	IgnorePublicAcls      []string  `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     []string  `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets []string  `xml:"RestrictPublicBuckets"`
	Other                 []anyElem `xml:",any"`
}

// ParsePublicAccessBlock reads a PutPublicAccessBlock body. Each of the
// four settings is optional (absent is false) and, when present, "true" or
// "false". A body that is not well-formed, repeats or misnames an element
// or holds another value is 400 MalformedXML; one that sets none of the
// four is 400 InvalidRequest "Must specify at least one configuration."
func ParsePublicAccessBlock(body io.Reader) (PublicAccessBlock, error) {
	b, err := readBody(body)
	if err != nil {
		return PublicAccessBlock{}, err
	}
	var x xPublicAccessBlock
	if decodeRoot(b, "PublicAccessBlockConfiguration", &x) != nil || len(x.Other) != 0 {
		return PublicAccessBlock{}, errMalformedXML()
	}
	var p PublicAccessBlock
	seen := false
	for _, f := range []struct {
		vals []string
		dst  *bool
	}{
		{x.BlockPublicAcls, &p.BlockPublicAcls},
		{x.IgnorePublicAcls, &p.IgnorePublicAcls},
		{x.BlockPublicPolicy, &p.BlockPublicPolicy},
		{x.RestrictPublicBuckets, &p.RestrictPublicBuckets},
	} {
		v, ok := optional(f.vals)
		if !ok {
			return PublicAccessBlock{}, errMalformedXML()
		}
		if len(f.vals) == 0 {
			continue
		}
		switch strings.ToLower(v) {
		case "true":
			*f.dst = true
		case "false":
		default:
			return PublicAccessBlock{}, errMalformedXML()
		}
		seen = true
	}
	if !seen {
		return PublicAccessBlock{}, awserr.New(awserr.InvalidRequest, "Must specify at least one configuration.")
	}
	return p, nil
}

// PublicAccessBlockXML is the GetPublicAccessBlock response body; all four
// settings are always written.
func PublicAccessBlockXML(p PublicAccessBlock) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<PublicAccessBlockConfiguration xmlns="` + S3Namespace + `">`)
	for _, f := range []struct {
		name string
		v    bool
	}{
		{"BlockPublicAcls", p.BlockPublicAcls},
		{"IgnorePublicAcls", p.IgnorePublicAcls},
		{"BlockPublicPolicy", p.BlockPublicPolicy},
		{"RestrictPublicBuckets", p.RestrictPublicBuckets},
	} {
		b.WriteString("<" + f.name + ">" + strconv.FormatBool(f.v) + "</" + f.name + ">")
	}
	b.WriteString("</PublicAccessBlockConfiguration>")
	return b.String()
}
