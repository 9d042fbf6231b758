package elb

import (
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// Tag is a key/value label on a load balancer, target group, listener or rule.
type Tag = tagset.Tag

// MaxTags is the number of tags one resource may carry.
const MaxTags = 50

// ValidateTagRequest checks the tags of one request: keys 1-128 characters, values up to 256,
// the aws: prefix reserved, and no key twice (DuplicateTagKeys).
func ValidateTagRequest(tags []Tag) error {
	err := tagset.Validate(tags, tagset.Messages{
		KeyLength:   "Tag keys must be between 1 and 128 characters long",
		ValueLength: "Tag values must be at most 256 characters long",
		Reserved:    "Tag keys starting with 'aws:' are reserved for AWS use",
		Duplicate: func(key string) error {
			return errdefs.Detail(ErrDuplicateTagKeys, "Tag key '%s' is specified more than once", clip(key))
		},
	})
	if err != nil {
		return err
	}
	return checkTagCount(tags)
}

func checkTagCount(tags []Tag) error {
	if len(tags) > MaxTags {
		return errdefs.Detail(ErrTooManyTags, "A resource can have at most %d tags", MaxTags)
	}
	return nil
}

// AddTags returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given. More than MaxTags in the result is an error (TooManyTags).
func AddTags(tags, add []Tag) ([]Tag, error) {
	out := tagset.Merge(tags, add)
	return out, checkTagCount(out)
}

// RemoveTags returns tags without the given keys.
func RemoveTags(tags []Tag, keys []string) []Tag { return tagset.Remove(tags, keys) }
