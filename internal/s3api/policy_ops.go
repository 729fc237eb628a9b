package s3api

import (
	"net/http"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Bucket policy and Block Public Access handlers (stubs until implemented).

func (a *API) putBucketPolicy(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getBucketPolicy(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) deleteBucketPolicy(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getBucketPolicyStatus(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) putPublicAccessBlock(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getPublicAccessBlock(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) deletePublicAccessBlock(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}
