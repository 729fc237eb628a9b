package s3api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/checksum"
	"github.com/crossbucket/crossbucket/internal/store"
)

// writeCond reads a conditional write's If-None-Match / If-Match
// ("Add preconditions to S3 operations with conditional requests"):
// If-None-Match accepts only "*".
func writeCond(h http.Header) (store.Cond, error) {
	var c store.Cond
	if v := h.Get("If-None-Match"); v != "" {
		if strings.TrimSpace(v) != "*" {
			return c, awserr.New(awserr.NotImplemented).With("Header", "If-None-Match")
		}
		c.IfNoneMatch = "*"
	}
	if v := h.Get("If-Match"); v != "" {
		c.IfMatch = strings.TrimSpace(v)
	}
	return c, nil
}

// condErr maps a conditional write's failure.
func condErr(err error, c store.Cond, key string) error {
	switch {
	case errors.Is(err, store.ErrPrecondition):
		name := "If-Match"
		if c.IfNoneMatch != "" {
			name = "If-None-Match"
		}
		return awserr.New(awserr.PreconditionFailed).With("Condition", name)
	case errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrNoSuchBucket) && c.IfMatch != "":
		// The key existed when the request began (precheckWrite): it was
		// deleted while this write was under way. "Conditional writes":
		// 409 ConditionalRequestConflict, retry.
		return awserr.New(awserr.ConditionalRequestConflict).With("Key", key)
	}
	return nil
}

// refuseUnsupported fails closed on request headers that ask for features
// crossbucket does not emulate, instead of silently ignoring them.
func refuseUnsupported(h http.Header) error {
	switch v := h.Get("x-amz-server-side-encryption"); v {
	case "", "AES256":
	case "aws:kms", "aws:kms:dsse":
		return awserr.New(awserr.NotImplemented).With("Header", "x-amz-server-side-encryption")
	default:
		return awserr.New(awserr.InvalidArgument, "The encryption method specified is not supported").
			With("ArgumentName", "x-amz-server-side-encryption").With("ArgumentValue", v)
	}
	for _, name := range []string{"x-amz-server-side-encryption-customer-algorithm", "x-amz-website-redirect-location"} {
		if h.Get(name) != "" {
			return awserr.New(awserr.NotImplemented).With("Header", name)
		}
	}
	for _, name := range []string{"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold"} {
		if h.Get(name) != "" {
			return awserr.New(awserr.InvalidRequest, "Bucket is missing Object Lock Configuration")
		}
	}
	return nil
}

// putConditionKeys are the S3 condition keys a write carries.
func putConditionKeys(h http.Header) map[string][]string {
	c := map[string][]string{}
	for _, k := range []string{"x-amz-storage-class", "x-amz-server-side-encryption",
		"x-amz-copy-source", "x-amz-metadata-directive"} {
		if v := h.Get(k); v != "" {
			c["s3:"+k] = []string{v}
		}
	}
	aclConditionKeys(h, c)
	if v := h.Get("x-amz-tagging"); v != "" {
		if tags, err := parseTagging(v); err == nil {
			for tk, tv := range tags {
				c["s3:RequestObjectTag/"+tk] = []string{tv}
				c["s3:RequestObjectTagKeys"] = append(c["s3:RequestObjectTagKeys"], tk)
			}
		}
	}
	return c
}

func checkKey(key string) error {
	if len(key) > maxKeyLen {
		return awserr.New(awserr.KeyTooLongError).With("Size", strconv.Itoa(len(key))).
			With("MaxSizeAllowed", strconv.Itoa(maxKeyLen))
	}
	return nil
}

// putObject is PutObject: the body streams into a blob (durable before the
// metadata commit), checksums are verified on the way, and a conditional
// write is decided atomically by the store.
func (a *API) putObject(w http.ResponseWriter, rq *request) error {
	h := rq.r.Header
	if err := checkKey(rq.key); err != nil {
		return err
	}
	meta, err := metaFromHeaders(h)
	if err != nil {
		return err
	}
	spec, err := parseChecksumSpec(h)
	if err != nil {
		return err
	}
	cond, err := writeCond(h)
	if err != nil {
		return err
	}
	if err := refuseUnsupported(h); err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	oacl, err := a.objectWriteACL(rq, b)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, rq.key, nil, putConditionKeys(h)); err != nil {
		return err
	}
	if err := a.precheckWrite(rq, b, cond); err != nil {
		return err
	}
	keep := checksum.CRC64NVME // S3's default when the client sends no checksum
	if spec.alg != "" {
		keep = spec.alg
	}
	rec, err := a.receive(rq, spec, keep, maxPutSize)
	if err != nil {
		return err
	}
	meta.OwnerAccount, meta.ACL = oacl.owner, oacl.acl
	meta.ChecksumAlgorithm, meta.ChecksumType = string(rec.alg), checksum.TypeFullObject
	o := &store.Object{Bucket: b.Name, Key: rq.key, Size: rec.size, ETag: rec.etag, LastModified: a.now().UTC(),
		Checksum: checksum.Encode(rec.sum), ObjectMeta: meta,
		Segments: []store.Segment{{BlobID: rec.blobID, Size: rec.size}}}
	orphans, err := a.st.PutObject(rq.ctx(), o, cond)
	if err != nil {
		a.deleteBlobs([]string{rec.blobID})
		if ce := condErr(err, cond, rq.key); ce != nil {
			return ce
		}
		return storeErr(err, b.Name, rq.key, "")
	}
	a.deleteBlobs(orphans)
	wh := w.Header()
	wh.Set("ETag", `"`+o.ETag+`"`)
	wh.Set("x-amz-server-side-encryption", "AES256")
	wh.Set(rec.alg.Header(), o.Checksum)
	wh.Set("x-amz-checksum-type", checksum.TypeFullObject)
	w.WriteHeader(http.StatusOK)
	return nil
}

// precheckWrite fails a conditional write early, before its body is read;
// the store decides again atomically at commit.
func (a *API) precheckWrite(rq *request, b *store.Bucket, c store.Cond) error {
	if c.IfNoneMatch == "" && c.IfMatch == "" {
		return nil
	}
	cur, err := a.st.GetObject(rq.ctx(), b.Name, rq.key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return storeErr(err, b.Name, rq.key, "")
	}
	if cur == nil {
		if c.IfMatch != "" {
			return awserr.New(awserr.NoSuchKey).With("Key", rq.key)
		}
		return nil
	}
	if c.IfNoneMatch != "" {
		return awserr.New(awserr.PreconditionFailed).With("Condition", "If-None-Match")
	}
	if !etagMatches(c.IfMatch, cur.ETag) {
		return awserr.New(awserr.PreconditionFailed).With("Condition", "If-Match")
	}
	return nil
}
