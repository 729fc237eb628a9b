// Package store defines the metadata the API packages keep: accounts and
// their keys, buckets, objects and multipart uploads. Backends (SQLite by
// default, PostgreSQL at scale) live in sub-packages and all pass the
// storetest conformance suite. API packages depend on this package only.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors every backend returns (wrapped or bare; test with errors.Is).
var (
	ErrNotFound       = errors.New("store: not found")
	ErrExists         = errors.New("store: already exists")
	ErrNoSuchBucket   = errors.New("store: no such bucket")
	ErrNoSuchUpload   = errors.New("store: no such upload")
	ErrBucketNotEmpty = errors.New("store: bucket not empty")
	// ErrPrecondition: a conditional write's If-Match / If-None-Match did not hold.
	ErrPrecondition = errors.New("store: precondition failed")
)

// Account is an AWS account.
type Account struct {
	ID          string // 12 digits
	Alias       string
	CanonicalID string // 64 hex chars, S3 canonical user id
	CreatedAt   time.Time
}

// AccessKey is a long-term access key of an account's root or of an IAM user.
type AccessKey struct {
	ID        string // AKIA…
	Secret    string
	AccountID string
	UserName  string // "" for the account root
	Status    string // "Active" or "Inactive"
	CreatedAt time.Time
	// LastUsed, LastUsedService and LastUsedRegion record the key's latest
	// use (zero / "" when never), for GetAccessKeyLastUsed.
	LastUsed        time.Time
	LastUsedService string
	LastUsedRegion  string
}

// PublicAccessBlock is S3's Block Public Access configuration.
type PublicAccessBlock struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// Bucket is an S3 bucket. Bucket names are one namespace across accounts.
type Bucket struct {
	Name      string
	AccountID string // owner
	Region    string
	CreatedAt time.Time
	// Ownership is the Object Ownership setting: "BucketOwnerEnforced"
	// (the default for new buckets), "BucketOwnerPreferred" or "ObjectWriter";
	// "" means no ownership controls are configured.
	Ownership string
	// PublicAccessBlock is nil when none is configured.
	PublicAccessBlock *PublicAccessBlock
	// Policy is the bucket policy document, "" when none.
	Policy string
	// ACL is the bucket ACL, serialized by the S3 layer ("" = owner full control).
	ACL string
}

// ObjectMeta are the attributes an object is stored with (shared by
// objects and the multipart uploads that will become objects).
type ObjectMeta struct {
	ContentType        string
	ContentEncoding    string
	ContentDisposition string
	ContentLanguage    string
	CacheControl       string
	Expires            string
	// UserMeta holds x-amz-meta-* values by lower-case name without the prefix.
	UserMeta     map[string]string
	StorageClass string
	// OwnerAccount is the account that owns the object (S3 object ownership).
	OwnerAccount string
	// ACL is the object ACL, serialized by the S3 layer.
	ACL string
	// Tags are the object's tags.
	Tags map[string]string
	// ChecksumAlgorithm is "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" or "".
	ChecksumAlgorithm string
	// ChecksumType is "FULL_OBJECT" or "COMPOSITE" ("" when no checksum).
	ChecksumType string
}

// Segment is a run of an object's bytes held in one blob. A simple object
// has one segment; a multipart object has one per part, in order.
type Segment struct {
	BlobID string
	Size   int64
	// ETag and Checksum of the part (multipart objects only).
	ETag     string
	Checksum string
}

// Object is a stored object.
type Object struct {
	Bucket       string
	Key          string
	Size         int64
	ETag         string // without quotes: hex md5, or md5-of-md5s "-N" for multipart
	LastModified time.Time
	// Checksum is the base64 value for ChecksumAlgorithm ("" when none).
	Checksum string
	ObjectMeta
	Segments []Segment
}

// Cond is a conditional write (PutObject / CompleteMultipartUpload).
type Cond struct {
	// IfNoneMatch "*" fails with ErrPrecondition when the key exists.
	IfNoneMatch string
	// IfMatch fails with ErrPrecondition unless the current ETag (unquoted)
	// equals it, and with ErrNotFound when the key does not exist.
	IfMatch string
}

// Upload is an in-progress multipart upload.
type Upload struct {
	ID        string
	Bucket    string
	Key       string
	Initiated time.Time
	// InitiatorARN / InitiatorID identify who created it.
	InitiatorARN string
	InitiatorID  string
	ObjectMeta
}

