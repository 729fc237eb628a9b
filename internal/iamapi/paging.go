package iamapi

import (
	"encoding/base64"
	"strings"
)

// Pagination of List* actions: MaxItems (1..1000, default 100) and an
// opaque Marker; results carry IsTruncated and, when truncated, the Marker
// to continue from ("Using pagination" in each List action's reference).
const defaultMaxItems = 100

type paging struct {
	max   int
	after string // sort key of the last item already returned
}

// paging reads MaxItems and Marker.
func (v *validator) paging(c *call) paging {
	p := paging{max: defaultMaxItems}
	n, ok, err := c.q.Int("MaxItems")
	if err != nil {
		s, _ := c.param("MaxItems")
		v.add(&s, "maxItems", "be a number")
	} else if ok {
		v.intRange(n, "maxItems", 1, 1000)
		p.max = n
	}
	if m, ok := c.param("Marker"); ok {
		v.str(m, ok, "marker", false, 1, 320, reMarker, `[\u0020-\u00FF]+`)
		p.after = decodeMarker(m)
	}
	return p
}

// markerPrefix tags our markers so that foreign ones are recognised.
const markerPrefix = "cb1."

func encodeMarker(key string) string {
	return markerPrefix + base64.RawURLEncoding.EncodeToString([]byte(key))
}

// decodeMarker returns the key a marker continues after. A marker we did
// not issue continues after nothing it could name: "\xff" sorts after
// every IAM name, so the listing is empty rather than wrong.
func decodeMarker(m string) string {
	rest, ok := strings.CutPrefix(m, markerPrefix)
	if !ok {
		return "\xff"
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "\xff"
	}
	return string(b)
}

// finish cuts items (fetched with limit max+1) to max and builds the trailer.
func finish[T any](items []T, p paging, key func(T) string) ([]T, page) {
	if len(items) <= p.max {
		return items, page{}
	}
	items = items[:p.max]
	return items, page{IsTruncated: true, Marker: encodeMarker(key(items[len(items)-1]))}
}

// pageSlice pages an in-memory list: it continues after the item whose key
// is the marker's, or, when that item is gone, after the keys <= it (lists
// sorted by key).
func pageSlice[T any](items []T, p paging, key func(T) string) ([]T, page) {
	i := 0
	if p.after != "" {
		i = -1
		for j, it := range items {
			if key(it) == p.after {
				i = j + 1
				break
			}
		}
		if i < 0 {
			i = 0
			for i < len(items) && key(items[i]) <= p.after {
				i++
			}
		}
	}
	return finish(items[i:], p, key)
}
