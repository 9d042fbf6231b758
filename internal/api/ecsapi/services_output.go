package ecsapi

import (
	"cmp"

	"github.com/fargohq/fargo/internal/ecs"
)

// serviceCounts are a service's task counts, derived from its tasks: in total and by
// deployment id, which is the task set id for the tasks of a task set.
type serviceCounts struct {
	total        ecs.TaskCounts
	byDeployment map[string]ecs.TaskCounts
}

// countServiceTasks derives the counts of service name from the tasks of its cluster. Tasks of
// a deleted service of the same name are all stopping or stopped, so they count for nothing.
func countServiceTasks(name string, tasks []ecs.Task) serviceCounts {
	c := serviceCounts{byDeployment: map[string]ecs.TaskCounts{}}
	for _, t := range tasks {
		if t.ServiceName != name {
			continue
		}
		c.total = c.total.Add(t)
		if t.DeploymentID != "" {
			c.byDeployment[t.DeploymentID] = c.byDeployment[t.DeploymentID].Add(t)
		}
	}
	return c
}

func serviceToWire(s ecs.Service, counts serviceCounts, withTags bool) wireService {
	out := wireService{
		ServiceArn:                    ptr(s.ARN),
		ServiceName:                   ptr(s.Name),
		ClusterArn:                    ptr(s.ClusterARN),
		LoadBalancers:                 alwaysListToWire(s.LoadBalancers, loadBalancerToWire),
		ServiceRegistries:             []wireServiceRegistry{},
		Status:                        ptr(string(s.Status)),
		DesiredCount:                  int32(s.DesiredCount),
		RunningCount:                  int32(counts.total.Running),
		PendingCount:                  int32(counts.total.Pending),
		LaunchType:                    optional(s.LaunchType),
		PlatformVersion:               optional(s.PlatformVersion),
		TaskDefinition:                optional(s.TaskDefinitionARN),
		DeploymentConfiguration:       deploymentConfigurationToWire(s.DeploymentConfiguration, s.DeploymentController),
		Deployments:                   make([]wireDeployment, len(s.Deployments)),
		Events:                        alwaysListToWire(s.Events[:min(len(s.Events), ecs.MaxServiceEvents)], serviceEventToWire),
		CreatedAt:                     epochPtr(s.CreatedAt),
		PlacementConstraints:          alwaysListToWire(s.PlacementConstraints, placementConstraintToWire),
		PlacementStrategy:             alwaysListToWire(s.PlacementStrategy, placementStrategyToWire),
		NetworkConfiguration:          networkConfigurationToWire(s.NetworkConfiguration),
		HealthCheckGracePeriodSeconds: ptr(int32(s.HealthCheckGracePeriodSeconds)),
		SchedulingStrategy:            optional(s.SchedulingStrategy),
		DeploymentController:          &wireDeploymentController{Type: ptr(cmp.Or(s.DeploymentController, ecs.ControllerECS))},
		CreatedBy:                     optional(s.CreatedBy),
		EnableECSManagedTags:          s.EnableECSManagedTags,
		PropagateTags:                 ptr(cmp.Or(s.PropagateTags, ecs.PropagateNone)),
		EnableExecuteCommand:          s.EnableExecuteCommand,
		AvailabilityZoneRebalancing:   optional(s.AvailabilityZoneRebalancing),
		RoleArn:                       optional(s.RoleARN),
		ResourceManagementType:        ptr(resourceManagementCustomer),
	}
	if s.PlatformVersion != "" {
		out.PlatformFamily = ptr(ecs.PlatformFamilyLinux)
	}
	if len(s.CapacityProviderStrategy) > 0 {
		// ECS reports a service's strategy in place of a launch type.
		out.CapacityProviderStrategy, out.LaunchType = strategyToWire(s.CapacityProviderStrategy), nil
	}
	for i, d := range s.Deployments {
		out.Deployments[i] = deploymentToWire(d, counts.byDeployment[d.ID])
	}
	if id, ok := s.CurrentServiceDeploymentID(); ok {
		scope := s.Scope()
		out.CurrentServiceDeployment = ptr(ecs.ServiceDeploymentARN(scope, s.ClusterName, s.Name, id))
		for _, d := range s.Deployments {
			c := counts.byDeployment[d.ID]
			out.CurrentServiceRevisions = append(out.CurrentServiceRevisions, wireCurrentRevisionSummary{
				Arn: ptr(ecs.ServiceRevisionARN(scope, s.ClusterName, s.Name, d.ID)), RequestedTaskCount: int32(d.DesiredCount),
				RunningTaskCount: int32(c.Running), PendingTaskCount: int32(c.Pending)})
		}
	}
	if withTags {
		out.Tags = ptr(tagsToWire(s.Tags))
	}
	if s.RunsTaskSets() {
		// Without their tags: DescribeServices never sends the tags of task sets.
		out.TaskSets = ptr(taskSetsToWire(s, counts, false))
	}
	if e := s.ListenerErrors; e.Total() > 0 {
		out.FargoListenerErrors = &wireListenerErrors{NoTarget: e.NoTarget, BadGateway: e.BadGateway, GatewayTimeout: e.GatewayTimeout}
	}
	return out
}

