package lbsync

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/store"
)

// trafficInterval is how often the tasks' traffic counters are brought up to date: the
// scheduler judges a new revision by them, so they must be fresh, and writing them costs a
// store write per task that served requests since the last round.
const trafficInterval = time.Second

// recordTraffic writes, every trafficInterval, what the proxy counted for each task's targets
// into the task, for the tasks whose counts changed (the leader of several data-plane nodes
// writes the sum over the nodes), and the listeners' own error answers for each service's
// target groups into the service (every node its own).
func (c *Controller) recordTraffic(ctx context.Context) error {
	tick := time.NewTicker(trafficInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-c.trafficNow:
		}
		if st, ok := c.control(); ok {
			for key, stats := range c.taskTraffic() {
				if err := c.writeTraffic(ctx, st, key, stats); err != nil && ctx.Err() == nil {
					c.log.Warn("record task traffic", "task", key, "err", err)
				}
			}
		}
		// Every node adds its own listeners' error answers: they add up, whoever leads.
		c.countListenerErrors()
		c.writeListenerErrors(ctx)
	}
}

// listenerErrors is recordTraffic's memory of the listeners' own error answers: what the proxy
// reported for each group last round, and what the services have yet to be credited with.
type listenerErrors struct {
	seen    map[string]lb.GroupStats      // by group ID (ARN)
	pending map[string]ecs.ListenerErrors // by service store ID
}

// countListenerErrors credits the error answers the listeners wrote for each target group
// since the last round to the services whose tasks register in the group. A group's counts
// that went down belong to a group the proxy dropped and configured anew: they count whole.
func (c *Controller) countListenerErrors() {
	le := &c.listenerErrs
	now := map[string]lb.GroupStats{}
	for _, s := range c.proxy.GroupStats() {
		now[s.GroupID] = s
		prev := le.seen[s.GroupID]
		delta := s
		if s.NoTarget >= prev.NoTarget && s.BadGateway >= prev.BadGateway && s.GatewayTimeout >= prev.GatewayTimeout {
			delta = lb.GroupStats{NoTarget: s.NoTarget - prev.NoTarget, BadGateway: s.BadGateway - prev.BadGateway,
				GatewayTimeout: s.GatewayTimeout - prev.GatewayTimeout}
		}
		if delta.Total() == 0 {
			continue
		}
		for _, it := range c.services.Filter(func(it store.Item[ecs.Service]) bool {
			return slices.Contains(it.Value.TargetGroupARNs(), s.GroupID)
		}) {
			le.pending[it.ID] = le.pending[it.ID].Add(ecs.ListenerErrors{NoTarget: delta.NoTarget, BadGateway: delta.BadGateway, GatewayTimeout: delta.GatewayTimeout})
		}
	}
	le.seen = now
}

// writeListenerErrors adds the pending counts to the services; what cannot be written yet
// stays pending for the next round.
func (c *Controller) writeListenerErrors(ctx context.Context) {
	for id, add := range c.listenerErrs.pending {
		_, err := c.st.Services.Update(ctx, id, func(s *ecs.Service) error {
			s.ListenerErrors = s.ListenerErrors.Add(add)
			return nil
		})
		switch {
		case err == nil, errors.Is(err, errdefs.ErrNotFound):
			delete(c.listenerErrs.pending, id)
		case ctx.Err() == nil:
			c.log.Warn("record listener errors", "service", id, "err", err)
		}
	}
}

// taskTraffic sums the counters of each task's targets (by store key) over the targets ECS
// registered for it: this node's proxy's and, with several data-plane nodes, every other
// node's last report.
func (c *Controller) taskTraffic() map[string]ecs.TrafficStats {
	owner := map[string]string{} // group ARN + "|" + target key → task ARN
	for _, it := range c.regs.Filter(func(it store.Item[elb.Registration]) bool { return it.Value.TaskARN != "" }) {
		owner[it.Value.TargetGroupARN+"|"+TargetKey(it.Value.Target)] = it.Value.TaskARN
	}
	var nodes []elb.Node
	if c.nodes != nil {
		nodes = values(c.nodes)
	}
	out := map[string]ecs.TrafficStats{}
	for taskARN, n := range sumTraffic(c.proxy.TargetStats(), nodes, c.nodeName(), owner) {
		key, ok := taskKeyOf(taskARN)
		if !ok {
			continue
		}
		out[key] = ecs.TrafficStats{Requests: n.requests, Errors: n.errors, Slow: c.slow(key, n.latency)}
	}
	return out
}

// slow counts the requests that certainly took longer than the latency budget of the task's
// service: those in buckets (latency) whose lower bound is at least the budget.
func (c *Controller) slow(taskKey string, latency [lb.NumLatencyBuckets]int64) int64 {
	t, ok := c.tasks.Get(taskKey)
	if !ok {
		return 0
	}
	svc, ok := c.services.Get(store.ServiceID(t.Value.ClusterName, t.Value.ServiceName))
	if !ok {
		return 0
	}
	budget, ok := svc.Value.Budget()
	if !ok || budget.P99Millis == 0 {
		return 0
	}
	limit := time.Duration(budget.P99Millis) * time.Millisecond
	var n int64
	for i := 1; i < lb.NumLatencyBuckets; i++ {
		if lb.LatencyBound(i-1) >= limit {
			n += latency[i]
		}
	}
	return n
}

// writeTraffic writes a task's counts. With several data-plane nodes they never go down: a
// node's part leaves the sum when it forgets a drained target.
func (c *Controller) writeTraffic(ctx context.Context, st *store.Store, key string, stats ecs.TrafficStats) error {
	it, ok := c.tasks.Get(key)
	if !ok {
		return nil
	}
	if c.nodes != nil {
		stats = maxTraffic(stats, it.Value.Traffic)
	}
	if it.Value.Traffic == stats {
		return nil
	}
	_, err := st.Tasks.Update(ctx, key, func(t *ecs.Task) error {
		t.Traffic = stats
		if c.nodes != nil {
			t.Traffic = maxTraffic(stats, t.Traffic)
		}
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	return err
}

func maxTraffic(a, b ecs.TrafficStats) ecs.TrafficStats {
	return ecs.TrafficStats{Requests: max(a.Requests, b.Requests), Errors: max(a.Errors, b.Errors), Slow: max(a.Slow, b.Slow)}
}
