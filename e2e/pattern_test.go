package e2e

import (
	"errors"
	"io"
)

// patternReader is a seekable stream of size deterministic bytes, so tests
// can send and check huge bodies without holding them in memory.
type patternReader struct {
	size, off int64
}

func newPattern(size int64) *patternReader { return &patternReader{size: size} }

// patternByte is the byte at offset i.
func patternByte(i int64) byte { return byte(i*7 + i>>13) }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := int64(len(b))
	if rem := p.size - p.off; n > rem {
		n = rem
	}
	for i := range n {
		b[i] = patternByte(p.off + i)
	}
	p.off += n
	return int(n), nil
}

func (p *patternReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += p.off
	case io.SeekEnd:
		offset += p.size
	}
	if offset < 0 {
		return 0, errors.New("negative seek")
	}
	p.off = offset
	return offset, nil
}

// patternChecker verifies that what is written to it is the pattern.
type patternChecker struct {
	off int64
	bad bool
}

func (c *patternChecker) Write(b []byte) (int, error) {
	for i, x := range b {
		if x != patternByte(c.off+int64(i)) {
			c.bad = true
		}
	}
	c.off += int64(len(b))
	return len(b), nil
}
