package ecsapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxDescribeTasks is how many tasks one DescribeTasks call may name.
const maxDescribeTasks = 100

func (a *API) stopTask(ctx context.Context, in *stopTaskInput) (*stopTaskOutput, error) {
	if awsproto.Deref(in.Task) == "" {
		return nil, errdefs.InvalidArgument("task must be specified.")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	id, ok := a.clusterChild(*in.Task, "task", cluster.Name)
	if !ok {
		return nil, ecs.ErrTaskNotFound
	}
	it, err := a.store.Tasks.Update(ctx, store.TaskID(cluster.Name, id), func(t *ecs.Task) error {
		*t = t.StoppedByUser(awsproto.Deref(in.Reason), a.now())
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, ecs.ErrTaskNotFound
	}
	if err != nil {
		return nil, err
	}
	return &stopTaskOutput{Task: ptr(a.taskToWire(it.Value, false))}, nil
}

func (a *API) describeTasks(ctx context.Context, in *describeTasksInput) (*tasksOutput, error) {
	withTags, err := parseTagsInclude(in.Include)
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) == 0 {
		return nil, errdefs.InvalidArgument("Tasks cannot be empty.")
	}
	if len(in.Tasks) > maxDescribeTasks {
		return nil, errdefs.InvalidArgument("The tasks parameter can contain at most %d items.", maxDescribeTasks)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	kind := clusterChildKind[ecs.Task]{typ: "task", coll: a.store.Tasks, key: store.TaskID, arn: ecs.TaskARN}
	tasks, failures, err := describeEach(ctx, a, kind, cluster.Name, in.Tasks, func(_ string, t ecs.Task) wireTask {
		return a.taskToWire(t, withTags)
	})
	if err != nil {
		return nil, err
	}
	return &tasksOutput{Tasks: tasks, Failures: failures}, nil
}

func (a *API) listTasks(ctx context.Context, in *listTasksInput) (*listTasksOutput, error) {
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	filter := ecs.TaskFilter{
		Family: awsproto.Deref(in.Family), StartedBy: awsproto.Deref(in.StartedBy), ServiceName: awsproto.Deref(in.ServiceName),
		DesiredStatus: ecs.TaskStatus(awsproto.Deref(in.DesiredStatus)), LaunchType: awsproto.Deref(in.LaunchType),
	}
	if ref := awsproto.Deref(in.ContainerInstance); ref != "" {
		id, ok := a.clusterChild(ref, "container-instance", cluster.Name)
		if !ok {
			return nil, errdefs.InvalidArgument("The container instance %s was not found in the cluster.", ref)
		}
		filter.ContainerInstanceID = id
	}
	if filter, err = filter.Validate(); err != nil {
		return nil, err
	}
	if awsproto.Deref(in.DaemonName) != "" {
		return &listTasksOutput{TaskArns: []string{}}, nil // fargo has no daemons
	}
	if filter.ServiceName != "" {
		if _, err := a.store.Services.Get(ctx, store.ServiceID(cluster.Name, filter.ServiceName)); errors.Is(err, errdefs.ErrNotFound) {
			return nil, ecs.ErrServiceNotFound
		} else if err != nil {
			return nil, err
		}
	}
	tasks, err := a.clusterTasks(ctx, cluster.Name)
	if err != nil {
		return nil, err
	}
	arns := []string{}
	for _, t := range tasks {
		if filter.Matches(t) {
			arns = append(arns, t.ARN)
		}
	}
	page, next, err := awsproto.Paginate(pages, arns, awsproto.ByString(), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	return &listTasksOutput{TaskArns: page, NextToken: next}, nil
}
