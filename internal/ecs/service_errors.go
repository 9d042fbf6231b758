package ecs

import "github.com/fargohq/fargo/internal/errdefs"

// Errors of the service and task operations with a meaning of their own to ECS clients, in
// ECS's words. Test them with errors.Is.
var (
	// ErrServiceNotActive refuses changes to a DRAINING or INACTIVE service.
	ErrServiceNotActive = errdefs.FailedPrecondition("Service was not ACTIVE.")
	// ErrServiceNotIdempotent refuses to create a service whose name is taken by a different one.
	ErrServiceNotIdempotent = errdefs.AlreadyExists("Creation of service was not idempotent.")
	// ErrServiceScaledUp refuses to delete a service that still wants tasks, unless forced.
	ErrServiceScaledUp = errdefs.FailedPrecondition("The service cannot be stopped while it is scaled above 0.")
	// ErrClientTokenInUse refuses a RunTask whose clientToken an earlier, different request used.
	ErrClientTokenInUse = errdefs.AlreadyExists("The specified client token is already in use with a different RunTask request.")
	// ErrTaskNotFound is StopTask's answer for a task that does not exist.
	ErrTaskNotFound = errdefs.InvalidArgument("The referenced task was not found.")
)

// Errors of the service deployment operations.
var (
	// ErrNativeDeploymentInProgress refuses a new rollout of a service whose blue/green, linear
	// or canary deployment still runs: it must end (or be stopped) first.
	ErrNativeDeploymentInProgress = errdefs.InvalidArgument("The service has a deployment in progress. Wait for it to finish or stop it with StopServiceDeployment, then try again.")
	// ErrServiceDeploymentNotFound is the answer for a service deployment ARN that names none.
	ErrServiceDeploymentNotFound = errdefs.NotFound("The service deployment does not exist.")
	// ErrServiceDeploymentConflict refuses to stop or continue a service deployment that
	// ended, or is being rolled back already.
	ErrServiceDeploymentConflict = errdefs.Conflict("The service deployment is not in a state that allows this action.")
)
