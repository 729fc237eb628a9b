package sigv4

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// The aws-chunked body (S3 API Reference, "Transferring Payload in Multiple
// Chunks" and "Including Trailing Headers"):
//
//	hex(size) [";chunk-signature=" sig] CRLF data CRLF   (repeated)
//	"0" [";chunk-signature=" sig] CRLF                  (final chunk)
//	[name ":" value CRLF]* ["x-amz-trailer-signature:" sig CRLF]
//	CRLF
//
// Chunk n's signature signs "AWS4-HMAC-SHA256-PAYLOAD", the date, the scope,
// the signature of chunk n-1 (the seed signature of the Authorization header
// for the first), the hash of no bytes and the hash of the chunk's data. The
// trailer signature signs "AWS4-HMAC-SHA256-TRAILER", the date, the scope,
// the final chunk's signature and the hash of the trailing header lines.

const (
	bufSize        = 64 << 10
	maxChunkLine   = 256      // hex size + ";chunk-signature=" + 64 hex digits
	maxTrailerLine = 4096     // one trailing header
	maxTrailers    = 16 << 10 // all trailing headers
	minChunkSize   = 8192     // every chunk but the last (signed or not)
	algoPayload    = "AWS4-HMAC-SHA256-PAYLOAD"
	algoTrailer    = "AWS4-HMAC-SHA256-TRAILER"
	trailerSigName = "x-amz-trailer-signature"
)

// chunkSigner is what chunk signatures are checked against: the request's
// signing key, date and scope, and its seed signature.
type chunkSigner struct {
	key   []byte
	date  string
	scope string
	seed  string
	akid  string
}

type chunkConfig struct {
	signed    bool     // every chunk carries a signature
	trailers  bool     // trailing headers follow the final chunk
	declared  []string // x-amz-trailer, lower case
	decodedCL int64    // x-amz-decoded-content-length
	signer    *chunkSigner
	out       http.Header // receives the trailing headers at EOF
}

const (
	stHeader = iota
	stData
	stDone
)

// chunkReader decodes and verifies an aws-chunked body while it streams. A
// chunk's data is handed out as it arrives; its signature is checked when
// the chunk ends, and a failure is returned from Read before io.EOF, so a
// caller that keeps data only after a clean EOF never keeps unverified bytes.
type chunkReader struct {
	cfg       chunkConfig
	br        *bufio.Reader
	body      io.Closer
	h         hash.Hash // data of the current chunk (signed streams)
	prev      string    // signature of the previous chunk
	sig       string    // signature the current chunk claims
	state     int
	remaining int64 // data bytes left in the current chunk
	total     int64 // data bytes so far
	chunks    int
	lastSize  int64
	err       error
}

func newChunkReader(body io.ReadCloser, cfg chunkConfig) *chunkReader {
	c := &chunkReader{cfg: cfg, br: bufio.NewReaderSize(body, bufSize), body: body}
	if cfg.signed {
		c.h = sha256.New()
		c.prev = cfg.signer.seed
	}
	return c
}

func (c *chunkReader) Close() error { return c.body.Close() }

func (c *chunkReader) fail(err error) error {
	c.err = err
	return err
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		switch c.state {
		case stHeader:
			if err := c.nextChunk(); err != nil {
				return 0, c.fail(err)
			}
			if c.state == stDone {
				return 0, c.fail(io.EOF)
			}
		case stData:
			if c.remaining == 0 {
				if err := c.endChunk(); err != nil {
					return 0, c.fail(err)
				}
				c.state = stHeader
				continue
			}
			if int64(len(p)) > c.remaining {
				p = p[:c.remaining]
			}
			n, err := c.br.Read(p)
			if n > 0 {
				if c.h != nil {
					c.h.Write(p[:n])
				}
				c.remaining -= int64(n)
				c.total += int64(n)
				return n, nil
			}
			if err != nil {
				return 0, c.fail(bodyError(err))
			}
		default:
			return 0, c.fail(io.EOF)
		}
	}
}

// readLine reads one CRLF-terminated line of at most max bytes.
func (c *chunkReader) readLine(max int) (string, error) {
	b, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return "", errIncompleteBody()
	}
	if err != nil {
		return "", bodyError(err)
	}
	if len(b) > max || len(b) < 2 || b[len(b)-2] != '\r' {
		return "", errIncompleteBody()
	}
	return string(b[:len(b)-2]), nil
}

