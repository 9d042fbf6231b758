package codedeployapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
)

type createDeploymentInput struct {
	ApplicationName           *string                        `json:"applicationName"`
	DeploymentGroupName       *string                        `json:"deploymentGroupName"`
	Revision                  *wireRevisionLocation          `json:"revision"`
	DeploymentConfigName      *string                        `json:"deploymentConfigName"`
	Description               *string                        `json:"description"`
	AutoRollbackConfiguration *wireAutoRollbackConfiguration `json:"autoRollbackConfiguration"`
}

type createDeploymentOutput struct {
	DeploymentID *string `json:"deploymentId,omitempty"`
}

type deploymentIDInput struct {
	DeploymentID *string `json:"deploymentId"`
}

type getDeploymentOutput struct {
	DeploymentInfo *wireDeploymentInfo `json:"deploymentInfo,omitempty"`
}

type batchGetDeploymentsInput struct {
	DeploymentIDs []string `json:"deploymentIds"`
}

type batchGetDeploymentsOutput struct {
	DeploymentsInfo []wireDeploymentInfo `json:"deploymentsInfo"`
}

type listDeploymentsInput struct {
	ApplicationName     *string        `json:"applicationName"`
	DeploymentGroupName *string        `json:"deploymentGroupName"`
	IncludeOnlyStatuses []string       `json:"includeOnlyStatuses"`
	CreateTimeRange     *wireTimeRange `json:"createTimeRange"`
	NextToken           *string        `json:"nextToken"`
}

// wireTimeRange is the model's TimeRange.
type wireTimeRange struct {
	Start *epochSeconds `json:"start,omitempty"`
	End   *epochSeconds `json:"end,omitempty"`
}

type listDeploymentsOutput struct {
	Deployments []string `json:"deployments"`
	NextToken   *string  `json:"nextToken,omitempty"`
}

type stopDeploymentInput struct {
	DeploymentID        *string `json:"deploymentId"`
	AutoRollbackEnabled *bool   `json:"autoRollbackEnabled"`
}

type stopDeploymentOutput struct {
	Status        *string `json:"status,omitempty"`
	StatusMessage *string `json:"statusMessage,omitempty"`
}

type continueDeploymentInput struct {
	DeploymentID       *string `json:"deploymentId"`
	DeploymentWaitType *string `json:"deploymentWaitType"`
}

// wireDeploymentInfo is the model's DeploymentInfo, with the members an ECS deployment has.
type wireDeploymentInfo struct {
	ApplicationName                    *string                               `json:"applicationName,omitempty"`
	DeploymentGroupName                *string                               `json:"deploymentGroupName,omitempty"`
	DeploymentConfigName               *string                               `json:"deploymentConfigName,omitempty"`
	DeploymentID                       *string                               `json:"deploymentId,omitempty"`
	PreviousRevision                   *wireRevisionLocation                 `json:"previousRevision,omitempty"`
	Revision                           *wireRevisionLocation                 `json:"revision,omitempty"`
	Status                             *string                               `json:"status,omitempty"`
	ErrorInformation                   *wireErrorInformation                 `json:"errorInformation,omitempty"`
	CreateTime                         *epochSeconds                         `json:"createTime,omitempty"`
	StartTime                          *epochSeconds                         `json:"startTime,omitempty"`
	CompleteTime                       *epochSeconds                         `json:"completeTime,omitempty"`
	DeploymentOverview                 *wireDeploymentOverview               `json:"deploymentOverview,omitempty"`
	Description                        *string                               `json:"description,omitempty"`
	Creator                            *string                               `json:"creator,omitempty"`
	IgnoreApplicationStopFailures      bool                                  `json:"ignoreApplicationStopFailures"`
	AutoRollbackConfiguration          *wireAutoRollbackConfiguration        `json:"autoRollbackConfiguration,omitempty"`
	UpdateOutdatedInstancesOnly        bool                                  `json:"updateOutdatedInstancesOnly"`
	RollbackInfo                       *wireRollbackInfo                     `json:"rollbackInfo,omitempty"`
	DeploymentStyle                    *wireDeploymentStyle                  `json:"deploymentStyle,omitempty"`
	InstanceTerminationWaitTimeStarted bool                                  `json:"instanceTerminationWaitTimeStarted"`
	BlueGreenDeploymentConfiguration   *wireBlueGreenDeploymentConfiguration `json:"blueGreenDeploymentConfiguration,omitempty"`
	LoadBalancerInfo                   *wireLoadBalancerInfo                 `json:"loadBalancerInfo,omitempty"`
	DeploymentStatusMessages           []string                              `json:"deploymentStatusMessages"`
	ComputePlatform                    *string                               `json:"computePlatform,omitempty"`
}

