package daemon

import (
	"net/url"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/pki"
)

// TestClusterSettings: the settings of a server that shares its store, and their defaults.
func TestClusterSettings(t *testing.T) {
	t.Parallel()
	member := embedetcd.Cluster{InitialCluster: "a=http://127.0.0.1:2380", ListenPeerURLs: []url.URL{{Scheme: "http", Host: "127.0.0.1:2380"}}}
	// Addresses only as strings: nothing listens.
	remotePlain := embedetcd.Cluster{InitialCluster: "a=http://192.0.2.1:2380", ListenPeerURLs: []url.URL{{Scheme: "http", Host: "192.0.2.1:2380"}}}
	remoteTLS := embedetcd.Cluster{
		InitialCluster: "a=https://192.0.2.1:2380", ListenPeerURLs: []url.URL{{Scheme: "https", Host: "192.0.2.1:2380"}},
		PeerTLS: embedetcd.TLS{CertFile: "a.crt", KeyFile: "a.key", TrustedCAFile: "ca.crt"},
	}
	tests := []struct {
		name      string
		cfg       Config
		ok        bool
		dataPlane string
	}{
		{"alone", Config{}, true, DataPlaneEmbedded},
		{"member: no data plane by default", Config{EtcdName: "a", EtcdCluster: member}, true, DataPlaneNone},
		{"external etcd: no data plane by default", Config{EtcdEndpoints: []string{"http://127.0.0.1:2379"}}, true, DataPlaneNone},
		{"member with a data plane process", Config{EtcdName: "a", EtcdCluster: member, DataPlane: DataPlaneProcess}, true, DataPlaneProcess},
		{"member with an embedded data plane", Config{EtcdName: "a", EtcdCluster: member, DataPlane: DataPlaneEmbedded}, false, ""},
		{"both an external and an embedded cluster", Config{EtcdName: "a", EtcdCluster: member, EtcdEndpoints: []string{"http://127.0.0.1:2379"}}, false, ""},
		{"leader ttl under a second", Config{EtcdName: "a", EtcdCluster: member, LeaderTTL: 100 * time.Millisecond}, false, ""},
		{"unknown data plane", Config{DataPlane: "elsewhere"}, false, ""},
		{"member on a remote plain peer URL", Config{EtcdName: "a", EtcdCluster: remotePlain}, false, ""},
		{"member on a remote https peer URL with client auth", Config{EtcdName: "a", EtcdCluster: remoteTLS}, true, DataPlaneNone},
		{"remote plain external etcd", Config{EtcdEndpoints: []string{"http://192.0.2.1:2379"}}, false, ""},
		{"remote https external etcd without a certificate", Config{EtcdEndpoints: []string{"https://192.0.2.1:2379"}}, false, ""},
		{"remote https external etcd with a certificate", Config{EtcdEndpoints: []string{"https://192.0.2.1:2379"}, EtcdClientTLS: pki.ClientFiles{CACert: "ca.crt", Cert: "a.crt", Key: "a.key"}}, true, DataPlaneNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.DataDir = "/var/lib/fargo"
			got, err := tt.cfg.withDefaults()
			if (err == nil) != tt.ok {
				t.Fatalf("withDefaults() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				return
			}
			if got.DataPlane != tt.dataPlane || got.NodeDir != got.DataDir {
				t.Fatalf("data plane %q, node dir %q; want %q and the data dir", got.DataPlane, got.NodeDir, tt.dataPlane)
			}
		})
	}
}
