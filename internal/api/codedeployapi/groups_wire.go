package codedeployapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
)

// groupSettings are the members CreateDeploymentGroup and UpdateDeploymentGroup share: what
// an ECS deployment group deploys and how.
type groupSettings struct {
	DeploymentConfigName             *string                               `json:"deploymentConfigName"`
	ServiceRoleArn                   *string                               `json:"serviceRoleArn"`
	AutoRollbackConfiguration        *wireAutoRollbackConfiguration        `json:"autoRollbackConfiguration"`
	AlarmConfiguration               *wireAlarmConfiguration               `json:"alarmConfiguration"`
	DeploymentStyle                  *wireDeploymentStyle                  `json:"deploymentStyle"`
	BlueGreenDeploymentConfiguration *wireBlueGreenDeploymentConfiguration `json:"blueGreenDeploymentConfiguration"`
	LoadBalancerInfo                 *wireLoadBalancerInfo                 `json:"loadBalancerInfo"`
	EcsServices                      []wireECSService                      `json:"ecsServices"`
}

type createDeploymentGroupInput struct {
	ApplicationName     *string   `json:"applicationName"`
	DeploymentGroupName *string   `json:"deploymentGroupName"`
	Tags                []wireTag `json:"tags"`
	groupSettings
}

type createDeploymentGroupOutput struct {
	DeploymentGroupID *string `json:"deploymentGroupId,omitempty"`
}

type updateDeploymentGroupInput struct {
	ApplicationName            *string `json:"applicationName"`
	CurrentDeploymentGroupName *string `json:"currentDeploymentGroupName"`
	NewDeploymentGroupName     *string `json:"newDeploymentGroupName"`
	groupSettings
}

// hooksOutput is the output of UpdateDeploymentGroup and DeleteDeploymentGroup: the Auto
// Scaling groups whose hooks were left behind, of which ECS groups have none.
type hooksOutput struct {
	HooksNotCleanedUp []wireAutoScalingGroup `json:"hooksNotCleanedUp"`
}

// wireAutoScalingGroup is the model's AutoScalingGroup; fargo never sends one.
type wireAutoScalingGroup struct {
	Name *string `json:"name,omitempty"`
	Hook *string `json:"hook,omitempty"`
}

type groupNameInput struct {
	ApplicationName     *string `json:"applicationName"`
	DeploymentGroupName *string `json:"deploymentGroupName"`
}

type getDeploymentGroupOutput struct {
	DeploymentGroupInfo *wireDeploymentGroupInfo `json:"deploymentGroupInfo,omitempty"`
}

type listDeploymentGroupsInput struct {
	ApplicationName *string `json:"applicationName"`
	NextToken       *string `json:"nextToken"`
}

type listDeploymentGroupsOutput struct {
	ApplicationName  *string  `json:"applicationName,omitempty"`
	DeploymentGroups []string `json:"deploymentGroups"`
	NextToken        *string  `json:"nextToken,omitempty"`
}

type batchGetDeploymentGroupsInput struct {
	ApplicationName      *string  `json:"applicationName"`
	DeploymentGroupNames []string `json:"deploymentGroupNames"`
}

type batchGetDeploymentGroupsOutput struct {
	DeploymentGroupsInfo []wireDeploymentGroupInfo `json:"deploymentGroupsInfo"`
	ErrorMessage         *string                   `json:"errorMessage,omitempty"`
}

// wireDeploymentGroupInfo is the model's DeploymentGroupInfo. blueGreenDeploymentConfiguration
// always carries both waits (see blueGreenToWire).
type wireDeploymentGroupInfo struct {
	ApplicationName                  *string                               `json:"applicationName,omitempty"`
	DeploymentGroupID                *string                               `json:"deploymentGroupId,omitempty"`
	DeploymentGroupName              *string                               `json:"deploymentGroupName,omitempty"`
	DeploymentConfigName             *string                               `json:"deploymentConfigName,omitempty"`
	ServiceRoleArn                   *string                               `json:"serviceRoleArn,omitempty"`
	AutoRollbackConfiguration        *wireAutoRollbackConfiguration        `json:"autoRollbackConfiguration,omitempty"`
	AlarmConfiguration               *wireAlarmConfiguration               `json:"alarmConfiguration,omitempty"`
	DeploymentStyle                  *wireDeploymentStyle                  `json:"deploymentStyle,omitempty"`
	BlueGreenDeploymentConfiguration *wireBlueGreenDeploymentConfiguration `json:"blueGreenDeploymentConfiguration,omitempty"`
	LoadBalancerInfo                 *wireLoadBalancerInfo                 `json:"loadBalancerInfo,omitempty"`
	LastSuccessfulDeployment         *wireLastDeploymentInfo               `json:"lastSuccessfulDeployment,omitempty"`
	LastAttemptedDeployment          *wireLastDeploymentInfo               `json:"lastAttemptedDeployment,omitempty"`
	ComputePlatform                  *string                               `json:"computePlatform,omitempty"`
	EcsServices                      []wireECSService                      `json:"ecsServices"`
	TerminationHookEnabled           bool                                  `json:"terminationHookEnabled"`
}

