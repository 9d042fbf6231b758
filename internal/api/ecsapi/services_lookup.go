package ecsapi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Option configures an API.
type Option func(*API)

// WithRandom makes the API draw task and deployment ids from r instead of crypto/rand, so that
// tests can predict them. r must be safe for concurrent use.
func WithRandom(r io.Reader) Option {
	return func(a *API) { a.random = r }
}

func (a *API) randomSource() io.Reader {
	if a.random == nil {
		return rand.Reader
	}
	return a.random
}

// newTaskID returns a random task id: 32 lowercase hex digits, as ECS's.
func (a *API) newTaskID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(a.randomSource(), b[:]); err != nil {
		return "", fmt.Errorf("random task id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// newDeploymentID returns a random deployment id: "ecs-svc/" and 19 digits.
func (a *API) newDeploymentID() (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(a.randomSource(), b[:]); err != nil {
		return "", fmt.Errorf("random deployment id: %w", err)
	}
	return ecs.DeploymentID(binary.BigEndian.Uint64(b[:])), nil
}

// errTaskDefinitionInactive refuses to start new tasks or services from a deregistered revision.
var errTaskDefinitionInactive = errdefs.InvalidArgument("TaskDefinition is inactive")

// activeTaskDefinition resolves a task definition reference to an ACTIVE revision, as new
// services and tasks require.
func (a *API) activeTaskDefinition(ctx context.Context, ref string) (ecs.TaskDefinition, error) {
	td, err := a.findTaskDefinition(ctx, ref)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	if td.Status != ecs.TaskDefinitionStatusActive {
		return ecs.TaskDefinition{}, errTaskDefinitionInactive
	}
	return td, nil
}

// taskDefinitionByARN returns the revision an ARN stored on a service names, whatever its status.
func (a *API) taskDefinitionByARN(ctx context.Context, tdARN string) (ecs.TaskDefinition, error) {
	ref, err := ecs.ParseTaskDefinitionRef(tdARN)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	it, err := a.store.TaskDefinitions.Get(ctx, taskDefinitionID(ref.Family, ref.Revision))
	if errors.Is(err, errdefs.ErrNotFound) {
		return ecs.TaskDefinition{}, errTaskDefinitionNotFound
	}
	return it.Value, err
}

// clusterOrDefault returns the cluster ref names (the default cluster when nil or empty). Only
// an ACTIVE cluster is found when active is set; describe calls also see deleted ones.
func (a *API) clusterOrDefault(ctx context.Context, ref *string, active bool) (ecs.Cluster, error) {
	name := ecs.DefaultClusterName
	if ref != nil && *ref != "" {
		var err error
		if name, err = a.clusterName(*ref); err != nil {
			return ecs.Cluster{}, err
		}
	}
	it, err := a.store.Clusters.Get(ctx, name)
	if errors.Is(err, errdefs.ErrNotFound) || (err == nil && active && it.Value.Status != ecs.ClusterActive) {
		return ecs.Cluster{}, ecs.ErrClusterNotFound
	}
	return it.Value, err
}

// clusterChild resolves ref, the name or id of a resource of type typ ("service", "task",
// "container-instance") in cluster or its ARN, to the name or id. An ARN of this region and
// account that names another cluster is not in this one: ok is false.
func (a *API) clusterChild(ref, typ, cluster string) (id string, ok bool) {
	if !arn.IsARN(ref) {
		return ref, ref != "" && !strings.Contains(ref, "/")
	}
	parsed, err := arn.Parse(ref)
	if err != nil || parsed.Service != "ecs" || parsed.ResourceType() != typ ||
		parsed.Region != a.scope.Region || parsed.AccountID != a.scope.AccountID {
		return "", false
	}
	parts := strings.Split(parsed.ResourceID(), "/")
	switch {
	case len(parts) == 1 && parts[0] != "":
		return parts[0], true // the short ARN format without the cluster
	case len(parts) == 2 && parts[0] == cluster && parts[1] != "":
		return parts[1], true
	}
	return "", false
}

// clusterTasks lists every task of a cluster, stopped ones included.
func (a *API) clusterTasks(ctx context.Context, cluster string) ([]ecs.Task, error) {
	items, _, err := a.store.Tasks.List(ctx, cluster+"/")
	if err != nil {
		return nil, fmt.Errorf("list tasks of %s: %w", cluster, err)
	}
	tasks := make([]ecs.Task, len(items))
	for i, it := range items {
		tasks[i] = it.Value
	}
	return tasks, nil
}

// maxServiceUpdateAttempts bounds the read-modify-write loop of modifyService under contention.
const maxServiceUpdateAttempts = 16

// modifyService reads service name of cluster, lets fn decide its next state and writes it if
// nobody else wrote the service in between, retrying otherwise. fn may read other objects; it
// runs again on every retry.
func (a *API) modifyService(ctx context.Context, cluster, name string, fn func(ecs.Service) (ecs.Service, error)) (ecs.Service, error) {
	id := store.ServiceID(cluster, name)
	for range maxServiceUpdateAttempts {
		cur, err := a.store.Services.Get(ctx, id)
		if errors.Is(err, errdefs.ErrNotFound) {
			return ecs.Service{}, ecs.ErrServiceNotFound
		}
		if err != nil {
			return ecs.Service{}, err
		}
		next, err := fn(cur.Value)
		if err != nil {
			return ecs.Service{}, err
		}
		var txn store.Txn
		if err := a.store.Services.Put(&txn, id, next, cur.Revision); err != nil {
			return ecs.Service{}, err
		}
		if err := a.putDeploymentRecords(&txn, cur.Value, next); err != nil {
			return ecs.Service{}, err
		}
		if _, err := a.store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			continue
		} else if err != nil {
			return ecs.Service{}, err
		}
		return next, nil
	}
	return ecs.Service{}, errdefs.Conflict("service %s: too many concurrent updates", id)
}

// serviceResult is a service on the wire with its counts derived from the cluster's tasks.
func (a *API) serviceResult(ctx context.Context, s ecs.Service, withTags bool) (*serviceOutput, error) {
	counts, err := a.serviceTaskCounts(ctx, s)
	if err != nil {
		return nil, err
	}
	return &serviceOutput{Service: ptr(serviceToWire(s, counts, withTags))}, nil
}

// serviceTaskCounts derives the task counts of s, by deployment and task set, from the tasks of
// its cluster.
func (a *API) serviceTaskCounts(ctx context.Context, s ecs.Service) (serviceCounts, error) {
	tasks, err := a.clusterTasks(ctx, s.ClusterName)
	if err != nil {
		return serviceCounts{}, err
	}
	return countServiceTasks(s.Name, tasks), nil
}
