package daemon

import (
	"context"
	"sort"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/store"
)

// DataPlaneNode is one data-plane node that reports to the store (docs/data-plane.md), as
// GET /fargo/cluster and `fargo ps` show it.
type DataPlaneNode struct {
	Name     string `json:"name"`
	BindHost string `json:"bindHost"`
	Build    string `json:"build"`
	// LastReport is the node's clock at its last report; Live is set when that is within
	// lbsync.DefaultNodeTimeout of this server's clock (clocks of two machines may differ:
	// the elected node judges by when reports change, not by their times).
	LastReport time.Time `json:"lastReport"`
	Live       bool      `json:"live"`
	// Leading is set for the node elected to do the nodes' work that must be done once.
	Leading        bool `json:"leading,omitempty"`
	Targets        int  `json:"targets"`
	HealthyTargets int  `json:"healthyTargets"`
}

// dataPlaneNodes reads the reports of the home region's data-plane nodes and which one leads.
func dataPlaneNodes(ctx context.Context, st *store.Store, client *clientv3.Client, now time.Time) ([]DataPlaneNode, error) {
	items, _, err := st.DataPlaneNodes.List(ctx, "")
	if err != nil || len(items) == 0 {
		return nil, err
	}
	leaderName := ""
	if client != nil {
		resp, err := client.Get(ctx, dataplane.ElectionPrefix+"/", clientv3.WithFirstCreate()...)
		if err != nil {
			return nil, err
		}
		if len(resp.Kvs) > 0 {
			leaderName = string(resp.Kvs[0].Value)
		}
	}
	out := make([]DataPlaneNode, 0, len(items))
	for _, it := range items {
		out = append(out, nodeRow(it.Value, leaderName, now))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func nodeRow(n elb.Node, leaderName string, now time.Time) DataPlaneNode {
	row := DataPlaneNode{Name: n.Name, BindHost: n.BindHost, Build: n.Build, LastReport: n.Beat,
		Live: now.Sub(n.Beat) < lbsync.DefaultNodeTimeout, Leading: n.Name == leaderName, Targets: len(n.Targets)}
	for _, t := range n.Targets {
		if t.Health.State == elb.TargetHealthy {
			row.HealthyTargets++
		}
	}
	return row
}
