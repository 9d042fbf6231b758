package agent

import (
	"context"
	"errors"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// stepStop moves a task that should stop through DEACTIVATING (no new traffic), STOPPING
// (containers get SIGTERM, then SIGKILL after their stopTimeout), DEPROVISIONING and STOPPED.
func (a *Agent) stepStop(ctx context.Context, t *ecs.Task, td ecs.TaskDefinition, states map[string]runtime.Status) {
	now := a.cfg.Now()
	switch t.LastStatus {
	case ecs.TaskProvisioning, ecs.TaskPending, ecs.TaskActivating, ecs.TaskRunning:
		t.LastStatus = ecs.TaskDeactivating
		return
	case ecs.TaskDeactivating:
		if !drainedOrOverdue(*t, now) {
			return // lbsync deregisters the task's targets; SIGTERM only once they drained
		}
		t.LastStatus = ecs.TaskStopping
		if t.StoppingAt.IsZero() {
			t.StoppingAt = now
		}
	}
	running := false
	for i := range t.Containers {
		c := &t.Containers[i]
		st, exists := states[c.Name]
		switch {
		case exists && st.State == runtime.StateRunning:
			running = true
		case exists && c.LastStatus != ecs.ContainerStopped:
			recordExit(c, st)
		case !exists:
			c.LastStatus = ecs.ContainerStopped
		}
	}
	if running {
		a.stopContainersAsync(ctx, *t, td)
		return
	}
	if t.LastStatus == ecs.TaskStopping {
		t.LastStatus = ecs.TaskDeprovisioning
		t.ExecutionStoppedAt = now
		return
	}
	t.LastStatus = ecs.TaskStopped
	t.StoppedAt = now
	t.HealthStatus = taskHealth(*t, td)
	for _, c := range t.Containers {
		a.forget(containerID(*t, c.Name))
	}
}

// stopContainersAsync stops the task's running containers in the background, each with its
// own stopTimeout, and queues the task again when they are down. A stop already under way is
// not started twice.
func (a *Agent) stopContainersAsync(_ context.Context, t ecs.Task, td ecs.TaskDefinition) {
	key := t.ClusterName + "/" + t.ID
	a.mu.Lock()
	if a.stopping[key] {
		a.mu.Unlock()
		return
	}
	a.stopping[key] = true
	a.mu.Unlock()
	a.goWork(func(ctx context.Context) {
		defer func() {
			a.mu.Lock()
			delete(a.stopping, key)
			a.mu.Unlock()
			a.queue.Add(key)
		}()
		done := make(chan struct{}, len(t.Containers))
		for _, c := range t.Containers {
			def, _ := td.Container(c.Name)
			id, grace := containerID(t, c.Name), time.Duration(stopTimeoutOf(def))*time.Second
			go func() {
				defer func() { done <- struct{}{} }()
				if err := a.drv.Stop(ctx, id, grace); err != nil && !errors.Is(err, errdefs.ErrNotFound) && ctx.Err() == nil {
					a.log.Warn("stop container", "container", id, "err", err)
				}
			}()
		}
		for range t.Containers {
			<-done
		}
	})
}

// maxDrainWait bounds how long a task waits for its targets to drain: ALB's longest
// deregistration delay, plus a margin, so a stuck load balancer controller cannot keep a task
// from ever stopping.
const maxDrainWait = 3600*time.Second + time.Minute

// drainedOrOverdue reports whether a DEACTIVATING task may go on to STOPPING.
func drainedOrOverdue(t ecs.Task, now time.Time) bool {
	return !t.LoadBalanced || t.Drained || now.Sub(t.StoppingAt) > maxDrainWait
}

// stopStale stops the containers this agent still runs for a task that is STOPPED in the
// store: the control plane stopped it while the node was cut off (its agent lost), and may
// have started a replacement elsewhere, so the task must not go on running here.
func (a *Agent) stopStale(ctx context.Context, t ecs.Task) error {
	for _, c := range t.Containers {
		id := containerID(t, c.Name)
		a.mu.Lock()
		watched := a.watched[id]
		a.mu.Unlock()
		if !watched {
			continue // never ran here in this run; adopt stopped leftovers of earlier runs
		}
		st, err := a.drv.Inspect(ctx, id)
		if errors.Is(err, errdefs.ErrNotFound) || err == nil && st.State != runtime.StateRunning {
			a.mu.Lock()
			delete(a.watched, id) // a container of a stopped task never starts again
			a.mu.Unlock()
			continue
		}
		if err != nil {
			return err
		}
		td, err := a.taskDefinition(ctx, t.TaskDefinitionARN)
		if err != nil {
			return err
		}
		a.log.Info("stopping a container of a task stopped while this node was away", "container", id)
		a.stopContainersAsync(ctx, t, td)
		return nil
	}
	return nil
}
