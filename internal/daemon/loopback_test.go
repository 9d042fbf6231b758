package daemon

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// TestUnsignedPathsAnswerLoopbackOnly: the API paths that need no signature answer a client
// of this machine, and refuse one of another address (only a string in the request: no
// traffic leaves loopback), through the server's real handler. Signed API calls and the
// registry and console keep their own authentication, whatever the address.
func TestUnsignedPathsAnswerLoopbackOnly(t *testing.T) {
	t.Parallel()
	cfg, err := Config{DataDir: t.TempDir(), APIAddr: "127.0.0.1:0", Runtime: fake.New(fake.Config{})}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.Ensure(cfg.DataDir, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, _, err := build(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.close() })
	for _, tc := range []struct {
		path, remote string
		local        string // the address the client connected to; none when empty
		want         int
	}{
		{"/metrics", "127.0.0.1:50000", "", http.StatusOK},
		{ClusterPath, "127.0.0.1:50000", "", http.StatusOK},
		{"/metrics", "[::1]:50000", "", http.StatusOK},
		{"/metrics", "192.0.2.10:50000", "", http.StatusForbidden},
		{ClusterPath, "10.0.0.7:50000", "", http.StatusForbidden},
		{ClusterPath, "10.0.0.7:50000", "10.0.0.1:4566", http.StatusForbidden},
		// fargo ps on the member itself, whose API listens on the machine's own address.
		{ClusterPath, "10.0.0.1:50000", "10.0.0.1:4566", http.StatusOK},
		// The registry's base check asks for credentials from everyone.
		{"/v2/", "192.0.2.10:50000", "", http.StatusUnauthorized},
		{"/v2/", "127.0.0.1:50000", "", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.RemoteAddr = tc.remote
		if tc.local != "" {
			local, err := net.ResolveTCPAddr("tcp", tc.local)
			if err != nil {
				t.Fatal(err)
			}
			req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, net.Addr(local)))
		}
		rec := httptest.NewRecorder()
		p.httpSrv.Handler.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("GET %s from %s = %d, want %d: %s", tc.path, tc.remote, rec.Code, tc.want, rec.Body.String())
		}
	}
}
