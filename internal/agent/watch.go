package agent

import (
	"context"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/runtime"
)

// healthState is what the agent's health checker last concluded about a container.
type healthState struct {
	status   ecs.HealthStatus
	failures int
}

func (a *Agent) healthOf(containerID string) ecs.HealthStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	if h, ok := a.health[containerID]; ok {
		return h.status
	}
	return ecs.HealthUnknown
}

// ensureWatched starts, once per container, a watcher that queues the task when the container
// exits, and the container's health checker when it has a health check.
func (a *Agent) ensureWatched(t *ecs.Task, name string, def ecs.ContainerDefinition) {
	id := containerID(*t, name)
	key := t.ClusterName + "/" + t.ID
	a.mu.Lock()
	if a.watched[id] {
		a.mu.Unlock()
		return
	}
	a.watched[id] = true
	a.mu.Unlock()
	a.goWork(func(ctx context.Context) {
		if _, err := a.drv.Wait(ctx, id); err == nil {
			a.queue.Add(key)
		}
	})
	if len(def.HealthCheck.Command) > 0 && def.HealthCheck.Command[0] != "NONE" {
		a.goWork(func(ctx context.Context) { a.checkHealth(ctx, key, id, def.HealthCheck) })
	}
}

// forget drops what the agent keeps in memory about a container.
func (a *Agent) forget(containerID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.health, containerID)
	// watched stays set: the container's watcher ends by itself when it exits, and a container
	// of a stopped task is never started again.
}

// checkHealth runs a container's health check every interval until the container is gone:
// retries consecutive failures make it UNHEALTHY, one success HEALTHY; failures in the start
// period do not count.
func (a *Agent) checkHealth(ctx context.Context, key, id string, hc ecs.HealthCheck) {
	interval := time.Duration(max(hc.Interval, 1)) * time.Second
	timeout := time.Duration(max(hc.Timeout, 1)) * time.Second
	startEnd := a.cfg.Now().Add(time.Duration(hc.StartPeriod) * time.Second)
	cmd := hc.Command
	timer := time.NewTimer(0) // the first check right away, as Docker does after start
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		res, err := a.drv.Exec(ctx, id, cmd, timeout)
		if ctx.Err() != nil {
			return
		}
		st, err2 := a.drv.Inspect(ctx, id)
		if err2 != nil || st.State != runtime.StateRunning {
			return
		}
		ok := err == nil && res.ExitCode == 0
		if a.recordHealth(id, ok, hc.Retries, a.cfg.Now().Before(startEnd)) {
			a.queue.Add(key)
		}
		timer.Reset(interval)
	}
}

// recordHealth updates a container's health after a check and reports whether its status
// changed.
func (a *Agent) recordHealth(id string, ok bool, retries int, inStartPeriod bool) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	h := a.health[id]
	if h.status == "" {
		h.status = ecs.HealthUnknown
	}
	prev := h.status
	switch {
	case ok:
		h.status, h.failures = ecs.HealthHealthy, 0
	case inStartPeriod:
	default:
		h.failures++
		if h.failures >= max(retries, 1) {
			h.status = ecs.HealthUnhealthy
		}
	}
	a.health[id] = h
	return h.status != prev
}
