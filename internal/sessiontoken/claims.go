package sessiontoken

import (
	"encoding/binary"
	"errors"
	"time"
)

// Kind is the kind of session a token stands for.
type Kind uint8

const (
	// AssumedRole is a role session from AssumeRole.
	AssumedRole Kind = 1
	// UserSession is an IAM user's GetSessionToken session.
	UserSession Kind = 2
	// RootSession is an account root's GetSessionToken session.
	RootSession Kind = 3
)

func (k Kind) valid() bool { return k >= AssumedRole && k <= RootSession }

// String names the kind.
func (k Kind) String() string {
	switch k {
	case AssumedRole:
		return "assumed-role"
	case UserSession:
		return "user-session"
	case RootSession:
		return "root-session"
	}
	return "invalid"
}

// Tag is a session tag or a tag of the IAM identity behind the session.
type Tag struct {
	Key, Value string
}

// Claims is what a session token asserts. It holds the session's secret
// access key: never log a Claims value.
type Claims struct {
	Kind        Kind
	AccountID   string // the account of the role (sessions) or of the user/root
	CanonicalID string // S3 canonical user id of AccountID
	// AccessKeyID is the ASIA… key the token belongs to; Open refuses the
	// token with any other key.
	AccessKeyID     string
	SecretAccessKey string
	IssuedAt        time.Time // second precision
	Expires         time.Time // second precision

	// Assumed-role sessions.
	RoleARN     string // with its path
	RoleID      string // AROA…
	SessionName string

	// IdentityTags are the IAM tags of the role or user at issue time.
	IdentityTags []Tag

	// Session policies (assumed-role sessions).
	Policy     string
	PolicyARNs []string

	// Tags are the session tags, including transitive tags inherited from
	// the calling session; TransitiveTagKeys are the keys that pass on to
	// sessions this session creates.
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// MFA is true when the session was created with a verified MFA code
	// (or inherits one through role chaining).
	MFA bool
	// Chained is true when the session was created with temporary
	// credentials (role chaining).
	Chained bool

	// GetSessionToken sessions: the IAM user (empty for the root).
	UserARN  string
	UserID   string
	UserName string

	// Instance-profile sessions (credentials served by instance metadata):
	// the instance and how the role was delivered, for the ec2:… and
	// aws:Ec2Instance… condition keys.
	SourceInstanceARN string
	RoleDelivery      string
	SourceVPC         string
	SourcePrivateIPv4 string
}

// claimsVersion is the version of the plaintext encoding below.
const claimsVersion = 2

// Limits that keep a hostile (but authentic, i.e. issued by us) or corrupt
// plaintext from making the decoder allocate much.
const (
	maxListLen = 1024
	maxStrLen  = 1 << 20
)

const (
	flagMFA     = 1 << 0
	flagChained = 1 << 1
)

var errBadClaims = errors.New("sessiontoken: malformed claims")

// marshal encodes c as a compact, length-prefixed binary form.
func (c *Claims) marshal(dst []byte) []byte { return c.marshalPadded(dst, 0) }

// marshalPadded encodes c followed by pad zero bytes of padding, which
// only make the token longer (MinimumSessionTokenSize).
func (c *Claims) marshalPadded(dst []byte, pad int) []byte {
	dst = append(dst, claimsVersion, byte(c.Kind))
	for _, s := range []string{c.AccountID, c.CanonicalID, c.AccessKeyID, c.SecretAccessKey} {
		dst = putString(dst, s)
	}
	dst = binary.AppendVarint(dst, c.IssuedAt.Unix())
	dst = binary.AppendVarint(dst, c.Expires.Unix())
	for _, s := range []string{c.RoleARN, c.RoleID, c.SessionName} {
		dst = putString(dst, s)
	}
	dst = putTags(dst, c.IdentityTags)
	dst = putString(dst, c.Policy)
	dst = putStrings(dst, c.PolicyARNs)
	dst = putTags(dst, c.Tags)
	dst = putStrings(dst, c.TransitiveTagKeys)
	dst = putString(dst, c.SourceIdentity)
	var flags byte
	if c.MFA {
		flags |= flagMFA
	}
	if c.Chained {
		flags |= flagChained
	}
	dst = append(dst, flags)
	for _, s := range []string{c.UserARN, c.UserID, c.UserName, c.SourceInstanceARN, c.RoleDelivery, c.SourceVPC, c.SourcePrivateIPv4} {
		dst = putString(dst, s)
	}
	dst = binary.AppendUvarint(dst, uint64(pad))
	return append(dst, make([]byte, pad)...)
}

