package checksum

import (
	"crypto/md5"
	"hash"
)

// MultiHasher is an io.Writer that computes, in one pass, the MD5 of the
// stream (for the ETag and Content-MD5) plus any set of additional
// checksums, and counts the bytes. With no additional algorithms a Write is
// a single MD5 update. It is not safe for concurrent use.
type MultiHasher struct {
	md5  hash.Hash
	algs []Algorithm
	hs   []hash.Hash
	n    int64
}

// NewMultiHasher returns a MultiHasher for MD5 plus algs. Unknown
// algorithms and repeats are ignored (validate names with Parse first);
// Sum reports nil for an algorithm that is not computed.
func NewMultiHasher(algs ...Algorithm) *MultiHasher {
	m := &MultiHasher{md5: md5.New()}
	for _, a := range algs {
		if a.Valid() && m.index(a) < 0 {
			m.algs = append(m.algs, a)
			m.hs = append(m.hs, a.New())
		}
	}
	return m
}

func (m *MultiHasher) index(a Algorithm) int {
	for i, b := range m.algs {
		if a == b {
			return i
		}
	}
	return -1
}

// Write feeds p to every hash. It never fails.
func (m *MultiHasher) Write(p []byte) (int, error) {
	m.md5.Write(p)
	for _, h := range m.hs {
		h.Write(p)
	}
	m.n += int64(len(p))
	return len(p), nil
}

// Len is the number of bytes written so far.
func (m *MultiHasher) Len() int64 { return m.n }

// MD5 is the raw MD5 of the bytes written so far.
func (m *MultiHasher) MD5() []byte { return m.md5.Sum(nil) }

// ETag is the single-part ETag of the bytes written so far: lower-case hex
// MD5, without quotes.
func (m *MultiHasher) ETag() string { return hexString(m.MD5()) }

// Algorithms lists the additional checksums being computed.
func (m *MultiHasher) Algorithms() []Algorithm { return append([]Algorithm(nil), m.algs...) }

// Sum is the raw checksum a of the bytes written so far, or nil when a is
// not computed by m.
func (m *MultiHasher) Sum(a Algorithm) []byte {
	if i := m.index(a); i >= 0 {
		return m.hs[i].Sum(nil)
	}
	return nil
}

// Verify checks the client's wire value want for a against the bytes
// written so far (see the package-level Verify). An algorithm m does not
// compute is reported as a mismatch, failing closed.
func (m *MultiHasher) Verify(a Algorithm, want string) error {
	sum := m.Sum(a)
	if sum == nil {
		if _, err := Decode(a, want); err != nil {
			return err
		}
		return Mismatch(a)
	}
	return Verify(a, want, sum)
}

// Reset clears m to its initial state, keeping its algorithms.
func (m *MultiHasher) Reset() {
	m.md5.Reset()
	for _, h := range m.hs {
		h.Reset()
	}
	m.n = 0
}
