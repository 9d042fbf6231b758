package ecsapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// errorCodes maps specific domain errors to ECS codes, first match wins; kinds come last.
var errorCodes = []struct {
	match error
	code  string
}{
	{ecs.ErrClusterNotFound, "ClusterNotFoundException"},
	{ecs.ErrClusterContainsServices, "ClusterContainsServicesException"},
	{ecs.ErrClusterContainsTasks, "ClusterContainsTasksException"},
	{ecs.ErrClusterContainsInstances, "ClusterContainsContainerInstancesException"},
	{ecs.ErrServiceNotFound, "ServiceNotFoundException"},
	{ecs.ErrServiceNotActive, "ServiceNotActiveException"},
	{ecs.ErrServiceDeploymentNotFound, "ServiceDeploymentNotFoundException"},
	{ecs.ErrServiceDeploymentConflict, "ConflictException"},
	{ecs.ErrTaskSetNotFound, "TaskSetNotFoundException"},
	{ecs.ErrServiceNotIdempotent, "InvalidParameterException"},
	{ecs.ErrServiceScaledUp, "InvalidParameterException"},
	{ecs.ErrPlatformUnknown, "PlatformUnknownException"},
	{ecs.ErrClientTokenInUse, "ConflictException"},
	{ecs.ErrTaskNotFound, "InvalidParameterException"},
	{errTaskDefinitionNotFound, "ClientException"},
	{errTaskDefinitionInactive, "ClientException"},
	{ecs.ErrResourceNotFound, "ResourceNotFoundException"},
	{errTargetNotFound, "TargetNotFoundException"},
	{errAttributeLimit, "AttributeLimitExceededException"},
	{errdefs.ErrInvalidArgument, "InvalidParameterException"},
	{errdefs.ErrNotFound, "ClientException"},
	{errdefs.ErrAlreadyExists, "InvalidParameterException"},
	{errdefs.ErrFailedPrecondition, "ClientException"},
	{errdefs.ErrLimitExceeded, "LimitExceededException"},
}

// clientExceptionOps are operations for which ECS reports bad input as ClientException rather
// than InvalidParameterException.
var clientExceptionOps = map[string]bool{
	"RegisterTaskDefinition":   true,
	"DescribeTaskDefinition":   true,
	"DeregisterTaskDefinition": true,
	"DeleteTaskDefinitions":    true,
}

func errorFor(op string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			code := c.code
			if code == "InvalidParameterException" && clientExceptionOps[op] {
				code = "ClientException"
			}
			return &awsproto.Error{Code: code, Message: msg}
		}
	}
	// Conflicts that outlived the store's retries and unavailable dependencies are transient:
	// a 500 ServerException makes every SDK retry.
	return &awsproto.Error{Code: "ServerException", Message: "Service encountered an internal error: " + msg, Status: http.StatusInternalServerError}
}
