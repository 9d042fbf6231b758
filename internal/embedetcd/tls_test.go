package embedetcd_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/pki"
)

// issue creates a CA in dir (once) and a certificate of it for name; it returns the member's
// TLS settings with that CA trusted.
func issue(t *testing.T, dir, name string) embedetcd.TLS {
	t.Helper()
	if _, err := pki.InitDir(dir, time.Now()); err != nil && !errors.Is(err, errdefs.ErrAlreadyExists) {
		t.Fatal(err)
	}
	f, err := pki.IssueDir(dir, pki.Request{Name: name}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return embedetcd.TLS{CertFile: f.Cert, KeyFile: f.Key, TrustedCAFile: f.CA}
}

func httpsURL(t *testing.T) url.URL {
	t.Helper()
	u := loopbackURL(t)
	u.Scheme = "https"
	return u
}

func quietLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

// TestTLSPeers: three members with https:// peer URLs and peer certificate authentication
// form a cluster; a member added to it whose certificate is of another CA cannot join, and
// the same member with a certificate of the cluster's CA then can.
func TestTLSPeers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	caDir, strangerCA := filepath.Join(dir, "ca"), filepath.Join(dir, "other-ca")
	names := []string{"m0", "m1", "m2"}
	peers := map[string]*url.URL{}
	var initial []string
	for _, n := range names {
		u := httpsURL(t)
		peers[n] = &u
		initial = append(initial, fmt.Sprintf("%s=%s", n, peers[n].String()))
	}
	start := func(name, initialCluster, state string, tls embedetcd.TLS, timeout time.Duration) (*embedetcd.Server, error) {
		s, err := embedetcd.Start(t.Context(), embedetcd.Config{
			Dir: filepath.Join(t.TempDir(), name), Name: name, StartTimeout: timeout, Logger: quietLogger(t),
			Cluster: embedetcd.Cluster{
				InitialCluster: initialCluster, InitialClusterState: state,
				ListenPeerURLs: []url.URL{*peers[name]}, PeerTLS: tls,
			},
		})
		if s != nil {
			t.Cleanup(func() { _ = s.Close() })
		}
		return s, err
	}
	members := make([]*embedetcd.Server, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		tls := issue(t, caDir, n)
		wg.Go(func() { members[i], errs[i] = start(n, strings.Join(initial, ","), "new", tls, time.Minute) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if _, err := members[0].Client().Put(t.Context(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	if got, err := members[2].Client().Get(t.Context(), "k"); err != nil || len(got.Kvs) != 1 {
		t.Fatalf("m2 reads %v, %v; want m0's write", got, err)
	}

	// m3 is added to the cluster, as `etcdctl member add` does, and starts with another CA's
	// certificate: the members refuse its connections and it refuses theirs.
	m3 := httpsURL(t)
	peers["m3"] = &m3
	addMember(t, members[0].Client(), peers["m3"].String())
	joined := strings.Join(append(initial, "m3="+peers["m3"].String()), ",")
	if _, err := start("m3", joined, "existing", issue(t, strangerCA, "m3"), 10*time.Second); err == nil {
		t.Fatal("a member with a certificate of another CA joined the cluster")
	}
	if _, err := start("m3", joined, "existing", issue(t, caDir, "m3"), time.Minute); err != nil {
		t.Fatalf("with the cluster's CA m3 cannot join either: %v", err)
	}
}

// TestTLSClients: a member whose client URL is https:// with client certificate
// authentication serves a client with a certificate of its CA, and refuses one without a
// certificate and one with a certificate of another CA.
func TestTLSClients(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	caDir := filepath.Join(dir, "ca")
	u := httpsURL(t)
	srv, err := embedetcd.Start(t.Context(), embedetcd.Config{
		Dir: filepath.Join(dir, "etcd"), Logger: quietLogger(t),
		Cluster: embedetcd.Cluster{ListenClientURLs: []url.URL{u}, ClientTLS: issue(t, caDir, "member")},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if _, err := srv.Client().Put(t.Context(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	client := issue(t, caDir, "agent")
	stranger := issue(t, filepath.Join(dir, "other-ca"), "agent")
	caFile := filepath.Join(caDir, pki.CACertFile)
	for _, tc := range []struct {
		name  string
		files pki.ClientFiles
		ok    bool
	}{
		{"certificate of the CA", pki.ClientFiles{CACert: caFile, Cert: client.CertFile, Key: client.KeyFile}, true},
		{"no certificate", pki.ClientFiles{CACert: caFile}, false},
		{"certificate of another CA", pki.ClientFiles{CACert: caFile, Cert: stranger.CertFile, Key: stranger.KeyFile}, false},
	} {
		tlsCfg, err := tc.files.Config()
		if err != nil {
			t.Fatal(err)
		}
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{u.String()}, TLS: tlsCfg, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		got, err := c.Get(ctx, "k")
		cancel()
		_ = c.Close()
		if tc.ok && (err != nil || len(got.Kvs) != 1) {
			t.Errorf("%s: read %v, %v; want k", tc.name, got, err)
		}
		if !tc.ok && err == nil {
			t.Errorf("%s: the member served it", tc.name)
		}
	}
}

// TestUnauthenticatedListenersRefused: a member refuses to listen unauthenticated on an
// address other machines reach. The addresses are only strings here: nothing listens.
func TestUnauthenticatedListenersRefused(t *testing.T) {
	t.Parallel()
	certs := embedetcd.TLS{CertFile: "m.crt", KeyFile: "m.key"}
	withCA := embedetcd.TLS{CertFile: "m.crt", KeyFile: "m.key", TrustedCAFile: "ca.crt"}
	parse := func(s string) []url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return []url.URL{*u}
	}
	for _, tc := range []struct {
		name     string
		peer     string
		peerTLS  embedetcd.TLS
		client   string
		clientTL embedetcd.TLS
		wantFlag string // named in the error; "" when allowed
	}{
		{"loopback http peer", "http://127.0.0.1:2380", embedetcd.TLS{}, "", embedetcd.TLS{}, ""},
		{"other loopback address", "http://127.0.0.3:2380", embedetcd.TLS{}, "http://127.0.0.3:2379", embedetcd.TLS{}, ""},
		{"localhost", "http://localhost:2380", embedetcd.TLS{}, "http://localhost:2379", embedetcd.TLS{}, ""},
		{"remote http peer", "http://192.0.2.1:2380", embedetcd.TLS{}, "", embedetcd.TLS{}, "--etcd-peer-cert-file"},
		{"every address, http", "http://0.0.0.0:2380", embedetcd.TLS{}, "", embedetcd.TLS{}, "--etcd-peer-cert-file"},
		{"remote http peer with certificates", "http://10.0.0.1:2380", withCA, "", embedetcd.TLS{}, "--etcd-peer-cert-file"},
		{"remote https peer without client auth", "https://10.0.0.1:2380", certs, "", embedetcd.TLS{}, "--etcd-peer-trusted-ca-file"},
		{"https peer without a certificate", "https://127.0.0.1:2380", embedetcd.TLS{TrustedCAFile: "ca.crt"}, "", embedetcd.TLS{}, "--etcd-peer-cert-file"},
		{"remote https peer with client auth", "https://10.0.0.1:2380", withCA, "", embedetcd.TLS{}, ""},
		{"loopback https peer without client auth", "https://127.0.0.1:2380", certs, "", embedetcd.TLS{}, ""},
		{"remote http client URL", "http://127.0.0.1:2380", embedetcd.TLS{}, "http://192.0.2.1:2379", embedetcd.TLS{}, "--etcd-cert-file"},
		{"remote https client URL without client auth", "http://127.0.0.1:2380", embedetcd.TLS{}, "https://192.0.2.1:2379", certs, "--etcd-trusted-ca-file"},
		{"remote https client URL with client auth", "http://127.0.0.1:2380", embedetcd.TLS{}, "https://0.0.0.0:2379", withCA, ""},
		{"lone member, remote http client URL", "", embedetcd.TLS{}, "http://10.1.1.1:2379", embedetcd.TLS{}, "--etcd-listen-client-urls"},
	} {
		c := embedetcd.Cluster{PeerTLS: tc.peerTLS, ClientTLS: tc.clientTL}
		if tc.peer != "" {
			c.InitialCluster, c.ListenPeerURLs = "fargo="+tc.peer, parse(tc.peer)
		}
		if tc.client != "" {
			c.ListenClientURLs = parse(tc.client)
		}
		err := embedetcd.Config{Dir: "/d", Cluster: c}.Validate()
		switch {
		case tc.wantFlag == "" && err != nil:
			t.Errorf("%s: %v, want it allowed", tc.name, err)
		case tc.wantFlag != "" && (err == nil || !strings.Contains(err.Error(), tc.wantFlag) || !strings.Contains(err.Error(), "fargo cert")):
			t.Errorf("%s: %v, want an error naming %s and fargo cert", tc.name, err, tc.wantFlag)
		case err != nil && !errors.Is(err, errdefs.ErrInvalidArgument):
			t.Errorf("%s: %v is not InvalidArgument", tc.name, err)
		}
	}
}

// addMember adds a member of peerURL to the cluster of c. etcd refuses while the cluster has
// not yet seen every member active for a few seconds (a fresh cluster), so it tries again.
func addMember(t *testing.T, c *clientv3.Client, peerURL string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := c.MemberAdd(t.Context(), []string{peerURL})
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("member add %s: %v", peerURL, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
