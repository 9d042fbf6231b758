package daemon

import (
	"net/url"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/embedetcd"
)

// TestClusterSettings: the settings of a server that shares its store, and their defaults.
func TestClusterSettings(t *testing.T) {
	t.Parallel()
	member := embedetcd.Cluster{InitialCluster: "a=http://127.0.0.1:2380", ListenPeerURLs: []url.URL{{Scheme: "http", Host: "127.0.0.1:2380"}}}
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
