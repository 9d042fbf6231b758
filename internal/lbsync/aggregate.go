package lbsync

import (
	"sort"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
)

// nodeView is another data-plane node's report, indexed by GroupID + "|" + TargetKey.
type nodeView struct {
	elb.Node
	targets map[string]elb.NodeTarget
}

func newNodeView(n elb.Node) nodeView {
	v := nodeView{Node: n, targets: make(map[string]elb.NodeTarget, len(n.Targets))}
	for _, t := range n.Targets {
		v.targets[t.TargetGroupARN+"|"+t.Key] = t
	}
	return v
}

// liveNodes returns the views of the nodes other than self whose reports changed within
// timeout of now (seen holds when each last changed, by this node's clock), by name.
func liveNodes(nodes []elb.Node, seen map[string]time.Time, self string, now time.Time, timeout time.Duration) []nodeView {
	var out []nodeView
	for _, n := range nodes {
		if at, ok := seen[n.Name]; n.Name == self || !ok || now.Sub(at) >= timeout {
			continue
		}
		out = append(out, newNodeView(n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// healthRank orders target states by how much they keep a target from counting as healthy.
func healthRank(s elb.TargetState) int {
	switch s {
	case elb.TargetHealthy:
		return 0
	case elb.TargetUnavailable:
		return 1
	case elb.TargetUnhealthy:
		return 3
	default:
		return 2 // initial: some node does not route to it yet
	}
}

// inProgress is a registered target's health on a node that does not route to it yet.
var inProgress = elb.TargetHealth{State: elb.TargetInitial, Reason: elb.ReasonRegistrationInProgress,
	Description: "Target registration is in progress"}

// aggregateHealth is a registered (not draining) target's health over the live nodes, own
// being this node's view: healthy only when every node finds it healthy, unhealthy when any
// node finds it unhealthy, initial while any node has yet to route to it (no report of it, or
// a report of it draining from an earlier registration). The first node with the deciding
// state gives the reason: this node's, then the others' by name.
func aggregateHealth(own elb.TargetHealth, peers []nodeView, groupARN, key string) elb.TargetHealth {
	worst := own
	for _, p := range peers {
		h := inProgress
		if t, ok := p.targets[groupARN+"|"+key]; ok && routable(t.Health.State) {
			h = t.Health
		}
		if healthRank(h.State) > healthRank(worst.State) {
			worst = h
		}
	}
	return worst
}

func routable(s elb.TargetState) bool {
	return s != elb.TargetDraining && s != elb.TargetUnused && s != ""
}

// releasedEverywhere reports whether every live peer has stopped sending new requests to a
// draining target and finished those in flight (or waited out the deregistration delay):
// the peer's routing reflects the deregistration (its revision is at least regRevision, the
// registration's), and it no longer reports the target draining.
func releasedEverywhere(peers []nodeView, regRevision int64, groupARN, key string) bool {
	for _, p := range peers {
		if p.Revision < regRevision {
			return false
		}
		if t, ok := p.targets[groupARN+"|"+key]; ok && t.Health.State == elb.TargetDraining {
			return false
		}
	}
	return true
}

// targetCount is what the nodes counted of one target, or of one task's targets.
type targetCount struct {
	requests, errors int64
	latency          [lb.NumLatencyBuckets]int64
}

func (c *targetCount) add(requests, errors int64, latency []int64) {
	c.requests += requests
	c.errors += errors
	for i := 0; i < len(latency) && i < len(c.latency); i++ {
		c.latency[i] += latency[i]
	}
}

// sumTraffic adds up, per owner (a task ARN), what this node's proxy (own) and every other
// node that reported (nodes, dead ones included: what they counted happened) counted of the
// targets owner maps (GroupID + "|" + TargetKey → task ARN).
func sumTraffic(own []lb.TargetStats, nodes []elb.Node, self string, owner map[string]string) map[string]targetCount {
	out := map[string]targetCount{}
	count := func(group, key string, requests, errors int64, latency []int64) {
		task, ok := owner[group+"|"+key]
		if !ok {
			return
		}
		c := out[task]
		c.add(requests, errors, latency)
		out[task] = c
	}
	for _, s := range own {
		count(s.GroupID, s.TargetID, s.Requests, s.Responses5xx+s.Errors, s.Latency[:])
	}
	for _, n := range nodes {
		if n.Name == self {
			continue
		}
		for _, t := range n.Targets {
			count(t.TargetGroupARN, t.Key, t.Requests, t.Errors, t.Latency)
		}
	}
	return out
}

// mergeFailures is why each listener cannot serve: on this node (own), else on the first
// live peer by name that reports it.
func mergeFailures(own map[string]string, peers []nodeView) map[string]string {
	out := make(map[string]string, len(own))
	for id, why := range own {
		out[id] = why
	}
	for _, p := range peers {
		for id, why := range p.ListenerFailures {
			if _, ok := out[id]; !ok {
				out[id] = "on data-plane node " + p.Name + ": " + why
			}
		}
	}
	return out
}