func deploymentToWire(d ecs.Deployment, counts ecs.TaskCounts) wireDeployment {
	out := wireDeployment{
		ID:                   ptr(d.ID),
		Status:               ptr(string(d.Status)),
		TaskDefinition:       optional(d.TaskDefinitionARN),
		DesiredCount:         int32(d.DesiredCount),
		PendingCount:         int32(counts.Pending),
		RunningCount:         int32(counts.Running),
		FailedTasks:          int32(d.FailedTasks),
		CreatedAt:            epochPtr(d.CreatedAt),
		UpdatedAt:            epochPtr(d.UpdatedAt),
		LaunchType:           optional(d.LaunchType),
		PlatformVersion:      optional(d.PlatformVersion),
		NetworkConfiguration: networkConfigurationToWire(d.NetworkConfiguration),
		RolloutState:         optional(string(d.RolloutState)),
		RolloutStateReason:   optional(d.RolloutStateReason),
	}
	if d.PlatformVersion != "" {
		out.PlatformFamily = ptr(ecs.PlatformFamilyLinux)
	}
	if len(d.CapacityProviderStrategy) > 0 {
		out.CapacityProviderStrategy, out.LaunchType = strategyToWire(d.CapacityProviderStrategy), nil
	}
	return out
}

// resourceManagementCustomer is the resourceManagementType of every service a client manages,
// which is every service fargo has (no Express services).
const resourceManagementCustomer = "CUSTOMER"

// deploymentConfigurationToWire sends a service's deployment configuration as ECS does
// (docs/wire-defaults.md): for the ECS controller the circuit breaker (off unless set), the
// strategy with its bake time (ROLLING and 0 unless set), and alarms only when a request set
// them.
func deploymentConfigurationToWire(c ecs.DeploymentConfiguration, controller string) *wireDeploymentConfiguration {
	out := &wireDeploymentConfiguration{
		MaximumPercent:        ptr(int32(c.MaximumPercent)),
		MinimumHealthyPercent: ptr(int32(c.MinimumHealthyPercent)),
		Strategy:              optional(c.Strategy),
	}
	if controller == ecs.ControllerECS || controller == "" {
		out.DeploymentCircuitBreaker = &wireDeploymentCircuitBreaker{Enable: c.CircuitBreakerEnable, Rollback: c.CircuitBreakerRollback}
	}
	if c.AlarmsGiven || len(c.AlarmNames) > 0 || c.AlarmsEnable || c.AlarmRollback {
		out.Alarms = &wireDeploymentAlarms{AlarmNames: append([]string{}, c.AlarmNames...), Enable: c.AlarmsEnable, Rollback: c.AlarmRollback}
	}
	if c.Strategy != "" {
		out.BakeTimeInMinutes = ptr(int32(c.BakeTimeInMinutes))
	}
	if c.Strategy == ecs.StrategyLinear {
		out.LinearConfiguration = &wireLinearConfiguration{StepPercent: ptr(c.Linear.StepPercent), StepBakeTimeInMinutes: ptr(int32(c.Linear.StepBakeTimeInMinutes))}
	}
	if c.Strategy == ecs.StrategyCanary {
		out.CanaryConfiguration = &wireCanaryConfiguration{CanaryPercent: ptr(c.Canary.CanaryPercent), CanaryBakeTimeInMinutes: ptr(int32(c.Canary.CanaryBakeTimeInMinutes))}
	}
	out.LifecycleHooks = listFromWire(c.LifecycleHooks, lifecycleHookToWire)
	return out
}

func serviceEventToWire(e ecs.ServiceEvent) wireServiceEvent {
	return wireServiceEvent{ID: optional(e.ID), CreatedAt: epochPtr(e.CreatedAt), Message: ptr(e.Message)}
}
