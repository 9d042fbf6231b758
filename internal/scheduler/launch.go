package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/placement"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// placementRetry is how soon the scheduler tries again to place a task no instance could take.
const placementRetry = 5 * time.Second

// launch creates the tasks a plan starts, placed on the cluster's container instances by the
// service's placement constraints and strategy, and adds the events that name them or say why
// a task could not be placed.
func (c *Controller) launch(ctx context.Context, plan *Plan, now time.Time) error {
	svc := plan.Service
	if len(plan.Start) == 0 {
		return nil
	}
	cluster := placement.NewCluster(c.clusterInstances(svc.ClusterName), c.clusterTasks(svc.ClusterName), now, c.cfg.Rand)
	var unplaced []string
	for _, l := range plan.Start {
		td, err := c.taskDefinition(ctx, l.TaskDefinitionARN)
		if err != nil {
			return err
		}
		req, err := placement.RequestFor(c.newServiceTask(td, svc, l, "", now),
			ecs.TaskPlacementConstraints(td, svc.PlacementConstraints), placement.ServiceStrategy(svc))
		if err != nil {
			return reconcile.Terminal(fmt.Errorf("service %s: %w", svc.Name, err))
		}
		started, failure, err := c.startPlaced(ctx, cluster, req, td, svc, l, now)
		if len(started) > 0 {
			plan.Service.AddEvent(StartedEvent(svc.Name, started, now))
		}
		if err != nil {
			return err
		}
		if failure != nil {
			unplaced = append(unplaced, failure.ServiceEvent(svc.Name))
			plan.requeue(placementRetry)
		}
	}
	// After the tasks that did start: the next try then finds these newer than them.
	for _, msg := range unplaced {
		addPlacementEvent(&plan.Service, msg, now)
	}
	return nil
}

// startPlaced creates l's tasks one by one, each on the instance placement picks, until one
// cannot be placed; it returns the ids of those it created and the failure that stopped it.
func (c *Controller) startPlaced(ctx context.Context, cluster *placement.Cluster, req placement.Request, td ecs.TaskDefinition, svc ecs.Service, l Launch, now time.Time) ([]string, *placement.Failure, error) {
	var started []string
	for range l.Count {
		inst, failure, ok := cluster.Place(req)
		if !ok {
			return started, &failure, nil
		}
		id, err := c.createTask(ctx, td, svc, l, inst, now)
		if err != nil {
			return started, nil, err
		}
		started = append(started, id)
	}
	return started, nil, nil
}

// repeatEventAfter is how long ECS omits a placement event it already wrote while the cause
// lasts.
const repeatEventAfter = 6 * time.Hour

// addPlacementEvent adds a placement failure's event unless the service already reported the
// same since it last started tasks, within six hours: ECS omits duplicates until the cause is
// resolved or six hours passed, so the event comes once per change, not on every retry.
func addPlacementEvent(s *ecs.Service, msg string, now time.Time) {
	for _, e := range s.Events {
		if e.Message == msg {
			if now.Sub(e.CreatedAt) < repeatEventAfter {
				return
			}
			break
		}
		if strings.Contains(e.Message, ") has started ") {
			break
		}
	}
	s.AddEvent(event(now, msg))
}

// newServiceTask is a task of service svc for launch l, not placed yet.
func (c *Controller) newServiceTask(td ecs.TaskDefinition, svc ecs.Service, l Launch, id string, now time.Time) ecs.Task {
	t := ecs.NewTask(td, ecs.TaskParams{
		ID:                   id,
		ARN:                  c.scope.New("ecs", "task/"+svc.ClusterName+"/"+id).String(),
		ClusterName:          svc.ClusterName,
		ClusterARN:           svc.ClusterARN,
		Group:                "service:" + svc.Name,
		StartedBy:            l.DeploymentID,
		ServiceName:          svc.Name,
		DeploymentID:         l.DeploymentID,
		NetworkConfiguration: l.NetworkConfiguration,
		EnableExecuteCommand: svc.EnableExecuteCommand,
		CreatedAt:            now,
	})
	if l.LaunchType != "" {
		t.LaunchType = l.LaunchType
	}
	t.CapacityProviderName = ecs.CapacityProviderFor(svc.CapacityProviderStrategy)
	t.Tags = serviceTaskTags(svc, td)
	t.LoadBalancers = l.LoadBalancers
	t.LoadBalanced = len(l.LoadBalancers) > 0
	return t
}

func (c *Controller) createTask(ctx context.Context, td ecs.TaskDefinition, svc ecs.Service, l Launch, inst ecs.ContainerInstance, now time.Time) (string, error) {
	id := c.cfg.NewTaskID()
	t := c.newServiceTask(td, svc, l, id, now)
	t.ContainerInstanceID, t.ContainerInstanceARN = inst.ID, inst.ARN
	it, err := c.st.Tasks.Create(ctx, store.TaskID(svc.ClusterName, id), t)
	if err != nil {
		return "", fmt.Errorf("create task for service %s: %w", svc.Name, err)
	}
	c.tasks.Upsert(it)
	return id, nil
}

