// Package s3api serves the Amazon S3 REST API: it resolves each request to an
// operation (one table, route.go), authorizes it through authz.Authorizer,
// and answers in S3's wire format. Object bytes stream between the client
// and the blob store; metadata goes through store.Store.
//
// The server wiring verifies signatures, decodes aws-chunked bodies and puts
// an *identity.Request in the context before ServeHTTP runs.
package s3api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Config configures an API.
type Config struct {
	Store store.Store
	Blobs blob.Store
	Authz authz.Authorizer
	// Domains are the base hosts for virtual-hosted-style requests
	// (bucket.localhost, bucket.s3.us-west-2.localhost, …).
	Domains []string
	Logger  *slog.Logger
	Now     func() time.Time
}

// API is the S3 REST API handler.
type API struct {
	st      store.Store
	blobs   blob.Store
	az      authz.Authorizer
	domains []string
	log     *slog.Logger
	now     func() time.Time
	// cache is st's in-memory layer for buckets and account settings.
	cache *bucketCache
}

// New returns an API. A nil Authz fails closed (authz.OwnerOnly).
func New(cfg Config) *API {
	a := &API{st: cfg.Store, blobs: cfg.Blobs, az: cfg.Authz, domains: cfg.Domains, log: cfg.Logger, now: cfg.Now}
	if a.az == nil {
		a.az = authz.OwnerOnly{}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.st != nil {
		a.cache = newBucketCache(a.st, a.now)
		a.st = a.cache
	}
	return a
}

// ServeHTTP resolves, authorizes and serves one S3 request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := identity.From(r.Context())
	if info == nil || info.Principal == nil {
		// Fail closed: without the wiring's request info the caller is anonymous.
		n := &identity.Request{Principal: &identity.Principal{Kind: identity.Anonymous}}
		if info != nil {
			cp := *info
			cp.Principal = n.Principal
			n = &cp
		}
		info = n
		r = r.WithContext(identity.With(r.Context(), info))
	}
	rw := &respWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			a.log.Error("s3api: panic", "request_id", info.ID, "panic", p)
			if !rw.wrote {
				a.writeError(rw, r, info, awserr.New(awserr.InternalError))
			}
		}
	}()
	if isControlRequest(r) {
		a.serveControl(rw, r, info)
		return
	}
	r, denials := withDenials(r)
	rq, err := a.resolve(r, info)
	if err == nil {
		err = rq.op.serve(a, rw, rq)
	}
	if err != nil {
		err = denials.explain(err)
		if rw.wrote {
			// Headers are gone: the client sees a short body and a closed connection.
			a.log.Warn("s3api: error after response started", "request_id", info.ID, "err", err)
			return
		}
		a.writeError(rw, r, info, err)
	}
}

// writeError is the one place an error reaches the wire.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, info *identity.Request, err error) {
	e := awserr.From(err)
	if e.Code.Status >= 500 {
		a.log.Error("s3api: request failed", "request_id", info.ID, "err", e)
	} else if e.Cause != nil {
		a.log.Debug("s3api: request refused", "request_id", info.ID, "err", e)
	}
	awserr.WriteS3(w, r, e, info.ID, info.HostID)
}

// respWriter remembers whether the response has started.
type respWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *respWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *respWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *respWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// storeErr maps a store error to the S3 error for bucket/key/upload.
func storeErr(err error, bucket, key, uploadID string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNoSuchBucket):
		return noSuchBucket(bucket)
	case errors.Is(err, store.ErrNoSuchUpload):
		return awserr.New(awserr.NoSuchUpload).With("UploadId", uploadID)
	case errors.Is(err, store.ErrNotFound):
		return awserr.New(awserr.NoSuchKey).With("Key", key)
	case errors.Is(err, store.ErrBucketNotEmpty):
		return awserr.New(awserr.BucketNotEmpty).With("BucketName", bucket)
	case errors.Is(err, store.ErrPrecondition):
		return awserr.New(awserr.PreconditionFailed)
	case errors.Is(err, context.Canceled):
		return awserr.New(awserr.RequestTimeout)
	}
	var e *awserr.Error
	if errors.As(err, &e) {
		return e
	}
	return awserr.Internal(err)
}

func noSuchBucket(bucket string) *awserr.Error {
	return awserr.New(awserr.NoSuchBucket).With("BucketName", bucket)
}

// deleteBlobs removes blobs no longer referenced, after the metadata commit.
func (a *API) deleteBlobs(ids []string) {
	for _, id := range ids {
		if err := a.blobs.Delete(id); err != nil {
			a.log.Warn("s3api: orphan blob not deleted", "blob", id, "err", err)
		}
	}
}

// isNotFound reports a store's not-found for a bucket or key.
func isNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrNoSuchBucket)
}
