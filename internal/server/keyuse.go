package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// keyUse records when long-term access keys are used, for IAM's
// GetAccessKeyLastUsed. A key's use is written at most once per interval,
// so a busy key costs one small write a minute, not one per request (AWS
// itself updates this information with a delay).
type keyUse struct {
	st       store.Accounts
	log      *slog.Logger
	interval time.Duration

	mu      sync.Mutex
	written map[string]time.Time
}

func newKeyUse(st store.Accounts, log *slog.Logger) *keyUse {
	return &keyUse{st: st, log: log, interval: time.Minute, written: map[string]time.Time{}}
}

// note records a use of key id by service in region at now, when due.
func (k *keyUse) note(ctx context.Context, id, service, region string, now time.Time) {
	k.mu.Lock()
	last, seen := k.written[id]
	due := !seen || now.Sub(last) >= k.interval
	if due {
		if len(k.written) > 100_000 {
			clear(k.written)
		}
		k.written[id] = now
	}
	k.mu.Unlock()
	if !due {
		return
	}
	if err := k.st.RecordKeyUse(context.WithoutCancel(ctx), id, now, service, region); err != nil {
		k.log.Warn("recording access key use", "access_key_id", id, "err", err)
	}
}
