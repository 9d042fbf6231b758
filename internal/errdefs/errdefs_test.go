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
		{"permission", errdefs.PermissionDenied("x"), errdefs.ErrPermissionDenied},
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

func TestDetail(t *testing.T) {
	t.Parallel()
	errGroupNotFound := errdefs.NotFound("The specified target group does not exist.")
	errOtherNotFound := errdefs.NotFound("The specified listener does not exist.")
	plain := errors.New("plain")
	tests := []struct {
		name    string
		err     error
		is      []error // errors.Is must hold for each
		isNot   []error // and fail for each
		message string
	}{
		{
			name:    "sentinel alone",
			err:     errGroupNotFound,
			is:      []error{errGroupNotFound, errdefs.ErrNotFound},
			isNot:   []error{errOtherNotFound, errdefs.ErrInvalidArgument},
			message: "The specified target group does not exist.",
		},
		{
			name:    "detail",
			err:     errdefs.Detail(errGroupNotFound, "Target group '%s' not found", "arn:tg/blue"),
			is:      []error{errGroupNotFound, errdefs.ErrNotFound},
			isNot:   []error{errOtherNotFound, errdefs.ErrInvalidArgument, errdefs.ErrAlreadyExists},
			message: "Target group 'arn:tg/blue' not found",
		},
		{
			name:    "detail wrapped with %w",
			err:     fmt.Errorf("describe target groups: %w", errdefs.Detail(errGroupNotFound, "One or more target groups not found")),
			is:      []error{errGroupNotFound, errdefs.ErrNotFound},
			isNot:   []error{errOtherNotFound, errdefs.ErrInvalidArgument},
			message: "One or more target groups not found",
		},
		{
			name:    "detail joined after a marker",
			err:     errors.Join(plain, errdefs.Detail(errGroupNotFound, "gone")),
			is:      []error{plain, errGroupNotFound, errdefs.ErrNotFound},
			isNot:   []error{errOtherNotFound},
			message: "gone",
		},
		{
			name:    "detail of a detail",
			err:     errdefs.Detail(errdefs.Detail(errGroupNotFound, "inner"), "outer %d", 2),
			is:      []error{errGroupNotFound, errdefs.ErrNotFound},
			isNot:   []error{errOtherNotFound},
			message: "outer 2",
		},
		{
			name:    "detail of a kind",
			err:     errdefs.Detail(errdefs.InvalidArgument("bad"), "bad value %q", "x"),
			is:      []error{errdefs.ErrInvalidArgument},
			isNot:   []error{errdefs.ErrNotFound, errGroupNotFound},
			message: `bad value "x"`,
		},
		{
			name:    "detail of a plain error has no kind",
			err:     errdefs.Detail(plain, "more about it"),
			is:      []error{plain},
			isNot:   []error{errdefs.ErrNotFound, errdefs.ErrInvalidArgument},
			message: "more about it",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = false, want true", tt.err, target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = true, want false", tt.err, target)
				}
			}
			if got := errdefs.Message(tt.err); got != tt.message {
				t.Errorf("Message = %q, want %q", got, tt.message)
			}
		})
	}
}

func TestDetailLeavesTheSentinelAlone(t *testing.T) {
	t.Parallel()
	sentinel := errdefs.NotFound("The specified rule does not exist.")
	_ = errdefs.Detail(sentinel, "Rule '%s' not found", "r")
	if got := errdefs.Message(sentinel); got != "The specified rule does not exist." {
		t.Fatalf("Message(sentinel) = %q after Detail", got)
	}
}
