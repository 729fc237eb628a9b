package s3api

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/checksum"
	"github.com/crossbucket/crossbucket/internal/store"
)

// responseOverrides are GetObject's response-* query parameters and the
// headers they set.
var responseOverrides = []struct{ param, header string }{
	{"response-content-type", "Content-Type"},
	{"response-content-language", "Content-Language"},
	{"response-expires", "Expires"},
	{"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"},
	{"response-content-encoding", "Content-Encoding"},
}

// checkVersionID accepts only "null", the version id of every object in
// a bucket that never had versioning enabled.
func checkVersionID(q map[string][]string) error {
	vs, ok := q["versionId"]
	if !ok {
		return nil
	}
	v := vs[0]
	if v == "" {
		return awserr.New(awserr.InvalidArgument, "Version id cannot be the empty string").With("ArgumentName", "versionId")
	}
	if v != "null" {
		return awserr.New(awserr.InvalidArgument, "Invalid version id specified").With("ArgumentName", "versionId").
			With("ArgumentValue", v)
	}
	return nil
}

// parsePartNumber reads partNumber (1..10000).
func parsePartNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxParts {
		return 0, awserr.New(awserr.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive").
			With("ArgumentName", "partNumber").With("ArgumentValue", v)
	}
	return n, nil
}

func isMultipart(o *store.Object) bool { return len(o.Segments) > 1 || strings.Contains(o.ETag, "-") }

// getObject is GetObject and HeadObject.
func (a *API) getObject(w http.ResponseWriter, rq *request) error {
	q, h := rq.query, rq.r.Header
	head := rq.r.Method == http.MethodHead
	if err := checkVersionID(q); err != nil {
		return err
	}
	part := 0
	if q.Has("partNumber") {
		n, err := parsePartNumber(q.Get("partNumber"))
		if err != nil {
			return err
		}
		if h.Get("Range") != "" {
			return awserr.New(awserr.InvalidRequest, "Cannot specify both Range header and partNumber query parameter")
		}
		part = n
	}
	overrides := map[string]string{}
	for _, ov := range responseOverrides {
		if q.Has(ov.param) {
			v := q.Get(ov.param)
			if !headerSafe(v) {
				return awserr.New(awserr.InvalidArgument, "Header value contains a control character").With("ArgumentName", ov.param)
			}
			overrides[ov.header] = v
		}
	}
	if len(overrides) > 0 && rq.info.Principal.IsAnonymous() {
		return awserr.New(awserr.InvalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
	}
	withChecksum := false
	if v := h.Get("x-amz-checksum-mode"); v != "" {
		if !strings.EqualFold(v, "ENABLED") {
			return awserr.New(awserr.InvalidRequest, "Value for x-amz-checksum-mode header is invalid.")
		}
		withChecksum = true
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	o, err := a.objectFor(rq, "s3:GetObject", b, rq.key, nil)
	if err != nil {
		return err
	}
	if err := readConditions(h).check(o); err != nil {
		return err
	}
	rg := byteRange{0, o.Size - 1}
	status := http.StatusOK
	partial := false
	var partSeg *store.Segment
	switch {
	case part > 0:
		count := 1
		if isMultipart(o) {
			count = len(o.Segments)
		}
		if part > count {
			return awserr.New(awserr.InvalidPartNumber).With("PartNumberRequested", strconv.Itoa(part)).
				With("ActualPartCount", strconv.Itoa(count))
		}
		if isMultipart(o) {
			var off int64
			for i := 0; i < part-1; i++ {
				off += o.Segments[i].Size
			}
			partSeg = &o.Segments[part-1]
			rg = byteRange{off, off + partSeg.Size - 1}
			w.Header().Set("x-amz-mp-parts-count", strconv.Itoa(count))
			partial = true
		}
		if o.Size > 0 {
			status = http.StatusPartialContent
		}
	case h.Get("Range") != "":
		r, ok, err := parseRange(h.Get("Range"), o.Size)
		if err != nil {
			return err
		}
		if ok {
			rg, status, partial = r, http.StatusPartialContent, true
		}
	}
	wh := w.Header()
	setObjectHeaders(wh, o)
	if withChecksum && o.Checksum != "" {
		if alg, ok := checksum.Parse(o.ChecksumAlgorithm); ok {
			switch {
			case !partial:
				wh.Set(alg.Header(), o.Checksum)
				wh.Set("x-amz-checksum-type", o.ChecksumType)
			case partSeg != nil && partSeg.Checksum != "" && o.ChecksumType == checksum.TypeComposite:
				wh.Set(alg.Header(), partSeg.Checksum)
				wh.Set("x-amz-checksum-type", o.ChecksumType)
			}
		}
	}
	for k, v := range overrides {
		wh.Set(k, v)
	}
	if status == http.StatusPartialContent {
		wh.Set("Content-Range", "bytes "+strconv.FormatInt(rg.start, 10)+"-"+strconv.FormatInt(rg.end, 10)+"/"+strconv.FormatInt(o.Size, 10))
	}
	n := max(rg.length(), 0)
	wh.Set("Content-Length", strconv.FormatInt(n, 10))
	if head || n == 0 {
		w.WriteHeader(status)
		return nil
	}
	s, err := a.openRange(o, rg)
	if err != nil {
		return err
	}
	defer s.Close()
	w.WriteHeader(status)
	return s.copyTo(w)
}

// segmentStream reads a byte range of an object across its segments,
// opening one blob at a time.
type segmentStream struct {
	a     *API
	segs  []store.Segment
	rg    byteRange
	cur   blob.Reader
	first int   // index of the first segment in range
	off   int64 // object offset of segs[first]
}

// openRange opens the first blob of rg, so that a missing blob is an
// error before any byte is sent.
func (a *API) openRange(o *store.Object, rg byteRange) (*segmentStream, error) {
	s := &segmentStream{a: a, segs: o.Segments, rg: rg}
	for s.first < len(s.segs) && s.off+s.segs[s.first].Size <= rg.start {
		s.off += s.segs[s.first].Size
		s.first++
	}
	if s.first == len(s.segs) {
		return nil, awserr.Internal(io.ErrUnexpectedEOF)
	}
	r, err := a.blobs.Open(s.segs[s.first].BlobID)
	if err != nil {
		return nil, awserr.Internal(err)
	}
	s.cur = r
	return s, nil
}

// copyTo writes the range to w.
func (s *segmentStream) copyTo(w io.Writer) error {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	off := s.off
	for i := s.first; i < len(s.segs) && off <= s.rg.end; i++ {
		seg := s.segs[i]
		if s.cur == nil {
			r, err := s.a.blobs.Open(seg.BlobID)
			if err != nil {
				return awserr.Internal(err)
			}
			s.cur = r
		}
		from := max(s.rg.start-off, 0)
		to := min(s.rg.end-off+1, seg.Size)
		n, err := io.CopyBuffer(w, io.NewSectionReader(s.cur, from, to-from), *bp)
		if err == nil && n != to-from {
			err = io.ErrUnexpectedEOF // a blob shorter than its metadata says
		}
		s.cur.Close()
		s.cur = nil
		if err != nil {
			return err
		}
		off += seg.Size
	}
	return nil
}

// Close releases an open blob.
func (s *segmentStream) Close() error {
	if s.cur != nil {
		err := s.cur.Close()
		s.cur = nil
		return err
	}
	return nil
}
