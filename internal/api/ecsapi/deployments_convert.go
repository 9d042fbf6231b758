package ecsapi

import (
	"github.com/fargohq/fargo/internal/ecs"
)

func serviceDeploymentBriefToWire(sd ecs.ServiceDeployment) wireServiceDeploymentBrief {
	return wireServiceDeploymentBrief{
		ServiceDeploymentArn: ptr(sd.ARN), ServiceArn: ptr(sd.ServiceARN), ClusterArn: ptr(sd.ClusterARN),
		StartedAt: epochPtr(sd.StartedAt), CreatedAt: epochPtr(sd.CreatedAt), FinishedAt: epochPtr(sd.FinishedAt),
		TargetServiceRevisionArn: ptr(sd.Target.ARN), Status: ptr(string(sd.Status)), StatusReason: optional(sd.StatusReason),
	}
}

func serviceDeploymentToWire(sd ecs.ServiceDeployment) wireServiceDeployment {
	out := wireServiceDeployment{
		ServiceDeploymentArn: ptr(sd.ARN), ServiceArn: ptr(sd.ServiceARN), ClusterArn: ptr(sd.ClusterARN),
		CreatedAt: epochPtr(sd.CreatedAt), StartedAt: epochPtr(sd.StartedAt), FinishedAt: epochPtr(sd.FinishedAt),
		StoppedAt: epochPtr(sd.StoppedAt), UpdatedAt: epochPtr(sd.UpdatedAt),
		SourceServiceRevisions:   alwaysListToWire(sd.Sources, revisionSummaryToWire),
		TargetServiceRevision:    ptr(revisionSummaryToWire(sd.Target)),
		Status:                   ptr(string(sd.Status)),
		StatusReason:             optional(sd.StatusReason),
		LifecycleStage:           optional(sd.LifecycleStage),
		LifecycleHookDetails:     listFromWire(sd.Hooks, hookDetailToWire),
		DeploymentConfiguration:  deploymentConfigurationToWire(sd.DeploymentConfiguration, ecs.ControllerECS),
		DeploymentCircuitBreaker: monitorToWire(sd.CircuitBreaker, true),
		Alarms:                   monitorToWire(sd.Alarms, false),
	}
	if r := sd.Rollback; r != (ecs.DeploymentRollback{}) {
		out.Rollback = &wireDeploymentRollback{Reason: optional(r.Reason), StartedAt: epochPtr(r.StartedAt), ServiceRevisionArn: optional(r.ServiceRevisionARN)}
	}
	return out
}

func revisionSummaryToWire(r ecs.RevisionSummary) wireRevisionSummary {
	return wireRevisionSummary{
		Arn: optional(r.ARN), RequestedTaskCount: int32(r.RequestedTaskCount), RunningTaskCount: int32(r.RunningTaskCount),
		PendingTaskCount: int32(r.PendingTaskCount), RequestedTestTrafficWeight: r.TestTrafficWeight,
		RequestedProductionTrafficWeight: r.ProductionTrafficWeight,
	}
}

func hookDetailToWire(h ecs.HookDetail) wireHookDetail {
	return wireHookDetail{
		HookID: ptr(h.HookID), TargetType: optional(h.TargetType), TargetArn: optional(h.TargetARN), Status: optional(h.Status),
		ExpiresAt: epochPtr(h.ExpiresAt), TimeoutAction: optional(h.TimeoutAction),
	}
}

// monitorToWire sends a rollback monitor; the breaker with its counts, alarms with names.
func monitorToWire(m ecs.RollbackMonitor, counts bool) *wireRollbackMonitor {
	status := m.Status
	if status == "" {
		status = ecs.MonitorDisabled
	}
	out := &wireRollbackMonitor{Status: ptr(status)}
	if counts {
		out.FailureCount, out.Threshold = ptr(int32(m.FailureCount)), ptr(int32(m.Threshold))
		return out
	}
	out.AlarmNames, out.TriggeredAlarmNames = m.AlarmNames, m.Triggered
	return out
}

func serviceRevisionToWire(r ecs.ServiceRevision) wireServiceRevision {
	out := wireServiceRevision{
		ServiceRevisionArn: ptr(r.ARN), ServiceArn: ptr(r.ServiceARN), ClusterArn: ptr(r.ClusterARN),
		TaskDefinition: optional(r.TaskDefinitionARN), LaunchType: optional(r.LaunchType), PlatformVersion: optional(r.PlatformVersion),
		LoadBalancers: alwaysListToWire(r.LoadBalancers, loadBalancerToWire), ServiceRegistries: []wireServiceRegistry{},
		NetworkConfiguration: networkConfigurationToWire(r.NetworkConfiguration), CreatedAt: epochPtr(r.CreatedAt),
	}
	if r.PlatformVersion != "" {
		out.PlatformFamily = ptr(ecs.PlatformFamilyLinux)
	}
	if len(r.CapacityProviderStrategy) > 0 {
		out.CapacityProviderStrategy, out.LaunchType = strategyToWire(r.CapacityProviderStrategy), nil
	}
	return out
}
