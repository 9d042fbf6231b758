package agent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// orphanStopGrace is how long an orphaned container gets between SIGTERM and SIGKILL.
const orphanStopGrace = 10 * time.Second

// adopt runs once at start: containers of this node's live tasks are watched again (their
// tasks are queued), containers no live task owns are stopped and removed.
func (a *Agent) adopt(ctx context.Context) error {
	all, err := a.drv.List(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopping: the next agent adopts them
		}
		return fmt.Errorf("list containers: %w", err)
	}
	adopted := 0
	for _, st := range all {
		if !a.inRegion(st) {
			continue // another region's agent adopts it
		}
		key := st.Labels[labelTaskKey]
		it, ok := a.tasks.Get(key)
		switch {
		case ok && a.mine(it.Value) && !it.Value.IsStopped():
			adopted++
			a.queue.Add(key)
		case ok && it.Value.IsStopped() && st.State != runtime.StateRunning:
			// kept for its logs until the stopped task expires
		default:
			a.log.Info("removing orphaned container", "container", st.ID, "task", key)
			a.removeOrphan(ctx, st)
		}
	}
	a.log.Info("adopted this node's containers", "containers", adopted)
	return nil
}

func (a *Agent) removeOrphan(ctx context.Context, st runtime.Status) {
	if err := a.drv.Stop(ctx, st.ID, orphanStopGrace); err != nil && !errors.Is(err, errdefs.ErrNotFound) {
		a.log.Warn("stop orphaned container", "container", st.ID, "err", err)
		return
	}
	if err := a.drv.Remove(ctx, st.ID); err != nil && !errors.Is(err, errdefs.ErrNotFound) {
		a.log.Warn("remove orphaned container", "container", st.ID, "err", err)
	}
}

// inRegion reports whether a container belongs to a task of the agent's region, by the region
// of its task's ARN: a node runs the tasks of every region, one agent per region, and each
// agent must leave the others' containers alone. A container without a task ARN is the home
// region's, the one agent that knew no regions.
func (a *Agent) inRegion(st runtime.Status) bool {
	taskARN, err := arn.Parse(st.Labels[labelTaskARN])
	if err != nil {
		return !a.cfg.OtherRegion
	}
	return taskARN.Region == a.scope.Region
}
