package ecsapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) runTask(ctx context.Context, in *runTaskInput) (*tasksOutput, error) {
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	td, err := a.activeTaskDefinition(ctx, awsproto.Deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	strategy := strategyFromWire(in.CapacityProviderStrategy)
	if len(strategy) == 0 && in.LaunchType == nil {
		strategy = cluster.DefaultCapacityProviderStrategy // ECS's default, as for services
	}
	launchType, err := ecs.LaunchTypeForStrategy(awsproto.Deref(in.LaunchType), strategy)
	if err != nil {
		return nil, err
	}
	nc, err := networkConfigurationFromWire(in.NetworkConfiguration)
	if err != nil {
		return nil, err
	}
	count := 1
	if in.Count != nil {
		count = int(*in.Count)
	}
	req, err := ecs.ValidateRunRequest(ecs.RunRequest{
		ClusterName: cluster.Name, ClusterARN: cluster.ARN, TaskDefinition: td, Count: count,
		Group: awsproto.Deref(in.Group), StartedBy: awsproto.Deref(in.StartedBy), LaunchType: launchType,
		CapacityProviderName: ecs.CapacityProviderFor(strategy), PlatformVersion: awsproto.Deref(in.PlatformVersion),
		Overrides: taskOverrideFromWire(in.Overrides), NetworkConfiguration: nc, PropagateTags: awsproto.Deref(in.PropagateTags),
		EnableECSManagedTags: in.EnableECSManagedTags, EnableExecuteCommand: in.EnableExecuteCommand,
		Tags: tagsFromWire(in.Tags), ClientToken: awsproto.Deref(in.ClientToken),
		PlacementConstraints: listFromWire(in.PlacementConstraints, placementConstraintFromWire),
		PlacementStrategy:    listFromWire(in.PlacementStrategy, placementStrategyFromWire),
	})
	if err != nil {
		return nil, err
	}
	tasks, failures, err := a.startTasks(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	return a.tasksResult(tasks, failures), nil
}

// startTasks stores the tasks req starts, atomically, or returns those an earlier request with
// the same client token started. instances, when given, places task i on instances[i];
// otherwise the tasks are placed on the cluster's instances (placeRunTasks), and those that
// fit none become failures.
func (a *API) startTasks(ctx context.Context, req ecs.RunRequest, instances []ecs.ContainerInstance) ([]ecs.Task, []wireFailure, error) {
	if req.ClientToken != "" {
		existing, err := a.clusterTasks(ctx, req.ClusterName)
		if err != nil {
			return nil, nil, err
		}
		if found, err := ecs.MatchClientToken(existing, req); err != nil || found != nil {
			return found, nil, err
		}
	}
	ids := make([]string, req.Count)
	for i := range ids {
		id, err := a.newTaskID()
		if err != nil {
			return nil, nil, err
		}
		ids[i] = id
	}
	// In ID order, the order in which a retry with the same client token finds them again.
	slices.Sort(ids)
	tasks := ecs.NewRunTasks(req, a.scope, ids, a.now())
	var failures []wireFailure
	if instances == nil {
		var err error
		if tasks, failures, err = a.placeRunTasks(ctx, req.ClusterName, tasks); err != nil {
			return nil, nil, err
		}
	}
	var txn store.Txn
	for i := range tasks {
		if instances != nil {
			tasks[i].ContainerInstanceID, tasks[i].ContainerInstanceARN = instances[i].ID, instances[i].ARN
		}
		if err := a.store.Tasks.Put(&txn, store.TaskID(req.ClusterName, tasks[i].ID), tasks[i], 0); err != nil {
			return nil, nil, err
		}
	}
	if len(tasks) > 0 {
		if _, err := a.store.Commit(ctx, &txn); err != nil {
			return nil, nil, err
		}
	}
	return tasks, failures, nil
}

// tasksResult is the answer of RunTask, StartTask and DescribeTasks: both lists always sent.
func (a *API) tasksResult(tasks []ecs.Task, failures []wireFailure) *tasksOutput {
	out := &tasksOutput{Tasks: make([]wireTask, len(tasks)), Failures: failures}
	for i, t := range tasks {
		out.Tasks[i] = a.taskToWire(t, true)
	}
	if out.Failures == nil {
		out.Failures = []wireFailure{}
	}
	return out
}

func (a *API) startTask(ctx context.Context, in *startTaskInput) (*tasksOutput, error) {
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > ecs.MaxRunCount {
		return nil, errdefs.InvalidArgument("containerInstances must name between 1 and %d container instances.", ecs.MaxRunCount)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	td, err := a.activeTaskDefinition(ctx, awsproto.Deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	instances, failures, err := a.findInstances(ctx, cluster.Name, in.ContainerInstances)
	if err != nil {
		return nil, err
	}
	nc, err := networkConfigurationFromWire(in.NetworkConfiguration)
	if err != nil {
		return nil, err
	}
	// StartTask places tasks on the instances the caller chose, as EC2 tasks.
	req, err := ecs.ValidateRunRequest(ecs.RunRequest{
		ClusterName: cluster.Name, ClusterARN: cluster.ARN, TaskDefinition: td, Count: max(len(instances), 1),
		Group: awsproto.Deref(in.Group), StartedBy: awsproto.Deref(in.StartedBy), LaunchType: string(ecs.CompatibilityEC2),
		Overrides: taskOverrideFromWire(in.Overrides), NetworkConfiguration: nc, PropagateTags: awsproto.Deref(in.PropagateTags),
		EnableECSManagedTags: in.EnableECSManagedTags, EnableExecuteCommand: in.EnableExecuteCommand, Tags: tagsFromWire(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	instances, failures, err = a.instancesWithRoom(ctx, req, instances, failures)
	if err != nil {
		return nil, err
	}
	if len(instances) == 0 {
		return a.tasksResult(nil, failures), nil
	}
	req.Count = len(instances)
	tasks, _, err := a.startTasks(ctx, req, instances)
	if err != nil {
		return nil, err
	}
	return a.tasksResult(tasks, failures), nil
}

// findInstances resolves container instance references of cluster; those that name no
// registered (ACTIVE or DRAINING) instance become MISSING failures.
func (a *API) findInstances(ctx context.Context, cluster string, refs []string) ([]ecs.ContainerInstance, []wireFailure, error) {
	var found []ecs.ContainerInstance
	failures := []wireFailure{}
	for _, ref := range refs {
		id, ok := a.clusterChild(ref, "container-instance", cluster)
		if !ok {
			failures = append(failures, missing(a.missingARN(ref, "container-instance", cluster)))
			continue
		}
		it, err := a.store.ContainerInstances.Get(ctx, store.ContainerInstanceID(cluster, id))
		if errors.Is(err, errdefs.ErrNotFound) || (err == nil && it.Value.Status == ecs.InstanceInactive) {
			failures = append(failures, missing(ecs.ContainerInstanceARN(a.scope, cluster, id)))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		found = append(found, it.Value)
	}
	return found, failures, nil
}
