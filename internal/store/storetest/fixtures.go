package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// account creates an account with a canonical id derived from id.
func account(t *testing.T, st store.Store, id string) *store.Account {
	t.Helper()
	a := &store.Account{ID: id, Alias: "alias-" + id, CanonicalID: strings.Repeat(id[len(id)-1:], 64), CreatedAt: base}
	must(t, "CreateAccount "+id, st.CreateAccount(t.Context(), a))
	return a
}

// bucket creates a bucket owned by accountID.
func bucket(t *testing.T, st store.Store, name, accountID string) *store.Bucket {
	t.Helper()
	b := &store.Bucket{Name: name, AccountID: accountID, Region: "us-east-1", CreatedAt: base, Ownership: "BucketOwnerEnforced"}
	must(t, "CreateBucket "+name, st.CreateBucket(t.Context(), b))
	return b
}

// setup creates account 111111111111 and its bucket "bkt".
func setup(t *testing.T, st store.Store) {
	t.Helper()
	account(t, st, "111111111111")
	bucket(t, st, "bkt", "111111111111")
}

// object returns an object in bucket "bkt" with one segment per blob id.
func object(key, etag string, blobs ...string) *store.Object {
	o := &store.Object{
		Bucket: "bkt", Key: key, ETag: etag, LastModified: base,
		ObjectMeta: store.ObjectMeta{ContentType: "text/plain", StorageClass: "STANDARD", OwnerAccount: "111111111111"},
	}
	for i, b := range blobs {
		o.Segments = append(o.Segments, store.Segment{BlobID: b, Size: int64(10 + i)})
		o.Size += int64(10 + i)
	}
	return o
}

// put stores an object unconditionally.
func put(t *testing.T, st store.Store, o *store.Object) []string {
	t.Helper()
	orphans, err := st.PutObject(t.Context(), o, store.Cond{})
	must(t, "PutObject "+o.Key, err)
	return orphans
}

// upload creates a multipart upload in bucket "bkt".
func upload(t *testing.T, st store.Store, id, key string, initiated time.Time) *store.Upload {
	t.Helper()
	u := &store.Upload{ID: id, Bucket: "bkt", Key: key, Initiated: initiated,
		InitiatorARN: "arn:aws:iam::111111111111:root", InitiatorID: "111111111111",
		ObjectMeta: store.ObjectMeta{ContentType: "application/x-test", UserMeta: map[string]string{"k": "v"}}}
	must(t, "CreateUpload "+id, st.CreateUpload(t.Context(), u))
	return u
}

// part stores part n of an upload with the given blob id.
func part(t *testing.T, st store.Store, uploadID string, n int, blob string) string {
	t.Helper()
	orphan, err := st.PutPart(t.Context(), &store.Part{UploadID: uploadID, Number: n, BlobID: blob,
		Size: int64(n * 100), ETag: fmt.Sprintf("etag%d", n), Checksum: "ck", LastModified: base})
	must(t, fmt.Sprintf("PutPart %s/%d", uploadID, n), err)
	return orphan
}

func keysOf(objs []*store.Object) []string {
	var out []string // nil when empty, like expectList
	for _, o := range objs {
		out = append(out, o.Key)
	}
	return out
}
