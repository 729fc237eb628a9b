package sessiontoken

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Errors of Open. Every one but ErrExpired means the token is not a valid
// token of this service for the access key it came with.
var (
	ErrMalformed      = errors.New("sessiontoken: malformed token")
	ErrUnknownKey     = errors.New("sessiontoken: token sealed with an unknown key")
	ErrInvalid        = errors.New("sessiontoken: token failed authentication")
	ErrWrongAccessKey = errors.New("sessiontoken: token belongs to another access key")
	ErrExpired        = errors.New("sessiontoken: token has expired")
)

const (
	tokenVersion = 1
	headerLen    = 1 + 4 // version, key id
	nonceLen     = 12
	tagLen       = 16
	// MaxTokenLen bounds the encoded token Open accepts; real tokens are a
	// few hundred bytes to a few kilobytes (session policies and tags).
	MaxTokenLen = 64 << 10
)

var enc = base64.StdEncoding

// Seal issues the token for c with the ring's current key, rotating the
// key first when it is due. c.AccessKeyID must be set.
func (r *Ring) Seal(c *Claims) (string, error) { return r.SealMin(c, 0) }

// MaxMinTokenLen is the largest minimum token size SealMin pads to (STS's
// MinimumSessionTokenSize allows up to 4,096 bytes).
const MaxMinTokenLen = 4096

// SealMin is Seal with the token padded to at least minLen bytes
// (MinimumSessionTokenSize); minLen is capped at MaxMinTokenLen.
func (r *Ring) SealMin(c *Claims, minLen int) (string, error) {
	if c.AccessKeyID == "" || !c.Kind.valid() {
		return "", errors.New("sessiontoken: claims need an access key id and a kind")
	}
	k, err := r.sealingKey()
	if err != nil {
		return "", err
	}
	buf := make([]byte, headerLen+nonceLen, headerLen+nonceLen+256)
	buf[0] = tokenVersion
	binary.BigEndian.PutUint32(buf[1:headerLen], k.id)
	nonce := buf[headerLen : headerLen+nonceLen]
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("sessiontoken: nonce: %w", err)
	}
	plain := c.marshal(nil)
	if minLen = min(minLen, MaxMinTokenLen); encodedLen(len(plain)) < minLen {
		pad := 0
		for encodedLen(len(c.marshalPadded(nil, pad))) < minLen {
			pad += max(1, (minLen-encodedLen(len(c.marshalPadded(nil, pad))))*3/4)
		}
		clear(plain)
		plain = c.marshalPadded(nil, pad)
	}
	out := k.aead.Seal(buf, nonce, plain, buf[:headerLen])
	clear(plain) // holds the session's secret
	return enc.EncodeToString(out), nil
}

// encodedLen is the token length for a plaintext of n bytes.
func encodedLen(n int) int { return enc.EncodedLen(headerLen + nonceLen + n + tagLen) }

// Open verifies token and returns its claims. The token must have been
// issued for accessKeyID; ErrExpired is returned (with no claims) for an
// authentic token whose session ended at or before now.
func (r *Ring) Open(token, accessKeyID string, now time.Time) (*Claims, error) {
	if len(token) == 0 || len(token) > MaxTokenLen {
		return nil, ErrMalformed
	}
	raw, err := enc.DecodeString(token)
	if err != nil || len(raw) < headerLen+nonceLen+tagLen || raw[0] != tokenVersion {
		return nil, ErrMalformed
	}
	id := binary.BigEndian.Uint32(raw[1:headerLen])
	k := r.key(id)
	if k == nil {
		return nil, ErrUnknownKey
	}
	nonce := raw[headerLen : headerLen+nonceLen]
	plain, err := k.aead.Open(raw[headerLen+nonceLen:headerLen+nonceLen], nonce, raw[headerLen+nonceLen:], raw[:headerLen])
	if err != nil {
		return nil, ErrInvalid
	}
	c, err := unmarshalClaims(plain)
	clear(plain)
	if err != nil {
		// Authentic but undecodable: only a bug or a future format gets here.
		return nil, ErrInvalid
	}
	if subtle.ConstantTimeCompare([]byte(c.AccessKeyID), []byte(accessKeyID)) != 1 {
		return nil, ErrWrongAccessKey
	}
	if !now.Before(c.Expires) {
		return nil, ErrExpired
	}
	return c, nil
}
