// Package errdefs defines the kinds of error that every layer of fargo shares.
//
// Domain packages, the store and the controllers return errors of these kinds, wrapped with context
// by %w; only the API edge turns a kind into an AWS error code. A kind is tested with errors.Is
// against the sentinel (errors.Is(err, errdefs.ErrNotFound)).
package errdefs
