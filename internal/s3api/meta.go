package s3api

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// storageClasses are the x-amz-storage-class values S3 accepts.
var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true,
}

const metaPrefix = "X-Amz-Meta-"

// metaFromHeaders reads the attributes an object is stored with from the
// request headers: the standard ones, x-amz-meta-*, storage class and
// tagging. Only these headers are read: nothing else a client sends
// becomes metadata.
func metaFromHeaders(h http.Header) (store.ObjectMeta, error) {
	m := store.ObjectMeta{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    stripAWSChunked(h.Get("Content-Encoding")),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
	}
	if m.ContentType == "" {
		m.ContentType = "binary/octet-stream"
	}
	for _, v := range []string{m.ContentType, m.ContentEncoding, m.ContentDisposition, m.ContentLanguage, m.CacheControl, m.Expires} {
		if !headerSafe(v) {
			return m, awserr.New(awserr.InvalidArgument, "Header value contains a control character")
		}
	}
	um, err := userMeta(h)
	if err != nil {
		return m, err
	}
	m.UserMeta = um
	if sc := h.Get("x-amz-storage-class"); sc != "" {
		if !storageClasses[sc] {
			return m, awserr.New(awserr.InvalidStorageClass).With("StorageClassRequested", sc)
		}
		m.StorageClass = sc
	}
	if h.Get("x-amz-tagging") != "" {
		tags, err := parseTagging(h.Get("x-amz-tagging"))
		if err != nil {
			return m, err
		}
		m.Tags = tags
	}
	return m, nil
}

// userMeta reads x-amz-meta-* (names lower-cased, repeated headers joined
// with ","), at most 2 KB of names and values (MetadataTooLarge).
func userMeta(h http.Header) (map[string]string, error) {
	var um map[string]string
	size := 0
	for k, vs := range h {
		if len(k) <= len(metaPrefix) || !strings.EqualFold(k[:len(metaPrefix)], metaPrefix) {
			continue
		}
		name := strings.ToLower(k[len(metaPrefix):])
		v := strings.Join(vs, ",")
		if !headerSafe(v) {
			return nil, awserr.New(awserr.InvalidArgument, "Header value contains a control character").
				With("ArgumentName", k)
		}
		if um == nil {
			um = map[string]string{}
		}
		um[name] = v
		size += len(name) + len(v)
	}
	if size > maxMetaSize {
		return nil, awserr.New(awserr.MetadataTooLarge).With("Size", strconv.Itoa(size)).
			With("MaxSizeAllowed", strconv.Itoa(maxMetaSize))
	}
	return um, nil
}

// headerSafe reports whether v may be echoed in a response header: no
// control characters but tab.
func headerSafe(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// stripAWSChunked removes the aws-chunked transfer coding from a
// Content-Encoding value; it describes the request, not the object.
func stripAWSChunked(v string) string {
	if v == "" {
		return ""
	}
	var keep []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "aws-chunked") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ",")
}

// parseTagging parses x-amz-tagging (URL query encoding): at most 10
// tags, keys up to 128 and values up to 256 characters, no duplicates
// ("Categorizing your storage using tags").
func parseTagging(v string) (map[string]string, error) {
	bad := awserr.New(awserr.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.").
		With("ArgumentName", "x-amz-tagging")
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, bad
	}
	if len(q) > 10 {
		return nil, awserr.New(awserr.BadRequest, "Object tags cannot be greater than 10")
	}
	tags := make(map[string]string, len(q))
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, bad
		}
		if k == "" || len([]rune(k)) > 128 {
			return nil, awserr.New(awserr.InvalidTag, "The TagKey you have provided is invalid")
		}
		if len([]rune(vs[0])) > 256 {
			return nil, awserr.New(awserr.InvalidTag, "The TagValue you have provided is invalid")
		}
		tags[k] = vs[0]
	}
	return tags, nil
}

// setObjectHeaders writes an object's stored attributes as response headers.
func setObjectHeaders(h http.Header, o *store.Object) {
	h.Set("Last-Modified", httpTime(o.LastModified))
	h.Set("ETag", `"`+o.ETag+`"`)
	h.Set("Content-Type", o.ContentType)
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-amz-server-side-encryption", "AES256")
	set := func(k, v string) {
		if v != "" && headerSafe(v) {
			h.Set(k, v)
		}
	}
	set("Content-Encoding", o.ContentEncoding)
	set("Content-Disposition", o.ContentDisposition)
	set("Content-Language", o.ContentLanguage)
	set("Cache-Control", o.CacheControl)
	set("Expires", o.Expires)
	if o.StorageClass != "" && o.StorageClass != "STANDARD" {
		h.Set("x-amz-storage-class", o.StorageClass)
	}
	names := make([]string, 0, len(o.UserMeta))
	for k := range o.UserMeta {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if v := o.UserMeta[k]; headerSafe(v) {
			h["x-amz-meta-"+k] = []string{v}
		}
	}
	if len(o.Tags) > 0 {
		h.Set("x-amz-tagging-count", strconv.Itoa(len(o.Tags)))
	}
}
