package lbsync

import (
	"context"
	"errors"
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
// into the task, for the tasks whose counts changed.
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
		for key, stats := range c.taskTraffic() {
			if err := c.writeTraffic(ctx, key, stats); err != nil && ctx.Err() == nil {
				c.log.Warn("record task traffic", "task", key, "err", err)
			}
		}
	}
}

// taskTraffic sums the proxy's counters per task (by store key) over the targets ECS
// registered for it.
func (c *Controller) taskTraffic() map[string]ecs.TrafficStats {
	owner := map[string]string{} // group ARN + "|" + target key → task ARN
	for _, it := range c.regs.Filter(func(it store.Item[elb.Registration]) bool { return it.Value.TaskARN != "" }) {
		owner[it.Value.TargetGroupARN+"|"+TargetKey(it.Value.Target)] = it.Value.TaskARN
	}
	out := map[string]ecs.TrafficStats{}
	for _, s := range c.proxy.TargetStats() {
		taskARN, ok := owner[s.GroupID+"|"+s.TargetID]
		if !ok {
			continue
		}
		key, ok := taskKeyOf(taskARN)
		if !ok {
			continue
		}
		out[key] = out[key].Add(ecs.TrafficStats{Requests: s.Requests, Errors: s.Responses5xx + s.Errors, Slow: c.slow(key, s)})
	}
	return out
}

// slow counts the requests of s that certainly took longer than the latency budget of the
// task's service: those in buckets whose lower bound is at least the budget.
func (c *Controller) slow(taskKey string, s lb.TargetStats) int64 {
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
			n += s.Latency[i]
		}
	}
	return n
}

func (c *Controller) writeTraffic(ctx context.Context, key string, stats ecs.TrafficStats) error {
	if it, ok := c.tasks.Get(key); !ok || it.Value.Traffic == stats {
		return nil
	}
	_, err := c.st.Tasks.Update(ctx, key, func(t *ecs.Task) error {
		t.Traffic = stats
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	return err
}
