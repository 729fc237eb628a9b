package sessiontoken

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// ringFile persists a ring as JSON (mode 0600) in DATADIR/keys/sts.json.
// Writers hold an exclusive lock on sts.lock, so that processes sharing a
// data directory never lose each other's keys; a write goes to a temporary
// file that is synced and renamed over the old one.
type ringFile struct {
	dir, path, lockPath string
}

// fileFormat is the on-disk form.
type fileFormat struct {
	Version int       `json:"version"`
	Current uint32    `json:"current"`
	Keys    []fileKey `json:"keys"`
}

type fileKey struct {
	ID      uint32     `json:"id"`
	Secret  []byte     `json:"secret"` // base64 in JSON
	Created time.Time  `json:"created"`
	Retired *time.Time `json:"retired,omitempty"`
}

const fileVersion = 1

func newRingFile(dataDir string) (*ringFile, error) {
	if dataDir == "" {
		return nil, errors.New("sessiontoken: empty data directory")
	}
	dir := filepath.Join(dataDir, "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sessiontoken: %w", err)
	}
	return &ringFile{dir: dir, path: filepath.Join(dir, "sts.json"), lockPath: filepath.Join(dir, "sts.lock")}, nil
}

// read loads the ring; (nil, nil) when the file does not exist.
func (f *ringFile) read() (*state, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sessiontoken: %w", err)
	}
	var ff fileFormat
	if err := json.Unmarshal(b, &ff); err != nil {
		return nil, fmt.Errorf("sessiontoken: %s is corrupt: %w", f.path, err)
	}
	clear(b)
	return decodeFile(&ff, f.path)
}

func decodeFile(ff *fileFormat, path string) (*state, error) {
	if ff.Version != fileVersion {
		return nil, fmt.Errorf("sessiontoken: %s has unsupported version %d", path, ff.Version)
	}
	st := &state{keys: make(map[uint32]*ringKey, len(ff.Keys))}
	for _, fk := range ff.Keys {
		if _, dup := st.keys[fk.ID]; dup {
			return nil, fmt.Errorf("sessiontoken: %s has key %d twice", path, fk.ID)
		}
		var retired time.Time
		if fk.Retired != nil {
			retired = *fk.Retired
		}
		k, err := makeKey(fk.ID, fk.Secret, fk.Created, retired)
		if err != nil {
			return nil, fmt.Errorf("sessiontoken: %s: %w", path, err)
		}
		st.keys[fk.ID] = k
	}
	st.current = st.keys[ff.Current]
	if st.current == nil || !st.current.retired.IsZero() {
		return nil, fmt.Errorf("sessiontoken: %s names no usable current key", path)
	}
	return st, nil
}

func encodeFile(st *state) ([]byte, error) {
	ff := fileFormat{Version: fileVersion, Current: st.current.id}
	for _, k := range st.keys {
		fk := fileKey{ID: k.id, Secret: k.secret, Created: k.created}
		if !k.retired.IsZero() {
			t := k.retired
			fk.Retired = &t
		}
		ff.Keys = append(ff.Keys, fk)
	}
	sort.Slice(ff.Keys, func(i, j int) bool { return ff.Keys[i].ID < ff.Keys[j].ID })
	return json.MarshalIndent(&ff, "", "  ")
}

// update reads the ring under the file lock, applies fn (which gets nil
// when there is no ring yet) and writes the result when fn reports a change.
func (f *ringFile) update(fn func(*state) (*state, bool, error)) (*state, bool, error) {
	unlock, err := lockFile(f.lockPath)
	if err != nil {
		return nil, false, fmt.Errorf("sessiontoken: lock: %w", err)
	}
	defer unlock()
	cur, err := f.read()
	if err != nil {
		return nil, false, err
	}
	next, changed, err := fn(cur)
	if err != nil {
		return nil, false, err
	}
	if changed {
		if err := f.write(next); err != nil {
			return nil, false, err
		}
	}
	return next, changed, nil
}

// write replaces the file crash-safely: temp file, fsync, rename, fsync dir.
func (f *ringFile) write(st *state) error {
	b, err := encodeFile(st)
	if err != nil {
		return err
	}
	defer clear(b)
	tmp, err := os.CreateTemp(f.dir, ".sts-*.tmp")
	if err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	if err := os.Rename(name, f.path); err != nil {
		return fmt.Errorf("sessiontoken: %w", err)
	}
	ok = true
	if d, err := os.Open(f.dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// tightenMode makes the key file 0600 when it is more open, reporting
// whether it had to.
func (f *ringFile) tightenMode() (bool, error) {
	fi, err := os.Stat(f.path)
	if err != nil {
		return false, fmt.Errorf("sessiontoken: %w", err)
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return false, nil
	}
	if err := os.Chmod(f.path, 0o600); err != nil {
		return false, fmt.Errorf("sessiontoken: %w", err)
	}
	return true, nil
}
