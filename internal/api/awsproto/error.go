package awsproto

import (
	"fmt"
	"net/http"
)

// Error is an AWS error as a client sees it: a code, a message and an HTTP status.
type Error struct {
	Code    string
	Message string
	// Status is the HTTP status; 400 when zero.
	Status int
	// Type is the modeled error shape's id that RPC v2 CBOR answers send as __type, when it
	// is not Code (awsQueryCompatible services, whose Code is the Query code).
	Type string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus returns the status to send.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// Fault reports whether the error is the server's fault (5xx), which Query errors call
// "Receiver" and clients retry.
func (e *Error) Fault() bool { return e.HTTPStatus() >= 500 }

// Errorf returns a 400 error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
