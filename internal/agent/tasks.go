package agent

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
)

// reconcileTask moves one of this node's tasks one step closer to its desired status.
func (a *Agent) reconcileTask(ctx context.Context, key string) (reconcile.Result, error) {
	it, err := a.st.Tasks.Get(ctx, key)
	if errors.Is(err, errdefs.ErrNotFound) {
		return reconcile.Result{Gone: true}, a.removeContainers(ctx, key)
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	t := it.Value
	if !a.mine(t) {
		return reconcile.Result{}, nil
	}
	if t.IsStopped() {
		return reconcile.Result{}, a.stopStale(ctx, t)
	}
	td, err := a.taskDefinition(ctx, t.TaskDefinitionARN)
	if err != nil {
		return reconcile.Result{}, err
	}
	states, err := a.containerStates(ctx, t)
	if err != nil {
		return reconcile.Result{}, err
	}
	next := t
	if t.Terminating() {
		a.stepStop(ctx, &next, td, states)
	} else {
		a.stepRun(ctx, key, &next, td, states)
	}
	if reflect.DeepEqual(next, t) {
		return reconcile.Result{}, nil
	}
	return reconcile.Result{}, a.writeTask(ctx, it, next)
}

// writeTask stores next if the task did not change since it was read; a conflict makes the
// queue retry with fresh state.
func (a *Agent) writeTask(ctx context.Context, cur store.Item[ecs.Task], next ecs.Task) error {
	next.Version = cur.Value.Version + 1
	var txn store.Txn
	if err := a.st.Tasks.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	if _, err := a.st.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
		a.queue.Add(cur.ID) // another writer won: step again from what it wrote
		return nil
	} else if err != nil {
		return fmt.Errorf("update task %s: %w", cur.ID, err)
	}
	if next.LastStatus != cur.Value.LastStatus || next.Terminating() {
		a.queue.Add(cur.ID) // the next step may be due at once
	}
	return nil
}

// containerStates returns the driver's view of each of the task's containers that exists.
func (a *Agent) containerStates(ctx context.Context, t ecs.Task) (map[string]runtime.Status, error) {
	out := map[string]runtime.Status{}
	for _, c := range t.Containers {
		st, err := a.drv.Inspect(ctx, containerID(t, c.Name))
		if errors.Is(err, errdefs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", containerID(t, c.Name), err)
		}
		out[c.Name] = st
	}
	return out, nil
}

// stepRun starts what is due and records what happened, for a task that should run.
func (a *Agent) stepRun(ctx context.Context, key string, t *ecs.Task, td ecs.TaskDefinition, states map[string]runtime.Status) {
	now := a.cfg.Now()
	if t.LastStatus == ecs.TaskProvisioning {
		t.LastStatus = ecs.TaskPending
		t.PullStartedAt, t.PullStoppedAt = now, now
	}
	a.observeContainers(t, td, states, now)
	if t.Terminating() {
		return
	}
	for i := range t.Containers {
		c := &t.Containers[i]
		def, _ := td.Container(c.Name)
		if c.LastStatus != ecs.ContainerPending {
			continue
		}
		if _, exists := states[c.Name]; !exists {
			ready, failure := dependenciesMet(def, t, a.healthOf)
			if failure != "" {
				*t = t.RequestStop(ecs.StopTaskFailedToStart, failure, now)
				return
			}
			if !ready {
				continue
			}
		}
		a.startContainer(ctx, key, t, td, c, def, now)
		if t.Terminating() {
			return
		}
	}
	a.markRunning(t, td, now)
}

