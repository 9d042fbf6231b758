package ecs

// ServiceStatus is the lifecycle state of a service as ECS reports it.
type ServiceStatus string

// Service statuses.
const (
	ServiceActive   ServiceStatus = "ACTIVE"
	ServiceDraining ServiceStatus = "DRAINING"
	ServiceInactive ServiceStatus = "INACTIVE"
)

// Service is an ECS service. The scheduler and the deployment controller fill in the rest of
// its state; a cluster with an ACTIVE or DRAINING service cannot be deleted.
type Service struct {
	Name        string
	ARN         string
	ClusterName string
	Status      ServiceStatus
}
