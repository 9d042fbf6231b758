package codedeployapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Errors only the API edge knows of.
var (
	errInvalidNextToken  = errdefs.InvalidArgument("The next token was specified in an invalid format.")
	errBatchLimit        = errdefs.LimitExceeded("The maximum number of names or IDs allowed for this request (100) was exceeded.")
	errTargetListTooLong = errdefs.LimitExceeded("The maximum number of targets that can be associated with an Amazon ECS deployment was exceeded: it has one.")
)

// errorCodes maps domain errors to CodeDeploy codes, first match wins; kinds come last.
var errorCodes = []struct {
	match error
	code  string
}{
	{codedeploy.ErrApplicationNotFound, "ApplicationDoesNotExistException"},
	{codedeploy.ErrApplicationExists, "ApplicationAlreadyExistsException"},
	{codedeploy.ErrDeploymentGroupNotFound, "DeploymentGroupDoesNotExistException"},
	{codedeploy.ErrDeploymentGroupExists, "DeploymentGroupAlreadyExistsException"},
	{codedeploy.ErrDeploymentConfigNotFound, "DeploymentConfigDoesNotExistException"},
	{codedeploy.ErrDeploymentConfigExists, "DeploymentConfigAlreadyExistsException"},
	{codedeploy.ErrDeploymentNotFound, "DeploymentDoesNotExistException"},
	{codedeploy.ErrDeploymentCompleted, "DeploymentAlreadyCompletedException"},
	{codedeploy.ErrDeploymentNotReady, "DeploymentIsNotInReadyStateException"},
	{codedeploy.ErrDeploymentLimit, "DeploymentLimitExceededException"},
	{codedeploy.ErrRevisionNotFound, "RevisionDoesNotExistException"},
	{codedeploy.ErrApplicationNameRequired, "ApplicationNameRequiredException"},
	{codedeploy.ErrInvalidApplicationName, "InvalidApplicationNameException"},
	{codedeploy.ErrDeploymentGroupNameRequired, "DeploymentGroupNameRequiredException"},
	{codedeploy.ErrInvalidDeploymentGroupName, "InvalidDeploymentGroupNameException"},
	{codedeploy.ErrDeploymentConfigNameRequired, "DeploymentConfigNameRequiredException"},
	{codedeploy.ErrInvalidDeploymentConfigName, "InvalidDeploymentConfigNameException"},
	{codedeploy.ErrDeploymentIDRequired, "DeploymentIdRequiredException"},
	{codedeploy.ErrInvalidDeploymentID, "InvalidDeploymentIdException"},
	{codedeploy.ErrRevisionRequired, "RevisionRequiredException"},
	{codedeploy.ErrInvalidRevision, "InvalidRevisionException"},
	{codedeploy.ErrRoleRequired, "RoleRequiredException"},
	{codedeploy.ErrInvalidComputePlatform, "InvalidComputePlatformException"},
	{codedeploy.ErrInvalidDeploymentStyle, "InvalidDeploymentStyleException"},
	{codedeploy.ErrInvalidLoadBalancerInfo, "InvalidLoadBalancerInfoException"},
	{codedeploy.ErrInvalidTargetGroupPair, "InvalidTargetGroupPairException"},
	{codedeploy.ErrInvalidECSService, "InvalidECSServiceException"},
	{codedeploy.ErrInvalidBlueGreenConfig, "InvalidBlueGreenDeploymentConfigurationException"},
	{codedeploy.ErrInvalidAutoRollbackConfig, "InvalidAutoRollbackConfigException"},
	{codedeploy.ErrInvalidAlarmConfig, "InvalidAlarmConfigException"},
	{codedeploy.ErrAlarmsLimitExceeded, "AlarmsLimitExceededException"},
	{codedeploy.ErrInvalidTrafficRouting, "InvalidTrafficRoutingConfigurationException"},
	{codedeploy.ErrInvalidMinimumHealthyHosts, "InvalidMinimumHealthyHostValueException"},
	{codedeploy.ErrInvalidDeploymentWaitType, "InvalidDeploymentWaitTypeException"},
	{codedeploy.ErrInvalidDeploymentStatus, "InvalidDeploymentStatusException"},
	{codedeploy.ErrInvalidTimeRange, "InvalidTimeRangeException"},
	{codedeploy.ErrDescriptionTooLong, "DescriptionTooLongException"},
	{codedeploy.ErrInvalidSortBy, "InvalidSortByException"},
	{codedeploy.ErrInvalidSortOrder, "InvalidSortOrderException"},
	{codedeploy.ErrInvalidDeployedStateFilter, "InvalidDeployedStateFilterException"},
	{codedeploy.ErrBucketNameFilterRequired, "BucketNameFilterRequiredException"},
	{codedeploy.ErrInvalidBucketNameFilter, "InvalidBucketNameFilterException"},
	{codedeploy.ErrDeploymentTargetIDRequired, "DeploymentTargetIdRequiredException"},
	{codedeploy.ErrDeploymentTargetNotFound, "DeploymentTargetDoesNotExistException"},
	{codedeploy.ErrDeploymentConfigInUse, "DeploymentConfigInUseException"},
	{codedeploy.ErrPredefinedConfig, "InvalidOperationException"},
	{codedeploy.ErrInvalidHookStatus, "InvalidLifecycleEventHookExecutionStatusException"},
	{codedeploy.ErrInvalidHookExecutionID, "InvalidLifecycleEventHookExecutionIdException"},
	{codedeploy.ErrLifecycleEventCompleted, "LifecycleEventAlreadyCompletedException"},
	{errInvalidNextToken, "InvalidNextTokenException"},
	{errBatchLimit, "BatchLimitExceededException"},
	{errTargetListTooLong, "DeploymentTargetListSizeExceededException"},
	{errdefs.ErrInvalidArgument, "InvalidInputException"},
	{errdefs.ErrNotFound, "InvalidInputException"},
	{errdefs.ErrAlreadyExists, "InvalidInputException"},
	{errdefs.ErrFailedPrecondition, "InvalidInputException"},
	{errdefs.ErrLimitExceeded, "InvalidInputException"},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg}
		}
	}
	// Conflicts that outlived the store's retries and unavailable dependencies are transient:
	// a 500 makes every SDK retry.
	return &awsproto.Error{Code: "InternalFailure", Message: "CodeDeploy encountered an internal error: " + msg, Status: http.StatusInternalServerError}
}
