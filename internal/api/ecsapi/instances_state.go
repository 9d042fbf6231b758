package ecsapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxUpdateContainerInstances is how many instances one UpdateContainerInstancesState call may
// name.
const maxUpdateContainerInstances = 10

type updateContainerInstancesStateInput struct {
	Cluster            *string  `json:"cluster"`
	ContainerInstances []string `json:"containerInstances"`
	Status             *string  `json:"status"`
}

type updateContainerInstancesStateOutput struct {
	ContainerInstances []wireContainerInstance `json:"containerInstances"`
	Failures           []wireFailure           `json:"failures"`
}

// updateContainerInstancesState sets instances ACTIVE or DRAINING. The scheduler places nothing
// on a DRAINING instance and replaces its service tasks elsewhere (scheduler.PlanService).
func (a *API) updateContainerInstancesState(ctx context.Context, in *updateContainerInstancesStateInput) (*updateContainerInstancesStateOutput, error) {
	status := awsproto.Deref(in.Status)
	switch status {
	case string(ecs.InstanceActive), string(ecs.InstanceDraining):
	case "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED", string(ecs.InstanceInactive):
		return nil, errdefs.InvalidArgument("Container instances can only be updated to ACTIVE or DRAINING.")
	default:
		return nil, invalidEnum("status", status, "ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED")
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > maxUpdateContainerInstances {
		return nil, errdefs.InvalidArgument("containerInstances must name between 1 and %d container instances.", maxUpdateContainerInstances)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	found, failures, err := a.findInstances(ctx, cluster.Name, in.ContainerInstances)
	if err != nil {
		return nil, err
	}
	var updated []ecs.ContainerInstance
	for _, inst := range found {
		it, err := a.store.ContainerInstances.Update(ctx, store.ContainerInstanceID(cluster.Name, inst.ID), func(ci *ecs.ContainerInstance) error {
			if ci.Status == ecs.InstanceInactive {
				return errdefs.ErrNotFound
			}
			if ci.Status != ecs.ContainerInstanceStatus(status) {
				ci.Status = ecs.ContainerInstanceStatus(status)
				ci.Version++
			}
			return nil
		})
		if errors.Is(err, errdefs.ErrNotFound) {
			failures = append(failures, missing(a.instanceARN(inst)))
			continue
		}
		if err != nil {
			return nil, err
		}
		updated = append(updated, it.Value)
	}
	tasks, err := a.clusterTasks(ctx, cluster.Name)
	if err != nil {
		return nil, err
	}
	out := &updateContainerInstancesStateOutput{ContainerInstances: []wireContainerInstance{}, Failures: failures}
	for _, inst := range updated {
		out.ContainerInstances = append(out.ContainerInstances, a.instanceToWire(inst, tasks, false, false))
	}
	return out, nil
}
