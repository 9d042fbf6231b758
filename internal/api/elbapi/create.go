package elbapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// uniqueByName describes an ELB object that is unique by name and limited in number, for
// createOrReturn.
type uniqueByName[T any] struct {
	coll store.Collection[T]
	// same reports whether an existing object has the settings of the one being created.
	same func(cur, next T) bool
	// duplicate is the error for a name taken with other settings; tooMany the one for a full
	// account, whose limit is max.
	duplicate func() error
	tooMany   func() error
	max       int
}

// createOrReturn stores v under name, or returns the object of that name when it has the same
// settings: ELB's Create operations are idempotent. A create that races another one of the
// same name is a conflict, retried by the caller.
func createOrReturn[T any](ctx context.Context, u uniqueByName[T], name string, v T) (T, error) {
	var zero T
	cur, err := u.coll.Get(ctx, name)
	switch {
	case err == nil && u.same(cur.Value, v):
		return cur.Value, nil
	case err == nil:
		return zero, u.duplicate()
	case !errors.Is(err, errdefs.ErrNotFound):
		return zero, err
	}
	all, _, err := u.coll.List(ctx, "")
	if err != nil {
		return zero, err
	}
	if len(all) >= u.max {
		return zero, u.tooMany()
	}
	if _, err := u.coll.Create(ctx, name, v); errors.Is(err, errdefs.ErrAlreadyExists) {
		return zero, errdefs.Conflict("created concurrently")
	} else if err != nil {
		return zero, err
	}
	return v, nil
}
