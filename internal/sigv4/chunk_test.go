package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	modeSigned         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	modeSignedTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	modeUnsignedTraile = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// streamReq is an aws-chunked upload under construction: a request signed
// by the SDK with its seed signature, and the test's own chunk encoder.
type streamReq struct {
	mode     string
	data     []byte
	size     int      // chunk size
	trailers []string // "name:value", sent after the final chunk
	declared string   // x-amz-trailer
	secret   string   // secret used for chunk and trailer signatures
	// noDecodedLength leaves x-amz-decoded-content-length out
	noDecodedLength bool
	// edits to the framed body before it is sent
	edit func(body []byte) []byte
}

func hmacHex(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

func testSigningKey(secret string) []byte {
	k := []byte("AWS4" + secret)
	for _, s := range []string{signTime.Format("20060102"), "us-east-1", "s3", "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(s))
		k = m.Sum(nil)
	}
	return k
}

// build signs the request headers with the SDK, then frames the body: chunk
// signatures come from the SDK's stream signer (empty event headers give the
// chunk string to sign), the trailer signature from a test-side HMAC.
func (s streamReq) build(t testing.TB) *http.Request {
	t.Helper()
	hdr := http.Header{
		"Content-Encoding":             {"aws-chunked"},
		"X-Amz-Decoded-Content-Length": {strconv.Itoa(len(s.data))},
	}
	if s.declared != "" {
		hdr.Set("X-Amz-Trailer", s.declared)
	}
	if s.noDecodedLength {
		hdr.Del("X-Amz-Decoded-Content-Length")
	}
	req, _ := http.NewRequest("PUT", s3URL(t, "bucket", "streamed", "").String(), nil)
	req.URL = s3URL(t, "bucket", "streamed", "")
	req.Header = hdr
	req.Header.Set("X-Amz-Content-Sha256", s.mode)
	if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, s.mode, "s3", "us-east-1", signTime,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
		t.Fatal(err)
	}
	auth := req.Header.Get("Authorization")
	seed, _ := hex.DecodeString(auth[strings.LastIndex(auth, "=")+1:])
	secret := s.secret
	if secret == "" {
		secret = sdkSecret
	}
	creds := sdkCreds
	creds.SecretAccessKey = secret
	ss := v4.NewStreamSigner(creds, "s3", "us-east-1", seed)
	signed := s.mode != modeUnsignedTraile
	prev := hex.EncodeToString(seed)
	var body bytes.Buffer
	chunk := func(p []byte) {
		fmt.Fprintf(&body, "%x", len(p))
		if signed {
			sig, err := ss.GetSignature(context.Background(), nil, p, signTime)
			if err != nil {
				t.Fatal(err)
			}
			prev = hex.EncodeToString(sig)
			body.WriteString(";chunk-signature=" + prev)
		}
		body.WriteString("\r\n")
		body.Write(p)
		if len(p) > 0 {
			body.WriteString("\r\n")
		}
	}
	size := s.size
	if size == 0 {
		size = 64 << 10
	}
	for rest := s.data; len(rest) > 0; {
		n := min(size, len(rest))
		chunk(rest[:n])
		rest = rest[n:]
	}
	chunk(nil)
	if s.mode != modeSigned {
		var canon strings.Builder
		for _, tr := range s.trailers {
			body.WriteString(tr + "\r\n")
			canon.WriteString(tr + "\n")
		}
		if signed {
			sts := "AWS4-HMAC-SHA256-TRAILER\n" + signTime.Format("20060102T150405Z") + "\n" +
				signTime.Format("20060102") + "/us-east-1/s3/aws4_request\n" + prev + "\n" + hexSHA256([]byte(canon.String()))
			body.WriteString("x-amz-trailer-signature:" + hmacHex(testSigningKey(secret), sts) + "\r\n")
		}
	}
	body.WriteString("\r\n")
	b := body.Bytes()
	if s.edit != nil {
		b = s.edit(b)
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.ContentLength = int64(len(b))
	return toServer(t, req)
}

func data(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

func TestChunkedGood(t *testing.T) {
	crc := []string{"x-amz-checksum-crc32:AAAAAA=="}
	cases := []struct {
		name string
		s    streamReq
	}{
		{"signed empty", streamReq{mode: modeSigned, data: nil}},
		{"signed one byte", streamReq{mode: modeSigned, data: data(1)}},
		{"signed min chunks", streamReq{mode: modeSigned, data: data(3*8192 + 7), size: 8192}},
		{"signed 64k chunks", streamReq{mode: modeSigned, data: data(2*65536 + 5)}},
		{"signed one big chunk", streamReq{mode: modeSigned, data: data(1 << 20), size: 1 << 20}},
		{"signed trailer", streamReq{mode: modeSignedTrailer, data: data(70000), trailers: crc, declared: "x-amz-checksum-crc32"}},
		{"signed trailer, empty body", streamReq{mode: modeSignedTrailer, trailers: crc, declared: "x-amz-checksum-crc32"}},
		{"unsigned trailer", streamReq{mode: modeUnsignedTraile, data: data(70000), trailers: crc, declared: "x-amz-checksum-crc32"}},
		{"unsigned trailer, none declared", streamReq{mode: modeUnsignedTraile, data: data(10)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := verifyAt(tc.s.build(t), signTime)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.ContentLength != int64(len(tc.s.data)) {
				t.Errorf("ContentLength = %d", res.ContentLength)
			}
			got, err := readBody(t, res)
			if err != nil || !bytes.Equal(got, tc.s.data) {
				t.Fatalf("read %d bytes, %v", len(got), err)
			}
			if len(tc.s.trailers) > 0 && res.Trailer.Get("X-Amz-Checksum-Crc32") != "AAAAAA==" {
				t.Errorf("trailer = %v", res.Trailer)
			}
			// Reads after the end keep returning io.EOF.
			if n, err := res.Body.Read(make([]byte, 8)); n != 0 || err != io.EOF {
				t.Errorf("read after EOF: %d %v", n, err)
			}
		})
	}
}

func TestChunkedBad(t *testing.T) {
	crc := []string{"x-amz-checksum-crc32:AAAAAA=="}
	flip := func(at int) func([]byte) []byte {
		return func(b []byte) []byte {
			b = bytes.Clone(b)
			b[at] ^= 1
			return b
		}
	}
	replace := func(old, new string) func([]byte) []byte {
		return func(b []byte) []byte { return bytes.Replace(b, []byte(old), []byte(new), 1) }
	}
	cut := func(suffix int) func([]byte) []byte {
		return func(b []byte) []byte { return b[:len(b)-suffix] }
	}
	// finalChunk drops everything from the final chunk on.
	dropFinal := func(b []byte) []byte { return b[:bytes.LastIndex(b, []byte("\r\n0"))+2] }
	d := data(20000)
	cases := []struct {
		name     string
		s        streamReq
		want     string
		wantSeed bool // the error comes from Verify (the seed signature), not from Read
	}{
		{"flipped data byte, signed", streamReq{mode: modeSigned, data: d, size: 8192, edit: flip(100 + 8192)}, "SignatureDoesNotMatch", false},
		{"flipped data byte, signed trailer", streamReq{mode: modeSignedTrailer, data: d, size: 8192, trailers: crc, declared: "x-amz-checksum-crc32", edit: flip(200)}, "SignatureDoesNotMatch", false},
		{"wrong chunk signature", streamReq{mode: modeSigned, data: d, size: 8192, edit: func(b []byte) []byte {
			i := bytes.Index(b, []byte("chunk-signature=")) + len("chunk-signature=")
			return flip(i + 3)(b)
		}}, "SignatureDoesNotMatch", false},
		{"missing chunk signature", streamReq{mode: modeSigned, data: d, size: 8192, edit: func(b []byte) []byte {
			i := bytes.Index(b, []byte(";chunk-signature="))
			return append(bytes.Clone(b[:i]), b[i+len(";chunk-signature=")+64:]...)
		}}, "SignatureDoesNotMatch", false},
		{"chunks reordered", streamReq{mode: modeSigned, data: append(data(8192), bytes.Repeat([]byte{'z'}, 8192)...), size: 8192, edit: func(b []byte) []byte {
			n := len("2000;chunk-signature=") + 64 + 2 + 8192 + 2
			out := append(bytes.Clone(b[n:2*n]), b[:n]...)
			return append(out, b[2*n:]...)
		}}, "SignatureDoesNotMatch", false},
		{"missing final chunk", streamReq{mode: modeSigned, data: d, size: 8192, edit: dropFinal}, "IncompleteBody", false},
		{"missing final chunk, unsigned", streamReq{mode: modeUnsignedTraile, data: d, size: 8192, edit: dropFinal}, "IncompleteBody", false},
		{"truncated in a chunk", streamReq{mode: modeSigned, data: d, size: 8192, edit: func(b []byte) []byte { return b[:5000] }}, "IncompleteBody", false},
		{"no closing CRLF", streamReq{mode: modeSigned, data: d, edit: cut(2)}, "IncompleteBody", false},
		{"garbage after the end", streamReq{mode: modeSigned, data: d, edit: func(b []byte) []byte { return append(b, 'x') }}, "IncompleteBody", false},
		{"bad chunk size", streamReq{mode: modeUnsignedTraile, data: d, edit: replace("4e20\r\n", "4g20\r\n")}, "IncompleteBody", false},
		{"chunk larger than decoded length", streamReq{mode: modeUnsignedTraile, data: d, edit: replace("4e20\r\n", "4e21\r\n")}, "IncompleteBody", false},
		{"small chunk before the last, signed", streamReq{mode: modeSigned, data: d, size: 1000}, "InvalidChunkSizeError", false},
		{"small chunk before the last, unsigned", streamReq{mode: modeUnsignedTraile, data: d, size: 1000}, "InvalidChunkSizeError", false},
		{"wrong trailer signature", streamReq{mode: modeSignedTrailer, data: d, trailers: crc, declared: "x-amz-checksum-crc32", edit: func(b []byte) []byte {
			i := bytes.Index(b, []byte("x-amz-trailer-signature:")) + len("x-amz-trailer-signature:")
			return flip(i)(b)
		}}, "SignatureDoesNotMatch", false},
		{"trailer value changed", streamReq{mode: modeSignedTrailer, data: d, trailers: crc, declared: "x-amz-checksum-crc32", edit: replace("AAAAAA==", "AAAAAB==")}, "SignatureDoesNotMatch", false},
		{"missing trailer signature", streamReq{mode: modeSignedTrailer, data: d, trailers: crc, declared: "x-amz-checksum-crc32", edit: func(b []byte) []byte {
			i := bytes.Index(b, []byte("x-amz-trailer-signature:"))
			return append(bytes.Clone(b[:i]), "\r\n"...)
		}}, "SignatureDoesNotMatch", false},
		{"undeclared trailer", streamReq{mode: modeUnsignedTraile, data: d, trailers: []string{"x-amz-checksum-crc32:AAAAAA==", "x-amz-meta-x:1"}, declared: "x-amz-checksum-crc32"}, "MalformedTrailerError", false},
		{"declared trailer missing", streamReq{mode: modeUnsignedTraile, data: d, declared: "x-amz-checksum-crc32"}, "MalformedTrailerError", false},
		{"trailer without colon", streamReq{mode: modeUnsignedTraile, data: d, trailers: []string{"x-amz-checksum-crc32"}, declared: "x-amz-checksum-crc32"}, "MalformedTrailerError", false},
		{"wrong seed secret, signed", streamReq{mode: modeSigned, data: d, secret: "wrong"}, "SignatureDoesNotMatch", true},
		{"wrong seed secret, signed trailer", streamReq{mode: modeSignedTrailer, data: d, trailers: crc, declared: "x-amz-checksum-crc32", secret: "wrong"}, "SignatureDoesNotMatch", true},
		{"wrong seed secret, unsigned trailer", streamReq{mode: modeUnsignedTraile, data: d, trailers: crc, declared: "x-amz-checksum-crc32", secret: "wrong"}, "SignatureDoesNotMatch", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.s.build(t)
			lookup := sdkKeys
			if tc.wantSeed {
				// The client signed with tc.s.secret; the server knows the real one.
				lookup = keys(map[string]string{sdkAKID: tc.s.secret})
				r = streamReq{mode: tc.s.mode, data: tc.s.data, trailers: tc.s.trailers, declared: tc.s.declared}.build(t)
			}
			res, err := Verify(context.Background(), r, lookup, Options{Now: signTime})
			if tc.wantSeed {
				if code(err) != tc.want {
					t.Fatalf("Verify: %v, want %s", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			_, err = readBody(t, res)
			if code(err) != tc.want {
				t.Fatalf("read: %v, want %s", err, tc.want)
			}
			if len(res.Trailer) != 0 {
				t.Errorf("trailers filled on failure: %v", res.Trailer)
			}
			// The error sticks.
			if _, err2 := res.Body.Read(make([]byte, 1)); code(err2) != tc.want {
				t.Errorf("second read: %v", err2)
			}
			if tc.want == "InvalidChunkSizeError" && (field(err, "Chunk") != "2" || field(err, "BadChunkSize") != "1000") {
				t.Errorf("fields %+v", err)
			}
		})
	}
}

// A chunk's data is handed out while it arrives: the reader gets the first
// half of a 1 MiB chunk before the writer sends the second half.
func TestChunkedStreams(t *testing.T) {
	s := streamReq{mode: modeSigned, data: data(1 << 20), size: 1 << 20}
	full := s.build(t)
	framed, _ := io.ReadAll(full.Body)
	pr, pw := io.Pipe()
	full.Body = pr
	half := len(framed) / 2
	sent := make(chan struct{})
	go func() {
		_, _ = pw.Write(framed[:half])
		<-sent
		_, _ = pw.Write(framed[half:])
		_ = pw.Close()
	}()
	res, err := verifyAt(full, signTime)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1000)
	if _, err := io.ReadFull(res.Body, buf); err != nil {
		t.Fatal(err)
	}
	close(sent)
	rest, err := io.ReadAll(res.Body)
	if err != nil || len(rest)+len(buf) != 1<<20 {
		t.Fatalf("rest %d bytes, %v", len(rest), err)
	}
}

func TestAnonymousBodies(t *testing.T) {
	t.Run("no credentials", func(t *testing.T) {
		r := serverRequest("PUT", "http://b.localhost/k", "raw body")
		res, err := verifyAt(r, signTime)
		if err != nil || !res.Anonymous || res.Method != "" || res.ContentLength != 8 {
			t.Fatalf("%+v %v", res, err)
		}
		if b, err := readBody(t, res); string(b) != "raw body" || err != nil {
			t.Fatalf("%q %v", b, err)
		}
	})
	t.Run("unsigned trailer stream is decoded", func(t *testing.T) {
		body := "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"
		r := serverRequest("PUT", "http://b.localhost/k", body, "X-Amz-Content-Sha256", modeUnsignedTraile,
			"X-Amz-Decoded-Content-Length", "5", "X-Amz-Trailer", "x-amz-checksum-crc32", "Content-Encoding", "aws-chunked")
		res, err := verifyAt(r, signTime)
		if err != nil || !res.Anonymous {
			t.Fatal(err)
		}
		if b, err := readBody(t, res); string(b) != "hello" || err != nil || res.Trailer.Get("x-amz-checksum-crc32") != "NhCmhg==" {
			t.Fatalf("%q %v %v", b, err, res.Trailer)
		}
	})
	t.Run("hex hash is checked", func(t *testing.T) {
		r := serverRequest("PUT", "http://b.localhost/k", "hello", "X-Amz-Content-Sha256", hexSHA256([]byte("hellO")))
		res, err := verifyAt(r, signTime)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := readBody(t, res); code(err) != "XAmzContentSHA256Mismatch" {
			t.Fatal(err)
		}
	})
	t.Run("signed stream without a signature", func(t *testing.T) {
		r := serverRequest("PUT", "http://b.localhost/k", "x", "X-Amz-Content-Sha256", modeSigned, "X-Amz-Decoded-Content-Length", "1")
		if _, err := verifyAt(r, signTime); code(err) != "InvalidRequest" {
			t.Fatal(err)
		}
	})
}
