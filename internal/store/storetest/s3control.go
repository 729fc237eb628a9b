package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

// RunS3Control runs the conformance suite of store.S3Control. open must
// return a new, empty store on each call; RunS3Control registers no Close.
func RunS3Control(t *testing.T, open func(t *testing.T) store.S3Control) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.S3Control)
	}{
		{"AccountPABLifecycle", testAccountPABLifecycle},
		{"AccountPABPerAccount", testAccountPABPerAccount},
		{"AccountPABConcurrent", testAccountPABConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testAccountPABLifecycle(t *testing.T, st store.S3Control) {
	ctx := t.Context()
	const acct = "111122223333"
	if _, err := st.GetAccountPublicAccessBlock(ctx, acct); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get before put: %v, want ErrNotFound", err)
	}
	if err := st.DeleteAccountPublicAccessBlock(ctx, acct); err != nil {
		t.Fatalf("delete of none: %v", err)
	}
	for _, want := range []store.PublicAccessBlock{
		{BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false},
		{BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true},
		{},
		{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true},
	} {
		if err := st.PutAccountPublicAccessBlock(ctx, acct, &want); err != nil {
			t.Fatalf("put %+v: %v", want, err)
		}
		got, err := st.GetAccountPublicAccessBlock(ctx, acct)
		if err != nil || *got != want {
			t.Fatalf("get = %+v, %v; want %+v", got, err, want)
		}
	}
	if err := st.DeleteAccountPublicAccessBlock(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetAccountPublicAccessBlock(ctx, acct); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
}

func testAccountPABPerAccount(t *testing.T, st store.S3Control) {
	ctx := t.Context()
	a := store.PublicAccessBlock{BlockPublicPolicy: true}
	b := store.PublicAccessBlock{IgnorePublicAcls: true}
	if err := st.PutAccountPublicAccessBlock(ctx, "111111111111", &a); err != nil {
		t.Fatal(err)
	}
	if err := st.PutAccountPublicAccessBlock(ctx, "222222222222", &b); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteAccountPublicAccessBlock(ctx, "111111111111"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetAccountPublicAccessBlock(ctx, "111111111111"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted account: %v", err)
	}
	if got, err := st.GetAccountPublicAccessBlock(ctx, "222222222222"); err != nil || *got != b {
		t.Fatalf("other account = %+v, %v; want %+v", got, err, b)
	}
}

func testAccountPABConcurrent(t *testing.T, st store.S3Control) {
	ctx := t.Context()
	const acct = "333344445555"
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- st.PutAccountPublicAccessBlock(ctx, acct, &store.PublicAccessBlock{BlockPublicAcls: i%2 == 0, RestrictPublicBuckets: true})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent put: %v", err)
		}
	}
	got, err := st.GetAccountPublicAccessBlock(ctx, acct)
	if err != nil || !got.RestrictPublicBuckets {
		t.Fatalf("after concurrent puts: %+v, %v", got, err)
	}
}