// wireLastDeploymentInfo is the model's LastDeploymentInfo.
type wireLastDeploymentInfo struct {
	DeploymentID *string       `json:"deploymentId,omitempty"`
	Status       *string       `json:"status,omitempty"`
	EndTime      *epochSeconds `json:"endTime,omitempty"`
	CreateTime   *epochSeconds `json:"createTime,omitempty"`
}

// apply overlays the settings given on g.
func (s groupSettings) apply(g codedeploy.DeploymentGroup) (codedeploy.DeploymentGroup, error) {
	if s.DeploymentConfigName != nil {
		g.DeploymentConfigName = *s.DeploymentConfigName
	}
	if s.ServiceRoleArn != nil {
		g.ServiceRoleARN = *s.ServiceRoleArn
	}
	if s.AutoRollbackConfiguration != nil {
		g.AutoRollback = rollbackFromWire(s.AutoRollbackConfiguration)
	}
	if s.AlarmConfiguration != nil {
		g.Alarms = alarmsFromWire(s.AlarmConfiguration)
	}
	if s.DeploymentStyle != nil {
		g.DeploymentType, g.DeploymentOption = awsproto.Deref(s.DeploymentStyle.DeploymentType), awsproto.Deref(s.DeploymentStyle.DeploymentOption)
	}
	g.BlueGreen = blueGreenFromWire(g.BlueGreen, s.BlueGreenDeploymentConfiguration)
	if s.LoadBalancerInfo != nil {
		pairs, err := pairsFromWire(s.LoadBalancerInfo)
		if err != nil {
			return g, err
		}
		g.TargetGroupPairs = pairs
	}
	if s.EcsServices != nil {
		g.ECSServices = servicesFromWire(s.EcsServices)
	}
	return g, nil
}

func groupToWire(g codedeploy.DeploymentGroup, last, lastOK *codedeploy.Deployment) wireDeploymentGroupInfo {
	return wireDeploymentGroupInfo{
		ApplicationName: ptr(g.ApplicationName), DeploymentGroupID: ptr(g.ID), DeploymentGroupName: ptr(g.Name),
		DeploymentConfigName: ptr(g.DeploymentConfigName), ServiceRoleArn: ptr(g.ServiceRoleARN),
		AutoRollbackConfiguration:        rollbackToWire(g.AutoRollback),
		AlarmConfiguration:               alarmsToWire(g.Alarms),
		DeploymentStyle:                  styleToWire(g.DeploymentType, g.DeploymentOption),
		BlueGreenDeploymentConfiguration: blueGreenToWire(g.BlueGreen),
		LoadBalancerInfo:                 pairsToWire(g.TargetGroupPairs),
		LastAttemptedDeployment:          lastDeploymentToWire(last),
		LastSuccessfulDeployment:         lastDeploymentToWire(lastOK),
		ComputePlatform:                  ptr(g.ComputePlatform),
		EcsServices:                      servicesToWire(g.ECSServices),
	}
}

func lastDeploymentToWire(d *codedeploy.Deployment) *wireLastDeploymentInfo {
	if d == nil {
		return nil
	}
	return &wireLastDeploymentInfo{
		DeploymentID: ptr(d.ID), Status: ptr(string(d.Status)),
		EndTime: awsproto.Epoch(d.CompleteTime), CreateTime: awsproto.Epoch(d.CreateTime),
	}
}

// wireAlarmConfiguration is the model's AlarmConfiguration.
type wireAlarmConfiguration struct {
	Enabled                bool        `json:"enabled"`
	IgnorePollAlarmFailure bool        `json:"ignorePollAlarmFailure"`
	Alarms                 []wireAlarm `json:"alarms,omitempty"`
}

// wireAlarm is the model's Alarm.
type wireAlarm struct {
	Name *string `json:"name,omitempty"`
}

func alarmsFromWire(in *wireAlarmConfiguration) codedeploy.AlarmConfiguration {
	out := codedeploy.AlarmConfiguration{Enabled: in.Enabled, IgnorePollAlarmFailure: in.IgnorePollAlarmFailure}
	for _, a := range in.Alarms {
		out.Alarms = append(out.Alarms, awsproto.Deref(a.Name))
	}
	return out
}

// alarmsToWire sends a group's alarm configuration, once it has one: as CodeDeploy answers,
// with every member.
func alarmsToWire(c codedeploy.AlarmConfiguration) *wireAlarmConfiguration {
	if !c.Enabled && !c.IgnorePollAlarmFailure && len(c.Alarms) == 0 {
		return nil
	}
	out := &wireAlarmConfiguration{Enabled: c.Enabled, IgnorePollAlarmFailure: c.IgnorePollAlarmFailure, Alarms: []wireAlarm{}}
	for _, a := range c.Alarms {
		out.Alarms = append(out.Alarms, wireAlarm{Name: ptr(a)})
	}
	return out
}
