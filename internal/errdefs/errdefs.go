package errdefs

import (
	"errors"
	"fmt"
)

// The kinds. Each sentinel is only ever matched with errors.Is, never returned bare by the
// constructors below, so the message a client sees is the specific one.
var (
	// ErrNotFound means the named object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists means an object with that identity exists and may not be created again.
	ErrAlreadyExists = errors.New("already exists")
	// ErrInvalidArgument means the request itself is wrong, whatever the state.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrFailedPrecondition means the request is well formed but the current state refuses it.
	ErrFailedPrecondition = errors.New("failed precondition")
	// ErrConflict means a concurrent write won; the caller may read again and retry.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means a dependency is not reachable now; the same call may work later.
	ErrUnavailable = errors.New("unavailable")
	// ErrLimitExceeded means a quota was reached.
	ErrLimitExceeded = errors.New("limit exceeded")
	// ErrPermissionDenied means the caller's policies do not allow the request.
	ErrPermissionDenied = errors.New("permission denied")
)

// Error is an error of one kind with the message meant for the client.
type Error struct {
	kind     error
	msg      string
	sentinel error // the error that Detail added this message to; nil if none
}

func (e *Error) Error() string { return e.msg }

// Is reports whether target is the kind of e, so errors.Is works through any wrapping.
func (e *Error) Is(target error) bool { return target == e.kind }

// Unwrap returns the sentinel that e details, so errors.Is(e, sentinel) holds; nil if e
// details none.
func (e *Error) Unwrap() error { return e.sentinel }

// Kind returns the sentinel of e's kind.
func (e *Error) Kind() error { return e.kind }

func newf(kind error, format string, args ...any) error {
	return &Error{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// NotFound returns an ErrNotFound error with a formatted message.
func NotFound(format string, args ...any) error { return newf(ErrNotFound, format, args...) }

// AlreadyExists returns an ErrAlreadyExists error with a formatted message.
func AlreadyExists(format string, args ...any) error {
	return newf(ErrAlreadyExists, format, args...)
}

// InvalidArgument returns an ErrInvalidArgument error with a formatted message.
func InvalidArgument(format string, args ...any) error {
	return newf(ErrInvalidArgument, format, args...)
}

// FailedPrecondition returns an ErrFailedPrecondition error with a formatted message.
func FailedPrecondition(format string, args ...any) error {
	return newf(ErrFailedPrecondition, format, args...)
}

// Conflict returns an ErrConflict error with a formatted message.
func Conflict(format string, args ...any) error { return newf(ErrConflict, format, args...) }

// Unavailable returns an ErrUnavailable error with a formatted message.
func Unavailable(format string, args ...any) error { return newf(ErrUnavailable, format, args...) }

// LimitExceeded returns an ErrLimitExceeded error with a formatted message.
func LimitExceeded(format string, args ...any) error {
	return newf(ErrLimitExceeded, format, args...)
}

// PermissionDenied returns an ErrPermissionDenied error with a formatted message.
func PermissionDenied(format string, args ...any) error {
	return newf(ErrPermissionDenied, format, args...)
}

// Detail returns an error that matches sentinel and sentinel's kind (errors.Is) and whose client
// message (Message) names what was wrong in this request. Domain packages declare the sentinels
// that have a wire code of their own with the constructors above, in the service's default words,
// and use Detail where the request deserves a more specific message:
//
//	var ErrTargetGroupNotFound = errdefs.NotFound("The specified target group does not exist.")
//	return errdefs.Detail(ErrTargetGroupNotFound, "Target group '%s' not found", arn)
func Detail(sentinel error, format string, args ...any) error {
	var kind error
	if e, ok := errors.AsType[*Error](sentinel); ok {
		kind = e.kind
	}
	return &Error{kind: kind, msg: fmt.Sprintf(format, args...), sentinel: sentinel}
}

// Message returns the client-facing message of the first *Error in err's chain, or err.Error()
// when there is none. Wrapping context added with %w is for logs, not for clients.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.msg
	}
	return err.Error()
}
