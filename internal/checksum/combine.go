package checksum

// CRC combination: the CRC of A||B from crc(A), crc(B) and len(B), the
// technique of zlib's crc32_combine, for any reflected CRC whose init and
// xorout are all ones (CRC-32, CRC-32C and CRC-64/NVME all are). Then
//
//	crc(A||B) = crc(A)·x^(8·len(B)) mod P  ⊕  crc(B)
//
// because the initial and final inversions cancel out. Values are
// polynomials over GF(2) in the reflected bit order: the top bit of the
// width is x^0.

// crcField is the arithmetic modulo one CRC polynomial.
type crcField struct {
	poly uint64     // reflected polynomial
	one  uint64     // x^0: the top bit of the width
	x2n  [67]uint64 // x2n[k] = x^(2^k) mod P; k reaches 3+62 for int64 lengths
}

var (
	crc32IEEEField = newCRCField(32, 0xEDB88320)
	crc32CField    = newCRCField(32, 0x82F63B78)
	crc64NVMEField = newCRCField(64, crc64NVMEPoly)
)

func newCRCField(width uint, poly uint64) *crcField {
	f := &crcField{poly: poly, one: 1 << (width - 1)}
	f.x2n[0] = f.one >> 1 // x^1
	for k := 1; k < len(f.x2n); k++ {
		f.x2n[k] = f.mul(f.x2n[k-1], f.x2n[k-1])
	}
	return f
}

// mul returns a·b mod P.
func (f *crcField) mul(a, b uint64) uint64 {
	var p uint64
	for m := f.one; m != 0 && a != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
			a ^= m
		}
		if b&1 != 0 {
			b = b>>1 ^ f.poly
		} else {
			b >>= 1
		}
	}
	return p
}

// xPow8n returns x^(8·n) mod P: the factor that shifts a CRC past n bytes.
func (f *crcField) xPow8n(n uint64) uint64 {
	p := f.one
	for k := 3; n != 0; k++ {
		if n&1 != 0 {
			p = f.mul(f.x2n[k], p)
		}
		n >>= 1
	}
	return p
}

// combine returns the CRC of A||B from crc(A), crc(B) and len(B) ≥ 0.
// (For an empty B, crc(B) is 0 and the result is crc(A).)
func (f *crcField) combine(crcA, crcB uint64, lenB int64) uint64 {
	return f.mul(f.xPow8n(uint64(lenB)), crcA) ^ crcB
}
