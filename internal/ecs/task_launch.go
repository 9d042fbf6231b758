package ecs

import "github.com/fargohq/fargo/internal/errdefs"

// Fargate platform versions and families as ECS reports them.
const (
	PlatformVersionLatest = "LATEST"
	// FargatePlatformVersion is the platform version LATEST stands for; tasks and deployments
	// report it.
	FargatePlatformVersion = "1.4.0"
	PlatformFamilyLinux    = "Linux"
)

// platformVersions are the Fargate platform versions ECS still accepts.
var platformVersions = map[string]bool{PlatformVersionLatest: true, "1.4.0": true, "1.3.0": true}

// ErrPlatformUnknown is ECS's answer for a platform version that does not exist.
var ErrPlatformUnknown = errdefs.InvalidArgument("The specified platform does not exist.")

// Limits of an awsvpc configuration.
const (
	maxSubnets        = 16
	maxSecurityGroups = 5
)

// Launch is where a service's or a task's tasks run.
type Launch struct {
	LaunchType string
	// PlatformVersion is set for the FARGATE launch type only; LATEST unless given.
	PlatformVersion string
}

// ResolveLaunch checks a requested launch type and platform version against td and fills in
// the defaults. Without a launch type, tasks run on Fargate when td allows it and as EC2 tasks
// otherwise (ECS's default when a cluster has no default capacity provider strategy). td may
// be the zero value when no task definition is known yet.
func ResolveLaunch(td TaskDefinition, launchType, platformVersion string) (Launch, error) {
	if launchType == "" {
		launchType = string(CompatibilityFargate)
		if td.ARN != "" && !td.IsCompatibleWith(CompatibilityFargate) {
			launchType = string(CompatibilityEC2)
		}
	}
	if !validCompatibility(Compatibility(launchType)) {
		return Launch{}, invalidValue("launchType", launchType, "EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES")
	}
	if td.ARN != "" && !td.IsCompatibleWith(Compatibility(launchType)) {
		return Launch{}, errdefs.InvalidArgument("Task definition does not support launch_type %s.", launchType)
	}
	if launchType != string(CompatibilityFargate) {
		if platformVersion != "" {
			return Launch{}, errdefs.InvalidArgument("The platform version must be null when specifying an %s launch type.", launchType)
		}
		return Launch{LaunchType: launchType}, nil
	}
	if platformVersion == "" {
		platformVersion = PlatformVersionLatest
	}
	if !platformVersions[platformVersion] {
		return Launch{}, ErrPlatformUnknown
	}
	return Launch{LaunchType: launchType, PlatformVersion: platformVersion}, nil
}

func validCompatibility(c Compatibility) bool {
	for _, v := range c.Values() {
		if v == c {
			return true
		}
	}
	return false
}

// ResolvedPlatformVersion is the platform version that tasks of a requested one run on: LATEST
// is resolved to the current version, as deployments and tasks report it.
func ResolvedPlatformVersion(requested string) string {
	if requested == "" || requested == PlatformVersionLatest {
		return FargatePlatformVersion
	}
	return requested
}

// LaunchTypeForStrategy returns the launch type of a service or task that gave a capacity
// provider strategy. fargo has Fargate's two capacity providers, and both run tasks as the
// FARGATE launch type does; a strategy and a launch type exclude each other.
func LaunchTypeForStrategy(launchType string, strategy []CapacityProviderStrategyItem) (string, error) {
	if len(strategy) == 0 {
		return launchType, nil
	}
	if launchType != "" {
		return "", errdefs.InvalidArgument("Specifying both a launchType and capacityProviderStrategy is not supported. Remove one and try again.")
	}
	if err := validateCapacityProviders(nil, strategy); err != nil {
		return "", err
	}
	return string(CompatibilityFargate), nil
}

// ValidateNetworkConfiguration checks an awsvpc configuration against td's network mode and
// fills in assignPublicIp's default (DISABLED). The zero value means none was given, which
// fargo allows even for awsvpc task definitions: it has no subnets to choose from.
func ValidateNetworkConfiguration(nc NetworkConfiguration, td TaskDefinition) (NetworkConfiguration, error) {
	if len(nc.Subnets) == 0 && len(nc.SecurityGroups) == 0 && nc.AssignPublicIP == "" {
		return NetworkConfiguration{}, nil
	}
	if td.ARN != "" && td.EffectiveNetworkMode() != NetworkModeAwsvpc {
		return NetworkConfiguration{}, errdefs.InvalidArgument("Network Configuration is not valid for the given networkMode of this task definition.")
	}
	switch {
	case len(nc.Subnets) == 0:
		return NetworkConfiguration{}, errdefs.InvalidArgument("subnets can not be empty.")
	case len(nc.Subnets) > maxSubnets:
		return NetworkConfiguration{}, errdefs.InvalidArgument("At most %d subnets can be specified.", maxSubnets)
	case len(nc.SecurityGroups) > maxSecurityGroups:
		return NetworkConfiguration{}, errdefs.InvalidArgument("At most %d security groups can be specified.", maxSecurityGroups)
	}
	switch nc.AssignPublicIP {
	case "":
		nc.AssignPublicIP = "DISABLED"
	case "ENABLED", "DISABLED":
	default:
		return NetworkConfiguration{}, invalidValue("networkConfiguration.awsvpcConfiguration.assignPublicIp", nc.AssignPublicIP, "ENABLED, DISABLED")
	}
	return nc, nil
}

// CapacityProviderFor returns the capacity provider that a task of a service or RunTask with
// strategy runs on, as ECS reports it in the task's capacityProviderName: the provider with a
// base (ECS places the base first), else the one of the largest weight, the first of equal
// ones; "" without a strategy. fargo runs both of Fargate's providers alike.
func CapacityProviderFor(strategy []CapacityProviderStrategyItem) string {
	best := -1
	for i, s := range strategy {
		switch {
		case s.Base > 0:
			return s.CapacityProvider
		case best < 0 || s.Weight > strategy[best].Weight:
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return strategy[best].CapacityProvider
}
