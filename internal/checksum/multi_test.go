package checksum

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestMultiHasher(t *testing.T) {
	const body = "Hello world"
	m := NewMultiHasher(SHA256, CRC32, CRC32, "BOGUS", CRC64NVME)
	if got := m.Algorithms(); len(got) != 3 || got[0] != SHA256 || got[1] != CRC32 || got[2] != CRC64NVME {
		t.Fatalf("Algorithms() = %v", got)
	}
	// Stream through io.Copy in small pieces.
	if _, err := io.CopyBuffer(m, strings.NewReader(body), make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
	want := md5.Sum([]byte(body))
	if hex.EncodeToString(m.MD5()) != hex.EncodeToString(want[:]) || m.ETag() != "3e25960a79dbc69b674cd4ec67a72c62" {
		t.Errorf("MD5 = %x, ETag %s", m.MD5(), m.ETag())
	}
	if m.Len() != int64(len(body)) {
		t.Errorf("Len = %d", m.Len())
	}
	tests := []struct {
		alg  Algorithm
		want string
	}{
		{CRC32, "i9aeUg=="},
		{CRC64NVME, "OOJZ0D8xKts="},
		{SHA256, "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="},
	}
	for _, tt := range tests {
		if got := Encode(m.Sum(tt.alg)); got != tt.want {
			t.Errorf("Sum(%s) = %s, want %s", tt.alg, got, tt.want)
		}
		if err := m.Verify(tt.alg, tt.want); err != nil {
			t.Errorf("Verify(%s): %v", tt.alg, err)
		}
	}
	if m.Sum(CRC32C) != nil {
		t.Errorf("Sum of an uncomputed algorithm is not nil")
	}
	// Fail closed: a value for an algorithm not computed never passes.
	if err := m.Verify(CRC32C, "crUfeA=="); !awserr.Is(err, awserr.BadDigest) {
		t.Errorf("Verify uncomputed = %v, want BadDigest", err)
	}
	if err := m.Verify(CRC32C, "bad"); !awserr.Is(err, awserr.InvalidRequest) {
		t.Errorf("Verify uncomputed malformed = %v, want InvalidRequest", err)
	}
	if err := m.Verify(CRC32, "AAAAAA=="); !awserr.Is(err, awserr.BadDigest) {
		t.Errorf("Verify mismatch = %v", err)
	}

	m.Reset()
	if m.Len() != 0 || Encode(m.Sum(CRC32)) != "AAAAAA==" || m.ETag() != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("after Reset: len %d crc %s etag %s", m.Len(), Encode(m.Sum(CRC32)), m.ETag())
	}
}

func TestMultiHasherMD5Only(t *testing.T) {
	m := NewMultiHasher()
	m.Write([]byte("abc"))
	if m.ETag() != "900150983cd24fb0d6963f7d28e17f72" || len(m.Algorithms()) != 0 || m.Sum(CRC32) != nil {
		t.Errorf("MD5-only hasher: %s %v", m.ETag(), m.Algorithms())
	}
}
