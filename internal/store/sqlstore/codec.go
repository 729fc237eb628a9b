package sqlstore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"
)

// Times are stored as Unix nanoseconds (BIGINT). The zero time is stored as
// 0 and read back as the zero time.

func toNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// now returns the current time for rows stored with a zero time.
func now() time.Time { return time.Now().UTC() }

// encodeJSON marshals v for a JSON column. encoding/json replaces invalid
// UTF-8 with U+FFFD, which would silently change the data, so such strings
// are refused instead.
func encodeJSON(what string, v any) (string, error) {
	if path, ok := validUTF8(reflect.ValueOf(v), what); !ok {
		return "", fmt.Errorf("sqlstore: %s is not valid UTF-8", path)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode %s: %w", what, err)
	}
	return string(b), nil
}

func decodeJSON(what, s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("sqlstore: decode %s: %w", what, err)
	}
	return nil
}

// validUTF8 reports whether every string reachable from v is valid UTF-8,
// and if not, where the first bad one is.
func validUTF8(v reflect.Value, path string) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return path, utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", true
		}
		return validUTF8(v.Elem(), path)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if p, ok := validUTF8(v.Field(i), path+"."+v.Type().Field(i).Name); !ok {
				return p, false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p, ok := validUTF8(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if p, ok := validUTF8(it.Key(), path+" key"); !ok {
				return p, false
			}
			if p, ok := validUTF8(it.Value(), path+"["+fmt.Sprintf("%q", it.Key())+"]"); !ok {
				return p, false
			}
		}
	}
	return "", true
}

// prefixEnd returns the least string greater than every string that
// starts with p, and false when there is none (p empty or all 0xFF bytes):
// p with trailing 0xFF bytes dropped and its last byte incremented. With
// byte-wise comparison "col >= p AND col < prefixEnd(p)" is exactly "col
// starts with p", for any bytes, and is an index range scan; LIKE is not
// used since '%' and '_' are legal key characters. The bound need not be
// valid UTF-8; a PostgreSQL dialect keeps keys in bytea (or text COLLATE
// "C" plus a bound that increments the last code point instead).
func prefixEnd(p string) (string, bool) {
	b := []byte(p)
	for len(b) > 0 {
		last := len(b) - 1
		if b[last] < 0xFF {
			b[last]++
			return string(b), true
		}
		b = b[:last]
	}
	return "", false
}

// keyRange builds the WHERE terms selecting col values with prefix and
// > after, as one lower bound and an optional upper bound, so the query is
// an index range scan. Placeholders are numbered from len(args)+1.
func keyRange(col, prefix, after string, args []any) (string, []any) {
	var where string
	switch {
	case after != "" && after >= prefix:
		args = append(args, after)
		where = fmt.Sprintf(" AND %s > $%d", col, len(args))
	case prefix != "":
		args = append(args, prefix)
		where = fmt.Sprintf(" AND %s >= $%d", col, len(args))
	}
	if end, ok := prefixEnd(prefix); ok {
		args = append(args, end)
		where += fmt.Sprintf(" AND %s < $%d", col, len(args))
	}
	return where, args
}

// sqlLimit returns " LIMIT n", or "" for limit <= 0 (no limit).
func sqlLimit(limit int) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", limit)
}

// orphans returns the ids in old that are not in keep, without duplicates
// or empty ids, in first-seen order.
func orphans(old []string, keep map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range old {
		if id == "" || keep[id] || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
