package ecsapi

import (
	"context"
	"encoding/binary"
	"io"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/placement"
)

// placeRunTasks places RunTask's new tasks on the cluster's container instances before the
// call answers, as ECS does: a task that fits gets its instance; one that does not is left
// out and reported as a failure naming the closest instance and ECS's reason
// (RESOURCE:MEMORY, ...). A task stays unplaced, for the scheduler to place once an instance
// can take it, when the cluster has no ACTIVE instance yet (each fargo node registers its
// instance only after the cluster appears) or when it is a Fargate task: Fargate's capacity is
// not the cluster's to run out of.
func (a *API) placeRunTasks(ctx context.Context, cluster string, tasks []ecs.Task) ([]ecs.Task, []wireFailure, error) {
	items, _, err := a.store.ContainerInstances.List(ctx, cluster+"/")
	if err != nil {
		return nil, nil, err
	}
	instances := make([]ecs.ContainerInstance, len(items))
	for i, it := range items {
		instances[i] = it.Value
	}
	existing, err := a.clusterTasks(ctx, cluster)
	if err != nil {
		return nil, nil, err
	}
	view := placement.NewCluster(instances, existing, a.now(), a.pick)
	var kept []ecs.Task
	failures := []wireFailure{}
	for _, t := range tasks {
		req, err := placement.RequestFor(t, t.PlacementConstraints, t.PlacementStrategy)
		if err != nil {
			return nil, nil, err
		}
		inst, failure, ok := view.Place(req)
		switch {
		case ok:
			t.ContainerInstanceID, t.ContainerInstanceARN = inst.ID, a.instanceARN(inst)
		case failure.NoInstance() || req.Fargate:
		default:
			failures = addFailure(failures, a.instanceARN(failure.Instance), string(failure.Reason))
			continue
		}
		kept = append(kept, t)
	}
	return kept, failures, nil
}

// instancesWithRoom keeps the instances StartTask chose that can take a task of req (an agent
// that is connected, the CPU, memory and host ports it needs, the task definition's
// constraints), each counting the tasks placed before it; the others become failures.
func (a *API) instancesWithRoom(ctx context.Context, req ecs.RunRequest, chosen []ecs.ContainerInstance, failures []wireFailure) ([]ecs.ContainerInstance, []wireFailure, error) {
	if len(chosen) == 0 {
		return nil, failures, nil
	}
	existing, err := a.clusterTasks(ctx, req.ClusterName)
	if err != nil {
		return nil, nil, err
	}
	proto := ecs.NewRunTasks(req, a.scope, []string{""}, a.now())[0]
	r, err := placement.RequestFor(proto, proto.PlacementConstraints, nil)
	if err != nil {
		return nil, nil, err
	}
	view := placement.NewCluster(chosen, existing, a.now(), nil)
	var kept []ecs.ContainerInstance
	for _, inst := range chosen {
		// A DRAINING instance is no candidate for placement, but StartTask may name it.
		if failure, ok := view.PlaceOn(inst.ID, r); !ok && inst.Status == ecs.InstanceActive {
			failures = addFailure(failures, a.instanceARN(inst), string(failure.Reason))
			continue
		}
		kept = append(kept, inst)
	}
	return kept, failures, nil
}

// addFailure adds a failure unless the same one is already listed: tasks that fail alike are
// reported once.
func addFailure(failures []wireFailure, arn, reason string) []wireFailure {
	for _, f := range failures {
		if *f.Arn == arn && *f.Reason == reason {
			return failures
		}
	}
	return append(failures, wireFailure{Arn: ptr(arn), Reason: ptr(reason)})
}

// pick returns a number in [0, n) from the API's random source, for the random placement
// strategy.
func (a *API) pick(n int) int {
	var b [8]byte
	if _, err := io.ReadFull(a.randomSource(), b[:]); err != nil {
		return 0
	}
	return int(binary.BigEndian.Uint64(b[:]) % uint64(n))
}
