package ecsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createCluster(ctx context.Context, in *createClusterInput) (*clusterOutput, error) {
	name := awsproto.Deref(in.ClusterName)
	if in.ClusterName == nil {
		name = ecs.DefaultClusterName
	}
	c := ecs.Cluster{
		Name:                            name,
		Settings:                        settingsFromWire(in.Settings),
		Configuration:                   configurationFromWire(in.Configuration),
		CapacityProviders:               in.CapacityProviders,
		DefaultCapacityProviderStrategy: strategyFromWire(in.DefaultCapacityProviderStrategy),
		Tags:                            tagsFromWire(in.Tags),
	}
	if in.ServiceConnectDefaults != nil {
		c.ServiceConnectNamespace = awsproto.Deref(in.ServiceConnectDefaults.Namespace)
	}
	saved, err := a.CreateCluster(ctx, c)
	if err != nil {
		return nil, err
	}
	all := clusterInclude{settings: true, tags: true, configurations: true}
	return &clusterOutput{Cluster: ptr(clusterToWire(saved, clusterCounts{}, all))}, nil
}

// CreateCluster is CreateCluster over domain values: c gives the name and settings; the ARN,
// status and creation time are the API's.
func (a *API) CreateCluster(ctx context.Context, c ecs.Cluster) (ecs.Cluster, error) {
	namespace := c.ServiceConnectNamespace
	c.ARN, c.Status, c.CreatedAt = a.arn("cluster/"+c.Name), ecs.ClusterActive, a.now()
	c, err := ecs.ValidateCluster(c)
	if err != nil {
		return ecs.Cluster{}, err
	}
	c.ServiceConnectNamespace = namespace
	return a.createOrReviveCluster(ctx, c)
}

// createOrReviveCluster stores c. Like ECS, creating a cluster that exists and is ACTIVE returns
// the existing one unchanged, and creating one that was deleted makes a new ACTIVE cluster.
func (a *API) createOrReviveCluster(ctx context.Context, c ecs.Cluster) (ecs.Cluster, error) {
	for {
		cur, err := a.store.Clusters.Get(ctx, c.Name)
		switch {
		case errors.Is(err, errdefs.ErrNotFound):
			if _, err := a.store.Clusters.Create(ctx, c.Name, c); errors.Is(err, errdefs.ErrAlreadyExists) {
				continue // created concurrently: read it again
			} else if err != nil {
				return ecs.Cluster{}, err
			}
			return c, nil
		case err != nil:
			return ecs.Cluster{}, err
		case cur.Value.Status == ecs.ClusterActive:
			return cur.Value, nil
		}
		var txn store.Txn
		if err := a.store.Clusters.Put(&txn, c.Name, c, cur.Revision); err != nil {
			return ecs.Cluster{}, err
		}
		if _, err := a.store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			continue
		} else if err != nil {
			return ecs.Cluster{}, err
		}
		return c, nil
	}
}

func (a *API) describeClusters(ctx context.Context, in *describeClustersInput) (*describeClustersOutput, error) {
	inc, err := parseClusterInclude(in.Include)
	if err != nil {
		return nil, err
	}
	names := in.Clusters
	if len(names) == 0 {
		names = []string{ecs.DefaultClusterName}
	}
	if len(names) > 100 {
		return nil, errdefs.InvalidArgument("The clusters parameter can contain at most 100 items.")
	}
	out := &describeClustersOutput{Clusters: []wireCluster{}, Failures: []wireFailure{}}
	for _, ref := range names {
		name, err := a.clusterName(ref)
		if err != nil {
			out.Failures = append(out.Failures, missing(ref))
			continue
		}
		c, err := a.store.Clusters.Get(ctx, name)
		if errors.Is(err, errdefs.ErrNotFound) {
			out.Failures = append(out.Failures, missing(a.arn("cluster/"+name)))
			continue
		}
		if err != nil {
			return nil, err
		}
		counts, err := a.clusterCounts(ctx, name)
		if err != nil {
			return nil, err
		}
		out.Clusters = append(out.Clusters, clusterToWire(c.Value, counts, inc))
	}
	return out, nil
}

