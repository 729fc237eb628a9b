package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

func testAccounts(t *testing.T, st store.Store) {
	ctx := t.Context()
	list, err := st.ListAccounts(ctx)
	must(t, "ListAccounts (empty)", err)
	if len(list) != 0 {
		t.Fatalf("new store lists %d accounts", len(list))
	}
	// Created out of order; listed by id.
	for _, id := range []string{"333333333333", "111111111111", "222222222222"} {
		account(t, st, id)
	}
	a, err := st.GetAccount(ctx, "111111111111")
	must(t, "GetAccount", err)
	sameTime(t, "CreatedAt", a.CreatedAt, base)
	if a.ID != "111111111111" || a.Alias != "alias-111111111111" || a.CanonicalID != "1111111111111111111111111111111111111111111111111111111111111111" {
		t.Errorf("GetAccount = %+v", a)
	}

	dup := &store.Account{ID: "111111111111", CanonicalID: "f" + a.CanonicalID[1:], CreatedAt: base}
	wantErr(t, "CreateAccount duplicate id", st.CreateAccount(ctx, dup), store.ErrExists)
	_, err = st.GetAccount(ctx, "999999999999")
	wantErr(t, "GetAccount missing", err, store.ErrNotFound)

	list, err = st.ListAccounts(ctx)
	must(t, "ListAccounts", err)
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	if want := []string{"111111111111", "222222222222", "333333333333"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ListAccounts = %v, want %v", ids, want)
	}
}

func testAccessKeys(t *testing.T, st store.Store) {
	ctx := t.Context()
	account(t, st, "111111111111")
	keys := []*store.AccessKey{
		{ID: "AKIAROOT000000000001", Secret: "s1/+secret", AccountID: "111111111111", Status: "Active", CreatedAt: base},
		{ID: "AKIAUSER000000000002", Secret: "s2", AccountID: "111111111111", UserName: "alice", Status: "Inactive", CreatedAt: base},
	}
	for _, k := range keys {
		must(t, "CreateAccessKey "+k.ID, st.CreateAccessKey(ctx, k))
	}
	for _, want := range keys {
		got, err := st.GetAccessKey(ctx, want.ID)
		must(t, "GetAccessKey", err)
		sameTime(t, "key CreatedAt", got.CreatedAt, base)
		g, w := *got, *want
		g.CreatedAt, w.CreatedAt = base, base
		if g != w {
			t.Errorf("GetAccessKey = %+v, want %+v", g, w)
		}
	}
	dup := &store.AccessKey{ID: keys[0].ID, Secret: "other", AccountID: "111111111111", Status: "Active", CreatedAt: base}
	wantErr(t, "CreateAccessKey duplicate", st.CreateAccessKey(ctx, dup), store.ErrExists)
	if got, _ := st.GetAccessKey(ctx, keys[0].ID); got == nil || got.Secret != keys[0].Secret {
		t.Error("duplicate CreateAccessKey changed the stored key")
	}
	_, err := st.GetAccessKey(ctx, "AKIAMISSING000000000")
	wantErr(t, "GetAccessKey missing", err, store.ErrNotFound)

	// Last use: never, then recorded.
	if got, _ := st.GetAccessKey(ctx, keys[0].ID); !got.LastUsed.IsZero() || got.LastUsedService != "" {
		t.Errorf("new key has a last use: %+v", got)
	}
	used := base.Add(time.Hour)
	must(t, "RecordKeyUse", st.RecordKeyUse(ctx, keys[0].ID, used, "s3", "eu-west-1"))
	got, err := st.GetAccessKey(ctx, keys[0].ID)
	must(t, "GetAccessKey after use", err)
	sameTime(t, "LastUsed", got.LastUsed, used)
	if got.LastUsedService != "s3" || got.LastUsedRegion != "eu-west-1" {
		t.Errorf("last use = %q %q", got.LastUsedService, got.LastUsedRegion)
	}
	must(t, "RecordKeyUse missing key", st.RecordKeyUse(ctx, "AKIAMISSING000000000", used, "s3", "us-east-1"))
}

// testTimes: times come back in UTC with at least millisecond precision,
// whatever zone they were stored in.
func testTimes(t *testing.T, st store.Store) {
	setup(t, st)
	o := object("k", "e", "b1")
	put(t, st, o)
	got, err := st.GetObject(t.Context(), "bkt", "k")
	must(t, "GetObject", err)
	sameTime(t, "object LastModified", got.LastModified, base)
	b, err := st.GetBucket(t.Context(), "bkt")
	must(t, "GetBucket", err)
	sameTime(t, "bucket CreatedAt", b.CreatedAt, base)
	if got.LastModified.UnixMilli() != base.UnixMilli() {
		t.Errorf("LastModified lost milliseconds: %v vs %v", got.LastModified, base)
	}
}
