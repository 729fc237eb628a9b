package sqlstore

import (
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/storetest"
)

func TestS3ControlConformance(t *testing.T) {
	storetest.RunS3Control(t, func(t *testing.T) store.S3Control { return openTemp(t) })
}
