package checksum

import (
	"encoding/hex"
	"testing"
)

// Published vectors: the CRC catalogue check values for "123456789", and
// the AWS SDKs' flexible-checksum test vectors for "", "abc", "Hello world".
func TestKnownVectors(t *testing.T) {
	tests := []struct {
		alg  Algorithm
		in   string
		want string // base64, as on the wire
	}{
		{CRC32, "", "AAAAAA=="},
		{CRC32, "abc", "NSRBwg=="},
		{CRC32, "Hello world", "i9aeUg=="},
		{CRC32C, "", "AAAAAA=="},
		{CRC32C, "abc", "Nks/tw=="},
		{CRC32C, "Hello world", "crUfeA=="},
		{CRC64NVME, "", "AAAAAAAAAAA="},
		{CRC64NVME, "abc", "BeXKuz/B+us="},
		{CRC64NVME, "Hello world", "OOJZ0D8xKts="},
		{SHA1, "", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
		{SHA1, "abc", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="},
		{SHA1, "Hello world", "e1AsOh9IyGCa4hLN+2Od7jlnP14="},
		{SHA256, "", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
		{SHA256, "abc", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="},
		{SHA256, "Hello world", "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="},
	}
	for _, tt := range tests {
		h := tt.alg.New()
		h.Write([]byte(tt.in))
		if got := Encode(h.Sum(nil)); got != tt.want {
			t.Errorf("%s(%q) = %s, want %s", tt.alg, tt.in, got, tt.want)
		}
		if err := Verify(tt.alg, tt.want, h.Sum(nil)); err != nil {
			t.Errorf("Verify(%s, %q): %v", tt.alg, tt.want, err)
		}
	}
}

func TestCheckValues(t *testing.T) {
	tests := []struct {
		alg  Algorithm
		want string // hex, big-endian
	}{
		{CRC32, "cbf43926"},
		{CRC32C, "e3069283"},
		{CRC64NVME, "ae8b14860a799888"},
		{SHA1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441"},
		{SHA256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"},
	}
	for _, tt := range tests {
		h := tt.alg.New()
		h.Write([]byte("123456789"))
		sum := h.Sum(nil)
		if got := hex.EncodeToString(sum); got != tt.want {
			t.Errorf("%s check = %s, want %s", tt.alg, got, tt.want)
		}
		if len(sum) != tt.alg.Size() || h.Size() != tt.alg.Size() {
			t.Errorf("%s: Size() = %d, sum %d bytes, hash.Size %d", tt.alg, tt.alg.Size(), len(sum), h.Size())
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Algorithm
		ok   bool
	}{
		{"CRC32", CRC32, true},
		{"crc32", CRC32, true},
		{"Crc32C", CRC32C, true},
		{"crc64nvme", CRC64NVME, true},
		{"sha1", SHA1, true},
		{"SHA256", SHA256, true},
		{"sha-256", "", false},
		{"crc64", "", false},
		{"MD5", "", false},
		{"", "", false},
		{" crc32", "", false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNamesAndSizes(t *testing.T) {
	tests := []struct {
		alg     Algorithm
		header  string
		element string
		size    int
		crc     bool
	}{
		{CRC32, "x-amz-checksum-crc32", "ChecksumCRC32", 4, true},
		{CRC32C, "x-amz-checksum-crc32c", "ChecksumCRC32C", 4, true},
		{CRC64NVME, "x-amz-checksum-crc64nvme", "ChecksumCRC64NVME", 8, true},
		{SHA1, "x-amz-checksum-sha1", "ChecksumSHA1", 20, false},
		{SHA256, "x-amz-checksum-sha256", "ChecksumSHA256", 32, false},
	}
	if got := All(); len(got) != len(tests) {
		t.Fatalf("All() = %v", got)
	}
	for i, tt := range tests {
		if All()[i] != tt.alg {
			t.Errorf("All()[%d] = %s, want %s", i, All()[i], tt.alg)
		}
		if tt.alg.Header() != tt.header || tt.alg.Element() != tt.element || tt.alg.Size() != tt.size || tt.alg.IsCRC() != tt.crc || !tt.alg.Valid() {
			t.Errorf("%s: header %q element %q size %d crc %v", tt.alg, tt.alg.Header(), tt.alg.Element(), tt.alg.Size(), tt.alg.IsCRC())
		}
	}
	bad := Algorithm("MD5")
	if bad.Valid() || bad.New() != nil || bad.Size() != 0 || bad.IsCRC() {
		t.Errorf("unknown algorithm treated as valid")
	}
	a := All()
	a[0] = "X"
	if All()[0] != CRC32 {
		t.Errorf("All() shares its backing array")
	}
}
