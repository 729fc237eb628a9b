package checksum

import "testing"

func benchWrite(b *testing.B, newW func() interface{ Write([]byte) (int, error) }) {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	w := newW()
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for b.Loop() {
		w.Write(buf)
	}
}

// go test -run x -bench . ./internal/checksum/
func BenchmarkMultiHasher(b *testing.B) {
	cases := []struct {
		name string
		algs []Algorithm
	}{
		{"MD5", nil},
		{"MD5+CRC32", []Algorithm{CRC32}},
		{"MD5+CRC32C", []Algorithm{CRC32C}},
		{"MD5+CRC64NVME", []Algorithm{CRC64NVME}},
		{"MD5+SHA256", []Algorithm{SHA256}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			benchWrite(b, func() interface{ Write([]byte) (int, error) } { return NewMultiHasher(c.algs...) })
		})
	}
}

func BenchmarkAlgorithm(b *testing.B) {
	for _, a := range All() {
		b.Run(string(a), func(b *testing.B) {
			benchWrite(b, func() interface{ Write([]byte) (int, error) } { return a.New() })
		})
	}
}

// 10,000 parts (S3's maximum): "same" has equal sizes but the last, as
// uploads do; "distinct" gives every part its own size, the worst case.
func BenchmarkFullObject10000Parts(b *testing.B) {
	for _, distinct := range []bool{false, true} {
		name := "same"
		if distinct {
			name = "distinct"
		}
		b.Run(name, func(b *testing.B) {
			parts := make([]Part, 10000)
			for i := range parts {
				parts[i] = Part{Sum: sum(CRC64NVME, []byte{byte(i)}), Size: 5 << 20}
				if distinct || i == len(parts)-1 {
					parts[i].Size += int64(i)
				}
			}
			for b.Loop() {
				if _, err := FullObject(CRC64NVME, parts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