func putString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func putStrings(dst []byte, ss []string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(ss)))
	for _, s := range ss {
		dst = putString(dst, s)
	}
	return dst
}

func putTags(dst []byte, tags []Tag) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(tags)))
	for _, t := range tags {
		dst = putString(dst, t.Key)
		dst = putString(dst, t.Value)
	}
	return dst
}

// decoder reads the encoding of marshal; the first failure sticks.
// Strings are cut from one copy of the whole input (s), so decoding
// allocates once for all of them.
type decoder struct {
	b   []byte
	s   string
	err error
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.err = errBadClaims
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint(max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > max {
		d.err = errBadClaims
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) time() time.Time {
	if d.err != nil {
		return time.Time{}
	}
	v, n := binary.Varint(d.b)
	// Bound to years 0001–9999 so that time arithmetic cannot overflow.
	if n <= 0 || v < -62135596800 || v > 253402300799 {
		d.err = errBadClaims
		return time.Time{}
	}
	d.b = d.b[n:]
	return time.Unix(v, 0).UTC()
}

func (d *decoder) string() string {
	n := d.uvarint(maxStrLen)
	if d.err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.err = errBadClaims
		return ""
	}
	off := len(d.s) - len(d.b)
	d.b = d.b[n:]
	return d.s[off : off+int(n)]
}

func (d *decoder) strings() []string {
	n := d.uvarint(maxListLen)
	if d.err != nil || n == 0 {
		return nil
	}
	// Each element takes at least one byte: refuse counts the input cannot hold.
	if n > uint64(len(d.b)) {
		d.err = errBadClaims
		return nil
	}
	out := make([]string, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		out = append(out, d.string())
	}
	return out
}

func (d *decoder) tags() []Tag {
	n := d.uvarint(maxListLen)
	if d.err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(d.b))/2 {
		d.err = errBadClaims
		return nil
	}
	out := make([]Tag, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.string()
		out = append(out, Tag{Key: k, Value: d.string()})
	}
	return out
}

// unmarshalClaims decodes b; it never panics, whatever b holds.
func unmarshalClaims(b []byte) (*Claims, error) {
	d := &decoder{b: b, s: string(b)}
	if d.byte() != claimsVersion {
		return nil, errBadClaims
	}
	c := &Claims{Kind: Kind(d.byte())}
	if !c.Kind.valid() {
		return nil, errBadClaims
	}
	c.AccountID = d.string()
	c.CanonicalID = d.string()
	c.AccessKeyID = d.string()
	c.SecretAccessKey = d.string()
	c.IssuedAt = d.time()
	c.Expires = d.time()
	c.RoleARN = d.string()
	c.RoleID = d.string()
	c.SessionName = d.string()
	c.IdentityTags = d.tags()
	c.Policy = d.string()
	c.PolicyARNs = d.strings()
	c.Tags = d.tags()
	c.TransitiveTagKeys = d.strings()
	c.SourceIdentity = d.string()
	flags := d.byte()
	c.MFA = flags&flagMFA != 0
	c.Chained = flags&flagChained != 0
	c.UserARN = d.string()
	c.UserID = d.string()
	c.UserName = d.string()
	c.SourceInstanceARN = d.string()
	c.RoleDelivery = d.string()
	c.SourceVPC = d.string()
	c.SourcePrivateIPv4 = d.string()
	_ = d.string() // padding
	if d.err != nil || len(d.b) != 0 || flags&^(flagMFA|flagChained) != 0 {
		return nil, errBadClaims
	}
	return c, nil
}
