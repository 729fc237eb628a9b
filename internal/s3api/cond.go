package s3api

import (
	"net/http"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// etagMatches reports whether a list of entity tags (If-Match style:
// comma-separated, quoted or not, weak or not, or "*") names etag.
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == "*" || strings.Trim(t, `"`) == etag {
			return true
		}
	}
	return false
}

// parseHTTPDate parses an HTTP date; ok is false for anything else, which
// S3 ignores as if the header were absent.
func parseHTTPDate(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	t, err := http.ParseTime(v)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, v); err != nil {
			return time.Time{}, false
		}
	}
	return t, true
}

// conditions are the four read preconditions (headers of GetObject and
// HeadObject, or the x-amz-copy-source-if-* of a copy).
type conditions struct {
	ifMatch, ifNoneMatch               string
	ifModifiedSince, ifUnmodifiedSince string
	copySource                         bool
}

func readConditions(h http.Header) conditions {
	return conditions{ifMatch: h.Get("If-Match"), ifNoneMatch: h.Get("If-None-Match"),
		ifModifiedSince: h.Get("If-Modified-Since"), ifUnmodifiedSince: h.Get("If-Unmodified-Since")}
}

func copyConditions(h http.Header) conditions {
	return conditions{ifMatch: h.Get("x-amz-copy-source-if-match"), ifNoneMatch: h.Get("x-amz-copy-source-if-none-match"),
		ifModifiedSince: h.Get("x-amz-copy-source-if-modified-since"), ifUnmodifiedSince: h.Get("x-amz-copy-source-if-unmodified-since"),
		copySource: true}
}

// check evaluates the conditions against o with S3's precedence (GetObject
// API reference): If-Match true makes If-Unmodified-Since irrelevant, and
// If-None-Match false makes If-Modified-Since irrelevant. Failures of
// If-Match / If-Unmodified-Since are 412; of If-None-Match /
// If-Modified-Since 304 for reads, 412 for copy sources.
func (c conditions) check(o *store.Object) error {
	lm := o.LastModified.Truncate(time.Second)
	name := func(n string) string {
		if c.copySource {
			return "x-amz-copy-source-" + n
		}
		return n
	}
	if c.ifMatch != "" {
		if !etagMatches(c.ifMatch, o.ETag) {
			return awserr.New(awserr.PreconditionFailed).With("Condition", name("If-Match"))
		}
	} else if t, ok := parseHTTPDate(c.ifUnmodifiedSince); ok && lm.After(t) {
		return awserr.New(awserr.PreconditionFailed).With("Condition", name("If-Unmodified-Since"))
	}
	notModified := func(n string) error {
		if c.copySource {
			return awserr.New(awserr.PreconditionFailed).With("Condition", name(n))
		}
		return awserr.New(awserr.NotModified).WithHeader("ETag", `"`+o.ETag+`"`).
			WithHeader("Last-Modified", httpTime(o.LastModified))
	}
	if c.ifNoneMatch != "" {
		if etagMatches(c.ifNoneMatch, o.ETag) {
			return notModified("If-None-Match")
		}
	} else if t, ok := parseHTTPDate(c.ifModifiedSince); ok && !lm.After(t) {
		return notModified("If-Modified-Since")
	}
	return nil
}
