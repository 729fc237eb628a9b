package s3api

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/checksum"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
)

func newUploadID() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// initiator is how S3 names who started an upload: the canonical user id
// for an account root, the principal's ARN otherwise.
func initiator(p *identity.Principal) (id, arn string) {
	if p.Kind == identity.Root {
		return p.CanonicalID, p.ARN
	}
	return p.ARN, p.ARN
}

type initiateResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	NS       string   `xml:"xmlns,attr"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

// uploadChecksum reads CreateMultipartUpload's x-amz-checksum-algorithm and
// x-amz-checksum-type ("Checking object integrity": the SHAs are COMPOSITE
// only, CRC64NVME FULL_OBJECT only, and the CRC32s either; the default type
// is FULL_OBJECT for CRC64NVME and COMPOSITE otherwise).
func uploadChecksum(h http.Header) (checksum.Algorithm, string, error) {
	var alg checksum.Algorithm
	if v := h.Get("x-amz-checksum-algorithm"); v != "" {
		a, ok := checksum.Parse(v)
		if !ok {
			return "", "", awserr.New(awserr.InvalidRequest, unsupportedAlgorithm)
		}
		alg = a
	}
	typ := strings.ToUpper(h.Get("x-amz-checksum-type"))
	if typ != "" && typ != checksum.TypeFullObject && typ != checksum.TypeComposite {
		return "", "", awserr.New(awserr.InvalidRequest, "Value for x-amz-checksum-type header is invalid.")
	}
	if alg == "" {
		if typ != "" {
			return "", "", awserr.New(awserr.InvalidRequest, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	if typ == "" {
		typ = checksum.TypeComposite
		if alg == checksum.CRC64NVME {
			typ = checksum.TypeFullObject
		}
	}
	if !checksum.Supports(alg, typ) {
		return "", "", awserr.Newf(awserr.InvalidRequest, "The %s checksum type cannot be used with the %s checksum algorithm.",
			typ, strings.ToLower(string(alg)))
	}
	return alg, typ, nil
}

// createUpload is CreateMultipartUpload.
func (a *API) createUpload(w http.ResponseWriter, rq *request) error {
	h := rq.r.Header
	if err := checkKey(rq.key); err != nil {
		return err
	}
	meta, err := metaFromHeaders(h)
	if err != nil {
		return err
	}
	if err := refuseUnsupported(h); err != nil {
		return err
	}
	alg, typ, err := uploadChecksum(h)
	if err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	// The object's owner and ACL are decided now and stored with the
	// upload; CompleteMultipartUpload gives them to the object.
	oacl, err := a.objectWriteACL(rq, b)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, rq.key, nil, putConditionKeys(h)); err != nil {
		return err
	}
	p := rq.info.Principal
	iid, iarn := initiator(p)
	meta.OwnerAccount, meta.ACL = oacl.owner, oacl.acl
	meta.ChecksumAlgorithm, meta.ChecksumType = string(alg), typ
	u := &store.Upload{ID: newUploadID(), Bucket: b.Name, Key: rq.key, Initiated: a.now().UTC(),
		InitiatorARN: iarn, InitiatorID: iid, ObjectMeta: meta}
	if err := a.st.CreateUpload(rq.ctx(), u); err != nil {
		return storeErr(err, b.Name, rq.key, u.ID)
	}
	if alg != "" {
		w.Header().Set("x-amz-checksum-algorithm", string(alg))
		w.Header().Set("x-amz-checksum-type", typ)
	}
	w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(w, http.StatusOK, initiateResult{NS: s3NS, Bucket: b.Name, Key: rq.key, UploadID: u.ID})
}

// uploadFor loads the request's bucket, authorizes action on the object
// and loads the upload named by uploadId.
func (a *API) uploadFor(rq *request, action string) (*store.Bucket, *store.Upload, error) {
	id := rq.query.Get("uploadId")
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return nil, nil, err
	}
	if err := a.authorize(rq, action, b, rq.key, nil, nil); err != nil {
		return nil, nil, err
	}
	u, err := a.st.GetUpload(rq.ctx(), b.Name, rq.key, id)
	if err != nil {
		return nil, nil, storeErr(err, b.Name, rq.key, id)
	}
	return b, u, nil
}

// partAlgorithm is the checksum kept with each part: the upload's, or
// CRC64NVME for the full-object checksum S3 computes by default.
func partAlgorithm(u *store.Upload) checksum.Algorithm {
	if a := checksum.Algorithm(u.ChecksumAlgorithm); a.Valid() {
		return a
	}
	return checksum.CRC64NVME
}

// uploadPart is UploadPart.
func (a *API) uploadPart(w http.ResponseWriter, rq *request) error {
	n, err := parsePartNumber(rq.query.Get("partNumber"))
	if err != nil {
		return err
	}
	spec, err := parseChecksumSpec(rq.r.Header)
	if err != nil {
		return err
	}
	b, u, err := a.uploadFor(rq, rq.op.action)
	if err != nil {
		return err
	}
	keep := partAlgorithm(u)
	if spec.alg != "" && u.ChecksumAlgorithm != "" && spec.alg != keep {
		return awserr.Newf(awserr.InvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(string(keep)), strings.ToLower(string(spec.alg)))
	}
	rec, err := a.receive(rq, spec, keep, maxPutSize)
	if err != nil {
		return err
	}
	return a.storePart(w, rq, b, u, n, rec, nil)
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	NS           string   `xml:"xmlns,attr"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	checksums
}

