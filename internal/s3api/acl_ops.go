package s3api

import (
	"net/http"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// ACL and Object Ownership handlers (stubs until implemented).

func (a *API) putBucketACL(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getBucketACL(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) putObjectACL(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getObjectACL(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) putOwnershipControls(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) getOwnershipControls(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}

func (a *API) deleteOwnershipControls(w http.ResponseWriter, rq *request) error {
	return awserr.New(awserr.NotImplemented)
}
