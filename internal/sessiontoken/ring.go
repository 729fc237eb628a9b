package sessiontoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	DefaultRotateEvery = 7 * 24 * time.Hour
	// DefaultMaxSessionLifetime is the longest session STS issues:
	// GetSessionToken's 129,600 seconds (36 hours).
	DefaultMaxSessionLifetime = 36 * time.Hour
	// retireGrace is added to the retention of a retired key, covering
	// clock differences and processes that have not yet reloaded the ring.
	retireGrace = time.Hour
	// reloadEvery is how often a persisted ring looks for rotations made
	// by other processes; unknown key ids trigger a reload at most every
	// second.
	reloadEvery      = time.Minute
	minUnknownReload = time.Second
	keyLen           = 32 // AES-256
)

// Options tune a Ring.
type Options struct {
	// RotateEvery is how long a key stays the current (sealing) key.
	RotateEvery time.Duration
	// MaxSessionLifetime is how long a retired key is kept for
	// verification: no token it sealed outlives it.
	MaxSessionLifetime time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives rotation events (never key material).
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.RotateEvery <= 0 {
		o.RotateEvery = DefaultRotateEvery
	}
	if o.MaxSessionLifetime <= 0 {
		o.MaxSessionLifetime = DefaultMaxSessionLifetime
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// ringKey is one key of the ring.
type ringKey struct {
	id      uint32
	secret  []byte
	created time.Time
	retired time.Time // zero for the current key
	aead    cipher.AEAD
}

// String never shows the secret.
func (k *ringKey) String() string { return fmt.Sprintf("sts key %d", k.id) }

// state is an immutable snapshot of the ring.
type state struct {
	keys    map[uint32]*ringKey
	current *ringKey
}

// Ring holds the keys that seal session tokens: one current key and the
// retired keys still needed to verify tokens they sealed. It is safe for
// concurrent use.
type Ring struct {
	opt  Options
	file *ringFile // nil for an in-memory ring

	st atomic.Pointer[state]

	mu         sync.Mutex // serialises rotation and reloads
	lastReload atomic.Int64
}

// NewMemory returns a ring that lives only in memory (tests, or a server
// whose sessions need not survive a restart).
func NewMemory(opt Options) (*Ring, error) {
	opt.defaults()
	r := &Ring{opt: opt}
	k, err := newKey(1, opt.Now())
	if err != nil {
		return nil, err
	}
	r.st.Store(&state{keys: map[uint32]*ringKey{k.id: k}, current: k})
	return r, nil
}

// Load opens the ring persisted under dataDir (keys/sts.json), creating it
// with a first key when absent.
func Load(dataDir string, opt Options) (*Ring, error) {
	opt.defaults()
	f, err := newRingFile(dataDir)
	if err != nil {
		return nil, err
	}
	r := &Ring{opt: opt, file: f}
	if err := r.loadOrCreate(); err != nil {
		return nil, err
	}
	if fixed, err := f.tightenMode(); err != nil {
		return nil, err
	} else if fixed {
		opt.Logger.Warn("sts key file was readable by others; mode set to 0600", "path", f.path)
	}
	return r, nil
}

// Rotate makes a new current key now, keeping the previous one for
// verification until every token it sealed has expired.
func (r *Ring) Rotate() error {
	return r.rotate(true)
}

// KeyIDs lists the ids of the keys held, ascending; the last one is
// normally the current key.
func (r *Ring) KeyIDs() []uint32 {
	st := r.st.Load()
	ids := make([]uint32, 0, len(st.keys))
	for id := range st.keys {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// CurrentKeyID is the id of the key that seals new tokens.
func (r *Ring) CurrentKeyID() uint32 { return r.st.Load().current.id }

// key returns the key with id, reloading a persisted ring (rate-limited)
// when the id is unknown, in case another process rotated.
func (r *Ring) key(id uint32) *ringKey {
	if k := r.st.Load().keys[id]; k != nil {
		return k
	}
	if r.file == nil {
		return nil
	}
	now := r.opt.Now()
	if last := r.lastReload.Load(); now.UnixNano()-last < int64(minUnknownReload) {
		return nil
	}
	if err := r.reload(); err != nil {
		r.opt.Logger.Warn("sts key ring reload failed", "err", err)
		return nil
	}
	return r.st.Load().keys[id]
}

// sealingKey returns the current key, first picking up rotations by other
// processes and rotating when the key is due.
func (r *Ring) sealingKey() (*ringKey, error) {
	now := r.opt.Now()
	if r.file != nil && now.UnixNano()-r.lastReload.Load() >= int64(reloadEvery) {
		if err := r.reload(); err != nil {
			r.opt.Logger.Warn("sts key ring reload failed", "err", err)
		}
	}
	st := r.st.Load()
	if now.Sub(st.current.created) >= r.opt.RotateEvery {
		if err := r.rotate(false); err != nil {
			// Keep sealing with the old key rather than fail requests;
			// it stays valid until it is retired.
			r.opt.Logger.Error("sts key rotation failed", "err", err)
		}
		st = r.st.Load()
	}
	return st.current, nil
}

// rotate installs a new current key (when forced, or when the current one
// is due), retires the old one and drops keys past their retention.
func (r *Ring) rotate(force bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.opt.Now()
	apply := func(st *state) (*state, bool, error) {
		if !force && now.Sub(st.current.created) < r.opt.RotateEvery {
			return st, false, nil // another process or goroutine rotated
		}
		var maxID uint32
		for id := range st.keys {
			maxID = max(maxID, id)
		}
		if maxID == ^uint32(0) {
			return nil, false, errors.New("sessiontoken: key ids exhausted")
		}
		nk, err := newKey(maxID+1, now)
		if err != nil {
			return nil, false, err
		}
		keys := make(map[uint32]*ringKey, len(st.keys)+1)
		for id, k := range st.keys {
			if k == st.current {
				c := *k
				c.retired = now
				k = &c
			}
			keys[id] = k
		}
		keys[nk.id] = nk
		ns := &state{keys: keys, current: nk}
		r.prune(ns, now)
		return ns, true, nil
	}
	if r.file == nil {
		ns, changed, err := apply(r.st.Load())
		if err != nil {
			return err
		}
		if changed {
			r.st.Store(ns)
			r.opt.Logger.Info("sts key rotated", "key_id", ns.current.id)
		}
		return nil
	}
	ns, changed, err := r.file.update(func(st *state) (*state, bool, error) { return apply(st) })
	if err != nil {
		return err
	}
	r.st.Store(ns)
	r.lastReload.Store(now.UnixNano())
	if changed {
		r.opt.Logger.Info("sts key rotated", "key_id", ns.current.id)
	}
	return nil
}

// prune drops retired keys whose every token has expired.
func (r *Ring) prune(st *state, now time.Time) {
	for id, k := range st.keys {
		if k != st.current && !k.retired.IsZero() && now.Sub(k.retired) > r.opt.MaxSessionLifetime+retireGrace {
			delete(st.keys, id)
		}
	}
}

func (r *Ring) loadOrCreate() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.opt.Now()
	st, _, err := r.file.update(func(st *state) (*state, bool, error) {
		if st != nil {
			return st, false, nil
		}
		k, err := newKey(1, now)
		if err != nil {
			return nil, false, err
		}
		r.opt.Logger.Info("sts key ring created", "key_id", k.id)
		return &state{keys: map[uint32]*ringKey{k.id: k}, current: k}, true, nil
	})
	if err != nil {
		return err
	}
	r.st.Store(st)
	r.lastReload.Store(now.UnixNano())
	return nil
}

// reload reads the persisted ring again.
func (r *Ring) reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastReload.Store(r.opt.Now().UnixNano())
	st, err := r.file.read()
	if err != nil {
		return err
	}
	if st == nil {
		return errors.New("sessiontoken: key ring file disappeared")
	}
	r.st.Store(st)
	return nil
}

func newKey(id uint32, now time.Time) (*ringKey, error) {
	secret := make([]byte, keyLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("sessiontoken: key: %w", err)
	}
	return makeKey(id, secret, now, time.Time{})
}

func makeKey(id uint32, secret []byte, created, retired time.Time) (*ringKey, error) {
	if len(secret) != keyLen {
		return nil, fmt.Errorf("sessiontoken: key %d has %d bytes, want %d", id, len(secret), keyLen)
	}
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &ringKey{id: id, secret: secret, created: created.UTC(), retired: retired.UTC(), aead: aead}, nil
}
