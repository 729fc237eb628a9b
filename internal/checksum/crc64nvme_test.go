package checksum

import (
	"math/rand/v2"
	"testing"
)

// bitwiseCRC64NVME is the textbook bit-at-a-time definition, the reference
// the table-driven code is checked against.
func bitwiseCRC64NVME(p []byte) uint64 {
	crc := ^uint64(0)
	for _, b := range p {
		crc ^= uint64(b)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ crc64NVMEPoly
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

func TestCRC64NVMEMatchesBitwise(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		want := bitwiseCRC64NVME(p)
		if got := ChecksumCRC64NVME(p); got != want {
			t.Fatalf("len %d: got %016x want %016x", n, got, want)
		}
		// Any split of the writes gives the same value.
		h := NewCRC64NVME()
		cut := 0
		if n > 0 {
			cut = r.IntN(n + 1)
		}
		h.Write(p[:cut])
		h.Write(p[cut:])
		if h.Sum64() != want {
			t.Fatalf("len %d split %d: got %016x want %016x", n, cut, h.Sum64(), want)
		}
	}
}

func TestCRC64NVMEHash(t *testing.T) {
	h := NewCRC64NVME()
	h.Write([]byte("123456789"))
	if got := h.Sum([]byte{0xff}); len(got) != 9 || got[0] != 0xff || got[1] != 0xae || got[8] != 0x88 {
		t.Errorf("Sum appends big-endian: %x", got)
	}
	h.Reset()
	if h.Sum64() != 0 || h.BlockSize() != 1 || h.Size() != 8 {
		t.Errorf("after Reset: %x", h.Sum64())
	}
}
