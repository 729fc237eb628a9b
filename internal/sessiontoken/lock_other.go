//go:build !unix

package sessiontoken

import "sync"

// lockMu stands in for a file lock where flock is unavailable: it
// serialises writers within this process only.
var lockMu sync.Mutex

func lockFile(string) (unlock func(), err error) {
	lockMu.Lock()
	return lockMu.Unlock, nil
}
