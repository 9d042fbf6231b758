package ecsapi

import (
	"cmp"
	"encoding/json"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// serviceFromCreateInput is the service a CreateService request asks for, before validation.
func serviceFromCreateInput(in *createServiceInput, cluster ecs.Cluster, tdARN string) (ecs.Service, error) {
	s := ecs.Service{
		Name:                          awsproto.Deref(in.ServiceName),
		ClusterName:                   cluster.Name,
		ClusterARN:                    cluster.ARN,
		TaskDefinitionARN:             tdARN,
		PlatformVersion:               awsproto.Deref(in.PlatformVersion),
		SchedulingStrategy:            awsproto.Deref(in.SchedulingStrategy),
		LoadBalancers:                 listFromWire(in.LoadBalancers, loadBalancerFromWire),
		HealthCheckGracePeriodSeconds: int(awsproto.Deref(in.HealthCheckGracePeriodSeconds)),
		PlacementConstraints:          listFromWire(in.PlacementConstraints, placementConstraintFromWire),
		PlacementStrategy:             listFromWire(in.PlacementStrategy, placementStrategyFromWire),
		EnableECSManagedTags:          in.EnableECSManagedTags,
		EnableExecuteCommand:          in.EnableExecuteCommand,
		PropagateTags:                 awsproto.Deref(in.PropagateTags),
		// ECS enables rebalancing when a CreateService request does not say.
		AvailabilityZoneRebalancing: cmp.Or(awsproto.Deref(in.AvailabilityZoneRebalancing), ecs.AZRebalancingEnabled),
		Tags:                        tagsFromWire(in.Tags),
		ClientToken:                 awsproto.Deref(in.ClientToken),
	}
	var err error
	if s.DeploymentController, err = controllerFromWire(in.DeploymentController); err != nil {
		return ecs.Service{}, err
	}
	s.CapacityProviderStrategy = strategyFromWire(in.CapacityProviderStrategy)
	if len(s.CapacityProviderStrategy) == 0 && in.LaunchType == nil {
		// Without either, ECS uses the cluster's default strategy.
		s.CapacityProviderStrategy = cluster.DefaultCapacityProviderStrategy
	}
	if s.LaunchType, err = ecs.LaunchTypeForStrategy(awsproto.Deref(in.LaunchType), s.CapacityProviderStrategy); err != nil {
		return ecs.Service{}, err
	}
	if s.DesiredCount, err = ecs.ResolveDesiredCount(cmp.Or(s.SchedulingStrategy, ecs.SchedulingReplica), in.DesiredCount != nil, int(awsproto.Deref(in.DesiredCount))); err != nil {
		return ecs.Service{}, err
	}
	defaults := ecs.DefaultDeploymentConfiguration(cmp.Or(s.SchedulingStrategy, ecs.SchedulingReplica), cmp.Or(s.DeploymentController, ecs.ControllerECS))
	s.DeploymentConfiguration = deploymentConfigurationFromWire(defaults, in.DeploymentConfiguration)
	s.NetworkConfiguration, err = networkConfigurationFromWire(in.NetworkConfiguration)
	return s, err
}

// applyServiceUpdate returns cur with the members an UpdateService request gives, before
// validation; members it leaves out keep their values.
func applyServiceUpdate(cur ecs.Service, in *updateServiceInput, tdARN string) (ecs.Service, error) {
	next := cur
	var err error
	if tdARN != "" {
		next.TaskDefinitionARN = tdARN
	}
	if in.DesiredCount != nil {
		next.DesiredCount = int(*in.DesiredCount)
	}
	if in.DeploymentController != nil {
		if next.DeploymentController, err = controllerFromWire(in.DeploymentController); err != nil {
			return ecs.Service{}, err
		}
	}
	if in.CapacityProviderStrategy != nil {
		next.CapacityProviderStrategy = strategyFromWire(in.CapacityProviderStrategy)
		if next.LaunchType, err = ecs.LaunchTypeForStrategy("", next.CapacityProviderStrategy); err != nil {
			return ecs.Service{}, err
		}
	}
	next.DeploymentConfiguration = deploymentConfigurationFromWire(cur.DeploymentConfiguration, in.DeploymentConfiguration)
	if in.NetworkConfiguration != nil {
		if next.NetworkConfiguration, err = networkConfigurationFromWire(in.NetworkConfiguration); err != nil {
			return ecs.Service{}, err
		}
	}
	if in.PlacementConstraints != nil {
		next.PlacementConstraints = listFromWire(in.PlacementConstraints, placementConstraintFromWire)
	}
	if in.PlacementStrategy != nil {
		next.PlacementStrategy = listFromWire(in.PlacementStrategy, placementStrategyFromWire)
	}
	if in.PlatformVersion != nil {
		next.PlatformVersion = *in.PlatformVersion
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		next.HealthCheckGracePeriodSeconds = int(*in.HealthCheckGracePeriodSeconds)
	}
	if in.LoadBalancers != nil {
		next.LoadBalancers = listFromWire(in.LoadBalancers, loadBalancerFromWire)
	}
	next.EnableExecuteCommand = awsproto.Deref(firstSet(in.EnableExecuteCommand, &cur.EnableExecuteCommand))
	next.EnableECSManagedTags = awsproto.Deref(firstSet(in.EnableECSManagedTags, &cur.EnableECSManagedTags))
	next.PropagateTags = awsproto.Deref(firstSet(in.PropagateTags, &cur.PropagateTags))
	next.AvailabilityZoneRebalancing = awsproto.Deref(firstSet(in.AvailabilityZoneRebalancing, &cur.AvailabilityZoneRebalancing))
	return next, nil
}

func firstSet[T any](p, def *T) *T {
	if p != nil {
		return p
	}
	return def
}

func controllerFromWire(in *wireDeploymentController) (string, error) {
	if in == nil {
		return "", nil
	}
	if in.Type == nil {
		return "", errdefs.InvalidArgument("deploymentController.type must be specified.")
	}
	return *in.Type, nil
}

// deploymentConfigurationFromWire returns base with the members in gives.
func deploymentConfigurationFromWire(base ecs.DeploymentConfiguration, in *wireDeploymentConfiguration) ecs.DeploymentConfiguration {
	if in == nil {
		return base
	}
	out := base
	if in.MaximumPercent != nil {
		out.MaximumPercent = int(*in.MaximumPercent)
	}
	if in.MinimumHealthyPercent != nil {
		out.MinimumHealthyPercent = int(*in.MinimumHealthyPercent)
	}
	if cb := in.DeploymentCircuitBreaker; cb != nil {
		out.CircuitBreakerEnable, out.CircuitBreakerRollback = cb.Enable, cb.Rollback
	}
	if al := in.Alarms; al != nil {
		out.AlarmNames, out.AlarmsEnable, out.AlarmRollback = al.AlarmNames, al.Enable, al.Rollback
		out.AlarmsGiven = true
	}
	if in.Strategy != nil {
		out.Strategy = *in.Strategy
	}
	if in.BakeTimeInMinutes != nil {
		out.BakeTimeInMinutes = int(*in.BakeTimeInMinutes)
	}
	if l := in.LinearConfiguration; l != nil {
		out.Linear = ecs.LinearConfiguration{StepPercent: awsproto.Deref(l.StepPercent), StepBakeTimeInMinutes: int(awsproto.Deref(l.StepBakeTimeInMinutes))}
		if l.StepPercent == nil {
			out.Linear.StepPercent = ecs.DefaultStepPercent
		}
		if l.StepBakeTimeInMinutes == nil {
			out.Linear.StepBakeTimeInMinutes = ecs.DefaultStepBakeTimeInMinutes
		}
	}
	if c := in.CanaryConfiguration; c != nil {
		out.Canary = ecs.CanaryConfiguration{CanaryPercent: awsproto.Deref(c.CanaryPercent), CanaryBakeTimeInMinutes: int(awsproto.Deref(c.CanaryBakeTimeInMinutes))}
		if c.CanaryPercent == nil {
			out.Canary.CanaryPercent = ecs.DefaultCanaryPercent
		}
		if c.CanaryBakeTimeInMinutes == nil {
			out.Canary.CanaryBakeTimeInMinutes = ecs.DefaultCanaryBakeTimeInMinutes
		}
	}
	if in.LifecycleHooks != nil {
		out.LifecycleHooks = listFromWire(in.LifecycleHooks, lifecycleHookFromWire)
	}
	return out
}

func lifecycleHookFromWire(h wireLifecycleHook) ecs.LifecycleHook {
	out := ecs.LifecycleHook{
		TargetType: cmp.Or(awsproto.Deref(h.TargetType), ecs.HookTargetLambda), HookTargetARN: awsproto.Deref(h.HookTargetArn),
		RoleARN: awsproto.Deref(h.RoleArn), LifecycleStages: h.LifecycleStages,
	}
	if h.HookDetails != nil && string(h.HookDetails.raw) != "null" {
		out.HookDetails = string(h.HookDetails.raw)
	}
	if t := h.TimeoutConfiguration; t != nil {
		out.TimeoutInMinutes, out.TimeoutAction = int(awsproto.Deref(t.TimeoutInMinutes)), awsproto.Deref(t.Action)
	}
	return out
}

func lifecycleHookToWire(h ecs.LifecycleHook) wireLifecycleHook {
	out := wireLifecycleHook{
		TargetType: optional(h.TargetType), HookTargetArn: optional(h.HookTargetARN), RoleArn: optional(h.RoleARN),
		LifecycleStages: h.LifecycleStages,
	}
	if h.HookDetails != "" {
		out.HookDetails = &wireDocument{raw: json.RawMessage(h.HookDetails)}
	}
	if h.TimeoutInMinutes != 0 || h.TimeoutAction != "" {
		out.TimeoutConfiguration = &wireHookTimeout{TimeoutInMinutes: optional(int32(h.TimeoutInMinutes)), Action: optional(h.TimeoutAction)}
	}
	return out
}

// networkConfigurationFromWire converts a network configuration; subnets, which the model
// requires in awsvpcConfiguration, must be given.
func networkConfigurationFromWire(in *wireNetworkConfiguration) (ecs.NetworkConfiguration, error) {
	if in == nil || in.AwsvpcConfiguration == nil {
		return ecs.NetworkConfiguration{}, nil
	}
	c := in.AwsvpcConfiguration
	if len(c.Subnets) == 0 {
		return ecs.NetworkConfiguration{}, errdefs.InvalidArgument("subnets can not be empty.")
	}
	return ecs.NetworkConfiguration{Subnets: c.Subnets, SecurityGroups: c.SecurityGroups, AssignPublicIP: awsproto.Deref(c.AssignPublicIp)}, nil
}

func networkConfigurationToWire(c ecs.NetworkConfiguration) *wireNetworkConfiguration {
	if len(c.Subnets) == 0 && len(c.SecurityGroups) == 0 && c.AssignPublicIP == "" {
		return nil
	}
	return &wireNetworkConfiguration{AwsvpcConfiguration: &wireAwsVpcConfiguration{
		Subnets:        append([]string{}, c.Subnets...),
		SecurityGroups: append([]string{}, c.SecurityGroups...),
		AssignPublicIp: optional(c.AssignPublicIP),
	}}
}

func loadBalancerFromWire(lb wireLoadBalancer) ecs.LoadBalancer {
	out := ecs.LoadBalancer{
		TargetGroupARN: awsproto.Deref(lb.TargetGroupArn), LoadBalancerName: awsproto.Deref(lb.LoadBalancerName),
		ContainerName: awsproto.Deref(lb.ContainerName), ContainerPort: int(awsproto.Deref(lb.ContainerPort)),
	}
	if a := lb.AdvancedConfiguration; a != nil {
		out.Advanced = ecs.AdvancedConfiguration{
			AlternateTargetGroupARN: awsproto.Deref(a.AlternateTargetGroupArn), ProductionListenerRule: awsproto.Deref(a.ProductionListenerRule),
			TestListenerRule: awsproto.Deref(a.TestListenerRule), RoleARN: awsproto.Deref(a.RoleArn),
		}
	}
	return out
}

func loadBalancerToWire(lb ecs.LoadBalancer) wireLoadBalancer {
	out := wireLoadBalancer{
		TargetGroupArn: optional(lb.TargetGroupARN), LoadBalancerName: optional(lb.LoadBalancerName),
		ContainerName: optional(lb.ContainerName), ContainerPort: optional(int32(lb.ContainerPort)),
	}
	if a := lb.Advanced; a.Given() {
		out.AdvancedConfiguration = &wireAdvancedConfiguration{
			AlternateTargetGroupArn: optional(a.AlternateTargetGroupARN), ProductionListenerRule: optional(a.ProductionListenerRule),
			TestListenerRule: optional(a.TestListenerRule), RoleArn: optional(a.RoleARN),
		}
	}
	return out
}

func placementConstraintFromWire(p wirePlacementConstraint) ecs.PlacementConstraint {
	return ecs.PlacementConstraint{Type: awsproto.Deref(p.Type), Expression: awsproto.Deref(p.Expression)}
}

func placementConstraintToWire(p ecs.PlacementConstraint) wirePlacementConstraint {
	return wirePlacementConstraint{Type: optional(p.Type), Expression: optional(p.Expression)}
}

func placementStrategyFromWire(p wirePlacementStrategy) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: awsproto.Deref(p.Type), Field: awsproto.Deref(p.Field)}
}

func placementStrategyToWire(p ecs.PlacementStrategy) wirePlacementStrategy {
	return wirePlacementStrategy{Type: optional(p.Type), Field: optional(p.Field)}
}
