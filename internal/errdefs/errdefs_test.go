package errdefs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestKindsSurviveWrapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		kind error
	}{
		{"not found", errdefs.NotFound("cluster %q", "a"), errdefs.ErrNotFound},
		{"exists", errdefs.AlreadyExists("x"), errdefs.ErrAlreadyExists},
		{"invalid", errdefs.InvalidArgument("x"), errdefs.ErrInvalidArgument},
		{"precondition", errdefs.FailedPrecondition("x"), errdefs.ErrFailedPrecondition},
		{"conflict", errdefs.Conflict("x"), errdefs.ErrConflict},
		{"unavailable", errdefs.Unavailable("x"), errdefs.ErrUnavailable},
		{"limit", errdefs.LimitExceeded("x"), errdefs.ErrLimitExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("context: %w", tt.err)
			if !errors.Is(wrapped, tt.kind) {
				t.Fatalf("errors.Is(%v, %v) = false", wrapped, tt.kind)
			}
			if errors.Is(wrapped, errors.New("other")) {
				t.Fatal("matched an unrelated error")
			}
			if got := errdefs.Message(wrapped); got != tt.err.Error() {
				t.Fatalf("Message = %q, want %q", got, tt.err.Error())
			}
		})
	}
}

func TestMessageOfPlainError(t *testing.T) {
	t.Parallel()
	if got := errdefs.Message(errors.New("boom")); got != "boom" {
		t.Fatalf("Message = %q", got)
	}
}
