package elbapi

import (
	"context"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/store"
)

// namedKind says how DescribeLoadBalancers and DescribeTargetGroups find one kind of resource
// by ARN or by name, and which error they answer when one of them does not exist.
type namedKind[T any] struct {
	noun      string // plural, as in "One or more load balancers not found"
	notFound  error
	byARN     func(ctx context.Context, arn string) (store.Item[T], error)
	byName    func(ctx context.Context, name string) (store.Item[T], error)
	validName func(name string) error
	name      func(T) string
}

// selectNamed returns the resources arns and names name, each once. One that does not exist
// fails the whole call, as on AWS.
func selectNamed[T any](ctx context.Context, k namedKind[T], arns, names []string) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	add := func(it store.Item[T], err error) error {
		if err != nil {
			return notFoundAs(err, k.notFound, "One or more %s not found", k.noun)
		}
		if name := k.name(it.Value); !seen[name] {
			seen[name] = true
			out = append(out, it.Value)
		}
		return nil
	}
	for _, arn := range arns {
		if err := add(k.byARN(ctx, arn)); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		if err := k.validName(name); err != nil {
			return nil, err
		}
		if err := add(k.byName(ctx, name)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// describePage sorts items by name and converts the page that marker and pageSize ask for.
func describePage[T, W any](items []T, name func(T) string, marker *string, pageSize *int32, toWire func(T) W) (list[W], *string, error) {
	slices.SortFunc(items, func(x, y T) int { return strings.Compare(name(x), name(y)) })
	page, next, err := awsproto.Paginate(pages, items, awsproto.ByKey(name), marker, pageSize, maxPageSize)
	if err != nil {
		return nil, nil, err
	}
	out := list[W]{}
	for _, it := range page {
		out = append(out, toWire(it))
	}
	return out, next, nil
}
