package s3api

import (
	"crypto/md5"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/checksum"
)

// deleteObject is DeleteObject: 204 whether or not the key existed; the
// blobs go after the metadata commit.
func (a *API) deleteObject(w http.ResponseWriter, rq *request) error {
	if err := checkVersionID(rq.query); err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, rq.key, nil, nil); err != nil {
		return err
	}
	orphans, err := a.st.DeleteObject(rq.ctx(), b.Name, rq.key)
	if err != nil {
		return storeErr(err, b.Name, rq.key, "")
	}
	a.deleteBlobs(orphans)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type deleteRequest struct {
	Quiet   bool `xml:"Quiet"`
	Objects []struct {
		Key       *string `xml:"Key"`
		VersionID string  `xml:"VersionId"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name      `xml:"DeleteResult"`
	NS      string        `xml:"xmlns,attr"`
	Deleted []deletedXML  `xml:"Deleted"`
	Errors  []deleteError `xml:"Error"`
}

type deletedXML struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
}

type deleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// deleteObjects is DeleteObjects: up to 1000 keys, Content-MD5 or an
// x-amz-checksum-* required (DeleteObjects API reference), s3:DeleteObject
// decided per key, results in request order (Quiet: errors only).
func (a *API) deleteObjects(w http.ResponseWriter, rq *request) error {
	h := rq.r.Header
	spec, err := parseChecksumSpec(h)
	if err != nil {
		return err
	}
	if spec.contentMD5 == "" && spec.alg == "" {
		return awserr.New(awserr.InvalidRequest, "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	if err := verifyBody(rq.r, spec, body); err != nil {
		return err
	}
	var req deleteRequest
	if err := decodeXML(body, "Delete", &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return awserr.New(awserr.MalformedXML)
	}
	out := deleteResult{NS: s3NS}
	var orphans []string
	for _, ob := range req.Objects {
		if ob.Key == nil {
			return awserr.New(awserr.MalformedXML)
		}
		key := *ob.Key
		fail := func(code, msg string) {
			out.Errors = append(out.Errors, deleteError{Key: key, VersionID: ob.VersionID, Code: code, Message: msg})
		}
		switch {
		case key == "":
			fail("UserKeyMustBeSpecified", "The key must be specified")
			continue
		case ob.VersionID != "" && ob.VersionID != "null":
			fail("NoSuchVersion", "The specified version does not exist.")
			continue
		case !a.allowed(rq, "s3:DeleteObject", b, key, nil, nil):
			fail(awserr.AccessDenied.Name, awserr.AccessDenied.Message)
			continue
		}
		ids, err := a.st.DeleteObject(rq.ctx(), b.Name, key)
		if err != nil {
			e := awserr.From(storeErr(err, b.Name, key, ""))
			if e.Code.Status >= 500 {
				a.log.Error("s3api: delete failed", "request_id", rq.info.ID, "err", err)
			}
			fail(e.Code.Name, e.Msg())
			continue
		}
		orphans = append(orphans, ids...)
		if !req.Quiet {
			out.Deleted = append(out.Deleted, deletedXML{Key: key, VersionID: ob.VersionID})
		}
	}
	a.deleteBlobs(orphans)
	return writeXML(w, http.StatusOK, out)
}

// verifyBody checks an in-memory body against Content-MD5 and the
// declared checksum.
func verifyBody(r *http.Request, spec checksumSpec, body []byte) error {
	if spec.contentMD5 != "" {
		sum := md5.Sum(body)
		if err := checksum.VerifyContentMD5(spec.contentMD5, sum[:]); err != nil {
			return err
		}
	}
	if spec.alg != "" {
		hh := spec.alg.New()
		hh.Write(body)
		want := spec.value
		if spec.trailer != "" && r.Trailer != nil {
			want = strings.TrimSpace(r.Trailer.Get(spec.trailer))
		}
		if want == "" {
			return awserr.New(awserr.MalformedTrailerError)
		}
		return checksum.Verify(spec.alg, want, hh.Sum(nil))
	}
	return nil
}
