package ecs

import "time"

// ContainerInstanceStatus is the state of a container instance.
type ContainerInstanceStatus string

// Container instance statuses.
const (
	InstanceActive   ContainerInstanceStatus = "ACTIVE"
	InstanceDraining ContainerInstanceStatus = "DRAINING"
	InstanceInactive ContainerInstanceStatus = "INACTIVE"
)

// ContainerInstance is a machine that runs tasks of a cluster. Each fargo node registers itself
// as one container instance in every cluster; tasks are placed on instances even when there is
// only one, so that more machines can join later.
type ContainerInstance struct {
	ID          string // 32 hex digits
	ARN         string
	ClusterName string
	// NodeID names the fargo node (agent) behind the instance.
	NodeID string
	// Address is where tasks on the instance are reachable (their host ports bind there).
	Address        string
	Status         ContainerInstanceStatus
	AgentConnected bool
	RegisteredAt   time.Time
	// CPU and Memory are the registered resources: CPU units (1024 a core) and MiB.
	CPU           int
	Memory        int
	AgentVersion  string
	Attributes    []Attribute
	Version       int64
	LastHeartbeat time.Time
}
