package ecs

import (
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// Tag is a key/value label on an ECS resource.
type Tag = tagset.Tag

// MaxTags is the number of tags one resource may carry.
const MaxTags = 50

// ValidateTags checks tags as ECS does: at most 50, keys 1-128 characters, values up to 256,
// no duplicate keys, and the aws: prefix reserved.
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return errdefs.InvalidArgument("The number of tags must not exceed %d.", MaxTags)
	}
	return tagset.Validate(tags, tagset.Messages{
		KeyLength:   "Tag keys must be between 1 and 128 characters.",
		ValueLength: "Tag values must be at most 256 characters.",
		Reserved:    "Tag keys with the aws: prefix are reserved for AWS use.",
		Duplicate:   func(key string) error { return errdefs.InvalidArgument("Duplicate tag key %q.", key) },
	})
}

// MergeTags returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given.
func MergeTags(tags, add []Tag) []Tag { return tagset.Merge(tags, add) }

// RemoveTags returns tags without the given keys.
func RemoveTags(tags []Tag, keys []string) []Tag { return tagset.Remove(tags, keys) }
