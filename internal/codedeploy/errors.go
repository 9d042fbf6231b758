package codedeploy

import "github.com/fargohq/fargo/internal/errdefs"

// Errors of CodeDeploy operations, in CodeDeploy's words. The API maps each to its code.
var (
	ErrApplicationNotFound      = errdefs.NotFound("The application does not exist with the user or AWS account.")
	ErrApplicationExists        = errdefs.AlreadyExists("An application with the specified name is already associated with the user or AWS account.")
	ErrDeploymentGroupNotFound  = errdefs.NotFound("The named deployment group with the specified application does not exist.")
	ErrDeploymentGroupExists    = errdefs.AlreadyExists("A deployment group with the specified name is already associated with the application.")
	ErrDeploymentConfigNotFound = errdefs.NotFound("The deployment configuration does not exist with the user or AWS account.")
	ErrDeploymentConfigExists   = errdefs.AlreadyExists("A deployment configuration with the specified name already exists with the user or AWS account.")
	ErrDeploymentNotFound       = errdefs.NotFound("The deployment with the user or AWS account does not exist.")
	ErrDeploymentCompleted      = errdefs.FailedPrecondition("The deployment is already complete.")
	ErrDeploymentNotReady       = errdefs.FailedPrecondition("The deployment does not have a status of Ready and can't continue yet.")
	ErrDeploymentLimit          = errdefs.LimitExceeded("A deployment is already in progress for the deployment group.")
	ErrRevisionNotFound         = errdefs.NotFound("The named revision does not exist with the user or AWS account.")
)
