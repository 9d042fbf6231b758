package cli

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/daemon"
)

func TestEtcdMemberFlags(t *testing.T) {
	t.Parallel()
	peer := func(host string) []url.URL { return []url.URL{{Scheme: "http", Host: host}} }
	tests := []struct {
		name      string
		flags     etcdMemberFlags
		wantPeers []url.URL
		wantErr   bool
	}{
		{"alone", etcdMemberFlags{}, nil, false},
		{"listen on the initial cluster's URL", etcdMemberFlags{
			name: "b", initialCluster: "a=http://127.0.0.1:2380,b=http://127.0.0.2:2380", initialClusterState: "new",
		}, peer("127.0.0.2:2380"), false},
		{"listen URL given", etcdMemberFlags{
			name: "a", initialCluster: "a=http://10.0.0.1:2380", listenPeerURLs: "http://0.0.0.0:2380",
		}, peer("0.0.0.0:2380"), false},
		{"default name", etcdMemberFlags{initialCluster: "fargo=http://127.0.0.1:2380"}, peer("127.0.0.1:2380"), false},
		{"not in the initial cluster", etcdMemberFlags{name: "z", initialCluster: "a=http://127.0.0.1:2380"}, nil, true},
		{"garbled initial cluster", etcdMemberFlags{name: "a", initialCluster: "a"}, nil, true},
		{"peer URL without a cluster", etcdMemberFlags{listenPeerURLs: "http://127.0.0.1:2380"}, nil, true},
		{"not a URL", etcdMemberFlags{name: "a", initialCluster: "a=http://127.0.0.1:2380", listenClientURLs: "127.0.0.1:2379"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cfg daemon.Config
			err := tt.flags.apply(&cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("apply = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.wantPeers, cfg.EtcdCluster.ListenPeerURLs); diff != "" {
				t.Fatalf("listen peer URLs (-want +got):\n%s", diff)
			}
			if cfg.EtcdName != tt.flags.name || cfg.EtcdCluster.InitialCluster != tt.flags.initialCluster {
				t.Fatalf("config %+v does not carry the flags %+v", cfg, tt.flags)
			}
		})
	}
}
