package runtime_test

import (
	"slices"
	"testing"

	"github.com/fargohq/fargo/internal/runtime"
)

func TestExecArgv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd  []string
		want []string
	}{
		{[]string{"CMD-SHELL", "curl -f localhost || exit 1"}, []string{"/bin/sh", "-c", "curl -f localhost || exit 1"}},
		{[]string{"CMD", "curl", "-f"}, []string{"curl", "-f"}},
		{[]string{"curl"}, []string{"curl"}},
		{[]string{"CMD-SHELL"}, nil},
		{[]string{"CMD"}, nil},
		{[]string{"NONE"}, nil},
		{[]string{"CMD-SHELL", "echo", "a b"}, []string{"/bin/sh", "-c", "echo a b"}},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := runtime.ExecArgv(tt.cmd)
		if !slices.Equal(got, tt.want) || (err == nil) != (tt.want != nil) {
			t.Errorf("runtime.ExecArgv(%q) = %q, %v; want %q", tt.cmd, got, err, tt.want)
		}
	}
}

// TestCappedBuffer keeps the first Max bytes of many writes and reports each write whole, so
// that a command writing more never sees an error.
func TestCappedBuffer(t *testing.T) {
	t.Parallel()
	b := &runtime.CappedBuffer{Max: 5}
	for _, w := range []string{"abc", "defg", "hij"} {
		if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", w, n, err)
		}
	}
	if got := b.String(); got != "abcde" {
		t.Errorf("kept %q, want %q", got, "abcde")
	}
}
