package iamapi

import (
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// maxTags is the number of tags an IAM entity may carry ("IAM and AWS STS
// quotas": tags per IAM resource, 50).
const maxTags = 50

// tagsParam reads and validates Tags.member.N.Key/Value.
func (v *validator) tagsParam(c *call) []store.Tag {
	var tags []store.Tag
	for i, m := range c.q.Structs("Tags") {
		k, kok := m["Key"]
		val, vok := m["Value"]
		v.str(k, kok, fmt.Sprintf("tags.%d.member.key", i+1), true, 1, 128, reTagKey, patTagKey)
		v.str(val, vok, fmt.Sprintf("tags.%d.member.value", i+1), true, 0, 256, reTagValue, patTagValue)
		tags = append(tags, store.Tag{Key: k, Value: val})
	}
	if len(tags) > maxTags {
		n := fmt.Sprint(len(tags))
		v.add(&n, "tags", fmt.Sprintf("have length less than or equal to %d", maxTags))
	}
	return tags
}

// checkDuplicateTags rejects tag keys given twice (ignoring case).
func checkDuplicateTags(tags []store.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return awserr.New(awserr.InvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	return nil
}

// tagKeys reads and validates TagKeys.member.N.
func (v *validator) tagKeys(c *call) []string {
	keys := c.q.List("TagKeys")
	if len(keys) == 0 && !c.q.Has("TagKeys") {
		v.add(nil, "tagKeys", "not be null")
	}
	for i, k := range keys {
		v.str(k, true, fmt.Sprintf("tagKeys.%d.member", i+1), true, 1, 128, reTagKey, patTagKey)
	}
	if len(keys) > maxTags {
		n := fmt.Sprint(len(keys))
		v.add(&n, "tagKeys", fmt.Sprintf("have length less than or equal to %d", maxTags))
	}
	return keys
}

// mergeTags sets add on tags, replacing keys that match ignoring case.
func mergeTags(tags, add []store.Tag) []store.Tag {
	out := append([]store.Tag(nil), tags...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = t
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}

// removeTags drops the keys (ignoring case); unknown keys are ignored.
func removeTags(tags []store.Tag, keys []string) []store.Tag {
	var out []store.Tag
	for _, t := range tags {
		drop := false
		for _, k := range keys {
			if strings.EqualFold(t.Key, k) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// tagContext builds the aws:RequestTag/* and aws:TagKeys condition keys.
func tagContext(keys map[string][]string, tags []store.Tag) map[string][]string {
	if len(tags) == 0 {
		return keys
	}
	if keys == nil {
		keys = map[string][]string{}
	}
	var names []string
	for _, t := range tags {
		keys["aws:RequestTag/"+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	keys["aws:TagKeys"] = names
	return keys
}

// errTooManyTags is LimitExceeded for an entity that would carry more
// than maxTags tags.
func errTooManyTags(kind string) error {
	return errQuota("TagsPer"+kind, maxTags)
}

type listTagsResult struct {
	Tags members[xTag]
	page
}
