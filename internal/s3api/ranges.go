package s3api

import (
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// byteRange is an inclusive range of an object's bytes.
type byteRange struct{ start, end int64 }

func (r byteRange) length() int64 { return r.end - r.start + 1 }

// parseRange parses a Range header against an object of size bytes (RFC
// 9110 §14; S3 serves one range). ok is false when the header is absent,
// malformed or asks for several ranges: S3 then serves the whole object.
// An unsatisfiable range is InvalidRange (416).
func parseRange(h string, size int64) (r byteRange, ok bool, err error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return r, false, nil
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return r, false, nil
	}
	invalid := func() error {
		return awserr.New(awserr.InvalidRange).With("RangeRequested", h).
			With("ActualObjectSize", strconv.FormatInt(size, 10)).
			WithHeader("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
	}
	if first == "" { // suffix: the last n bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || n < 0 {
			return r, false, nil
		}
		if n == 0 || size == 0 {
			return r, false, invalid()
		}
		return byteRange{max(0, size-n), size - 1}, true, nil
	}
	s, perr := strconv.ParseInt(first, 10, 64)
	if perr != nil || s < 0 {
		return r, false, nil
	}
	e := size - 1
	if last != "" {
		if e, perr = strconv.ParseInt(last, 10, 64); perr != nil || e < s {
			return r, false, nil
		}
	}
	if s >= size {
		return r, false, invalid()
	}
	return byteRange{s, min(e, size-1)}, true, nil
}
