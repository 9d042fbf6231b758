package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/sigv4"
	"github.com/fargohq/fargo/internal/daemon"
)

func TestControlPlaneRows(t *testing.T) {
	t.Parallel()
	members := []daemon.ClusterMember{
		{Name: "a", PeerURLs: []string{"http://10.0.0.1:2380"}},
		{Name: "b", PeerURLs: []string{"http://10.0.0.2:2380"}},
		{Name: "c", PeerURLs: []string{"http://10.0.0.3:2380"}, Learner: true},
	}
	tests := []struct {
		name string
		st   *daemon.ClusterStatus
		want [][]string
	}{
		{"alone", nil, nil},
		{"alone with data-plane nodes", &daemon.ClusterStatus{Member: "fargo", Role: daemon.RoleSingle, DataPlaneNodes: []daemon.DataPlaneNode{{Name: "lb1"}}}, nil},
		{"embedded members", &daemon.ClusterStatus{Member: "b", Role: daemon.RoleFollower, Leader: "a", Members: members}, [][]string{
			{"a", "leader", "http://10.0.0.1:2380", ""},
			{"b", "follower", "http://10.0.0.2:2380", "yes"},
			{"c", "learner", "http://10.0.0.3:2380", ""},
		}},
		{"external etcd", &daemon.ClusterStatus{Member: "x", Role: daemon.RoleFollower, Leader: "y", Members: members[:1]}, [][]string{
			{"a", "etcd", "http://10.0.0.1:2380", ""},
			{"x", "follower", "-", "yes"},
			{"y", "leader", "-", ""},
		}},
		{"no leader seen", &daemon.ClusterStatus{Member: "a", Role: daemon.RoleFollower, Members: members[:1], Problem: "store away"}, [][]string{
			{"a", "follower", "http://10.0.0.1:2380", "yes (store away)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, controlPlaneRows(tt.st)); diff != "" {
				t.Fatalf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDataPlaneNodeRows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	st := &daemon.ClusterStatus{Role: daemon.RoleSingle, DataPlaneNodes: []daemon.DataPlaneNode{
		{Name: "lb1", BindHost: "10.0.0.1", Build: "v1", Live: true, Leading: true, Targets: 3, HealthyTargets: 3},
		{Name: "lb2", BindHost: "10.0.0.2", Build: "v1", Live: true, Targets: 3, HealthyTargets: 2},
		{Name: "lb3", BindHost: "10.0.0.3", Build: "v0", LastReport: now.Add(-2 * time.Minute), Targets: 1},
	}}
	want := [][]string{
		{"lb1", "leader", "10.0.0.1", "v1", "3/3"},
		{"lb2", "serving", "10.0.0.2", "v1", "2/3"},
		{"lb3", "gone since 2m", "10.0.0.3", "v0", "0/1"},
	}
	if diff := cmp.Diff(want, dataPlaneNodeRows(st, now)); diff != "" {
		t.Fatalf("rows (-want +got):\n%s", diff)
	}
	if rows := dataPlaneNodeRows(nil, now); rows != nil {
		t.Fatalf("rows without a status: %v", rows)
	}
}

// TestReadControlPlane: ps shows the members of a cluster, and nothing for a server alone or
// one that does not answer the path.
func TestReadControlPlane(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    bool
	}{
		{"member", func(w http.ResponseWriter, _ *http.Request) {
			_ = json.NewEncoder(w).Encode(daemon.ClusterStatus{Member: "a", Role: daemon.RoleLeader, Leader: "a"})
		}, true},
		{"alone", func(w http.ResponseWriter, _ *http.Request) {
			_ = json.NewEncoder(w).Encode(daemon.ClusterStatus{Member: "fargo", Role: daemon.RoleSingle})
		}, false},
		{"alone with data-plane nodes", func(w http.ResponseWriter, _ *http.Request) {
			_ = json.NewEncoder(w).Encode(daemon.ClusterStatus{Member: "fargo", Role: daemon.RoleSingle, DataPlaneNodes: []daemon.DataPlaneNode{{Name: "lb1"}}})
		}, true},
		{"older build", http.NotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			if got := readControlPlane(t.Context(), srv.URL, nil); (got != nil) != tt.want {
				t.Fatalf("readControlPlane = %+v, want a status: %v", got, tt.want)
			}
		})
	}
}

// TestSignerSignsForTheServer: what ps signs, the server's verifier accepts, so a server on
// another machine answers GET /fargo/cluster.
func TestSignerSignsForTheServer(t *testing.T) {
	t.Parallel()
	cfg := aws.Config{Region: "us-east-1", Credentials: awscreds.NewStaticCredentialsProvider("AKIAFARGOTEST0000001", "secret", "")}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://10.0.0.1:4566"+daemon.ClusterPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer(cfg)(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	lookup := func(id string) (string, bool) { return "secret", id == "AKIAFARGOTEST0000001" }
	if _, err := (sigv4.Verifier{Lookup: lookup}).Verify(req, nil); err != nil {
		t.Fatalf("the server refuses ps's signature: %v", err)
	}
	if _, err := (sigv4.Verifier{Lookup: func(string) (string, bool) { return "other", true }}).Verify(req, nil); err == nil {
		t.Fatal("a signature with another secret verified")
	}
}
