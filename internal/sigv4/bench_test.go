package sigv4

import (
	"context"
	"io"
	"testing"
)

// BenchmarkVerifyHeaderGET verifies the documentation's header-signed GET.
func BenchmarkVerifyHeaderGET(b *testing.B) {
	r := docGET()
	ctx := context.Background()
	opt := Options{Now: docTime}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, r, docKeys, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineHMACChain is the floor under any SigV4 verification:
// deriving the signing key and signing one string (five HMAC-SHA256).
func BenchmarkBaselineHMACChain(b *testing.B) {
	s := scope{date: "20130524", region: "us-east-1", service: "s3"}
	const sts = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
	b.ReportAllocs()
	for b.Loop() {
		_ = signature(signingKey(docSecret, s), sts)
	}
}

// BenchmarkChunkedSigned decodes and verifies a signed aws-chunked body of
// 1 MiB in 64 KiB chunks.
func BenchmarkChunkedSigned(b *testing.B) {
	s := streamReq{mode: modeSigned, data: data(1 << 20)}
	r := s.build(b)
	framed, _ := io.ReadAll(r.Body)
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytesReader(framed))
		res, err := verifyAt(r, signTime)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			b.Fatal(err)
		}
	}
}

func bytesReader(b []byte) io.Reader { return &sliceReader{b: b} }

type sliceReader struct{ b []byte }

func (s *sliceReader) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}