func (a *API) listClusters(ctx context.Context, in *listClustersInput) (*listClustersOutput, error) {
	items, _, err := a.store.Clusters.List(ctx, "")
	if err != nil {
		return nil, err
	}
	arns := []string{}
	for _, it := range items {
		if it.Value.Status == ecs.ClusterActive {
			arns = append(arns, it.Value.ARN)
		}
	}
	page, next, err := awsproto.Paginate(pages, arns, awsproto.ByString(), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	return &listClustersOutput{ClusterArns: page, NextToken: next}, nil
}

func (a *API) deleteCluster(ctx context.Context, in *deleteClusterInput) (*clusterOutput, error) {
	name, err := a.requiredClusterName(in.Cluster)
	if err != nil {
		return nil, err
	}
	counts, err := a.clusterCounts(ctx, name)
	if err != nil {
		return nil, err
	}
	if counts.activeServices > 0 {
		return nil, ecs.ErrClusterContainsServices
	}
	// Container instances do not keep a cluster alive: fargo registers its own node in every
	// cluster. Tasks do until they stopped.
	tasks, err := a.clusterTasks(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if !t.IsStopped() {
			return nil, ecs.ErrClusterContainsTasks
		}
	}
	it, err := a.updateCluster1(ctx, name, func(c *ecs.Cluster) error {
		c.Status = ecs.ClusterInactive
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &clusterOutput{Cluster: ptr(clusterToWire(it, clusterCounts{}, clusterInclude{settings: true}))}, nil
}

func (a *API) updateCluster(ctx context.Context, in *updateClusterInput) (*clusterOutput, error) {
	name, err := a.requiredClusterName(in.Cluster)
	if err != nil {
		return nil, err
	}
	c, err := a.updateCluster1(ctx, name, func(c *ecs.Cluster) error {
		next := *c
		if in.Settings != nil {
			next.Settings = settingsFromWire(in.Settings)
		}
		if in.Configuration != nil {
			next.Configuration = configurationFromWire(in.Configuration)
		}
		if in.ServiceConnectDefaults != nil {
			next.ServiceConnectNamespace = awsproto.Deref(in.ServiceConnectDefaults.Namespace)
		}
		valid, err := ecs.ValidateCluster(next)
		if err != nil {
			return err
		}
		*c = valid
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.clusterResult(ctx, c)
}

func (a *API) updateClusterSettings(ctx context.Context, in *updateClusterSettingsInput) (*clusterOutput, error) {
	name, err := a.requiredClusterName(in.Cluster)
	if err != nil {
		return nil, err
	}
	if in.Settings == nil {
		return nil, errdefs.InvalidArgument("settings must be specified.")
	}
	c, err := a.updateCluster1(ctx, name, func(c *ecs.Cluster) error {
		next := *c
		next.Settings = settingsFromWire(in.Settings)
		valid, err := ecs.ValidateCluster(next)
		if err != nil {
			return err
		}
		*c = valid
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.clusterResult(ctx, c)
}

func (a *API) clusterResult(ctx context.Context, c ecs.Cluster) (*clusterOutput, error) {
	counts, err := a.clusterCounts(ctx, c.Name)
	if err != nil {
		return nil, err
	}
	all := clusterInclude{settings: true, configurations: true}
	return &clusterOutput{Cluster: ptr(clusterToWire(c, counts, all))}, nil
}

// updateCluster1 applies fn to the ACTIVE cluster name.
func (a *API) updateCluster1(ctx context.Context, name string, fn func(*ecs.Cluster) error) (ecs.Cluster, error) {
	it, err := a.store.Clusters.Update(ctx, name, func(c *ecs.Cluster) error {
		if c.Status != ecs.ClusterActive {
			return ecs.ErrClusterNotFound
		}
		return fn(c)
	})
	if errors.Is(err, errdefs.ErrNotFound) && !errors.Is(err, ecs.ErrClusterNotFound) {
		return ecs.Cluster{}, ecs.ErrClusterNotFound
	}
	return it.Value, err
}

func (a *API) requiredClusterName(ref *string) (string, error) {
	if ref == nil || *ref == "" {
		return "", errdefs.InvalidArgument("cluster must be specified.")
	}
	return a.clusterName(*ref)
}

// clusterName resolves a cluster name or ARN of this region and account to the name.
func (a *API) clusterName(ref string) (string, error) {
	name, err := a.resourceName(ref, "cluster")
	if err != nil {
		return "", ecs.ErrClusterNotFound
	}
	return name, nil
}

// clusterCounts derives the counts of a cluster from the objects in it.
func (a *API) clusterCounts(ctx context.Context, cluster string) (clusterCounts, error) {
	services, _, err := a.store.Services.List(ctx, cluster+"/")
	if err != nil {
		return clusterCounts{}, fmt.Errorf("list services of %s: %w", cluster, err)
	}
	var c clusterCounts
	for _, s := range services {
		if s.Value.Status == ecs.ServiceActive || s.Value.Status == ecs.ServiceDraining {
			c.activeServices++
		}
	}
	tasks, err := a.clusterTasks(ctx, cluster)
	if err != nil {
		return clusterCounts{}, err
	}
	var tc ecs.TaskCounts
	for _, t := range tasks {
		tc = tc.Add(t)
	}
	c.runningTasks, c.pendingTasks = tc.Running, tc.Pending
	instances, _, err := a.store.ContainerInstances.List(ctx, cluster+"/")
	if err != nil {
		return clusterCounts{}, fmt.Errorf("list container instances of %s: %w", cluster, err)
	}
	for _, it := range instances {
		if it.Value.Status == ecs.InstanceActive || it.Value.Status == ecs.InstanceDraining {
			c.instances++
		}
	}
	return c, nil
}
