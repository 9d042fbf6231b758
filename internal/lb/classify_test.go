package lb

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "timeout awaiting response headers" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

// TestClassify pins which failed attempts are retried (invariant 4).
func TestClassify(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	tests := []struct {
		name   string
		method string
		err    error
		flags  uint32
		want   int
	}{
		{"connection refused", "POST", refused, 0, failRetryable},
		{"dial timeout", "POST", timeoutErr{}, 0, failRetryable},
		{"reset on a fresh connection", "POST", reset, flagGotConn | flagWrote, failRetryable},
		{"EOF on a fresh connection", "POST", io.EOF, flagGotConn | flagWrote, failRetryable},
		{"closed under a write on a fresh connection", "POST", &net.OpError{Op: "write", Net: "tcp", Err: net.ErrClosed}, flagGotConn | flagWrote, failRetryable},
		{"timeout after sending", "GET", timeoutErr{}, flagGotConn | flagWrote, failTimeout},
		{"reused connection, not written", "POST", reset, flagGotConn | flagReused, failRetryable},
		{"reused connection, written, idempotent", "PUT", reset, flagGotConn | flagReused | flagWrote, failRetryable},
		{"reused connection, written, POST", "POST", reset, flagGotConn | flagReused | flagWrote, failBackend},
		{"malformed response", "GET", errors.New("malformed HTTP response"), flagGotConn | flagWrote, failBackend},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tt.method, "/", nil)
			if got := classify(r, tt.err, tt.flags); got != tt.want {
				t.Errorf("classify = %d, want %d", got, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
	if got := classify(r, refused, 0); got != failClient {
		t.Errorf("client gone: classify = %d, want failClient", got)
	}
}
