package s3api

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// intParam reads a non-negative integer query parameter (def when
// absent), capped at 1000, with S3's two InvalidArgument messages.
func intParam(q map[string][]string, name string, def int) (int, error) {
	n, err := uncappedParam(q, name, def)
	return min(n, 1000), err
}

// uncappedParam is intParam without the cap (markers).
func uncappedParam(q map[string][]string, name string, def int) (int, error) {
	v, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(v[0], 10, 32)
	if err != nil {
		return 0, awserr.Newf(awserr.InvalidArgument, "Provided %s not an integer or within integer range", name).
			With("ArgumentName", name).With("ArgumentValue", v[0])
	}
	if n < 0 {
		return 0, awserr.Newf(awserr.InvalidArgument, "Argument %s must be an integer between 0 and 2147483647", name).
			With("ArgumentName", name).With("ArgumentValue", v[0])
	}
	return int(n), nil
}

type partXML struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	checksums
}

type listPartsResult struct {
	XMLName              xml.Name  `xml:"ListPartsResult"`
	NS                   string    `xml:"xmlns,attr"`
	Bucket               string    `xml:"Bucket"`
	Key                  string    `xml:"Key"`
	UploadID             string    `xml:"UploadId"`
	PartNumberMarker     int       `xml:"PartNumberMarker"`
	NextPartNumberMarker int       `xml:"NextPartNumberMarker"`
	MaxParts             int       `xml:"MaxParts"`
	IsTruncated          bool      `xml:"IsTruncated"`
	Parts                []partXML `xml:"Part"`
	Initiator            owner     `xml:"Initiator"`
	Owner                owner     `xml:"Owner"`
	StorageClass         string    `xml:"StorageClass"`
	ChecksumAlgorithm    string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string    `xml:"ChecksumType,omitempty"`
}

// listParts is ListParts (max-parts, part-number-marker).
func (a *API) listParts(w http.ResponseWriter, rq *request) error {
	maxParts, err := intParam(rq.query, "max-parts", 1000)
	if err != nil {
		return err
	}
	marker, err := uncappedParam(rq.query, "part-number-marker", 0)
	if err != nil {
		return err
	}
	b, u, err := a.uploadFor(rq, rq.op.action)
	if err != nil {
		return err
	}
	parts, err := a.st.ListParts(rq.ctx(), u.ID, marker, maxParts+1)
	if err != nil {
		return storeErr(err, b.Name, rq.key, u.ID)
	}
	res := listPartsResult{NS: s3NS, Bucket: b.Name, Key: u.Key, UploadID: u.ID, PartNumberMarker: marker,
		MaxParts: maxParts, Initiator: owner{ID: u.InitiatorID}, StorageClass: storageClassOf(u.StorageClass),
		ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType}
	res.Owner = owner{ID: a.canonicalID(rq, u.OwnerAccount, nil)}
	if len(parts) > maxParts {
		parts, res.IsTruncated = parts[:maxParts], true
	}
	for _, p := range parts {
		x := partXML{PartNumber: p.Number, LastModified: isoTime(p.LastModified), ETag: `"` + p.ETag + `"`, Size: p.Size}
		if u.ChecksumAlgorithm != "" {
			x.checksums = checksumsOf(u.ChecksumAlgorithm, p.Checksum)
		}
		res.Parts = append(res.Parts, x)
		res.NextPartNumberMarker = p.Number
	}
	return writeXML(w, http.StatusOK, res)
}

func storageClassOf(s string) string {
	if s == "" {
		return "STANDARD"
	}
	return s
}

