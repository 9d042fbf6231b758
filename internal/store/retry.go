package store

import (
	"errors"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxRetries bounds how often Retry runs an operation that lost the race between its read
// and its commit.
const maxRetries = 16

// Retry runs fn until it does not fail with a conflict, at most 16 times. fn reads everything
// it decides on afresh and commits with the revisions it read.
func Retry[T any](fn func() (T, error)) (T, error) {
	for range maxRetries - 1 {
		v, err := fn()
		if !errors.Is(err, errdefs.ErrConflict) {
			return v, err
		}
	}
	return fn()
}
