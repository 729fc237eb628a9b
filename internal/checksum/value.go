package checksum

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Encode is the wire form of a raw checksum or digest: standard base64 with
// padding, as in x-amz-checksum-* headers and Checksum* XML elements.
func Encode(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// Decode parses a's wire value s (a header, trailer or XML element) into raw
// bytes. Anything that is not base64 of exactly a.Size() bytes is S3's
// InvalidRequest "Value for x-amz-checksum-<alg> header is invalid.".
func Decode(a Algorithm, s string) ([]byte, error) {
	if !a.Valid() || len(s) != base64.StdEncoding.EncodedLen(a.Size()) {
		return nil, InvalidValue(a)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != a.Size() {
		return nil, InvalidValue(a)
	}
	return b, nil
}

// InvalidValue is S3's error for a malformed x-amz-checksum-<alg> value:
// 400 InvalidRequest "Value for x-amz-checksum-crc32 header is invalid."
func InvalidValue(a Algorithm) *awserr.Error {
	return awserr.New(awserr.InvalidRequest, "Value for "+a.Header()+" header is invalid.")
}

// Mismatch is S3's error for a well-formed checksum that does not match the
// data: 400 BadDigest "The CRC32 you specified did not match the calculated
// checksum." (the algorithm in its upper-case wire spelling).
func Mismatch(a Algorithm) *awserr.Error {
	return awserr.New(awserr.BadDigest, "The "+string(a)+" you specified did not match the calculated checksum.")
}

// Verify checks a client-supplied wire value want against the computed raw
// sum: InvalidValue when want is malformed, Mismatch when it differs, nil
// when they agree.
func Verify(a Algorithm, want string, sum []byte) error {
	w, err := Decode(a, want)
	if err != nil {
		return err
	}
	if !bytes.Equal(w, sum) {
		return Mismatch(a)
	}
	return nil
}

// VerifyContentMD5 checks a Content-MD5 header against the body's MD5 sum.
// A value that is not base64 of 16 bytes is InvalidDigest ("The Content-MD5
// you specified is not valid."); a well-formed value that differs is
// BadDigest ("The Content-MD5 you specified did not match what we
// received."). See the PutObject API reference, Content-MD5.
func VerifyContentMD5(header string, sum []byte) error {
	if len(header) != base64.StdEncoding.EncodedLen(md5.Size) {
		return awserr.New(awserr.InvalidDigest)
	}
	b, err := base64.StdEncoding.DecodeString(header)
	if err != nil || len(b) != md5.Size {
		return awserr.New(awserr.InvalidDigest)
	}
	if !bytes.Equal(b, sum) {
		return awserr.New(awserr.BadDigest)
	}
	return nil
}
