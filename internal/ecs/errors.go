package ecs

import "github.com/fargohq/fargo/internal/errdefs"

// Errors with a meaning of their own to ECS clients. Test them with errors.Is.
var (
	ErrClusterNotFound          = errdefs.NotFound("Cluster not found.")
	ErrClusterContainsServices  = errdefs.FailedPrecondition("The Cluster cannot be deleted while Services are active.")
	ErrClusterContainsTasks     = errdefs.FailedPrecondition("The Cluster cannot be deleted while Tasks are active.")
	ErrClusterContainsInstances = errdefs.FailedPrecondition("The Cluster cannot be deleted while Container Instances are active or draining.")
	ErrServiceNotFound          = errdefs.NotFound("Service not found.")
	ErrResourceNotFound         = errdefs.NotFound("The specified resource is not found.")
)
