package ecsapi

// Wire shapes shared by several ECS operations. Wire types are named after the model's shape
// with a "wire" prefix (wireTag for Tag); they carry JSON names exactly as the botocore model,
// pointer-optional scalars, and never leave this package.

import (
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
)

// wireTag is the model's Tag.
type wireTag struct {
	Key   *string `json:"key,omitempty"`
	Value *string `json:"value,omitempty"`
}

// wireKeyValuePair is the model's KeyValuePair.
type wireKeyValuePair struct {
	Name  *string `json:"name,omitempty"`
	Value *string `json:"value,omitempty"`
}

// wireFailure is the model's Failure: an item of a batch call that could not be served.
type wireFailure struct {
	Arn    *string `json:"arn,omitempty"`
	Reason *string `json:"reason,omitempty"`
	Detail *string `json:"detail,omitempty"`
}

// Failure reasons ECS reports.
const reasonMissing = "MISSING"

func missing(arn string) wireFailure { return wireFailure{Arn: &arn, Reason: ptr(reasonMissing)} }

// epochSeconds is a timestamp on the wire (awsproto.EpochSeconds).
type epochSeconds = awsproto.EpochSeconds

// epochPtr returns t on the wire, or nil for the zero time (an absent timestamp).
func epochPtr(t time.Time) *epochSeconds { return awsproto.Epoch(t) }

func ptr[T any](v T) *T { return &v }

func tagsFromWire(in []wireTag) []ecs.Tag {
	if in == nil {
		return nil
	}
	out := make([]ecs.Tag, len(in))
	for i, t := range in {
		out[i] = ecs.Tag{Key: awsproto.Deref(t.Key), Value: awsproto.Deref(t.Value)}
	}
	return out
}

// tagsToWire returns tags on the wire; never nil, as ECS always sends the list.
func tagsToWire(in []ecs.Tag) []wireTag {
	out := make([]wireTag, len(in))
	for i, t := range in {
		out[i] = wireTag{Key: ptr(t.Key), Value: ptr(t.Value)}
	}
	return out
}
