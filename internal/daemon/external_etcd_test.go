package daemon_test

import (
	"context"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// startExternalEtcd runs an etcd member with real client and peer listeners on loopback, as an
// external cluster would be, and returns its client URL.
func startExternalEtcd(t *testing.T) string {
	t.Helper()
	clientURL, peerURL := freeURL(t), freeURL(t)
	cfg := embed.NewConfig()
	cfg.Dir = t.TempDir()
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{clientURL}, []url.URL{clientURL}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peerURL}, []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		t.Fatal("external etcd not ready")
	}
	return clientURL.String()
}

func freeURL(t testing.TB) url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}
}

// TestExternalEtcd runs two servers, one after the other, with different data directories on
// one external etcd: the second sees what the first wrote.
func TestExternalEtcd(t *testing.T) {
	t.Parallel()
	endpoint := startExternalEtcd(t)
	run := func(dir string, fn func(*ecssdk.Client)) {
		ctx, cancel := context.WithCancel(context.Background())
		srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", EtcdEndpoints: []string{endpoint}, Runtime: fake.New(fake.Config{})}, nil)
		if err != nil {
			t.Fatal(err)
		}
		fn(clientFor(t, srv, dir))
		cancel()
		if err := srv.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	run(t.TempDir(), func(c *ecssdk.Client) {
		if _, err := c.CreateCluster(context.Background(), &ecssdk.CreateClusterInput{ClusterName: aws.String("shared")}); err != nil {
			t.Fatal(err)
		}
	})
	run(t.TempDir(), func(c *ecssdk.Client) {
		out, err := c.DescribeClusters(context.Background(), &ecssdk.DescribeClustersInput{Clusters: []string{"shared"}})
		if err != nil || len(out.Clusters) != 1 {
			t.Fatalf("second server does not see the cluster: %+v %v", out, err)
		}
	})
}

func TestUnreachableExternalEtcdFailsFast(t *testing.T) {
	t.Parallel()
	dead := freeURL(t)
	start := time.Now()
	_, err := daemon.Start(context.Background(), daemon.Config{DataDir: t.TempDir(), APIAddr: "127.0.0.1:0", EtcdEndpoints: []string{dead.String()}, Runtime: fake.New(fake.Config{})}, nil)
	if err == nil {
		t.Fatal("started without a reachable etcd")
	}
	if time.Since(start) > 20*time.Second {
		t.Fatalf("took %v to fail", time.Since(start))
	}
}