type uploadXML struct {
	Key               string `xml:"Key"`
	UploadID          string `xml:"UploadId"`
	Initiator         owner  `xml:"Initiator"`
	Owner             owner  `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
	Initiated         string `xml:"Initiated"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

type listUploadsResult struct {
	XMLName            xml.Name    `xml:"ListMultipartUploadsResult"`
	NS                 string      `xml:"xmlns,attr"`
	Bucket             string      `xml:"Bucket"`
	KeyMarker          string      `xml:"KeyMarker"`
	UploadIDMarker     string      `xml:"UploadIdMarker"`
	NextKeyMarker      string      `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string      `xml:"NextUploadIdMarker,omitempty"`
	Delimiter          string      `xml:"Delimiter,omitempty"`
	Prefix             string      `xml:"Prefix"`
	MaxUploads         int         `xml:"MaxUploads"`
	EncodingType       string      `xml:"EncodingType,omitempty"`
	IsTruncated        bool        `xml:"IsTruncated"`
	Uploads            []uploadXML `xml:"Upload"`
	CommonPrefixes     []prefixXML `xml:"CommonPrefixes"`
}

// listUploads is ListMultipartUploads, grouped by delimiter like listings
// (a common prefix is skipped past in the store, not walked).
func (a *API) listUploads(w http.ResponseWriter, rq *request) error {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return err
	}
	maxUploads, err := intParam(q, "max-uploads", 1000)
	if err != nil {
		return err
	}
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	enc := func(s string) string { return s }
	res := listUploadsResult{NS: s3NS, Bucket: b.Name, KeyMarker: keyMarker, UploadIDMarker: idMarker, MaxUploads: maxUploads}
	if p.encoding == "url" {
		enc, res.EncodingType = urlEncode, "url"
	}
	res.KeyMarker, res.Prefix, res.Delimiter = enc(keyMarker), enc(p.prefix), enc(p.delimiter)
	ups, cps, truncated, err := a.scanUploads(rq, b.Name, p.prefix, p.delimiter, keyMarker, idMarker, maxUploads)
	if err != nil {
		return err
	}
	owners := map[string]string{}
	for _, u := range ups {
		res.Uploads = append(res.Uploads, uploadXML{Key: enc(u.Key), UploadID: u.ID, Initiator: owner{ID: u.InitiatorID},
			Owner: owner{ID: a.canonicalID(rq, u.OwnerAccount, owners)}, StorageClass: storageClassOf(u.StorageClass),
			Initiated: isoTime(u.Initiated), ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType})
	}
	for _, cp := range cps {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{enc(cp.Prefix)})
	}
	if truncated {
		res.IsTruncated = true
		if n := len(ups); n > 0 && (len(cps) == 0 || ups[n-1].Key > cps[len(cps)-1].Prefix) {
			res.NextKeyMarker, res.NextUploadIDMarker = enc(ups[n-1].Key), ups[n-1].ID
		} else if len(cps) > 0 {
			res.NextKeyMarker = enc(cps[len(cps)-1].Prefix)
		}
	}
	return writeXML(w, http.StatusOK, res)
}

// scanUploads pages through a bucket's uploads after the markers.
func (a *API) scanUploads(rq *request, bucket, prefix, delim, keyMarker, idMarker string, limit int) ([]*store.Upload, []prefixXML, bool, error) {
	var ups []*store.Upload
	var cps []prefixXML
	if limit <= 0 {
		return nil, nil, false, nil
	}
	if cp, ok := commonPrefix(keyMarker, prefix, delim); ok && cp == keyMarker {
		keyMarker, idMarker = skipPast(cp), ""
	}
	lastCP := ""
	batch := min(limit+1, 1000)
	for {
		page, err := a.st.ListUploads(rq.ctx(), bucket, prefix, keyMarker, idMarker, batch)
		if err != nil {
			return nil, nil, false, storeErr(err, bucket, "", "")
		}
		jumped := false
		for _, u := range page {
			if lastCP != "" && len(u.Key) >= len(lastCP) && u.Key[:len(lastCP)] == lastCP {
				keyMarker, idMarker = u.Key, u.ID
				continue
			}
			if len(ups)+len(cps) == limit {
				return ups, cps, true, nil
			}
			if cp, ok := commonPrefix(u.Key, prefix, delim); ok {
				cps = append(cps, prefixXML{cp})
				lastCP = cp
				keyMarker, idMarker = skipPast(cp), ""
				jumped = true
				break
			}
			ups = append(ups, u)
			keyMarker, idMarker = u.Key, u.ID
		}
		if !jumped && len(page) < batch {
			return ups, cps, false, nil
		}
	}
}

// options answers a CORS preflight: crossbucket configures no CORS, so S3's
// answers for a bucket without a CORS configuration.
func (a *API) options(w http.ResponseWriter, rq *request) error {
	if rq.r.Header.Get("Origin") == "" {
		return awserr.New(awserr.BadRequest)
	}
	return awserr.New(awserr.AccessForbidden).With("Method", rq.r.Header.Get("Access-Control-Request-Method")).
		With("ResourceType", "OBJECT")
}
