// Package checksum implements Amazon S3's object integrity values: the
// additional checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), their wire
// encodings and errors, the MD5-based ETags, and the multipart combinations
// (composite checksums and full-object CRCs).
//
// Reference: Amazon S3 User Guide, "Checking object integrity in Amazon S3",
// and the PutObject, UploadPart and CompleteMultipartUpload API references.
// It uses only the standard library (plus internal/awserr for S3 errors).
package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"hash/crc32"
	"strings"
)

// Algorithm is an S3 additional-checksum algorithm, spelt as on the wire
// (x-amz-sdk-checksum-algorithm, x-amz-checksum-algorithm, ChecksumAlgorithm).
type Algorithm string

// The algorithms S3 accepts for additional checksums.
const (
	CRC32     Algorithm = "CRC32"
	CRC32C    Algorithm = "CRC32C"
	CRC64NVME Algorithm = "CRC64NVME"
	SHA1      Algorithm = "SHA1"
	SHA256    Algorithm = "SHA256"
)

var all = []Algorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// All returns every supported algorithm, in a fixed order. The slice is a
// fresh copy.
func All() []Algorithm { return append([]Algorithm(nil), all...) }

// Parse returns the algorithm named by name, compared case-insensitively
// ("crc32c", "CRC32C" and "Crc32c" are all CRC32C).
func Parse(name string) (Algorithm, bool) {
	for _, a := range all {
		if strings.EqualFold(name, string(a)) {
			return a, true
		}
	}
	return "", false
}

// Valid reports whether a is one of the supported algorithms.
func (a Algorithm) Valid() bool {
	switch a {
	case CRC32, CRC32C, CRC64NVME, SHA1, SHA256:
		return true
	}
	return false
}

// IsCRC reports whether a is one of the CRC algorithms, which can be
// combined into a full-object checksum.
func (a Algorithm) IsCRC() bool { return a == CRC32 || a == CRC32C || a == CRC64NVME }

// New returns a fresh hash for a. Sum writes the value in the byte order S3
// encodes (big-endian for the CRCs). It returns nil for an unknown algorithm.
func (a Algorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(castagnoli)
	case CRC64NVME:
		return NewCRC64NVME()
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	}
	return nil
}

// Size is the length in bytes of a's raw (decoded) value, 0 if unknown.
func (a Algorithm) Size() int {
	switch a {
	case CRC32, CRC32C:
		return crc32.Size
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	}
	return 0
}

// Header is the request/response header carrying a's value, e.g.
// "x-amz-checksum-crc32". Also the trailer name in aws-chunked uploads.
func (a Algorithm) Header() string { return "x-amz-checksum-" + strings.ToLower(string(a)) }

// Element is the XML element and SDK field naming a's value, e.g.
// "ChecksumCRC32" (CompleteMultipartUpload parts, ListParts, GetObjectAttributes).
func (a Algorithm) Element() string { return "Checksum" + string(a) }
