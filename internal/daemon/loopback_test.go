package daemon

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// TestUnsignedPathsAnswerThisMachineOnly: the API paths that need no signature from this machine
// answer a client of this machine, and one of another address (only a string in the request:
// no traffic leaves loopback) only with a SigV4 signature of a known key, through the server's
// real handler. The registry keeps its own authentication, whatever the address.
func TestUnsignedPathsAnswerThisMachineOnly(t *testing.T) {
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
	creds, err := credentials.Load(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, remote string
		local        string // the address the client connected to; none when empty
		signer       string // "" unsigned, "server" the server's key, "stranger" an unknown key
		want         int
	}{
		{"/metrics", "127.0.0.1:50000", "", "", http.StatusOK},
		{ClusterPath, "127.0.0.1:50000", "", "", http.StatusOK},
		{"/metrics", "[::1]:50000", "", "", http.StatusOK},
		{"/metrics", "192.0.2.10:50000", "", "", http.StatusForbidden},
		{ClusterPath, "10.0.0.7:50000", "", "", http.StatusForbidden},
		{ClusterPath, "10.0.0.7:50000", "10.0.0.1:4566", "", http.StatusForbidden},
		// fargo ps on the member itself, whose API listens on the machine's own address.
		{ClusterPath, "10.0.0.1:50000", "10.0.0.1:4566", "", http.StatusOK},
		{ClusterPath, "192.0.2.10:50000", "", "server", http.StatusOK},
		{"/metrics", "192.0.2.10:50000", "", "server", http.StatusOK},
		{"/metrics", "192.0.2.10:50000", "", "stranger", http.StatusForbidden},
		// The registry's base check asks for credentials from everyone.
		{"/v2/", "192.0.2.10:50000", "", "", http.StatusUnauthorized},
		{"/v2/", "127.0.0.1:50000", "", "", http.StatusUnauthorized},
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
		switch tc.signer {
		case "server":
			sign(t, req, creds.AccessKeyID, creds.SecretAccessKey)
		case "stranger":
			sign(t, req, "AKIAUNKNOWN000000000", creds.SecretAccessKey)
		}
		rec := httptest.NewRecorder()
		p.httpSrv.Handler.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("GET %s from %s = %d, want %d: %s", tc.path, tc.remote, rec.Code, tc.want, rec.Body.String())
		}
	}
}

// sign signs req with SigV4 as the AWS SDKs do.
func sign(t *testing.T, req *http.Request, keyID, secret string) {
	t.Helper()
	const emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}, req, emptyPayload, "fargo", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
}
