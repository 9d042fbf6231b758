package codedeploy

import "github.com/fargohq/fargo/internal/errdefs"

// Errors for requests that lack a member or give a bad value. Each has its own CodeDeploy code,
// so each is a sentinel; errdefs.Detail adds the detail a user needs to fix the request.
var (
	ErrApplicationNameRequired      = errdefs.InvalidArgument("The minimum number of required application names was not specified.")
	ErrInvalidApplicationName       = errdefs.InvalidArgument("The application name was specified in an invalid format.")
	ErrDeploymentGroupNameRequired  = errdefs.InvalidArgument("The deployment group name was not specified.")
	ErrInvalidDeploymentGroupName   = errdefs.InvalidArgument("The deployment group name was specified in an invalid format.")
	ErrDeploymentConfigNameRequired = errdefs.InvalidArgument("The deployment configuration name was not specified.")
	ErrInvalidDeploymentConfigName  = errdefs.InvalidArgument("The deployment configuration name was specified in an invalid format.")
	ErrDeploymentIDRequired         = errdefs.InvalidArgument("At least one deployment ID must be specified.")
	ErrInvalidDeploymentID          = errdefs.InvalidArgument("At least one of the deployment IDs was specified in an invalid format.")
	ErrRevisionRequired             = errdefs.InvalidArgument("The revision ID was not specified.")
	ErrInvalidRevision              = errdefs.InvalidArgument("The revision was specified in an invalid format.")
	ErrRoleRequired                 = errdefs.InvalidArgument("The role ID was not specified.")
	ErrInvalidComputePlatform       = errdefs.InvalidArgument("The computePlatform is invalid. fargo deploys ECS services only: use ECS.")
	ErrInvalidDeploymentStyle       = errdefs.InvalidArgument("An ECS deployment group needs deploymentStyle BLUE_GREEN with WITH_TRAFFIC_CONTROL.")
	ErrInvalidLoadBalancerInfo      = errdefs.InvalidArgument("An ECS deployment group needs loadBalancerInfo with exactly one targetGroupPairInfoList entry.")
	ErrInvalidTargetGroupPair       = errdefs.InvalidArgument("A target group pair needs two target groups, one production listener and at most one test listener.")
	ErrInvalidECSService            = errdefs.InvalidArgument("An ECS deployment group needs exactly one ecsServices entry with serviceName and clusterName.")
	ErrInvalidBlueGreenConfig       = errdefs.InvalidArgument("The blueGreenDeploymentConfiguration is invalid.")
	ErrInvalidAutoRollbackConfig    = errdefs.InvalidArgument("The automatic rollback configuration is invalid.")
	ErrInvalidTrafficRouting        = errdefs.InvalidArgument("The trafficRoutingConfig is invalid.")
	ErrInvalidMinimumHealthyHosts   = errdefs.InvalidArgument("minimumHealthyHosts applies to the Server compute platform; ECS configurations take trafficRoutingConfig.")
	ErrInvalidDeploymentWaitType    = errdefs.InvalidArgument("The wait type is invalid: use READY_WAIT or TERMINATION_WAIT.")
	ErrInvalidDeploymentStatus      = errdefs.InvalidArgument("The specified deployment status doesn't exist or cannot be determined.")
	ErrInvalidTimeRange             = errdefs.InvalidArgument("The specified time range was specified in an invalid format: start must not be after end.")
	ErrDescriptionTooLong           = errdefs.InvalidArgument("The description is too long: at most 512 characters.")
	ErrDeploymentTargetIDRequired   = errdefs.InvalidArgument("A deployment target ID was not provided.")
	ErrDeploymentTargetNotFound     = errdefs.NotFound("The provided target ID does not belong to the attempted deployment.")
	ErrDeploymentConfigInUse        = errdefs.FailedPrecondition("The deployment configuration is still in use by a deployment group.")
	ErrPredefinedConfig             = errdefs.FailedPrecondition("A predefined deployment configuration (CodeDeployDefault.*) cannot be deleted.")
)
