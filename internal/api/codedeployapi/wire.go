package codedeployapi

// Wire shapes shared by several CodeDeploy operations. Wire types are named after the model's
// shape with a "wire" prefix (wireTag for Tag); they carry JSON names exactly as the botocore
// model, pointer-optional strings, plain numbers and booleans where the model gives them a
// default (as the SDKs do), and never leave this package.

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
)

type epochSeconds = awsproto.EpochSeconds

// emptyOutput is the output of operations without output members: {}.
type emptyOutput struct{}

// wireTag is the model's Tag; CodeDeploy capitalises its members.
type wireTag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// wireAutoRollbackConfiguration is the model's AutoRollbackConfiguration.
type wireAutoRollbackConfiguration struct {
	Enabled bool     `json:"enabled"`
	Events  []string `json:"events,omitempty"`
}

// wireDeploymentStyle is the model's DeploymentStyle.
type wireDeploymentStyle struct {
	DeploymentType   *string `json:"deploymentType,omitempty"`
	DeploymentOption *string `json:"deploymentOption,omitempty"`
}

// wireBlueGreenDeploymentConfiguration is the model's BlueGreenDeploymentConfiguration.
type wireBlueGreenDeploymentConfiguration struct {
	TerminateBlueInstancesOnDeploymentSuccess *wireBlueInstanceTerminationOption `json:"terminateBlueInstancesOnDeploymentSuccess,omitempty"`
	DeploymentReadyOption                     *wireDeploymentReadyOption         `json:"deploymentReadyOption,omitempty"`
}

// wireBlueInstanceTerminationOption is the model's BlueInstanceTerminationOption. The wait is
// always sent: aws-actions/amazon-ecs-deploy-task-definition adds it to its timeout.
type wireBlueInstanceTerminationOption struct {
	Action                       *string `json:"action,omitempty"`
	TerminationWaitTimeInMinutes int32   `json:"terminationWaitTimeInMinutes"`
}

// wireDeploymentReadyOption is the model's DeploymentReadyOption; the wait is always sent.
type wireDeploymentReadyOption struct {
	ActionOnTimeout   *string `json:"actionOnTimeout,omitempty"`
	WaitTimeInMinutes int32   `json:"waitTimeInMinutes"`
}

// wireLoadBalancerInfo is the model's LoadBalancerInfo. ECS groups use only the pair list;
// the other two lists are read to refuse them.
type wireLoadBalancerInfo struct {
	ElbInfoList             []wireELBInfo             `json:"elbInfoList,omitempty"`
	TargetGroupInfoList     []wireTargetGroupInfo     `json:"targetGroupInfoList,omitempty"`
	TargetGroupPairInfoList []wireTargetGroupPairInfo `json:"targetGroupPairInfoList,omitempty"`
}

// wireELBInfo is the model's ELBInfo (Classic Load Balancers, Server platform).
type wireELBInfo struct {
	Name *string `json:"name,omitempty"`
}

// wireTargetGroupPairInfo is the model's TargetGroupPairInfo.
type wireTargetGroupPairInfo struct {
	TargetGroups     []wireTargetGroupInfo `json:"targetGroups,omitempty"`
	ProdTrafficRoute *wireTrafficRoute     `json:"prodTrafficRoute,omitempty"`
	TestTrafficRoute *wireTrafficRoute     `json:"testTrafficRoute,omitempty"`
}

// wireTargetGroupInfo is the model's TargetGroupInfo.
type wireTargetGroupInfo struct {
	Name *string `json:"name,omitempty"`
}

// wireTrafficRoute is the model's TrafficRoute.
type wireTrafficRoute struct {
	ListenerArns []string `json:"listenerArns,omitempty"`
}

// wireECSService is the model's ECSService.
type wireECSService struct {
	ServiceName *string `json:"serviceName,omitempty"`
	ClusterName *string `json:"clusterName,omitempty"`
}

// wireRevisionLocation is the model's RevisionLocation. fargo takes the AppSpec inline
// (AppSpecContent, or the older String); S3 and GitHub revisions are refused by type.
type wireRevisionLocation struct {
	RevisionType   *string             `json:"revisionType,omitempty"`
	String         *wireAppSpecContent `json:"string,omitempty"`
	AppSpecContent *wireAppSpecContent `json:"appSpecContent,omitempty"`
}

