package checksum

import (
	"bytes"
	"testing"
)

func FuzzCombine(f *testing.F) {
	f.Add([]byte("Hello world"), uint16(6), uint16(2))
	f.Add([]byte{}, uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, c1, c2 uint16) {
		i, j := int(c1)%(len(data)+1), int(c2)%(len(data)+1)
		if i > j {
			i, j = j, i
		}
		for _, a := range []Algorithm{CRC32, CRC32C, CRC64NVME} {
			got, err := FullObject(a, []Part{
				{sum(a, data[:i]), int64(i)},
				{sum(a, data[i:j]), int64(j - i)},
				{sum(a, data[j:]), int64(len(data) - j)},
			})
			if err != nil || !bytes.Equal(got, sum(a, data)) {
				t.Fatalf("%s: %x, %v", a, got, err)
			}
		}
		if ChecksumCRC64NVME(data) != bitwiseCRC64NVME(data) {
			t.Fatalf("crc64nvme table differs from bitwise")
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"i9aeUg==", "OOJZ0D8xKts=", "", "====", "AAAAAB=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range All() {
			b, err := Decode(a, s)
			if err == nil && len(b) != a.Size() {
				t.Fatalf("%s: accepted %q as %d bytes", a, s, len(b))
			}
		}
		_ = VerifyContentMD5(s, make([]byte, 16))
	})
}
