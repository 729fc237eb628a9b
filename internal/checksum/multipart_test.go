package checksum

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

func TestETag(t *testing.T) {
	a, b := md5.Sum([]byte("part one")), md5.Sum([]byte("part two"))
	both := md5.Sum(append(a[:], b[:]...))
	tests := []struct {
		parts [][]byte
		want  string
	}{
		{[][]byte{a[:], b[:]}, hex.EncodeToString(both[:]) + "-2"},
		// One part: still md5-of-md5s with "-1", never the part's own MD5.
		{[][]byte{a[:]}, func() string { s := md5.Sum(a[:]); return hex.EncodeToString(s[:]) + "-1" }()},
	}
	for _, tt := range tests {
		if got := ETag(tt.parts); got != tt.want {
			t.Errorf("ETag = %s, want %s", got, tt.want)
		}
	}
	if got := ETag([][]byte{b[:], a[:]}); got == tests[0].want {
		t.Errorf("ETag ignores part order")
	}
}

func TestComposite(t *testing.T) {
	p1, p2, p3 := sha256.Sum256([]byte("1")), sha256.Sum256([]byte("2")), sha256.Sum256([]byte("3"))
	whole := sha256.Sum256(bytes.Join([][]byte{p1[:], p2[:], p3[:]}, nil))
	if got, want := Composite(SHA256, [][]byte{p1[:], p2[:], p3[:]}), Encode(whole[:])+"-3"; got != want {
		t.Errorf("Composite SHA256 = %s, want %s", got, want)
	}
	// CRC32 composite: the CRC32 of the concatenated big-endian part CRCs.
	c1, c2 := sum(CRC32, []byte("Hello ")), sum(CRC32, []byte("world"))
	if got, want := Composite(CRC32, [][]byte{c1, c2}), Encode(sum(CRC32, append(append([]byte{}, c1...), c2...)))+"-2"; got != want {
		t.Errorf("Composite CRC32 = %s, want %s", got, want)
	}
	if Composite("MD5", nil) != "" {
		t.Errorf("Composite of unknown algorithm is not empty")
	}
}

func TestSupports(t *testing.T) {
	tests := []struct {
		alg        Algorithm
		full, comp bool
	}{
		{CRC32, true, true},
		{CRC32C, true, true},
		{CRC64NVME, true, false},
		{SHA1, false, true},
		{SHA256, false, true},
		{"MD5", false, false},
	}
	for _, tt := range tests {
		if Supports(tt.alg, TypeFullObject) != tt.full || Supports(tt.alg, TypeComposite) != tt.comp {
			t.Errorf("Supports(%s): full %v composite %v", tt.alg, Supports(tt.alg, TypeFullObject), Supports(tt.alg, TypeComposite))
		}
		if Supports(tt.alg, "full_object") || Supports(tt.alg, "") {
			t.Errorf("Supports(%s) accepts a non-wire type", tt.alg)
		}
	}
}

func sum(a Algorithm, p []byte) []byte {
	h := a.New()
	h.Write(p)
	return h.Sum(nil)
}

// TestFullObjectRandomSplits: combining the parts' CRCs equals the CRC of
// the whole object, for random data cut at random places (empty parts too).
func TestFullObjectRandomSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, a := range []Algorithm{CRC32, CRC32C, CRC64NVME} {
		for trial := range 200 {
			n := r.IntN(5000)
			if trial%50 == 0 {
				n = 1<<20 + r.IntN(100) // some larger objects
			}
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			var parts []Part
			for rest := data; ; {
				cut := 0
				if len(rest) > 0 {
					cut = r.IntN(len(rest) + 1)
				}
				parts = append(parts, Part{Sum: sum(a, rest[:cut]), Size: int64(cut)})
				rest = rest[cut:]
				if len(rest) == 0 {
					break
				}
			}
			got, err := FullObject(a, parts)
			if err != nil {
				t.Fatal(err)
			}
			if want := sum(a, data); !bytes.Equal(got, want) {
				t.Fatalf("%s: %d bytes in %d parts: got %x want %x", a, n, len(parts), got, want)
			}
		}
	}
}

