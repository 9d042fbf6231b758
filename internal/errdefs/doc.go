// Package errdefs defines the kinds of error that every layer of fargo shares.
//
// Domain packages, the store and the controllers return errors of these kinds, wrapped with context
// by %w; only the API edge turns a kind into an AWS error code. A kind is tested with errors.Is
// against the sentinel (errors.Is(err, errdefs.ErrNotFound)).
//
// An error that a client must tell from others of its kind (ELB's TargetGroupNotFound, not just any
// not-found) is a sentinel of the domain package, declared with a constructor of this package and
// the service's default message; Detail gives it a message about this request while errors.Is still
// finds both the sentinel and its kind. The API package maps sentinels, then kinds, to wire codes.
package errdefs
