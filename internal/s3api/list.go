package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// listing is one page of a bucket listing.
type listing struct {
	objects   []*store.Object
	prefixes  []string
	truncated bool
	// last is the last key or common prefix returned: the next page's marker.
	last string
}

// skipPast is the store cursor that skips every key under the common
// prefix cp: a key starting with cp and followed by the highest code
// point sorts after all of them but such keys, which list handles.
func skipPast(cp string) string { return cp + string(utf8.MaxRune) }

// list returns up to limit keys and common prefixes of bucket after the
// cursor, in byte order (ListObjects / ListObjectsV2). With a delimiter, a
// key containing it after the prefix rolls up into a common prefix, and the
// store is asked next for keys past that whole prefix rather than walking
// every key under it.
func (a *API) list(rq *request, bucket, prefix, delim, after string, limit int) (*listing, error) {
	out := &listing{}
	if limit <= 0 {
		return out, nil
	}
	cursor := after
	if cp, ok := commonPrefix(after, prefix, delim); ok && cp == after {
		cursor = skipPast(cp) // the marker is a common prefix already returned
	}
	lastCP := ""
	// With a delimiter, batches start small and grow while no key rolls up,
	// so that jumping past a common prefix wastes at most a small batch.
	batch := min(limit+1, 1000)
	if delim != "" {
		batch = min(batch, 32)
	}
	for {
		objs, err := a.st.ListObjects(rq.ctx(), bucket, prefix, cursor, batch)
		if err != nil {
			return nil, storeErr(err, bucket, "", "")
		}
		if len(objs) == 0 {
			return out, nil
		}
		jumped := false
		for _, o := range objs {
			if lastCP != "" && strings.HasPrefix(o.Key, lastCP) {
				cursor = o.Key
				continue
			}
			if cp, ok := commonPrefix(o.Key, prefix, delim); ok {
				if out.count() == limit {
					out.truncated = true
					return out, nil
				}
				out.prefixes = append(out.prefixes, cp)
				out.last, lastCP = cp, cp
				cursor = skipPast(cp)
				jumped = true
				break
			}
			if out.count() == limit {
				out.truncated = true
				return out, nil
			}
			out.objects = append(out.objects, o)
			out.last, cursor = o.Key, o.Key
		}
		if !jumped && len(objs) < batch {
			return out, nil
		}
		if jumped {
			batch = min(limit+1-out.count(), 32)
		} else {
			batch = min(batch*2, 1000)
		}
		batch = max(batch, 2)
	}
}

func (l *listing) count() int { return len(l.objects) + len(l.prefixes) }

// commonPrefix returns the common prefix key rolls up into: the prefix
// plus everything up to and including the first delimiter after it.
func commonPrefix(key, prefix, delim string) (string, bool) {
	if delim == "" || !strings.HasPrefix(key, prefix) {
		return "", false
	}
	i := strings.Index(key[len(prefix):], delim)
	if i < 0 {
		return "", false
	}
	return key[:len(prefix)+i+len(delim)], true
}

// listParams are the parameters ListObjects and ListObjectsV2 share.
type listParams struct {
	prefix, delimiter, encoding string
	maxKeys                     int
	maxKeysRaw                  string
}

func parseListParams(q map[string][]string) (listParams, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	p := listParams{prefix: get("prefix"), delimiter: get("delimiter"), encoding: get("encoding-type"), maxKeys: 1000}
	if _, ok := q["encoding-type"]; ok && p.encoding != "url" {
		return p, awserr.New(awserr.InvalidArgument, "Invalid Encoding Method specified in Request").
			With("ArgumentName", "encoding-type").With("ArgumentValue", p.encoding)
	}
	if v, ok := q["max-keys"]; ok {
		p.maxKeysRaw = v[0]
		n, err := strconv.ParseInt(v[0], 10, 32)
		if err != nil {
			return p, awserr.New(awserr.InvalidArgument, "Provided max-keys not an integer or within integer range").
				With("ArgumentName", "max-keys").With("ArgumentValue", v[0])
		}
		if n < 0 {
			return p, awserr.New(awserr.InvalidArgument, "Argument maxKeys must be an integer between 0 and 2147483647").
				With("ArgumentName", "maxKeys").With("ArgumentValue", v[0])
		}
		p.maxKeys = int(min(n, 1000))
	}
	return p, nil
}

func (p listParams) conditionKeys() map[string][]string {
	c := map[string][]string{"s3:prefix": {p.prefix}}
	if p.delimiter != "" {
		c["s3:delimiter"] = []string{p.delimiter}
	}
	c["s3:max-keys"] = []string{strconv.Itoa(p.maxKeys)}
	return c
}