func TestCombine(t *testing.T) {
	a, b := []byte("Hello "), []byte("world")
	for _, alg := range []Algorithm{CRC32, CRC32C, CRC64NVME} {
		got, err := Combine(alg, sum(alg, a), sum(alg, b), int64(len(b)))
		if err != nil || !bytes.Equal(got, sum(alg, []byte("Hello world"))) {
			t.Errorf("%s: Combine = %x, %v", alg, got, err)
		}
		// Combining with an empty B leaves A unchanged.
		if got, _ := Combine(alg, sum(alg, a), sum(alg, nil), 0); !bytes.Equal(got, sum(alg, a)) {
			t.Errorf("%s: combine with empty = %x", alg, got)
		}
	}
	// A long run of zeros exercises many x^(2^k) factors: compare with a
	// direct computation over 8 MiB + 3 of zeros.
	zeros := make([]byte, 8<<20+3)
	for _, alg := range []Algorithm{CRC32, CRC64NVME} {
		got, _ := Combine(alg, sum(alg, a), sum(alg, zeros), int64(len(zeros)))
		if want := sum(alg, append(append([]byte{}, a...), zeros...)); !bytes.Equal(got, want) {
			t.Errorf("%s: combine over 8 MiB zeros = %x want %x", alg, got, want)
		}
	}
}

func TestFullObjectRejects(t *testing.T) {
	good := sum(CRC32, []byte("x"))
	tests := []struct {
		name  string
		alg   Algorithm
		parts []Part
	}{
		{"sha256", SHA256, []Part{{Sum: sum(SHA256, nil), Size: 0}}},
		{"unknown", "MD5", nil},
		{"short sum", CRC32, []Part{{Sum: good[:3], Size: 1}}},
		{"crc64 sum for crc32", CRC32, []Part{{Sum: sum(CRC64NVME, []byte("x")), Size: 1}}},
		{"negative size", CRC32, []Part{{Sum: good, Size: -1}}},
	}
	for _, tt := range tests {
		if got, err := FullObject(tt.alg, tt.parts); err == nil {
			t.Errorf("%s: accepted, %x", tt.name, got)
		}
	}
	if _, err := Combine(CRC32, good, good, -1); err == nil {
		t.Errorf("Combine accepted a negative length")
	}
	if _, err := Combine(SHA1, good, good, 1); err == nil {
		t.Errorf("Combine accepted SHA1")
	}
	// No parts: the CRC of the empty object.
	if got, err := FullObject(CRC64NVME, nil); err != nil || Encode(got) != "AAAAAAAAAAA=" {
		t.Errorf("FullObject(no parts) = %x, %v", got, err)
	}
}

// TestCombineAssociative checks the identity crc(X||Y||Z) computed both
// ways, with lengths up to 2^62 that no test could hash directly: it
// exercises every x^(2^k) table entry.
func TestCombineAssociative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, a := range []Algorithm{CRC32, CRC32C, CRC64NVME} {
		for range 200 {
			x, y, z := sum(a, []byte{byte(r.Uint32())}), sum(a, []byte{byte(r.Uint32()), 1}), sum(a, []byte{2, byte(r.Uint32())})
			ly, lz := r.Int64N(1<<61), r.Int64N(1<<61)
			xy, _ := Combine(a, x, y, ly)
			left, _ := Combine(a, xy, z, lz)
			yz, _ := Combine(a, y, z, lz)
			right, err := Combine(a, x, yz, ly+lz)
			if err != nil || !bytes.Equal(left, right) {
				t.Fatalf("%s: ly %d lz %d: %x != %x", a, ly, lz, left, right)
			}
		}
	}
}