// wireErrorInformation is the model's ErrorInformation.
type wireErrorInformation struct {
	Code    *string `json:"code,omitempty"`
	Message *string `json:"message,omitempty"`
}

// wireDeploymentOverview is the model's DeploymentOverview: counts of targets by status.
type wireDeploymentOverview struct {
	Pending    int64 `json:"Pending"`
	InProgress int64 `json:"InProgress"`
	Succeeded  int64 `json:"Succeeded"`
	Failed     int64 `json:"Failed"`
	Skipped    int64 `json:"Skipped"`
	Ready      int64 `json:"Ready"`
}

// wireRollbackInfo is the model's RollbackInfo: on a rolled back deployment, the rollback
// deployment and how it went; on a rollback deployment, the deployment it rolls back.
type wireRollbackInfo struct {
	RollbackDeploymentID           *string `json:"rollbackDeploymentId,omitempty"`
	RollbackTriggeringDeploymentID *string `json:"rollbackTriggeringDeploymentId,omitempty"`
	RollbackMessage                *string `json:"rollbackMessage,omitempty"`
}

// revisionFromWire reads the AppSpec given inline; a revision without a type but with
// appSpecContent is taken as AppSpecContent.
func revisionFromWire(in *wireRevisionLocation) codedeploy.Revision {
	r := codedeploy.Revision{Type: awsproto.Deref(in.RevisionType)}
	content := in.AppSpecContent
	if r.Type == codedeploy.RevisionString {
		content = in.String
	}
	if r.Type == "" && content != nil {
		r.Type = codedeploy.RevisionAppSpecContent
	}
	if content != nil {
		r.Content, r.SHA256 = awsproto.Deref(content.Content), awsproto.Deref(content.Sha256)
	}
	return r
}

func revisionToWire(r *codedeploy.Revision) *wireRevisionLocation {
	if r == nil {
		return nil
	}
	content := &wireAppSpecContent{Content: ptr(r.Content), Sha256: optional(r.SHA256)}
	out := &wireRevisionLocation{RevisionType: ptr(r.Type)}
	if r.Type == codedeploy.RevisionString {
		out.String = content
	} else {
		out.AppSpecContent = content
	}
	return out
}

func deploymentToWire(d codedeploy.Deployment) wireDeploymentInfo {
	w := wireDeploymentInfo{
		ApplicationName: ptr(d.ApplicationName), DeploymentGroupName: ptr(d.DeploymentGroupName),
		DeploymentConfigName: ptr(d.DeploymentConfigName), DeploymentID: ptr(d.ID),
		PreviousRevision: revisionToWire(d.PreviousRevision), Revision: revisionToWire(&d.Revision),
		Status:     ptr(string(d.Status)),
		CreateTime: awsproto.Epoch(d.CreateTime), StartTime: awsproto.Epoch(d.StartTime), CompleteTime: awsproto.Epoch(d.CompleteTime),
		DeploymentOverview: overviewToWire(d.TargetStatus()), Description: optional(d.Description), Creator: optional(d.Creator),
		AutoRollbackConfiguration:          rollbackToWire(d.AutoRollback),
		DeploymentStyle:                    styleToWire(codedeploy.StyleBlueGreen, codedeploy.OptionWithTraffic),
		InstanceTerminationWaitTimeStarted: d.Progress.TerminationWaitStarted,
		BlueGreenDeploymentConfiguration:   blueGreenToWire(d.BlueGreen),
		LoadBalancerInfo:                   pairsToWire([]codedeploy.TargetGroupPair{d.Pair}),
		DeploymentStatusMessages:           append([]string{}, d.StatusMessages...),
		ComputePlatform:                    ptr(codedeploy.PlatformECS),
	}
	if d.ErrorCode != "" || d.ErrorMessage != "" {
		w.ErrorInformation = &wireErrorInformation{Code: optional(d.ErrorCode), Message: optional(d.ErrorMessage)}
	}
	if d.RollbackMessage != "" || d.RollbackDeploymentID != "" || d.RollbackTriggeringDeploymentID != "" {
		w.RollbackInfo = &wireRollbackInfo{RollbackDeploymentID: optional(d.RollbackDeploymentID),
			RollbackTriggeringDeploymentID: optional(d.RollbackTriggeringDeploymentID), RollbackMessage: optional(d.RollbackMessage)}
	}
	return w
}

// overviewToWire counts the one ECS target under its status.
func overviewToWire(status string) *wireDeploymentOverview {
	o := &wireDeploymentOverview{}
	switch status {
	case codedeploy.TargetInProgress:
		o.InProgress = 1
	case codedeploy.TargetReady:
		o.Ready = 1
	case codedeploy.TargetSucceeded:
		o.Succeeded = 1
	case codedeploy.TargetFailed:
		o.Failed = 1
	default:
		o.Pending = 1
	}
	return o
}
