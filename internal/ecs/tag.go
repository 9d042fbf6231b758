package ecs

import (
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Tag is a key/value label on an ECS resource.
type Tag struct {
	Key   string
	Value string
}

// MaxTags is the number of tags one resource may carry.
const MaxTags = 50

// ValidateTags checks tags as ECS does: at most 50, keys 1-128 characters, values up to 256,
// no duplicate keys, and the aws: prefix reserved.
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return errdefs.InvalidArgument("The number of tags must not exceed %d.", MaxTags)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if len(t.Key) < 1 || len(t.Key) > 128 {
			return errdefs.InvalidArgument("Tag keys must be between 1 and 128 characters.")
		}
		if len(t.Value) > 256 {
			return errdefs.InvalidArgument("Tag values must be at most 256 characters.")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errdefs.InvalidArgument("Tag keys with the aws: prefix are reserved for AWS use.")
		}
		if seen[t.Key] {
			return errdefs.InvalidArgument("Duplicate tag key %q.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// MergeTags returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given.
func MergeTags(tags, add []Tag) []Tag {
	out := append([]Tag(nil), tags...)
	for _, a := range add {
		replaced := false
		for i := range out {
			if out[i].Key == a.Key {
				out[i].Value = a.Value
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}

// RemoveTags returns tags without the given keys.
func RemoveTags(tags []Tag, keys []string) []Tag {
	drop := make(map[string]bool, len(keys))
	for _, k := range keys {
		drop[k] = true
	}
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		if !drop[t.Key] {
			out = append(out, t)
		}
	}
	return out
}
