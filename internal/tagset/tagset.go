package tagset

import (
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Tag is a key/value label on an AWS resource.
type Tag struct {
	Key   string
	Value string
}

// Messages are the client messages a service answers for a tag it refuses; they differ
// between services.
type Messages struct {
	KeyLength   string // a key is not 1 to 128 characters long
	ValueLength string // a value is longer than 256 characters
	Reserved    string // a key starts with aws:
	// Duplicate is the error for a key given twice.
	Duplicate func(key string) error
}

// Validate checks each tag: keys 1-128 characters, values up to 256, the aws: prefix (in any
// case) reserved, and no key twice. It does not count the tags: services differ in when they
// do, and in how they answer.
func Validate(tags []Tag, m Messages) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if len(t.Key) < 1 || len(t.Key) > 128 {
			return errdefs.InvalidArgument("%s", m.KeyLength)
		}
		if len(t.Value) > 256 {
			return errdefs.InvalidArgument("%s", m.ValueLength)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errdefs.InvalidArgument("%s", m.Reserved)
		}
		if seen[t.Key] {
			return m.Duplicate(t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// Merge returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given.
func Merge(tags, add []Tag) []Tag {
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

// Remove returns tags without the given keys.
func Remove(tags []Tag, keys []string) []Tag {
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

// Map returns tags as a map from key to value, as policy conditions read them; nil for none.
func Map(tags []Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