// observeContainers records exits and health of started containers; an essential container
// that exits stops its task.
func (a *Agent) observeContainers(t *ecs.Task, td ecs.TaskDefinition, states map[string]runtime.Status, now time.Time) {
	for i := range t.Containers {
		c := &t.Containers[i]
		st, exists := states[c.Name]
		def, _ := td.Container(c.Name)
		switch {
		case c.LastStatus == ecs.ContainerRunning && !exists:
			c.LastStatus, c.Reason = ecs.ContainerStopped, "The container is gone from the node."
		case c.LastStatus == ecs.ContainerRunning && st.State == runtime.StateExited:
			recordExit(c, st)
		case c.LastStatus == ecs.ContainerRunning:
			a.ensureWatched(t, c.Name, def)
			if h := a.healthOf(containerID(*t, c.Name)); h != ecs.HealthUnknown || def.HealthCheck.Command == nil {
				c.HealthStatus = h
			}
		}
		if c.LastStatus == ecs.ContainerStopped && def.Essential && !t.Terminating() {
			*t = t.RequestStop(ecs.StopEssentialContainerExited, "Essential container in task exited", now)
		}
	}
	t.HealthStatus = taskHealth(*t, td)
}

func recordExit(c *ecs.Container, st runtime.Status) {
	c.LastStatus = ecs.ContainerStopped
	if st.ExitCode >= 0 {
		c.ExitCode, c.HasExitCode = st.ExitCode, true
	}
	if st.Error != "" {
		c.Reason = st.Error
	}
}

// startContainer starts c (or adopts it if a previous attempt already did) and records it.
func (a *Agent) startContainer(ctx context.Context, key string, t *ecs.Task, td ecs.TaskDefinition, c *ecs.Container, def ecs.ContainerDefinition, now time.Time) {
	if a.logGroupFailed(ctx, t, c, def, now) {
		return
	}
	spec, err := a.startSpec(ctx, *t, td, key, def)
	st := runtime.Status{}
	if err == nil {
		st, err = a.drv.Start(ctx, spec)
		if errors.Is(err, errdefs.ErrAlreadyExists) {
			st, err = a.drv.Inspect(ctx, spec.ID)
		}
	}
	if err != nil {
		var pull *runtime.PullError
		if errors.As(err, &pull) {
			c.LastStatus, c.Reason = ecs.ContainerStopped, "CannotPullContainerError: "+pull.Message
		} else {
			c.LastStatus, c.Reason = ecs.ContainerStopped, "CannotStartContainerError: "+errdefs.Message(err)
		}
		if def.Essential {
			*t = t.RequestStop(ecs.StopTaskFailedToStart, c.Reason, now)
		}
		return
	}
	c.LastStatus, c.RuntimeID, c.NetworkBindings = ecs.ContainerRunning, cmp.Or(st.RuntimeID, st.ID), bindings(st)
	c.ImageDigest = st.ImageDigest
	if st.State == runtime.StateExited {
		recordExit(c, st)
		return
	}
	a.ensureWatched(t, c.Name, def)
}

// startSpec is the spec of container def of task t, with the driver the task runs on and the
// registry credentials of its image.
func (a *Agent) startSpec(ctx context.Context, t ecs.Task, td ecs.TaskDefinition, key string, def ecs.ContainerDefinition) (runtime.ContainerSpec, error) {
	spec := a.containerSpec(t, td, key, def)
	if chooser, ok := a.drv.(driverChooser); ok {
		var all []runtime.ContainerSpec
		for _, c := range td.ContainerDefinitions {
			all = append(all, a.containerSpec(t, td, key, c))
		}
		driver, err := chooser.ChooseDriver(all)
		if err != nil {
			return spec, err
		}
		spec.Driver = driver
	}
	if a.cfg.RegistryAuth != nil {
		auth, err := a.cfg.RegistryAuth(ctx, spec.Image)
		if err != nil {
			return spec, &runtime.PullError{Image: spec.Image, Message: "registry credentials: " + errdefs.Message(err)}
		}
		spec.RegistryAuth = auth
	}
	return spec, nil
}

// markRunning moves a PENDING task to RUNNING once every essential container runs.
func (a *Agent) markRunning(t *ecs.Task, td ecs.TaskDefinition, now time.Time) {
	if t.LastStatus != ecs.TaskPending {
		return
	}
	for _, c := range t.Containers {
		def, _ := td.Container(c.Name)
		if def.Essential && c.LastStatus != ecs.ContainerRunning {
			return
		}
	}
	t.LastStatus = ecs.TaskRunning
	t.StartedAt, t.ConnectivityAt = now, now
}

