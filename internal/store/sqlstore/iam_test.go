package sqlstore

import (
	"testing"

	"github.com/crossbucket/crossbucket/internal/store/storetest"
)

func TestIAMConformance(t *testing.T) {
	storetest.RunIAM(t, func(t *testing.T) storetest.IAMStore { return openTemp(t) })
}
