package ecsapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createService(ctx context.Context, in *createServiceInput) (*serviceOutput, error) {
	if awsproto.Deref(in.ServiceName) == "" {
		return nil, errdefs.InvalidArgument("serviceName must be specified.")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	var td ecs.TaskDefinition
	if in.TaskDefinition != nil {
		if td, err = a.activeTaskDefinition(ctx, *in.TaskDefinition); err != nil {
			return nil, err
		}
	}
	s, err := serviceFromCreateInput(in, cluster, td.ARN)
	if err != nil {
		return nil, err
	}
	saved, err := a.newService(ctx, s, td, awsproto.Deref(in.Role))
	if err != nil {
		return nil, err
	}
	// CreateService answers with the tags it was given, and without the member when none.
	return a.serviceResult(ctx, saved, len(saved.Tags) > 0)
}

// CreateService is CreateService over domain values: s names its cluster and gives the
// service's settings; taskDefinition is a family, family:revision or ARN.
func (a *API) CreateService(ctx context.Context, s ecs.Service, taskDefinition string) (ecs.Service, error) {
	cluster, err := a.clusterOrDefault(ctx, &s.ClusterName, true)
	if err != nil {
		return ecs.Service{}, err
	}
	td, err := a.activeTaskDefinition(ctx, taskDefinition)
	if err != nil {
		return ecs.Service{}, err
	}
	s.ClusterName, s.ClusterARN, s.TaskDefinitionARN = cluster.Name, cluster.ARN, td.ARN
	return a.newService(ctx, s, td, s.RoleARN)
}

// newService validates s, which runs td, gives it the role ECS would (role is the one
// requested, if any), and stores it with its first deployment.
func (a *API) newService(ctx context.Context, s ecs.Service, td ecs.TaskDefinition, role string) (ecs.Service, error) {
	s.ARN = ecs.ServiceARN(a.scope, s.ClusterName, s.Name)
	s.CreatedBy = callerARN(ctx)
	s, err := ecs.ValidateService(s, td)
	if err != nil {
		return ecs.Service{}, err
	}
	if err := a.checkNativeRoutes(ctx, s); err != nil {
		return ecs.Service{}, err
	}
	if s.RoleARN, err = ecs.ServiceRoleARN(a.scope, role, s, td); err != nil {
		return ecs.Service{}, err
	}
	deploymentID, err := a.newDeploymentID()
	if err != nil {
		return ecs.Service{}, err
	}
	return a.storeNewService(ctx, ecs.NewService(s, deploymentID, a.now()))
}

// storeNewService stores s unless a service of its name exists; ecs.ResolveCreate decides what
// an existing one means.
func (a *API) storeNewService(ctx context.Context, s ecs.Service) (ecs.Service, error) {
	id := store.ServiceID(s.ClusterName, s.Name)
	for range maxServiceUpdateAttempts {
		cur, err := a.store.Services.Get(ctx, id)
		exists := err == nil
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return ecs.Service{}, err
		}
		result, create, err := ecs.ResolveCreate(cur.Value, exists, s)
		if err != nil || !create {
			return result, err
		}
		var txn store.Txn
		if err := a.store.Services.Put(&txn, id, s, cur.Revision); err != nil {
			return ecs.Service{}, err
		}
		if _, err := a.store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			continue // created or changed concurrently: decide again
		} else if err != nil {
			return ecs.Service{}, err
		}
		return s, nil
	}
	return ecs.Service{}, errdefs.Conflict("service %s: too many concurrent updates", id)
}

func (a *API) updateService(ctx context.Context, in *updateServiceInput) (*serviceOutput, error) {
	cluster, name, err := a.serviceRef(ctx, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	var td ecs.TaskDefinition
	if in.TaskDefinition != nil {
		if td, err = a.activeTaskDefinition(ctx, *in.TaskDefinition); err != nil {
			return nil, err
		}
	}
	deploymentID, err := a.newDeploymentID()
	if err != nil {
		return nil, err
	}
	saved, err := a.modifyService(ctx, cluster.Name, name, func(cur ecs.Service) (ecs.Service, error) {
		if cur.Status != ecs.ServiceActive {
			return ecs.Service{}, ecs.ErrServiceNotActive
		}
		next, err := applyServiceUpdate(cur, in, td.ARN)
		if err != nil {
			return ecs.Service{}, err
		}
		runs := td
		if runs.ARN != next.TaskDefinitionARN && next.TaskDefinitionARN != "" {
			if runs, err = a.taskDefinitionByARN(ctx, next.TaskDefinitionARN); err != nil {
				return ecs.Service{}, err
			}
		}
		if next, err = ecs.ValidateService(next, runs); err != nil {
			return ecs.Service{}, err
		}
		if err := a.checkNativeRoutes(ctx, next); err != nil {
			return ecs.Service{}, err
		}
		return ecs.UpdateService(cur, next, in.ForceNewDeployment, deploymentID, a.now())
	})
	if err != nil {
		return nil, err
	}
	return a.serviceResult(ctx, saved, false)
}

func (a *API) deleteService(ctx context.Context, in *deleteServiceInput) (*serviceOutput, error) {
	cluster, name, err := a.serviceRef(ctx, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	saved, err := a.modifyService(ctx, cluster.Name, name, func(cur ecs.Service) (ecs.Service, error) {
		return ecs.DeleteService(cur, awsproto.Deref(in.Force), a.now())
	})
	if err != nil {
		return nil, err
	}
	return a.serviceResult(ctx, saved, false)
}

// serviceRef resolves the cluster and service an UpdateService or DeleteService request names.
func (a *API) serviceRef(ctx context.Context, clusterRef, serviceRef *string) (ecs.Cluster, string, error) {
	if awsproto.Deref(serviceRef) == "" {
		return ecs.Cluster{}, "", errdefs.InvalidArgument("service must be specified.")
	}
	cluster, err := a.clusterOrDefault(ctx, clusterRef, true)
	if err != nil {
		return ecs.Cluster{}, "", err
	}
	name, ok := a.clusterChild(*serviceRef, "service", cluster.Name)
	if !ok {
		return ecs.Cluster{}, "", ecs.ErrServiceNotFound
	}
	return cluster, name, nil
}
