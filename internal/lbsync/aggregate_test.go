package lbsync

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
)

const (
	testGroup = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1"
	testKey   = "127.0.0.1:9000"
)

var (
	healthy   = elb.TargetHealth{State: elb.TargetHealthy}
	unhealthy = elb.TargetHealth{State: elb.TargetUnhealthy, Reason: elb.ReasonFailedHealthChecks, Description: "Health checks failed"}
	initial   = elb.TargetHealth{State: elb.TargetInitial, Reason: elb.ReasonInitialHealthChecking, Description: "Initial health checks in progress"}
	draining  = elb.TargetHealth{State: elb.TargetDraining, Reason: elb.ReasonDeregistrationInProgress}
)

// node is a report of one target by a node at revision rev.
func node(name string, rev int64, h elb.TargetHealth) elb.Node {
	n := elb.Node{Name: name, Revision: rev}
	if h.State != "" {
		n.Targets = []elb.NodeTarget{{TargetGroupARN: testGroup, Key: testKey, Health: h}}
	}
	return n
}

func views(nodes ...elb.Node) []nodeView {
	out := make([]nodeView, len(nodes))
	for i, n := range nodes {
		out[i] = newNodeView(n)
	}
	return out
}

func TestAggregateHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		own   elb.TargetHealth
		peers []elb.Node
		want  elb.TargetHealth
	}{
		{"alone: own view", healthy, nil, healthy},
		{"alone unhealthy", unhealthy, nil, unhealthy},
		{"A healthy, B healthy", healthy, []elb.Node{node("b", 1, healthy)}, healthy},
		{"A healthy, B unhealthy", healthy, []elb.Node{node("b", 1, unhealthy)}, unhealthy},
		{"A unhealthy, B healthy", unhealthy, []elb.Node{node("b", 1, healthy)}, unhealthy},
		{"A healthy, B still checking", healthy, []elb.Node{node("b", 1, initial)}, initial},
		{"A healthy, B does not route to it yet", healthy, []elb.Node{node("b", 1, elb.TargetHealth{})}, inProgress},
		{"A healthy, B drains an earlier registration", healthy, []elb.Node{node("b", 1, draining)}, inProgress},
		{"B checking, C unhealthy: unhealthy wins", healthy, []elb.Node{node("b", 1, initial), node("c", 1, unhealthy)}, unhealthy},
		{"checks disabled everywhere", elb.TargetHealth{State: elb.TargetUnavailable}, []elb.Node{node("b", 1, elb.TargetHealth{State: elb.TargetUnavailable})}, elb.TargetHealth{State: elb.TargetUnavailable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := aggregateHealth(tt.own, views(tt.peers...), testGroup, testKey)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("aggregateHealth (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLiveNodes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	timeout := 10 * time.Second
	nodes := []elb.Node{{Name: "self"}, {Name: "b"}, {Name: "a"}, {Name: "dead"}, {Name: "never-seen"}}
	seen := map[string]time.Time{"self": now, "a": now.Add(-time.Second), "b": now.Add(-9 * time.Second), "dead": now.Add(-timeout)}
	var got []string
	for _, v := range liveNodes(nodes, seen, "self", now, timeout) {
		got = append(got, v.Name)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("live nodes (-want +got):\n%s", diff)
	}
}

// TestDeadNodeDropsOut: a node whose report stopped changing counts until the timeout, then
// no longer holds back health or releases.
func TestDeadNodeDropsOut(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []elb.Node{node("b", 1, unhealthy), node("c", 1, draining)}
	seen := map[string]time.Time{"b": now.Add(-20 * time.Second), "c": now.Add(-20 * time.Second)}
	for _, tt := range []struct {
		name string
		at   time.Time
		want bool // dropped out
	}{
		{"before the timeout", now.Add(-15 * time.Second), false},
		{"after the timeout", now, true},
	} {
		live := liveNodes(nodes, seen, "a", tt.at, 10*time.Second)
		h := aggregateHealth(healthy, live, testGroup, testKey)
		released := releasedEverywhere(live, 1, testGroup, testKey)
		if dropped := h == healthy && released; dropped != tt.want {
			t.Errorf("%s: health %v, released %v; want dropped out %v", tt.name, h.State, released, tt.want)
		}
	}
}

func TestReleasedEverywhere(t *testing.T) {
	t.Parallel()
	const regRev = 10 // the revision of the deregistration
	tests := []struct {
		name  string
		peers []elb.Node
		want  bool
	}{
		{"alone", nil, true},
		{"B released it", []elb.Node{node("b", regRev, elb.TargetHealth{})}, true},
		{"B released it, later revision", []elb.Node{node("b", regRev+5, elb.TargetHealth{})}, true},
		{"B still drains it", []elb.Node{node("b", regRev, draining)}, false},
		{"B has not seen the deregistration: still routes to it", []elb.Node{node("b", regRev-1, healthy)}, false},
		{"B has not seen the target at all yet", []elb.Node{node("b", regRev-1, elb.TargetHealth{})}, false},
		{"B released, C drains", []elb.Node{node("b", regRev, elb.TargetHealth{}), node("c", regRev, draining)}, false},
		{"B and C released", []elb.Node{node("b", regRev, elb.TargetHealth{}), node("c", regRev+1, elb.TargetHealth{})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := releasedEverywhere(views(tt.peers...), regRev, testGroup, testKey); got != tt.want {
				t.Errorf("releasedEverywhere = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSumTraffic(t *testing.T) {
	t.Parallel()
	const task = "arn:aws:ecs:us-east-1:000000000000:task/demo/1"
	owner := map[string]string{testGroup + "|" + testKey: task}
	latency := func(first, second int64) []int64 {
		l := make([]int64, lb.NumLatencyBuckets)
		l[0], l[1] = first, second
		return l
	}
	own := []lb.TargetStats{{GroupID: testGroup, TargetID: testKey, Requests: 10, Responses5xx: 1, Errors: 1, Latency: [lb.NumLatencyBuckets]int64{7, 3}}}
	peer := func(name string, requests, errors int64, l []int64) elb.Node {
		return elb.Node{Name: name, Targets: []elb.NodeTarget{{TargetGroupARN: testGroup, Key: testKey, Requests: requests, Errors: errors, Latency: l}}}
	}
	tests := []struct {
		name  string
		own   []lb.TargetStats
		nodes []elb.Node
		want  targetCount
	}{
		{"alone", own, nil, targetCount{requests: 10, errors: 2, latency: [lb.NumLatencyBuckets]int64{7, 3}}},
		{"own report is not counted twice", own, []elb.Node{peer("self", 10, 2, latency(7, 3))}, targetCount{requests: 10, errors: 2, latency: [lb.NumLatencyBuckets]int64{7, 3}}},
		{"two more nodes, one of them dead", own, []elb.Node{peer("b", 5, 0, latency(5, 0)), peer("dead", 4, 1, latency(0, 4))},
			targetCount{requests: 19, errors: 3, latency: [lb.NumLatencyBuckets]int64{12, 7}}},
		{"only another node served it", nil, []elb.Node{peer("b", 5, 0, latency(5, 0))}, targetCount{requests: 5, latency: [lb.NumLatencyBuckets]int64{5}}},
		{"a target no task owns", nil, []elb.Node{{Name: "b", Targets: []elb.NodeTarget{{TargetGroupARN: testGroup, Key: "10.0.0.9:1", Requests: 3}}}}, targetCount{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sumTraffic(tt.own, tt.nodes, "self", owner)[task]
			if got != tt.want {
				t.Errorf("sumTraffic = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMergeFailures(t *testing.T) {
	t.Parallel()
	const l1, l2 = "listener/1", "listener/2"
	peers := views(elb.Node{Name: "b", ListenerFailures: map[string]string{l1: "port taken on b", l2: "port taken"}})
	got := mergeFailures(map[string]string{l1: "port taken here"}, peers)
	want := map[string]string{l1: "port taken here", l2: "on data-plane node b: port taken"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mergeFailures (-want +got):\n%s", diff)
	}
}

func TestNodeTargets(t *testing.T) {
	t.Parallel()
	health := []lb.TargetHealth{
		{GroupID: testGroup, TargetID: testKey, Addr: "127.0.0.1:9000", State: lb.StateDraining},
		{GroupID: testGroup, TargetID: testKey, Addr: "127.0.0.2:9000", State: lb.StateHealthy},
	}
	stats := []lb.TargetStats{
		{GroupID: testGroup, TargetID: testKey, Addr: "127.0.0.1:9000", Requests: 2},
		{GroupID: testGroup, TargetID: testKey, Addr: "127.0.0.2:9000", Requests: 3, Errors: 1},
	}
	got := nodeTargets(health, stats)
	if len(got) != 1 || got[0].Health.State != elb.TargetHealthy || got[0].Requests != 5 || got[0].Errors != 1 {
		t.Errorf("nodeTargets = %+v; want one target, healthy (its routable address), 5 requests, 1 error", got)
	}
}