// Part is an uploaded part of a multipart upload.
type Part struct {
	UploadID     string
	Number       int
	BlobID       string
	Size         int64
	ETag         string // unquoted hex md5
	Checksum     string // base64, for the upload's ChecksumAlgorithm
	LastModified time.Time
}

// Accounts keeps accounts and long-term access keys.
type Accounts interface {
	CreateAccount(ctx context.Context, a *Account) error // ErrExists
	GetAccount(ctx context.Context, id string) (*Account, error)
	ListAccounts(ctx context.Context) ([]*Account, error)
	CreateAccessKey(ctx context.Context, k *AccessKey) error // ErrExists
	GetAccessKey(ctx context.Context, id string) (*AccessKey, error)
	// RecordKeyUse notes that a key was used (a missing key is ignored).
	RecordKeyUse(ctx context.Context, id string, at time.Time, service, region string) error
}

// Buckets keeps buckets and their configuration.
type Buckets interface {
	// CreateBucket fails with ErrExists when the name is taken by any account.
	CreateBucket(ctx context.Context, b *Bucket) error
	GetBucket(ctx context.Context, name string) (*Bucket, error)
	// UpdateBucket applies fn to the bucket inside one transaction.
	UpdateBucket(ctx context.Context, name string, fn func(*Bucket) error) (*Bucket, error)
	// DeleteBucket fails with ErrBucketNotEmpty when objects remain; it
	// removes in-progress uploads and returns their blob ids for deletion.
	DeleteBucket(ctx context.Context, name string) (orphans []string, err error)
	// ListBuckets lists an account's buckets by name, names > after, with
	// the given name prefix, at most limit (limit <= 0: all).
	ListBuckets(ctx context.Context, accountID, prefix, after string, limit int) ([]*Bucket, error)
}

// Objects keeps object metadata. Keys are ordered by their UTF-8 bytes.
type Objects interface {
	// PutObject creates or replaces an object (ErrNoSuchBucket, ErrPrecondition,
	// ErrNotFound for IfMatch on a missing key) and returns the blob ids of the
	// replaced object, which the caller deletes.
	PutObject(ctx context.Context, o *Object, c Cond) (orphans []string, err error)
	GetObject(ctx context.Context, bucket, key string) (*Object, error) // ErrNotFound
	// UpdateObject applies fn to the object's metadata inside one transaction.
	UpdateObject(ctx context.Context, bucket, key string, fn func(*Object) error) (*Object, error)
	// DeleteObject removes an object; a missing key is not an error.
	DeleteObject(ctx context.Context, bucket, key string) (orphans []string, err error)
	// ListObjects returns objects whose key has prefix and is > after, in
	// byte order, at most limit.
	ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]*Object, error)
}

// Multipart keeps multipart uploads and their parts.
type Multipart interface {
	CreateUpload(ctx context.Context, u *Upload) error                            // ErrNoSuchBucket
	GetUpload(ctx context.Context, bucket, key, uploadID string) (*Upload, error) // ErrNoSuchUpload
	// ListUploads lists uploads with key prefix, ordered by (key, initiated,
	// id), after (keyMarker, uploadIDMarker) as S3 defines the markers.
	ListUploads(ctx context.Context, bucket, prefix, keyMarker, uploadIDMarker string, limit int) ([]*Upload, error)
	// PutPart stores or replaces a part (ErrNoSuchUpload) and returns the
	// replaced part's blob id, if any.
	PutPart(ctx context.Context, p *Part) (orphan string, err error)
	// ListParts lists parts with number > after, ascending, at most limit.
	ListParts(ctx context.Context, uploadID string, after, limit int) ([]*Part, error)
	// CompleteUpload atomically stores o (whose Segments the caller built
	// from the chosen parts), and removes the upload and all its parts. It
	// returns the blob ids no longer referenced (unused parts, replaced object).
	CompleteUpload(ctx context.Context, uploadID string, o *Object, c Cond) (orphans []string, err error)
	// AbortUpload removes the upload and its parts, returning their blob ids.
	AbortUpload(ctx context.Context, bucket, key, uploadID string) (orphans []string, err error)
}

// Store is everything the API packages need.
type Store interface {
	Accounts
	Buckets
	Objects
	Multipart
	IAM
	EC2
	Close() error
}
