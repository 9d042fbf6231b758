package store

import (
	"context"
	"fmt"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// keyRoot prefixes every key fargo writes, so an external etcd can be shared with other users.
const keyRoot = "/fargo/v1/"

// Store holds one Collection per kind of object.
type Store struct {
	kv kv.KV

	// Clusters are ECS clusters by name.
	Clusters Collection[ecs.Cluster]
	// TaskDefinitionFamilies are task definition families by name; they hold the last revision
	// number handed out, which ECS never reuses.
	TaskDefinitionFamilies Collection[ecs.TaskDefinitionFamily]
	// TaskDefinitions are task definitions by TaskDefinitionID(family, revision).
	TaskDefinitions Collection[ecs.TaskDefinition]
	// Services are ECS services by ServiceID(cluster, name).
	Services Collection[ecs.Service]
	// Tasks are ECS tasks by TaskID(cluster, id), stopped ones included until they expire.
	Tasks Collection[ecs.Task]
	// ContainerInstances are container instances by ContainerInstanceID(cluster, id).
	ContainerInstances Collection[ecs.ContainerInstance]
}

// New returns a Store over kv. The Store does not own kv.
func New(store kv.KV) *Store {
	return &Store{
		kv:                     store,
		Clusters:               newCollection[ecs.Cluster](store, "ecs/clusters"),
		TaskDefinitionFamilies: newCollection[ecs.TaskDefinitionFamily](store, "ecs/taskdef-families"),
		TaskDefinitions:        newCollection[ecs.TaskDefinition](store, "ecs/taskdefs"),
		Services:               newCollection[ecs.Service](store, "ecs/services"),
		Tasks:                  newCollection[ecs.Task](store, "ecs/tasks"),
		ContainerInstances:     newCollection[ecs.ContainerInstance](store, "ecs/container-instances"),
	}
}

// Commit applies txn atomically; see Txn.Commit.
func (s *Store) Commit(ctx context.Context, txn *Txn) (int64, error) {
	return txn.Commit(ctx, s.kv)
}

// TaskDefinitionID is the ID of revision rev of family. The revision is zero-padded so that IDs
// sort by revision.
func TaskDefinitionID(family string, rev int) string {
	return fmt.Sprintf("%s/%010d", family, rev)
}

// ServiceID is the ID of service name in cluster.
func ServiceID(cluster, name string) string { return cluster + "/" + name }

// TaskID is the ID of task id in cluster.
func TaskID(cluster, id string) string { return cluster + "/" + id }

// ContainerInstanceID is the ID of container instance id in cluster.
func ContainerInstanceID(cluster, id string) string { return cluster + "/" + id }
