package reconcile

import (
	"context"
	"errors"
	"time"
)

// Result is what a reconcile asks of the controller besides its error.
type Result struct {
	// RequeueAfter, when positive, reconciles the key again after this delay. It is ignored
	// when Reconcile returns an error, which is retried with backoff instead.
	RequeueAfter time.Duration
	// Gone reports that the key's object no longer exists, so periodic resync stops
	// re-enqueueing the key until a later reconcile of it succeeds without Gone. It keeps the
	// resync set from growing with every key ever seen. It is ignored with an error.
	Gone bool
}

// Reconciler converges the state of one key. See the package documentation for the contract.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) (Result, error)
}

// ReconcilerFunc adapts a function to the Reconciler interface.
type ReconcilerFunc func(ctx context.Context, key string) (Result, error)

var _ Reconciler = ReconcilerFunc(nil)

// Reconcile calls f(ctx, key).
func (f ReconcilerFunc) Reconcile(ctx context.Context, key string) (Result, error) {
	return f(ctx, key)
}

// terminalError marks an error that retrying cannot fix.
type terminalError struct{ err error }

func (e *terminalError) Error() string { return e.err.Error() }
func (e *terminalError) Unwrap() error { return e.err }

// Terminal wraps err so that the controller logs it and does not retry the key; the key is
// reconciled again only when it is added again (or on resync). Terminal(nil) is nil. The
// wrapped error stays visible to errors.Is and errors.As.
func Terminal(err error) error {
	if err == nil {
		return nil
	}
	return &terminalError{err: err}
}

// IsTerminal reports whether err, or any error it wraps, was made by Terminal.
func IsTerminal(err error) bool {
	var t *terminalError
	return errors.As(err, &t)
}