// dependenciesMet reports whether c's dependsOn conditions hold, or why they never will.
func dependenciesMet(def ecs.ContainerDefinition, t *ecs.Task, health func(string) ecs.HealthStatus) (bool, string) {
	for _, dep := range def.DependsOn {
		var other *ecs.Container
		for i := range t.Containers {
			if t.Containers[i].Name == dep.ContainerName {
				other = &t.Containers[i]
			}
		}
		if other == nil {
			return false, "dependency " + dep.ContainerName + " does not exist"
		}
		switch dep.Condition {
		case ecs.ContainerConditionStart:
			if other.LastStatus == ecs.ContainerPending {
				return false, ""
			}
		case ecs.ContainerConditionComplete, ecs.ContainerConditionSuccess:
			if other.LastStatus != ecs.ContainerStopped {
				return false, ""
			}
			if dep.Condition == ecs.ContainerConditionSuccess && (!other.HasExitCode || other.ExitCode != 0) {
				return false, fmt.Sprintf("dependency %s exited with a non-zero exit code", other.Name)
			}
		case ecs.ContainerConditionHealthy:
			if other.LastStatus == ecs.ContainerStopped {
				return false, fmt.Sprintf("dependency %s stopped before it became healthy", other.Name)
			}
			if health(containerID(*t, other.Name)) != ecs.HealthHealthy {
				return false, ""
			}
		}
	}
	return true, ""
}

// taskHealth is ECS's task health: UNHEALTHY if an essential container is, HEALTHY if every
// essential container with a health check is healthy, UNKNOWN otherwise.
func taskHealth(t ecs.Task, td ecs.TaskDefinition) ecs.HealthStatus {
	checked, healthy := 0, 0
	for _, c := range t.Containers {
		def, _ := td.Container(c.Name)
		if !def.Essential || def.HealthCheck.Command == nil {
			continue
		}
		checked++
		switch c.HealthStatus {
		case ecs.HealthUnhealthy:
			return ecs.HealthUnhealthy
		case ecs.HealthHealthy:
			healthy++
		}
	}
	if checked > 0 && healthy == checked {
		return ecs.HealthHealthy
	}
	return ecs.HealthUnknown
}

// taskDefinition returns the task definition of an ARN; revisions never change, so they are
// cached.
func (a *Agent) taskDefinition(ctx context.Context, tdARN string) (ecs.TaskDefinition, error) {
	a.mu.Lock()
	td, ok := a.taskDefs[tdARN]
	a.mu.Unlock()
	if ok {
		return td, nil
	}
	parsed, err := arn.Parse(tdARN)
	if err != nil {
		return ecs.TaskDefinition{}, reconcile.Terminal(err)
	}
	ref, err := ecs.ParseTaskDefinitionRef(parsed.ResourceID())
	if err != nil {
		return ecs.TaskDefinition{}, reconcile.Terminal(err)
	}
	it, err := a.st.TaskDefinitions.Get(ctx, store.TaskDefinitionID(ref.Family, ref.Revision))
	if err != nil {
		return ecs.TaskDefinition{}, fmt.Errorf("task definition %s: %w", tdARN, err)
	}
	a.mu.Lock()
	a.taskDefs[tdARN] = it.Value
	a.mu.Unlock()
	return it.Value, nil
}

// removeContainers deletes the containers of a task that no longer exists in the store.
func (a *Agent) removeContainers(ctx context.Context, key string) error {
	all, err := a.drv.List(ctx)
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.Labels[labelTaskKey] != key {
			continue
		}
		if err := a.drv.Stop(ctx, st.ID, time.Second); err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return err
		}
		if err := a.drv.Remove(ctx, st.ID); err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return err
		}
		a.forget(st.ID)
	}
	return nil
}