// urlEncode escapes a key as S3 does for encoding-type=url: unreserved
// characters and "/" stay, a space becomes "+", everything else %XX.
func urlEncode(s string) string {
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

type objectXML struct {
	Key               string `xml:"Key"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              int64  `xml:"Size"`
	Owner             *owner `xml:"Owner,omitempty"`
	StorageClass      string `xml:"StorageClass"`
}

type prefixXML struct {
	Prefix string `xml:"Prefix"`
}

type listBucketResult struct {
	XMLName               xml.Name    `xml:"ListBucketResult"`
	NS                    string      `xml:"xmlns,attr"`
	Name                  string      `xml:"Name"`
	Prefix                string      `xml:"Prefix"`
	Marker                *string     `xml:"Marker"`
	NextMarker            string      `xml:"NextMarker,omitempty"`
	ContinuationToken     string      `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string      `xml:"NextContinuationToken,omitempty"`
	StartAfter            string      `xml:"StartAfter,omitempty"`
	KeyCount              *int        `xml:"KeyCount"`
	MaxKeys               int         `xml:"MaxKeys"`
	Delimiter             string      `xml:"Delimiter,omitempty"`
	EncodingType          string      `xml:"EncodingType,omitempty"`
	IsTruncated           bool        `xml:"IsTruncated"`
	Contents              []objectXML `xml:"Contents"`
	CommonPrefixes        []prefixXML `xml:"CommonPrefixes"`
}

// fill puts a listing's entries into the result, encoding names when asked.
func (a *API) fill(rq *request, res *listBucketResult, l *listing, p listParams, withOwner bool) {
	enc := func(s string) string { return s }
	if p.encoding == "url" {
		enc = urlEncode
		res.EncodingType = "url"
	}
	res.Prefix = enc(p.prefix)
	res.Delimiter = enc(p.delimiter)
	owners := map[string]string{}
	for _, o := range l.objects {
		x := objectXML{Key: enc(o.Key), LastModified: isoTime(o.LastModified), ETag: `"` + o.ETag + `"`,
			ChecksumAlgorithm: o.ChecksumAlgorithm, ChecksumType: o.ChecksumType, Size: o.Size, StorageClass: o.StorageClass}
		if x.StorageClass == "" {
			x.StorageClass = "STANDARD"
		}
		if withOwner {
			x.Owner = &owner{ID: a.canonicalID(rq, o.OwnerAccount, owners)}
		}
		res.Contents = append(res.Contents, x)
	}
	for _, cp := range l.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{enc(cp)})
	}
}

// listObjectsV1 is ListObjects: marker, and NextMarker only with a delimiter.
func (a *API) listObjectsV1(w http.ResponseWriter, rq *request) error {
	p, err := parseListParams(rq.query)
	if err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, p.conditionKeys()); err != nil {
		return err
	}
	marker := rq.query.Get("marker")
	l, err := a.list(rq, b.Name, p.prefix, p.delimiter, marker, p.maxKeys)
	if err != nil {
		return err
	}
	res := listBucketResult{NS: s3NS, Name: b.Name, MaxKeys: p.maxKeys, IsTruncated: l.truncated}
	a.fill(rq, &res, l, p, true)
	m := marker
	if p.encoding == "url" {
		m = urlEncode(marker)
	}
	res.Marker = &m
	if l.truncated && p.delimiter != "" {
		res.NextMarker = l.last
		if p.encoding == "url" {
			res.NextMarker = urlEncode(l.last)
		}
	}
	return writeXML(w, http.StatusOK, res)
}

// listObjectsV2 is ListObjectsV2. The continuation token is opaque to
// clients: base64url of the last key or common prefix returned.
func (a *API) listObjectsV2(w http.ResponseWriter, rq *request) error {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return err
	}
	after, startAfter := "", q.Get("start-after")
	token, hasToken := "", q.Has("continuation-token")
	if hasToken {
		token = q.Get("continuation-token")
		t, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(t) == 0 || !utf8.Valid(t) {
			return awserr.New(awserr.InvalidArgument, "The continuation token provided is incorrect").
				With("ArgumentName", "continuation-token")
		}
		after = string(t)
	} else {
		after = startAfter
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, p.conditionKeys()); err != nil {
		return err
	}
	l, err := a.list(rq, b.Name, p.prefix, p.delimiter, after, p.maxKeys)
	if err != nil {
		return err
	}
	kc := l.count()
	res := listBucketResult{NS: s3NS, Name: b.Name, MaxKeys: p.maxKeys, IsTruncated: l.truncated, KeyCount: &kc,
		ContinuationToken: token}
	a.fill(rq, &res, l, p, q.Get("fetch-owner") == "true")
	if startAfter != "" {
		res.StartAfter = startAfter
		if p.encoding == "url" {
			res.StartAfter = urlEncode(startAfter)
		}
	}
	if l.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.last))
	}
	return writeXML(w, http.StatusOK, res)
}