// nextChunk reads a chunk header; for the final chunk it also reads and
// checks the trailing headers and the end of the body.
func (c *chunkReader) nextChunk() error {
	line, err := c.readLine(maxChunkLine)
	if err != nil {
		return err
	}
	sizeHex, ext, hasExt := strings.Cut(line, ";")
	size, ok := parseChunkSize(sizeHex)
	if !ok {
		return errIncompleteBody()
	}
	if c.cfg.signed {
		name, sig, _ := strings.Cut(ext, "=")
		if !hasExt || name != "chunk-signature" {
			return c.mismatch(c.chunkStringToSign(""), "")
		}
		c.sig = sig
	} else if hasExt {
		return errIncompleteBody()
	}
	if size > c.cfg.decodedCL-c.total {
		return errIncompleteBody()
	}
	if size > 0 && c.chunks > 0 && c.lastSize < minChunkSize {
		// S3 names the chunk that shows the earlier one was not the last.
		return awserr.New(awserr.InvalidChunkSizeError).
			With("Chunk", strconv.Itoa(c.chunks+1)).With("BadChunkSize", strconv.FormatInt(c.lastSize, 10))
	}
	c.chunks++
	c.lastSize = size
	if size > 0 {
		c.remaining = size
		c.state = stData
		return nil
	}
	if c.cfg.signed {
		if err := c.verifyChunk(emptySHA256); err != nil {
			return err
		}
	}
	if err := c.finish(); err != nil {
		return err
	}
	c.state = stDone
	return nil
}

// endChunk reads the CRLF after a chunk's data and checks its signature.
func (c *chunkReader) endChunk() error {
	var crlf [2]byte
	if _, err := io.ReadFull(c.br, crlf[:]); err != nil {
		return bodyError(err)
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errIncompleteBody()
	}
	if !c.cfg.signed {
		return nil
	}
	sum := hex.EncodeToString(c.h.Sum(nil))
	c.h.Reset()
	return c.verifyChunk(sum)
}

func (c *chunkReader) chunkStringToSign(dataHash string) string {
	s := c.cfg.signer
	return algoPayload + "\n" + s.date + "\n" + s.scope + "\n" + c.prev + "\n" + emptySHA256 + "\n" + dataHash
}

func (c *chunkReader) verifyChunk(dataHash string) error {
	sts := c.chunkStringToSign(dataHash)
	computed := signature(c.cfg.signer.key, sts)
	if !equalSignatures(computed, c.sig) {
		return c.mismatch(sts, c.sig)
	}
	c.prev = computed
	return nil
}

func (c *chunkReader) mismatch(sts, provided string) error {
	return errSignatureMismatch(true, c.cfg.signer.akid, sts, provided, "")
}

// finish reads what follows the final chunk: the trailing headers (when the
// stream has them) and the blank line; then nothing more may come, and the
// data must have had x-amz-decoded-content-length bytes.
func (c *chunkReader) finish() error {
	var got [][2]string
	if c.cfg.trailers {
		var err error
		if got, err = c.readTrailers(); err != nil {
			return err
		}
	} else if line, err := c.readLine(maxChunkLine); err != nil {
		return err
	} else if line != "" {
		return errIncompleteBody()
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		if err != nil {
			return bodyError(err)
		}
		return errIncompleteBody()
	}
	if c.total != c.cfg.decodedCL {
		return errIncompleteBody()
	}
	for _, kv := range got {
		c.cfg.out.Add(kv[0], kv[1])
	}
	return nil
}

func errMalformedTrailer() error { return awserr.New(awserr.MalformedTrailerError) }

// readTrailers reads the trailing headers up to the blank line that ends
// them. Every declared trailer must come, once; no other may. A blank line
// right after the final chunk is tolerated when trailers are declared and
// more follows.
func (c *chunkReader) readTrailers() ([][2]string, error) {
	var got [][2]string
	var canon strings.Builder
	var sig string
	hasSig, size := false, 0
	for first := true; ; first = false {
		line, err := c.readLine(maxTrailerLine)
		if err != nil {
			return nil, err
		}
		if size += len(line) + 2; size > maxTrailers {
			return nil, errMalformedTrailer()
		}
		if line == "" {
			if _, err := c.br.Peek(1); first && len(c.cfg.declared) > 0 && err == nil {
				continue
			}
			break
		}
		name, val, ok := strings.Cut(line, ":")
		name, val = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(val)
		switch {
		case !ok || hasSig:
			return nil, errMalformedTrailer()
		case c.cfg.signed && name == trailerSigName:
			sig, hasSig = val, true
			continue
		case !c.isDeclared(name) || has(got, name):
			return nil, errMalformedTrailer()
		}
		got = append(got, [2]string{name, val})
		canon.WriteString(name + ":" + val + "\n")
	}
	for _, d := range c.cfg.declared {
		if !has(got, d) {
			return nil, errMalformedTrailer()
		}
	}
	if c.cfg.signed && (hasSig || len(got) > 0) {
		s := c.cfg.signer
		sts := algoTrailer + "\n" + s.date + "\n" + s.scope + "\n" + c.prev + "\n" + sha256Hex(canon.String())
		if !equalSignatures(signature(s.key, sts), sig) {
			return nil, c.mismatch(sts, sig)
		}
	}
	return got, nil
}

func (c *chunkReader) isDeclared(name string) bool {
	for _, d := range c.cfg.declared {
		if d == name {
			return true
		}
	}
	return false
}

func has(kvs [][2]string, name string) bool {
	for _, kv := range kvs {
		if kv[0] == name {
			return true
		}
	}
	return false
}

// parseChunkSize parses 1 to 16 hex digits that fit an int64.
func parseChunkSize(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 16, 64)
	return n, err == nil
}