// uploadPartCopy is UploadPartCopy: s3:GetObject on the source and
// s3:PutObject on the upload's object, x-amz-copy-source-range optional.
func (a *API) uploadPartCopy(w http.ResponseWriter, rq *request) error {
	n, err := parsePartNumber(rq.query.Get("partNumber"))
	if err != nil {
		return err
	}
	b, u, err := a.uploadFor(rq, rq.op.action)
	if err != nil {
		return err
	}
	_, src, err := a.sourceObject(rq)
	if err != nil {
		return err
	}
	rg := byteRange{0, src.Size - 1}
	if v := rq.r.Header.Get("x-amz-copy-source-range"); v != "" {
		if rg, err = parseCopyRange(v, src.Size); err != nil {
			return err
		}
	}
	if rg.length() > maxPutSize {
		return awserr.Newf(awserr.InvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: %d", int64(maxPutSize))
	}
	rec, err := a.copyRange(rq, src, rg, partAlgorithm(u))
	if err != nil {
		return err
	}
	return a.storePart(w, rq, b, u, n, rec, src)
}

// storePart records a received part and answers UploadPart(Copy).
func (a *API) storePart(w http.ResponseWriter, rq *request, b *store.Bucket, u *store.Upload, n int, rec *received, src *store.Object) error {
	p := &store.Part{UploadID: u.ID, Number: n, BlobID: rec.blobID, Size: rec.size, ETag: rec.etag,
		Checksum: checksum.Encode(rec.sum), LastModified: a.now().UTC()}
	orphan, err := a.st.PutPart(rq.ctx(), p)
	if err != nil {
		a.deleteBlobs([]string{rec.blobID})
		return storeErr(err, b.Name, rq.key, u.ID)
	}
	if orphan != "" {
		a.deleteBlobs([]string{orphan})
	}
	wh := w.Header()
	wh.Set("x-amz-server-side-encryption", "AES256")
	var sums checksums
	if u.ChecksumAlgorithm != "" {
		sums = checksumsOf(u.ChecksumAlgorithm, p.Checksum)
	}
	if src != nil {
		return writeXML(w, http.StatusOK, copyPartResult{NS: s3NS, ETag: `"` + p.ETag + `"`,
			LastModified: isoTime(p.LastModified), checksums: sums})
	}
	wh.Set("ETag", `"`+p.ETag+`"`)
	if u.ChecksumAlgorithm != "" {
		wh.Set(checksum.Algorithm(u.ChecksumAlgorithm).Header(), p.Checksum)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

type completeRequest struct {
	Parts []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
		checksums
	} `xml:"Part"`
}

type completeResult struct {
	XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
	NS           string   `xml:"xmlns,attr"`
	Location     string   `xml:"Location"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	ETag         string   `xml:"ETag"`
	ChecksumType string   `xml:"ChecksumType,omitempty"`
	checksums
}

// completeUpload is CompleteMultipartUpload: parts ascending
// (InvalidPartOrder), each uploaded with a matching ETag (InvalidPart),
// all but the last at least 5 MiB (EntityTooSmall). The object's segments
// are the parts' blobs: no byte is copied.
func (a *API) completeUpload(w http.ResponseWriter, rq *request) error {
	h := rq.r.Header
	cond, err := writeCond(h)
	if err != nil {
		return err
	}
	b, u, err := a.uploadFor(rq, rq.op.action)
	if err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	var req completeRequest
	if err := decodeXML(body, "CompleteMultipartUpload", &req); err != nil {
		return err
	}
	if len(req.Parts) == 0 || len(req.Parts) > maxParts {
		return awserr.New(awserr.MalformedXML)
	}
	if v := strings.ToUpper(h.Get("x-amz-checksum-type")); v != "" && v != u.ChecksumType {
		mode := u.ChecksumType
		if mode == "" {
			mode = "null"
		}
		return awserr.Newf(awserr.InvalidRequest, "The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", mode)
	}
	if err := a.precheckWrite(rq, b, cond); err != nil {
		return err
	}
	stored, err := a.st.ListParts(rq.ctx(), u.ID, 0, 0)
	if err != nil {
		return storeErr(err, b.Name, rq.key, u.ID)
	}
	byNum := make(map[int]*store.Part, len(stored))
	for _, p := range stored {
		byNum[p.Number] = p
	}
	alg := partAlgorithm(u)
	typ := u.ChecksumType
	if typ == "" {
		typ = checksum.TypeFullObject
	}
	var (
		md5s  = make([][]byte, 0, len(req.Parts))
		sums  = make([][]byte, 0, len(req.Parts))
		full  = make([]checksum.Part, 0, len(req.Parts))
		segs  = make([]store.Segment, 0, len(req.Parts))
		total int64
		prev  int
	)
	for _, cp := range req.Parts {
		if cp.PartNumber <= prev {
			return awserr.New(awserr.InvalidPartOrder).With("UploadId", u.ID)
		}
		prev = cp.PartNumber
		sp := byNum[cp.PartNumber]
		etag := strings.TrimSpace(cp.ETag)
		etag = strings.TrimSuffix(strings.TrimPrefix(etag, `"`), `"`)
		invalid := awserr.New(awserr.InvalidPart).With("UploadId", u.ID).With("PartNumber", strconv.Itoa(cp.PartNumber)).
			With("ETag", cp.ETag)
		if sp == nil || etag != sp.ETag {
			return invalid
		}
		if v := cp.get(alg); v != "" && u.ChecksumAlgorithm != "" && v != sp.Checksum {
			return invalid
		}
		m, err := hex.DecodeString(sp.ETag)
		if err != nil {
			return awserr.Internal(err)
		}
		sum, err := checksum.Decode(alg, sp.Checksum)
		if err != nil {
			return awserr.Internal(errors.New("stored part checksum unreadable"))
		}
		md5s, sums = append(md5s, m), append(sums, sum)
		full = append(full, checksum.Part{Sum: sum, Size: sp.Size})
		segs = append(segs, store.Segment{BlobID: sp.BlobID, Size: sp.Size, ETag: sp.ETag, Checksum: sp.Checksum})
		total += sp.Size
	}
	// Sizes are checked once every part is known to exist and match.
	for i, sg := range segs[:len(segs)-1] {
		if sg.Size < minPartSize {
			return awserr.New(awserr.EntityTooSmall).With("ProposedSize", strconv.FormatInt(sg.Size, 10)).
				With("MinSizeAllowed", strconv.Itoa(minPartSize)).With("PartNumber", strconv.Itoa(req.Parts[i].PartNumber)).
				With("ETag", sg.ETag)
		}
	}
	if total > maxObjectSize {
		return awserr.New(awserr.EntityTooLarge).With("ProposedSize", strconv.FormatInt(total, 10)).
			With("MaxSizeAllowed", strconv.FormatInt(maxObjectSize, 10))
	}
	if err := checkObjectSize(h.Get("x-amz-mp-object-size"), total); err != nil {
		return err
	}
	var value string
	if typ == checksum.TypeComposite {
		value = checksum.Composite(alg, sums)
	} else {
		raw, err := checksum.FullObject(alg, full)
		if err != nil {
			return awserr.Internal(err)
		}
		value = checksum.Encode(raw)
	}
	if want := h.Get(alg.Header()); want != "" && u.ChecksumAlgorithm != "" {
		base, _, _ := strings.Cut(value, "-")
		wbase, _, _ := strings.Cut(want, "-")
		if wbase != base {
			return checksum.Mismatch(alg)
		}
	}
	meta := u.ObjectMeta
	meta.ChecksumAlgorithm, meta.ChecksumType = string(alg), typ
	o := &store.Object{Bucket: b.Name, Key: rq.key, Size: total, ETag: checksum.ETag(md5s), LastModified: a.now().UTC(),
		Checksum: value, ObjectMeta: meta, Segments: segs}
	orphans, err := a.st.CompleteUpload(rq.ctx(), u.ID, o, cond)
	if err != nil {
		if ce := condErr(err, cond, rq.key); ce != nil {
			return ce
		}
		return storeErr(err, b.Name, rq.key, u.ID)
	}
	a.deleteBlobs(orphans)
	res := completeResult{NS: s3NS, Location: a.location(rq, b.Name, rq.key), Bucket: b.Name, Key: rq.key,
		ETag: `"` + o.ETag + `"`}
	if u.ChecksumAlgorithm != "" {
		res.ChecksumType, res.checksums = typ, checksumsOf(string(alg), value)
	}
	w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(w, http.StatusOK, res)
}

// checkObjectSize verifies CompleteMultipartUpload's x-amz-mp-object-size.
func checkObjectSize(v string, total int64) error {
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err != nil:
		return awserr.Newf(awserr.InvalidRequest, "Value for x-amz-mp-object-size header is invalid: '%s'", v)
	case n < 0:
		return awserr.Newf(awserr.InvalidRequest, "Value for x-amz-mp-object-size header is less than zero: '%d'", n)
	case n != total:
		return awserr.Newf(awserr.InvalidRequest, "The provided 'x-amz-mp-object-size' header value %d does not match what was computed: %d", n, total)
	}
	return nil
}

// location is an object's URL as CompleteMultipartUpload reports it.
func (a *API) location(rq *request, bucket, key string) string {
	scheme := "http"
	if rq.info.Secure || rq.r.TLS != nil {
		scheme = "https"
	}
	esc := (&url.URL{Path: key}).EscapedPath()
	if rq.virtual {
		return scheme + "://" + rq.r.Host + "/" + esc
	}
	return scheme + "://" + rq.r.Host + "/" + bucket + "/" + esc
}

// abortUpload is AbortMultipartUpload: 204, the parts' blobs removed.
func (a *API) abortUpload(w http.ResponseWriter, rq *request) error {
	id := rq.query.Get("uploadId")
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, rq.key, nil, nil); err != nil {
		return err
	}
	orphans, err := a.st.AbortUpload(rq.ctx(), b.Name, rq.key, id)
	if err != nil {
		return storeErr(err, b.Name, rq.key, id)
	}
	a.deleteBlobs(orphans)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
