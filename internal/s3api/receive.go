package s3api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/checksum"
)

// Size limits (Amazon S3 User Guide, "Uploading objects"; "Amazon S3
// multipart upload limits").
const (
	maxPutSize    = 5 << 30 // PutObject, UploadPart, a copy source
	maxObjectSize = 5 << 40 // a completed multipart object
	minPartSize   = 5 << 20 // every part but the last
	maxKeyLen     = 1024    // bytes of UTF-8
	maxMetaSize   = 2 << 10 // user-defined metadata
	maxParts      = 10000
)

// checksumSpec is what a request declared about its body's integrity.
type checksumSpec struct {
	contentMD5 string             // Content-MD5, well formed
	alg        checksum.Algorithm // the additional checksum sent, "" for none
	value      string             // its header value ("" when it comes in the trailer)
	trailer    string             // the trailing header carrying it, if any
}

const unsupportedAlgorithm = "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, MD5, SHA1, SHA256, SHA512, XXHASH128, XXHASH3, XXHASH64]"

// parseChecksumSpec reads Content-MD5, x-amz-checksum-*, x-amz-trailer and
// x-amz-sdk-checksum-algorithm, refusing malformed or contradictory ones
// before any byte of the body is read ("Checking object integrity").
func parseChecksumSpec(h http.Header) (checksumSpec, error) {
	var s checksumSpec
	if vs, ok := h["Content-Md5"]; ok {
		s.contentMD5 = strings.Join(vs, ",")
		if err := checksum.VerifyContentMD5(s.contentMD5, nil); awserr.Is(err, awserr.InvalidDigest) {
			return s, err
		}
	}
	n := 0
	for _, a := range checksum.All() {
		v, ok := h[http.CanonicalHeaderKey(a.Header())]
		if !ok {
			continue
		}
		n++
		s.alg, s.value = a, strings.Join(v, ",")
		if _, err := checksum.Decode(a, s.value); err != nil {
			return s, err
		}
	}
	if t := strings.TrimSpace(h.Get("x-amz-trailer")); t != "" {
		a, ok := algorithmOfHeader(t)
		if !ok {
			return s, awserr.New(awserr.InvalidRequest, "The value specified in the x-amz-trailer header is not supported")
		}
		n++
		s.alg, s.trailer = a, strings.ToLower(t)
	}
	if n > 1 {
		return s, awserr.New(awserr.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	if v := h.Get("x-amz-sdk-checksum-algorithm"); v != "" {
		a, ok := checksum.Parse(v)
		if !ok {
			return s, awserr.New(awserr.InvalidRequest, unsupportedAlgorithm)
		}
		if s.alg == "" {
			return s, awserr.New(awserr.InvalidRequest, "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
		if a != s.alg {
			return s, awserr.Newf(awserr.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.")
		}
	}
	return s, nil
}

// algorithmOfHeader maps "x-amz-checksum-crc32" to CRC32.
func algorithmOfHeader(name string) (checksum.Algorithm, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-checksum-")
	if !ok {
		return "", false
	}
	return checksum.Parse(rest)
}

// received is a body stored as a committed blob.
type received struct {
	blobID string
	size   int64
	md5    []byte
	etag   string // hex MD5
	alg    checksum.Algorithm
	sum    []byte // raw checksum for alg
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// receive streams the request body into a new blob while computing its
// MD5 and checksums, verifies what the client declared (headers and
// trailer), and commits the blob only when everything holds: on any error
// nothing is stored. alg is the checksum kept with the blob (computed
// besides the one the client declared, when they differ).
func (a *API) receive(rq *request, spec checksumSpec, alg checksum.Algorithm, limit int64) (*received, error) {
	r := rq.r
	cl := r.ContentLength
	if cl < 0 {
		return nil, awserr.New(awserr.MissingContentLength)
	}
	if cl > limit {
		return nil, awserr.New(awserr.EntityTooLarge).With("ProposedSize", strconv.FormatInt(cl, 10)).
			With("MaxSizeAllowed", strconv.FormatInt(limit, 10))
	}
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
	h := checksum.NewMultiHasher(alg, spec.alg)
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	bp := copyBufs.Get().(*[]byte)
	n, err := io.CopyBuffer(io.MultiWriter(storeWriter{bw}, h), io.LimitReader(body, cl+1), *bp)
	copyBufs.Put(bp)
	if err != nil {
		var we storeWriteError
		if errors.As(err, &we) {
			return nil, awserr.Internal(we.err)
		}
		return nil, bodyErr(err)
	}
	if n != cl {
		return nil, awserr.New(awserr.IncompleteBody)
	}
	if spec.contentMD5 != "" {
		if err := checksum.VerifyContentMD5(spec.contentMD5, h.MD5()); err != nil {
			return nil, err
		}
	}
	if spec.alg != "" {
		want := spec.value
		if spec.trailer != "" {
			if r.Trailer != nil {
				want = strings.TrimSpace(r.Trailer.Get(spec.trailer))
			}
			if want == "" {
				return nil, awserr.New(awserr.MalformedTrailerError)
			}
		}
		if err := h.Verify(spec.alg, want); err != nil {
			if !awserr.Is(err, awserr.BadDigest) && spec.trailer != "" {
				return nil, awserr.Newf(awserr.InvalidRequest, "Value for %s trailing header is invalid.", spec.trailer)
			}
			return nil, err
		}
	}
	id, err := bw.Commit()
	if err != nil {
		return nil, awserr.Internal(err)
	}
	committed = true
	return &received{blobID: id, size: n, md5: h.MD5(), etag: h.ETag(), alg: alg, sum: h.Sum(alg)}, nil
}

// storeWriter tags the blob store's write errors, to tell them from the
// client's body errors in one io.Copy.
type storeWriter struct{ w io.Writer }

type storeWriteError struct{ err error }

func (e storeWriteError) Error() string { return "blob write: " + e.err.Error() }

func (s storeWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		err = storeWriteError{err}
	}
	return n, err
}
