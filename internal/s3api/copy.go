package s3api

import (
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/checksum"
	"github.com/crossbucket/crossbucket/internal/store"
)

// copySource is a parsed x-amz-copy-source.
type copySource struct {
	bucket, key, versionID string
}

// parseCopySource parses "bucket/key" or "/bucket/key", URL-encoded, with
// an optional "?versionId=…" (CopyObject API reference).
func parseCopySource(v string) (copySource, error) {
	bad := awserr.New(awserr.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey").
		With("ArgumentName", "x-amz-copy-source").With("ArgumentValue", v)
	var cs copySource
	raw, query, hasQuery := strings.Cut(v, "?")
	if hasQuery {
		vid, ok := strings.CutPrefix(query, "versionId=")
		if !ok {
			return cs, bad
		}
		if vid != "null" {
			return cs, awserr.New(awserr.InvalidArgument, "Invalid version id specified").
				With("ArgumentName", "x-amz-copy-source").With("ArgumentValue", v)
		}
		cs.versionID = vid
	}
	raw = strings.TrimPrefix(raw, "/")
	if strings.HasPrefix(raw, "arn:") {
		return cs, awserr.New(awserr.NotImplemented).With("Header", "x-amz-copy-source")
	}
	b, k, ok := strings.Cut(raw, "/")
	if !ok {
		return cs, bad
	}
	var err error
	if cs.bucket, err = unescape(b); err != nil {
		return cs, bad
	}
	if cs.key, err = unescape(k); err != nil || cs.bucket == "" || cs.key == "" {
		return cs, bad
	}
	return cs, nil
}

// sourceObject resolves a copy source: its bucket (NoSuchBucket), the
// caller's s3:GetObject on it (decided apart from the write), the object
// (NoSuchKey only for callers allowed to list the source bucket) and the
// x-amz-copy-source-if-* conditions.
func (a *API) sourceObject(rq *request) (*store.Bucket, *store.Object, error) {
	cs, err := parseCopySource(rq.r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return nil, nil, err
	}
	sb, err := a.st.GetBucket(rq.ctx(), cs.bucket)
	if err != nil {
		return nil, nil, storeErr(mapBucketErr(err), cs.bucket, "", "")
	}
	if err := expectOwner(rq.r.Header.Get("x-amz-source-expected-bucket-owner"), sb); err != nil {
		return nil, nil, err
	}
	o, err := a.objectFor(rq, "s3:GetObject", sb, cs.key, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := copyConditions(rq.r.Header).check(o); err != nil {
		return nil, nil, err
	}
	return sb, o, nil
}

// mapBucketErr turns GetBucket's not-found into ErrNoSuchBucket.
func mapBucketErr(err error) error {
	if err != nil && isNotFound(err) {
		return store.ErrNoSuchBucket
	}
	return err
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	NS           string   `xml:"xmlns,attr"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	ChecksumType string   `xml:"ChecksumType,omitempty"`
	checksums
}

// checksums is the Checksum* elements for one algorithm's value.
type checksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

func checksumsOf(alg string, v string) checksums {
	var c checksums
	switch checksum.Algorithm(alg) {
	case checksum.CRC32:
		c.ChecksumCRC32 = v
	case checksum.CRC32C:
		c.ChecksumCRC32C = v
	case checksum.CRC64NVME:
		c.ChecksumCRC64NVME = v
	case checksum.SHA1:
		c.ChecksumSHA1 = v
	case checksum.SHA256:
		c.ChecksumSHA256 = v
	}
	return c
}

// get returns the value for alg.
func (c checksums) get(alg checksum.Algorithm) string {
	switch alg {
	case checksum.CRC32:
		return c.ChecksumCRC32
	case checksum.CRC32C:
		return c.ChecksumCRC32C
	case checksum.CRC64NVME:
		return c.ChecksumCRC64NVME
	case checksum.SHA1:
		return c.ChecksumSHA1
	case checksum.SHA256:
		return c.ChecksumSHA256
	}
	return ""
}

// copyObject is CopyObject: s3:GetObject on the source and s3:PutObject
// on the target, each decided on its own; the source's bytes stream into
// a new blob.
func (a *API) copyObject(w http.ResponseWriter, rq *request) error {
	h := rq.r.Header
	if err := checkKey(rq.key); err != nil {
		return err
	}
	directive := strings.ToUpper(h.Get("x-amz-metadata-directive"))
	if directive == "" {
		directive = "COPY"
	}
	if directive != "COPY" && directive != "REPLACE" {
		return awserr.New(awserr.InvalidArgument, "Unknown metadata directive.").
			With("ArgumentName", "x-amz-metadata-directive").With("ArgumentValue", h.Get("x-amz-metadata-directive"))
	}
	tagDirective := strings.ToUpper(h.Get("x-amz-tagging-directive"))
	if tagDirective == "" {
		tagDirective = "COPY"
	}
	if tagDirective != "COPY" && tagDirective != "REPLACE" {
		return awserr.New(awserr.InvalidArgument, "Unknown tagging directive.").
			With("ArgumentName", "x-amz-tagging-directive").With("ArgumentValue", h.Get("x-amz-tagging-directive"))
	}
	alg := checksum.Algorithm("")
	if v := h.Get("x-amz-checksum-algorithm"); v != "" {
		p, ok := checksum.Parse(v)
		if !ok {
			return awserr.New(awserr.InvalidRequest, unsupportedAlgorithm)
		}
		alg = p
	}
	replaced, err := metaFromHeaders(h)
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
	if rq.info.Principal.IsAnonymous() {
		return awserr.New(awserr.AccessDenied, "Anonymous users cannot copy objects. Please authenticate.")
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	// The copy gets the ACL of its own headers (private by default), never
	// the source's (CopyObject API reference, "Access control list").
	oacl, err := a.objectWriteACL(rq, b)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, "s3:PutObject", b, rq.key, nil, putConditionKeys(h)); err != nil {
		return err
	}
	sb, src, err := a.sourceObject(rq)
	if err != nil {
		return err
	}
	if src.Size > maxPutSize {
		return awserr.Newf(awserr.InvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: %d", int64(maxPutSize))
	}
	if sb.Name == b.Name && src.Key == rq.key && directive == "COPY" && tagDirective == "COPY" &&
		h.Get("x-amz-storage-class") == "" && h.Get("x-amz-server-side-encryption") == "" && alg == "" {
		return awserr.New(awserr.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	if err := a.precheckWrite(rq, b, cond); err != nil {
		return err
	}
	meta := src.ObjectMeta
	meta.UserMeta, meta.Tags = src.UserMeta, src.Tags
	if directive == "REPLACE" {
		tags := meta.Tags
		meta = replaced
		meta.Tags = tags
	}
	meta.StorageClass = replaced.StorageClass
	if tagDirective == "REPLACE" {
		meta.Tags = replaced.Tags
	}
	if alg == "" {
		alg = checksum.Algorithm(src.ChecksumAlgorithm)
		if !alg.Valid() {
			alg = checksum.CRC64NVME
		}
	}
	rec, err := a.copyRange(rq, src, byteRange{0, src.Size - 1}, alg)
	if err != nil {
		return err
	}
	meta.OwnerAccount, meta.ACL = oacl.owner, oacl.acl
	meta.ChecksumAlgorithm, meta.ChecksumType = string(alg), checksum.TypeFullObject
	o := &store.Object{Bucket: b.Name, Key: rq.key, Size: rec.size, ETag: rec.etag, LastModified: a.now().UTC(),
		Checksum: checksum.Encode(rec.sum), ObjectMeta: meta, Segments: []store.Segment{{BlobID: rec.blobID, Size: rec.size}}}
	orphans, err := a.st.PutObject(rq.ctx(), o, cond)
	if err != nil {
		a.deleteBlobs([]string{rec.blobID})
		if ce := condErr(err, cond, rq.key); ce != nil {
			return ce
		}
		return storeErr(err, b.Name, rq.key, "")
	}
	a.deleteBlobs(orphans)
	w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(w, http.StatusOK, copyObjectResult{NS: s3NS, ETag: `"` + o.ETag + `"`, LastModified: isoTime(o.LastModified),
		ChecksumType: checksum.TypeFullObject, checksums: checksumsOf(string(alg), o.Checksum)})
}

// copyRange streams rg of src into a new committed blob, hashing it.
func (a *API) copyRange(rq *request, src *store.Object, rg byteRange, alg checksum.Algorithm) (*received, error) {
	bw, err := a.blobs.Create(rq.ctx())
	if err != nil {
		return nil, awserr.Internal(err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = bw.Abort()
		}
	}()
	hs := checksum.NewMultiHasher(alg)
	if rg.length() > 0 {
		s, err := a.openRange(src, rg)
		if err != nil {
			return nil, err
		}
		err = s.copyTo(io.MultiWriter(bw, hs))
		s.Close()
		if err != nil {
			return nil, awserr.Internal(err)
		}
	}
	id, err := bw.Commit()
	if err != nil {
		return nil, awserr.Internal(err)
	}
	committed = true
	return &received{blobID: id, size: hs.Len(), md5: hs.MD5(), etag: hs.ETag(), alg: alg, sum: hs.Sum(alg)}, nil
}

// parseCopyRange parses x-amz-copy-source-range "bytes=first-last" against
// a source of size bytes (UploadPartCopy API reference).
func parseCopyRange(v string, size int64) (byteRange, error) {
	bad := awserr.New(awserr.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy").
		With("ArgumentName", "x-amz-copy-source-range").With("ArgumentValue", v)
	spec, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return byteRange{}, bad
	}
	f, l, ok := strings.Cut(spec, "-")
	if !ok {
		return byteRange{}, bad
	}
	first, err1 := strconv.ParseInt(f, 10, 64)
	last, err2 := strconv.ParseInt(l, 10, 64)
	if err1 != nil || err2 != nil || first < 0 || last < first {
		return byteRange{}, bad
	}
	if last >= size {
		return byteRange{}, awserr.Newf(awserr.InvalidArgument, "Range specified is not valid for source object of size: %d", size).
			With("ArgumentName", "x-amz-copy-source-range").With("ArgumentValue", v)
	}
	return byteRange{first, last}, nil
}
