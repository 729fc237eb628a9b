package checksum

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
)

// Checksum types (x-amz-checksum-type, ChecksumType).
const (
	TypeFullObject = "FULL_OBJECT"
	TypeComposite  = "COMPOSITE"
)

// Supports reports whether S3 allows algorithm a with checksum type typ for
// multipart uploads ("Checking object integrity", Using supported checksum
// algorithms): the SHAs are COMPOSITE only, CRC64NVME is FULL_OBJECT only,
// CRC32 and CRC32C allow both.
func Supports(a Algorithm, typ string) bool {
	switch typ {
	case TypeFullObject:
		return a == CRC32 || a == CRC32C || a == CRC64NVME
	case TypeComposite:
		return a == CRC32 || a == CRC32C || a == SHA1 || a == SHA256
	}
	return false
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

// ETag is the ETag of a multipart object, without quotes: hex of the MD5 of
// the concatenated raw part MD5s, then "-" and the number of parts.
func ETag(partMD5s [][]byte) string {
	h := md5.New()
	for _, p := range partMD5s {
		h.Write(p)
	}
	return hexString(h.Sum(nil)) + "-" + strconv.Itoa(len(partMD5s))
}

// Composite is the COMPOSITE checksum of a multipart object: base64 of a's
// hash over the concatenated raw part checksums, then "-" and the number of
// parts. It returns "" for an unknown algorithm.
func Composite(a Algorithm, partSums [][]byte) string {
	h := a.New()
	if h == nil {
		return ""
	}
	for _, p := range partSums {
		h.Write(p)
	}
	return Encode(h.Sum(nil)) + "-" + strconv.Itoa(len(partSums))
}

// Part is one part's raw CRC (as S3 encodes it, big-endian) and its size
// in bytes, the inputs of a FULL_OBJECT combination.
type Part struct {
	Sum  []byte
	Size int64
}

var errNotCombinable = errors.New("checksum: full-object combination needs a CRC algorithm and well-formed part values")

// FullObject is the FULL_OBJECT checksum of a multipart object: the raw CRC
// of the whole object, computed from the parts' CRCs and sizes without
// reading the data. It needs a CRC algorithm; it fails on a malformed part
// value or a negative size. No parts gives the CRC of the empty object.
func FullObject(a Algorithm, parts []Part) ([]byte, error) {
	if !a.IsCRC() {
		return nil, errNotCombinable
	}
	f := field(a)
	var crc, shift uint64
	size := int64(-1)
	for _, p := range parts {
		if len(p.Sum) != a.Size() || p.Size < 0 {
			return nil, errNotCombinable
		}
		if p.Size != size { // parts mostly share one size: reuse its factor
			size, shift = p.Size, f.xPow8n(uint64(p.Size))
		}
		crc = f.mul(shift, crc) ^ unpack(p.Sum)
	}
	return pack(a, crc), nil
}

// Combine returns the raw CRC of A followed by B, given the raw CRCs of A
// (sumA) and B (sumB) and B's length. It needs a CRC algorithm.
func Combine(a Algorithm, sumA, sumB []byte, lenB int64) ([]byte, error) {
	if !a.IsCRC() || len(sumA) != a.Size() || len(sumB) != a.Size() || lenB < 0 {
		return nil, errNotCombinable
	}
	return pack(a, field(a).combine(unpack(sumA), unpack(sumB), lenB)), nil
}

func unpack(b []byte) uint64 {
	if len(b) == 4 {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

func pack(a Algorithm, crc uint64) []byte {
	if a.Size() == 4 {
		return binary.BigEndian.AppendUint32(nil, uint32(crc))
	}
	return binary.BigEndian.AppendUint64(nil, crc)
}

func field(a Algorithm) *crcField {
	switch a {
	case CRC32:
		return crc32IEEEField
	case CRC32C:
		return crc32CField
	default:
		return crc64NVMEField
	}
}
