package embedetcd_test

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/embedetcd"
)

// loopbackURL returns an http URL on a free loopback port.
func loopbackURL(t *testing.T) url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}
}

// startCluster starts n members on loopback together, as `fargo server` members with
// --etcd-initial-cluster-state new do, and returns them once all serve. The first member also
// serves clients on a unix socket in dir, as for a data plane process: <dir>/m0.sock; the
// second on the returned loopback URL, as for etcdctl.
func startCluster(t *testing.T, dir string, n int) ([]*embedetcd.Server, url.URL) {
	t.Helper()
	names := make([]string, n)
	peers := make([]url.URL, n)
	var initial []string
	for i := range n {
		names[i], peers[i] = fmt.Sprintf("m%d", i), loopbackURL(t)
		initial = append(initial, names[i]+"="+peers[i].String())
	}
	members := make([]*embedetcd.Server, n)
	clientURL := loopbackURL(t)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		var socket string
		var clients []url.URL
		switch i {
		case 0:
			socket = filepath.Join(dir, "m0.sock")
		case 1:
			clients = []url.URL{clientURL}
		}
		wg.Go(func() {
			members[i], errs[i] = embedetcd.Start(t.Context(), embedetcd.Config{
				ClientSocket: socket,
				Dir:          filepath.Join(dir, names[i]),
				Name:         names[i],
				StartTimeout: time.Minute,
				Logger:       slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError})),
				Cluster: embedetcd.Cluster{
					InitialCluster:   strings.Join(initial, ","),
					ListenPeerURLs:   []url.URL{peers[i]},
					ListenClientURLs: clients,
				},
			})
		})
	}
	wg.Wait()
	for i, m := range members {
		if m != nil {
			t.Cleanup(func() { _ = m.Close() })
		}
		if errs[i] != nil {
			t.Fatalf("member %s: %v", names[i], errs[i])
		}
	}
	return members, clientURL
}

// TestClusterSharesWrites: three members form one cluster; what one writes, the others read.
func TestClusterSharesWrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	members, clientURL := startCluster(t, dir, 3)
	resp, err := members[0].Client().MemberList(t.Context())
	if err != nil || len(resp.Members) != 3 {
		t.Fatalf("member list = %v, %v; want 3 members", resp, err)
	}
	if _, err := members[0].Client().Put(t.Context(), "k", "from m0"); err != nil {
		t.Fatal(err)
	}
	for i, m := range members[1:] {
		// A linearizable read (clientv3's default) sees every write acknowledged before it.
		got, err := m.Client().Get(t.Context(), "k")
		if err != nil || len(got.Kvs) != 1 || string(got.Kvs[0].Value) != "from m0" {
			t.Fatalf("member m%d reads %v, %v; want from m0", i+1, got, err)
		}
	}
	for _, endpoint := range []string{"unix://" + filepath.Join(dir, "m0.sock"), clientURL.String()} {
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Get(t.Context(), "k")
		_ = c.Close()
		if err != nil || len(got.Kvs) != 1 {
			t.Fatalf("a client of %s reads %v, %v", endpoint, got, err)
		}
	}
}

func TestClusterConfigValidate(t *testing.T) {
	t.Parallel()
	peer := []url.URL{{Scheme: "http", Host: "127.0.0.1:2380"}}
	tests := []struct {
		name    string
		cluster embedetcd.Cluster
		ok      bool
	}{
		{"lone member", embedetcd.Cluster{}, true},
		{"member of three", embedetcd.Cluster{InitialCluster: "fargo=http://127.0.0.1:2380,b=http://127.0.0.2:2380,c=http://127.0.0.3:2380", ListenPeerURLs: peer}, true},
		{"existing", embedetcd.Cluster{InitialCluster: "fargo=http://127.0.0.1:2380", InitialClusterState: "existing", ListenPeerURLs: peer}, true},
		{"bad state", embedetcd.Cluster{InitialCluster: "fargo=http://127.0.0.1:2380", InitialClusterState: "old", ListenPeerURLs: peer}, false},
		{"not named", embedetcd.Cluster{InitialCluster: "b=http://127.0.0.2:2380", ListenPeerURLs: peer}, false},
		{"no peer listener", embedetcd.Cluster{InitialCluster: "fargo=http://127.0.0.1:2380"}, false},
		{"garbled", embedetcd.Cluster{InitialCluster: "fargo", ListenPeerURLs: peer}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := embedetcd.Config{Dir: "/d", Cluster: tt.cluster}.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestLoneMemberClientURL: a lone member serves etcd clients (etcdctl snapshot save) on the
// client URL it is given.
func TestLoneMemberClientURL(t *testing.T) {
	t.Parallel()
	u := loopbackURL(t)
	srv, err := embedetcd.Start(t.Context(), embedetcd.Config{Dir: filepath.Join(t.TempDir(), "etcd"), Cluster: embedetcd.Cluster{ListenClientURLs: []url.URL{u}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.Client().Put(t.Context(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{u.String()}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := c.Get(t.Context(), "k"); err != nil || len(got.Kvs) != 1 {
		t.Fatalf("a client of %s reads %v, %v", u.String(), got, err)
	}
}