// wireAppSpecContent is the model's AppSpecContent, and its RawString, which has the same
// members.
type wireAppSpecContent struct {
	Content *string `json:"content,omitempty"`
	Sha256  *string `json:"sha256,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// optional returns a pointer to s, or nil for "", for members CodeDeploy leaves out when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func tagsFromWire(in []wireTag) []codedeploy.Tag {
	var out []codedeploy.Tag
	for _, t := range in {
		out = append(out, codedeploy.Tag{Key: awsproto.Deref(t.Key), Value: awsproto.Deref(t.Value)})
	}
	return out
}

func rollbackFromWire(in *wireAutoRollbackConfiguration) codedeploy.AutoRollback {
	if in == nil {
		return codedeploy.AutoRollback{}
	}
	return codedeploy.AutoRollback{Enabled: in.Enabled, Events: in.Events}
}

func rollbackToWire(r codedeploy.AutoRollback) *wireAutoRollbackConfiguration {
	return &wireAutoRollbackConfiguration{Enabled: r.Enabled, Events: r.Events}
}

func styleToWire(typ, option string) *wireDeploymentStyle {
	return &wireDeploymentStyle{DeploymentType: optional(typ), DeploymentOption: optional(option)}
}

// blueGreenToWire always sends both options with their waits, 0 when unset.
func blueGreenToWire(b codedeploy.BlueGreenConfiguration) *wireBlueGreenDeploymentConfiguration {
	return &wireBlueGreenDeploymentConfiguration{
		TerminateBlueInstancesOnDeploymentSuccess: &wireBlueInstanceTerminationOption{
			Action: optional(b.TerminationAction), TerminationWaitTimeInMinutes: int32(b.TerminationWaitMinutes),
		},
		DeploymentReadyOption: &wireDeploymentReadyOption{
			ActionOnTimeout: optional(b.ReadyActionOnTimeout), WaitTimeInMinutes: int32(b.ReadyWaitMinutes),
		},
	}
}

// blueGreenFromWire overlays the options given in in on b.
func blueGreenFromWire(b codedeploy.BlueGreenConfiguration, in *wireBlueGreenDeploymentConfiguration) codedeploy.BlueGreenConfiguration {
	if in == nil {
		return b
	}
	if t := in.TerminateBlueInstancesOnDeploymentSuccess; t != nil {
		b.TerminationAction, b.TerminationWaitMinutes = awsproto.Deref(t.Action), int(t.TerminationWaitTimeInMinutes)
	}
	if r := in.DeploymentReadyOption; r != nil {
		b.ReadyActionOnTimeout, b.ReadyWaitMinutes = awsproto.Deref(r.ActionOnTimeout), int(r.WaitTimeInMinutes)
	}
	return b
}

// pairsFromWire reads the target group pairs. A classic load balancer or a plain target group
// list belongs to the Server platform and is refused.
func pairsFromWire(in *wireLoadBalancerInfo) ([]codedeploy.TargetGroupPair, error) {
	if in == nil {
		return nil, nil
	}
	if len(in.ElbInfoList) > 0 || len(in.TargetGroupInfoList) > 0 {
		return nil, errdefs.Detail(codedeploy.ErrInvalidLoadBalancerInfo, "ECS deployment groups take targetGroupPairInfoList, not elbInfoList or targetGroupInfoList.")
	}
	out := []codedeploy.TargetGroupPair{}
	for _, p := range in.TargetGroupPairInfoList {
		pair := codedeploy.TargetGroupPair{}
		for _, tg := range p.TargetGroups {
			pair.TargetGroups = append(pair.TargetGroups, awsproto.Deref(tg.Name))
		}
		if p.ProdTrafficRoute != nil {
			pair.ProdListenerARNs = p.ProdTrafficRoute.ListenerArns
		}
		if p.TestTrafficRoute != nil {
			pair.TestListenerARNs = p.TestTrafficRoute.ListenerArns
		}
		out = append(out, pair)
	}
	return out, nil
}

func pairsToWire(pairs []codedeploy.TargetGroupPair) *wireLoadBalancerInfo {
	out := &wireLoadBalancerInfo{TargetGroupPairInfoList: []wireTargetGroupPairInfo{}}
	for _, p := range pairs {
		w := wireTargetGroupPairInfo{ProdTrafficRoute: &wireTrafficRoute{ListenerArns: p.ProdListenerARNs}}
		for _, name := range p.TargetGroups {
			w.TargetGroups = append(w.TargetGroups, wireTargetGroupInfo{Name: ptr(name)})
		}
		if len(p.TestListenerARNs) > 0 {
			w.TestTrafficRoute = &wireTrafficRoute{ListenerArns: p.TestListenerARNs}
		}
		out.TargetGroupPairInfoList = append(out.TargetGroupPairInfoList, w)
	}
	return out
}

func servicesFromWire(in []wireECSService) []codedeploy.ECSService {
	var out []codedeploy.ECSService
	for _, s := range in {
		out = append(out, codedeploy.ECSService{ServiceName: awsproto.Deref(s.ServiceName), ClusterName: awsproto.Deref(s.ClusterName)})
	}
	return out
}

func servicesToWire(in []codedeploy.ECSService) []wireECSService {
	out := []wireECSService{}
	for _, s := range in {
		out = append(out, wireECSService{ServiceName: ptr(s.ServiceName), ClusterName: ptr(s.ClusterName)})
	}
	return out
}
