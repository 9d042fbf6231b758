package elb

import "strings"

// Tag is a key/value label on a load balancer, target group, listener or rule.
type Tag struct {
	Key   string
	Value string
}

// MaxTags is the number of tags one resource may carry.
const MaxTags = 50

// ValidateTagRequest checks the tags of one request: keys 1-128 characters, values up to 256,
// the aws: prefix reserved, and no key twice (DuplicateTagKeys).
func ValidateTagRequest(tags []Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if len(t.Key) < 1 || len(t.Key) > 128 {
			return invalidf("Tag keys must be between 1 and 128 characters long")
		}
		if len(t.Value) > 256 {
			return invalidf("Tag values must be at most 256 characters long")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return invalidf("Tag keys starting with 'aws:' are reserved for AWS use")
		}
		if seen[t.Key] {
			return Errorf(ErrDuplicateTagKeys, "Tag key '%s' is specified more than once", clip(t.Key))
		}
		seen[t.Key] = true
	}
	return checkTagCount(tags)
}

func checkTagCount(tags []Tag) error {
	if len(tags) > MaxTags {
		return Errorf(ErrTooManyTags, "A resource can have at most %d tags", MaxTags)
	}
	return nil
}

// AddTags returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given. More than MaxTags in the result is an error (TooManyTags).
func AddTags(tags, add []Tag) ([]Tag, error) {
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
	return out, checkTagCount(out)
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
