package checksum

import (
	"encoding/binary"
	"hash"
)

// CRC-64/NVME, from the NVM Express NVM Command Set Specification: width 64,
// poly 0xAD93D23594C93659, reflected in and out, init and xorout all ones.
// Check value ("123456789") 0xAE8B14860A799888.
const crc64NVMEPoly = 0x9A6C9329AC4BC9B5 // the polynomial bit-reversed, for the reflected algorithm

// crc64Tables are the slicing-by-16 tables: crc64Tables[0] is the classic
// byte-at-a-time table, crc64Tables[k][b] is the CRC of byte b followed by k
// zero bytes.
var crc64Tables = makeCRC64Tables(crc64NVMEPoly)

func makeCRC64Tables(poly uint64) *[16][256]uint64 {
	t := new([16][256]uint64)
	for i := range 256 {
		c := uint64(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ poly
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for i := range 256 {
		c := t[0][i]
		for k := 1; k < len(t); k++ {
			c = t[0][c&0xff] ^ c>>8
			t[k][i] = c
		}
	}
	return t
}

// UpdateCRC64NVME returns the CRC-64/NVME of the data whose CRC is crc
// followed by p. Start from 0.
func UpdateCRC64NVME(crc uint64, p []byte) uint64 {
	t := crc64Tables
	crc = ^crc
	for len(p) >= 16 {
		a := crc ^ binary.LittleEndian.Uint64(p)
		b := binary.LittleEndian.Uint64(p[8:])
		crc = t[15][a&0xff] ^ t[14][a>>8&0xff] ^ t[13][a>>16&0xff] ^ t[12][a>>24&0xff] ^
			t[11][a>>32&0xff] ^ t[10][a>>40&0xff] ^ t[9][a>>48&0xff] ^ t[8][a>>56] ^
			t[7][b&0xff] ^ t[6][b>>8&0xff] ^ t[5][b>>16&0xff] ^ t[4][b>>24&0xff] ^
			t[3][b>>32&0xff] ^ t[2][b>>40&0xff] ^ t[1][b>>48&0xff] ^ t[0][b>>56]
		p = p[16:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

// ChecksumCRC64NVME returns the CRC-64/NVME of p.
func ChecksumCRC64NVME(p []byte) uint64 { return UpdateCRC64NVME(0, p) }

type crc64nvme struct{ crc uint64 }

// NewCRC64NVME returns a streaming CRC-64/NVME. Sum appends the value
// big-endian, as S3 encodes it.
func NewCRC64NVME() hash.Hash64 { return &crc64nvme{} }

func (d *crc64nvme) Write(p []byte) (int, error) {
	d.crc = UpdateCRC64NVME(d.crc, p)
	return len(p), nil
}

func (d *crc64nvme) Sum(b []byte) []byte { return binary.BigEndian.AppendUint64(b, d.crc) }
func (d *crc64nvme) Sum64() uint64       { return d.crc }
func (d *crc64nvme) Reset()              { d.crc = 0 }
func (d *crc64nvme) Size() int           { return 8 }
func (d *crc64nvme) BlockSize() int      { return 1 }
