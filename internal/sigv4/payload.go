package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

const headerContentSHA256 = "X-Amz-Content-Sha256"

// payloadMode is the form of a request body named by x-amz-content-sha256
// (S3 API Reference, "Authenticating Requests: Using the Authorization
// Header", table of x-amz-content-sha256 values).
type payloadMode int

const (
	payloadHex                   payloadMode = iota // the hex SHA-256 of the body
	payloadUnsigned                                 // UNSIGNED-PAYLOAD
	payloadStreamSigned                             // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
	payloadStreamSignedTrailer                      // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
	payloadStreamUnsignedTrailer                    // STREAMING-UNSIGNED-PAYLOAD-TRAILER
	payloadECDSA                                    // STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER] (SigV4a)
)

func parsePayloadMode(v string) (payloadMode, bool) {
	switch v {
	case "UNSIGNED-PAYLOAD":
		return payloadUnsigned, true
	case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
		return payloadStreamSigned, true
	case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
		return payloadStreamSignedTrailer, true
	case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
		return payloadStreamUnsignedTrailer, true
	case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER":
		return payloadECDSA, true
	}
	if len(v) != 64 {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if !isHex(v[i]) {
			return 0, false
		}
	}
	return payloadHex, true
}

// withPayload gives res the body of r as mode says.
func withPayload(res *Result, r *http.Request, mode payloadMode, value string, cs *chunkSigner) (*Result, error) {
	switch mode {
	case payloadHex:
		return withHexBody(res, r, value)
	case payloadUnsigned:
		res.Body, res.ContentLength = r.Body, r.ContentLength
		return res, nil
	default:
		return withChunkedBody(res, r, mode, cs)
	}
}

func errContentMismatch(client, computed string) *awserr.Error {
	return awserr.New(awserr.XAmzContentSHA256Mismatch).
		With("ClientComputedContentSHA256", client).
		With("S3ComputedContentSHA256", computed)
}

// withHexBody checks the body against its declared SHA-256 while it is read;
// a known-empty body is checked at once.
func withHexBody(res *Result, r *http.Request, want string) (*Result, error) {
	res.Body, res.ContentLength = r.Body, r.ContentLength
	if r.ContentLength == 0 {
		if !strings.EqualFold(want, emptySHA256) {
			return nil, errContentMismatch(want, emptySHA256)
		}
		return res, nil
	}
	res.Body = &hashReader{rc: r.Body, h: sha256.New(), want: want}
	return res, nil
}

// hashReader hashes a body as it streams and, at its end, returns
// XAmzContentSHA256Mismatch instead of io.EOF when the hash differs.
type hashReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
	err  error
}

func (h *hashReader) Read(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	n, err := h.rc.Read(p)
	h.h.Write(p[:n])
	switch {
	case err == io.EOF:
		if sum := hex.EncodeToString(h.h.Sum(nil)); !strings.EqualFold(sum, h.want) {
			h.err = errContentMismatch(h.want, sum)
			return n, h.err
		}
		h.err = io.EOF
	case err != nil:
		h.err = bodyError(err)
	}
	return n, h.err
}

func (h *hashReader) Close() error { return h.rc.Close() }

// bodyError turns an early end of the connection into IncompleteBody.
func bodyError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errIncompleteBody()
	}
	return err
}

// withChunkedBody decodes an aws-chunked body. cs is nil for unsigned
// streams of anonymous requests.
func withChunkedBody(res *Result, r *http.Request, mode payloadMode, cs *chunkSigner) (*Result, error) {
	raw := r.Header.Get(headerDecodedCL)
	if raw == "" {
		return nil, awserr.New(awserr.MissingContentLength, "You must provide the Content-Length HTTP header.")
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return nil, awserr.New(awserr.InvalidArgument, "x-amz-decoded-content-length must be a non-negative integer").
			With("ArgumentName", "x-amz-decoded-content-length").With("ArgumentValue", raw)
	}
	var declared []string
	if mode != payloadStreamSigned {
		for _, v := range r.Header.Values(headerTrailer) {
			for _, name := range strings.Split(v, ",") {
				if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
					declared = append(declared, name)
				}
			}
		}
	}
	res.ContentLength = n
	res.Trailer = http.Header{}
	res.Body = newChunkReader(r.Body, chunkConfig{
		signed:    mode == payloadStreamSigned || mode == payloadStreamSignedTrailer,
		trailers:  mode != payloadStreamSigned,
		declared:  declared,
		decodedCL: n,
		signer:    cs,
		out:       res.Trailer,
	})
	return res, nil
}

// bufferedPayload reads the whole body of a non-S3 request (bounded by
// MaxUnsignedPayloadBuffer), gives it back as res.Body and returns its hex
// SHA-256, the payload hash of its canonical request.
func (v *verifier) bufferedPayload(res *Result) (string, error) {
	r, limit := v.r, v.opt.MaxUnsignedPayloadBuffer
	if r.ContentLength > limit {
		return "", awserr.New(awserr.RequestEntityTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return "", bodyError(err)
	}
	if int64(len(b)) > limit {
		return "", awserr.New(awserr.RequestEntityTooLarge)
	}
	h := sha256.Sum256(b)
	sum := hex.EncodeToString(h[:])
	if hv := r.Header.Get(headerContentSHA256); hv != "" && !strings.EqualFold(hv, sum) {
		return "", awserr.New(awserr.SignatureDoesNotMatch, msgQuerySignatureMismatch)
	}
	res.Body = readCloser{bytes.NewReader(b), r.Body}
	res.ContentLength = int64(len(b))
	return sum, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
