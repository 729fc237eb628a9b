package e2e

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
)

// patternPeriod is the length of the repeating block: not a power of two,
// so repeats never line up with part or chunk boundaries.
const patternPeriod = 1<<20 + 7

// patternBlock is the repeating content of every pattern stream.
var patternBlock = func() []byte {
	b := make([]byte, patternPeriod)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}()

// patternReader is a seekable stream of size deterministic bytes, so tests
// can send and check huge bodies without holding them in memory.
type patternReader struct {
	size, off int64
}

func newPattern(size int64) *patternReader { return &patternReader{size: size} }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	if rem := p.size - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	n := 0
	for n < len(b) {
		n += copy(b[n:], patternBlock[(p.off+int64(n))%patternPeriod:])
	}
	p.off += int64(n)
	return n, nil
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
	for done := 0; done < len(b); {
		start := (c.off + int64(done)) % patternPeriod
		n := min(len(b)-done, int(patternPeriod-start))
		if !bytes.Equal(b[done:done+n], patternBlock[start:start+int64(n)]) {
			c.bad = true
		}
		done += n
	}
	c.off += int64(len(b))
	return len(b), nil
}