func (c *Controller) taskDefinition(ctx context.Context, tdARN string) (ecs.TaskDefinition, error) {
	ref, err := ecs.ParseTaskDefinitionRef(tdARN)
	if err != nil || ref.Revision == 0 {
		return ecs.TaskDefinition{}, reconcile.Terminal(fmt.Errorf("task definition %s: not the ARN of a revision", tdARN))
	}
	td, err := c.st.FindTaskDefinition(ctx, ref.Family, ref.Revision)
	if err != nil {
		return ecs.TaskDefinition{}, fmt.Errorf("task definition %s: %w", tdARN, err)
	}
	return td, nil
}

func (c *Controller) clusterInstances(cluster string) []ecs.ContainerInstance {
	items := c.instances.Filter(func(it store.Item[ecs.ContainerInstance]) bool { return it.Value.ClusterName == cluster })
	out := make([]ecs.ContainerInstance, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

// clusterTasks are the live tasks of a cluster: what its instances have reserved.
func (c *Controller) clusterTasks(cluster string) []ecs.Task {
	items := c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
		return it.Value.ClusterName == cluster && !it.Value.IsStopped()
	})
	out := make([]ecs.Task, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

// reconcileTask places tasks that RunTask created without an instance, and finishes tasks that
// were stopped before any instance ran them.
func (c *Controller) reconcileTask(ctx context.Context, key string) (reconcile.Result, error) {
	it, ok := c.tasks.Get(key)
	if !ok {
		return reconcile.Result{Gone: true}, nil
	}
	t := it.Value
	if t.ContainerInstanceID != "" || t.IsStopped() {
		return reconcile.Result{}, nil
	}
	now := c.cfg.Now()
	if t.Terminating() {
		return reconcile.Result{}, c.updateTask(ctx, key, func(t *ecs.Task) { finishUnplaced(t, now) })
	}
	req, err := placement.RequestFor(t, t.PlacementConstraints, t.PlacementStrategy)
	if err != nil {
		return reconcile.Result{}, reconcile.Terminal(fmt.Errorf("task %s: %w", key, err))
	}
	cluster := placement.NewCluster(c.clusterInstances(t.ClusterName), c.clusterTasks(t.ClusterName), now, c.cfg.Rand)
	inst, _, placed := cluster.Place(req)
	if !placed {
		return reconcile.Result{RequeueAfter: placementRetry}, nil
	}
	return reconcile.Result{}, c.updateTask(ctx, key, func(t *ecs.Task) {
		if t.ContainerInstanceID == "" && !t.Terminating() {
			t.ContainerInstanceID, t.ContainerInstanceARN = inst.ID, inst.ARN
			t.Version++
		}
	})
}

func finishUnplaced(t *ecs.Task, now time.Time) {
	if t.ContainerInstanceID != "" || t.IsStopped() {
		return
	}
	t.LastStatus = ecs.TaskStopped
	t.StoppedAt, t.ExecutionStoppedAt = now, now
	for i := range t.Containers {
		t.Containers[i].LastStatus = ecs.ContainerStopped
	}
	t.Version++
}

func (c *Controller) updateTask(ctx context.Context, key string, fn func(*ecs.Task)) error {
	it, err := c.st.Tasks.Update(ctx, key, func(t *ecs.Task) error { fn(t); return nil })
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	if err == nil {
		c.tasks.Upsert(it)
	}
	return err
}

// collectGarbage deletes stopped tasks older than the retention, every GCInterval.
func (c *Controller) collectGarbage(ctx context.Context) error {
	tick := time.NewTicker(c.cfg.GCInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		cutoff := c.cfg.Now().Add(-c.cfg.StoppedTaskRetention)
		for _, it := range c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
			return it.Value.IsStopped() && it.Value.StoppedAt.Before(cutoff)
		}) {
			var txn store.Txn
			c.st.Tasks.Remove(&txn, it.ID, it.Revision)
			if _, err := c.st.Commit(ctx, &txn); err != nil && !errors.Is(err, errdefs.ErrConflict) {
				c.log.Warn("expire stopped task", "task", it.ID, "err", err)
			}
		}
	}
}

// serviceTaskTags are the tags a service's task gets: propagated from the service or the task
// definition, plus ECS's managed tags when the service asks for them.
func serviceTaskTags(svc ecs.Service, td ecs.TaskDefinition) []ecs.Tag {
	var tags []ecs.Tag
	switch svc.PropagateTags {
	case "SERVICE":
		tags = append(tags, svc.Tags...)
	case "TASK_DEFINITION":
		tags = append(tags, td.Tags...)
	}
	if svc.EnableECSManagedTags {
		tags = append(tags, ecs.Tag{Key: "aws:ecs:clusterName", Value: svc.ClusterName}, ecs.Tag{Key: "aws:ecs:serviceName", Value: svc.Name})
	}
	return tags
}
