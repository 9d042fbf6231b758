package apitest

import (
	"errors"
	"testing"

	"github.com/aws/smithy-go"
)

// WantError fails the test unless err is the error an AWS SDK client reports for code, message
// and HTTP status: what a client reads and acts on.
func WantError(t testing.TB, err error, code, message string, status int) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an API error %s", err, code)
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Errorf("error %s: %q, want %s: %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
	var resp interface{ HTTPStatusCode() int }
	if !errors.As(err, &resp) {
		t.Fatalf("err = %v carries no HTTP response", err)
	}
	if got := resp.HTTPStatusCode(); got != status {
		t.Errorf("HTTP status %d, want %d", got, status)
	}
}
