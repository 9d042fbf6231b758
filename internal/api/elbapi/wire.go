package elbapi

import (
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

// list is a list member of a response; see awsproto.XMLList.
type list[T any] = awsproto.XMLList[T]

// timestamp formats t as ELBv2 does: ISO 8601 in UTC with milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type wireTag struct {
	Key   *string `query:"Key" xml:"Key"`
	Value *string `query:"Value" xml:"Value,omitempty"`
}

func tagsFromWire(in []wireTag) ([]elb.Tag, error) {
	out := make([]elb.Tag, 0, len(in))
	for _, t := range in {
		if t.Key == nil {
			return nil, errdefs.InvalidArgument("A tag key must be specified")
		}
		out = append(out, elb.Tag{Key: *t.Key, Value: awsproto.Deref(t.Value)})
	}
	return out, nil
}

func tagsToWire(in []elb.Tag) list[wireTag] {
	out := make(list[wireTag], 0, len(in))
	for _, t := range in {
		out = append(out, wireTag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}

type wireAttribute struct {
	Key   *string `query:"Key" xml:"Key"`
	Value *string `query:"Value" xml:"Value"`
}

func attributesFromWire(in []wireAttribute) ([]elb.Attribute, error) {
	out := make([]elb.Attribute, 0, len(in))
	for _, a := range in {
		if a.Key == nil {
			return nil, errdefs.InvalidArgument("An attribute key must be specified")
		}
		out = append(out, elb.Attribute{Key: *a.Key, Value: awsproto.Deref(a.Value)})
	}
	return out, nil
}

func attributesToWire(in elb.Attributes) list[wireAttribute] {
	sorted := in.Sorted()
	out := make(list[wireAttribute], 0, len(sorted))
	for _, a := range sorted {
		out = append(out, wireAttribute{Key: ptr(a.Key), Value: ptr(a.Value)})
	}
	return out
}

type attributesOutput struct {
	Attributes list[wireAttribute] `xml:"Attributes"`
}

// emptyOutput is the result of operations without output members: <OpResult/>.
type emptyOutput struct{}

func ptr[T any](v T) *T { return &v }

// given converts an optional number for the domain, where 0 means "not given": an explicit 0
// becomes -1, which every range the domain checks rejects.
func given(p *int32) int {
	switch {
	case p == nil:
		return 0
	case *p == 0:
		return -1
	}
	return int(*p)
}

// required returns the value of a required member, or a validation error naming it.
func required(p *string, name string) (string, error) {
	if p == nil {
		return "", errdefs.InvalidArgument("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", name)
	}
	return *p, nil
}
