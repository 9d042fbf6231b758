package ecs

import "slices"

// SameServiceRequest reports whether two validated services carry the same parameters a
// CreateService request sets, so that creating the second where the first exists is a retry
// rather than a different service with a taken name. State that ECS and the scheduler keep
// (status, deployments, events, timestamps, client token) is not compared.
func SameServiceRequest(a, b Service) bool {
	return a.Name == b.Name && a.ClusterName == b.ClusterName &&
		a.TaskDefinitionARN == b.TaskDefinitionARN && a.DesiredCount == b.DesiredCount &&
		a.LaunchType == b.LaunchType && a.PlatformVersion == b.PlatformVersion &&
		a.SchedulingStrategy == b.SchedulingStrategy && a.DeploymentController == b.DeploymentController &&
		sameDeploymentConfiguration(a.DeploymentConfiguration, b.DeploymentConfiguration) &&
		slices.Equal(a.LoadBalancers, b.LoadBalancers) &&
		a.HealthCheckGracePeriodSeconds == b.HealthCheckGracePeriodSeconds &&
		sameNetworkConfiguration(a.NetworkConfiguration, b.NetworkConfiguration) &&
		slices.Equal(a.PlacementConstraints, b.PlacementConstraints) &&
		slices.Equal(a.PlacementStrategy, b.PlacementStrategy) &&
		a.EnableECSManagedTags == b.EnableECSManagedTags && a.EnableExecuteCommand == b.EnableExecuteCommand &&
		a.PropagateTags == b.PropagateTags && slices.Equal(a.Tags, b.Tags) &&
		a.AvailabilityZoneRebalancing == b.AvailabilityZoneRebalancing && a.RoleARN == b.RoleARN
}

// sameNetworkConfiguration compares two network configurations; an absent list equals an empty
// one, as they do on the wire.
func sameNetworkConfiguration(a, b NetworkConfiguration) bool {
	return slices.Equal(a.Subnets, b.Subnets) && slices.Equal(a.SecurityGroups, b.SecurityGroups) &&
		a.AssignPublicIP == b.AssignPublicIP
}

func sameDeploymentConfiguration(a, b DeploymentConfiguration) bool {
	return a.MaximumPercent == b.MaximumPercent && a.MinimumHealthyPercent == b.MinimumHealthyPercent &&
		a.CircuitBreakerEnable == b.CircuitBreakerEnable && a.CircuitBreakerRollback == b.CircuitBreakerRollback &&
		slices.Equal(a.AlarmNames, b.AlarmNames) && a.AlarmsEnable == b.AlarmsEnable && a.AlarmRollback == b.AlarmRollback &&
		a.AlarmsGiven == b.AlarmsGiven &&
		a.Strategy == b.Strategy && a.BakeTimeInMinutes == b.BakeTimeInMinutes
}
