package ecs

import (
	"cmp"
	"regexp"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Deployment controller types.
const (
	ControllerECS        = "ECS"
	ControllerCodeDeploy = "CODE_DEPLOY"
	ControllerExternal   = "EXTERNAL"
)

// Scheduling strategies.
const (
	SchedulingReplica = "REPLICA"
	SchedulingDaemon  = "DAEMON"
)

// Values of propagateTags.
const (
	PropagateNone           = "NONE"
	PropagateTaskDefinition = "TASK_DEFINITION"
	PropagateService        = "SERVICE"
)

// Deployment strategies of the ECS controller.
const (
	StrategyRolling   = "ROLLING"
	StrategyBlueGreen = "BLUE_GREEN"
	StrategyLinear    = "LINEAR"
	StrategyCanary    = "CANARY"
)

// Placement constraint and strategy types.
const (
	PlacementDistinctInstance = "distinctInstance"
	PlacementMemberOf         = "memberOf"
	PlacementRandom           = "random"
	PlacementSpread           = "spread"
	PlacementBinpack          = "binpack"
)

// Defaults of a service's deployment configuration, as the API (not the console) applies them.
const (
	DefaultMaximumPercent        = 200
	DefaultMinimumHealthyPercent = 100
	// DefaultDesiredCount is what ECS gives a REPLICA service created without desiredCount.
	DefaultDesiredCount = 1
)

// Limits ECS enforces on a service.
const (
	maxLoadBalancers        = 5
	maxPlacementConstraints = 10
	maxPlacementStrategies  = 5
	maxBakeTimeInMinutes    = 1440
	maxPercentLimit         = 2000
)

// ServiceARN returns the ARN of service name in cluster, in the long format ECS uses today:
// arn:aws:ecs:us-east-1:000000000000:service/default/web.
func ServiceARN(scope arn.Scope, cluster, name string) string {
	return scope.New("ecs", "service/"+cluster+"/"+name).String()
}

var serviceNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// ValidateServiceName checks a service name as CreateService does.
func ValidateServiceName(name string) error {
	if !serviceNamePattern.MatchString(name) {
		return errdefs.InvalidArgument("Service name must be 1-255 characters long and can contain letters, numbers, hyphens and underscores.")
	}
	return nil
}

// DefaultDeploymentConfiguration is the deployment configuration of a service that gave none:
// 200/100 for REPLICA services, 100/0 for DAEMON ones, the rolling strategy for the ECS
// controller, and the circuit breaker off.
func DefaultDeploymentConfiguration(schedulingStrategy, controller string) DeploymentConfiguration {
	c := DeploymentConfiguration{MaximumPercent: DefaultMaximumPercent, MinimumHealthyPercent: DefaultMinimumHealthyPercent}
	if schedulingStrategy == SchedulingDaemon {
		c.MaximumPercent, c.MinimumHealthyPercent = 100, 0
	}
	if controller == ControllerECS || controller == "" {
		c.Strategy = StrategyRolling
	}
	return c
}

// ResolveDesiredCount returns the desired count of a new service: the one given, or ECS's
// default for the scheduling strategy. A DAEMON service runs one task per container instance
// and takes no desired count.
func ResolveDesiredCount(schedulingStrategy string, given bool, n int) (int, error) {
	switch {
	case schedulingStrategy == SchedulingDaemon && given:
		return 0, errdefs.InvalidArgument("The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again.")
	case schedulingStrategy == SchedulingDaemon:
		return 0, nil
	case !given:
		return DefaultDesiredCount, nil
	}
	return n, validateDesiredCount(n)
}

func validateDesiredCount(n int) error {
	if n < 0 {
		return errdefs.InvalidArgument("Invalid desiredCount: %d. The desired count must be 0 or more.", n)
	}
	return nil
}

// ValidateService checks a service as CreateService and UpdateService leave it, against td,
// the task definition it runs (the zero value when it names none, which only the EXTERNAL
// controller allows). It returns s with the values ECS fills in: scheduling strategy,
// controller, launch type, platform version, propagateTags and the network defaults.
func ValidateService(s Service, td TaskDefinition) (Service, error) {
	if err := ValidateServiceName(s.Name); err != nil {
		return Service{}, err
	}
	s.SchedulingStrategy = cmp.Or(s.SchedulingStrategy, SchedulingReplica)
	s.DeploymentController = cmp.Or(s.DeploymentController, ControllerECS)
	s.PropagateTags = cmp.Or(s.PropagateTags, PropagateNone)
	if err := validateServiceKind(s, td); err != nil {
		return Service{}, err
	}
	if err := ValidateAZRebalancing(s.AvailabilityZoneRebalancing); err != nil {
		return Service{}, err
	}
	if s.SchedulingStrategy == SchedulingDaemon {
		// Fargate runs no daemons: DAEMON services are EC2 services unless told otherwise.
		if s.LaunchType == string(CompatibilityFargate) {
			return Service{}, errdefs.InvalidArgument("The daemon scheduling strategy is not supported with the FARGATE launch type.")
		}
		s.LaunchType = cmp.Or(s.LaunchType, string(CompatibilityEC2))
	}
	placed := len(s.PlacementConstraints) > 0 || len(s.PlacementStrategy) > 0
	launch, err := ResolveLaunch(td, launchTypeForPlacement(s.LaunchType, td, placed), s.PlatformVersion)
	if err != nil {
		return Service{}, err
	}
	s.LaunchType, s.PlatformVersion = launch.LaunchType, launch.PlatformVersion
	if err := ValidateDeploymentConfiguration(s.DeploymentConfiguration, s.SchedulingStrategy, s.DeploymentController); err != nil {
		return Service{}, err
	}
	if err := validateLoadBalancers(s.LoadBalancers, td); err != nil {
		return Service{}, err
	}
	if s, err = validateNative(s); err != nil {
		return Service{}, err
	}
	if s.NetworkConfiguration, err = ValidateNetworkConfiguration(s.NetworkConfiguration, td); err != nil {
		return Service{}, err
	}
	if err := ValidatePlacement(s.LaunchType, s.PlacementConstraints, s.PlacementStrategy); err != nil {
		return Service{}, err
	}
	if s.HealthCheckGracePeriodSeconds < 0 {
		return Service{}, errdefs.InvalidArgument("healthCheckGracePeriodSeconds must be 0 or more.")
	}
	return s, ValidateTags(s.Tags)
}

// validateServiceKind checks the members that say what kind of service s is.
func validateServiceKind(s Service, td TaskDefinition) error {
	switch s.SchedulingStrategy {
	case SchedulingReplica, SchedulingDaemon:
	default:
		return invalidValue("schedulingStrategy", s.SchedulingStrategy, "REPLICA, DAEMON")
	}
	switch s.DeploymentController {
	case ControllerECS, ControllerCodeDeploy, ControllerExternal:
	default:
		return invalidValue("deploymentController.type", s.DeploymentController, "ECS, CODE_DEPLOY, EXTERNAL")
	}
	if s.SchedulingStrategy == SchedulingDaemon && s.DeploymentController != ControllerECS {
		return errdefs.InvalidArgument("The daemon scheduling strategy is only supported with the ECS deployment controller.")
	}
	switch s.PropagateTags {
	case PropagateNone, PropagateTaskDefinition, PropagateService:
	default:
		return invalidValue("propagateTags", s.PropagateTags, "TASK_DEFINITION, SERVICE, NONE")
	}
	if td.ARN == "" && s.DeploymentController != ControllerExternal {
		return errdefs.InvalidArgument("TaskDefinition can not be blank.")
	}
	return validateDesiredCount(s.DesiredCount)
}

// ValidateDeploymentConfiguration checks the deployment bounds and options of a service.
func ValidateDeploymentConfiguration(c DeploymentConfiguration, schedulingStrategy, controller string) error {
	if c.MinimumHealthyPercent < 0 || c.MinimumHealthyPercent > 100 {
		return errdefs.InvalidArgument("minimumHealthyPercent must be between 0 and 100.")
	}
	if c.MaximumPercent < 100 || c.MaximumPercent > maxPercentLimit {
		return errdefs.InvalidArgument("maximumPercent must be between 100 and %d.", maxPercentLimit)
	}
	if schedulingStrategy == SchedulingDaemon && c.MaximumPercent != 100 {
		return errdefs.InvalidArgument("The daemon scheduling strategy does not support a maximumPercent other than 100.")
	}
	if c.CircuitBreakerEnable && controller != ControllerECS {
		return errdefs.InvalidArgument("The deployment circuit breaker is only supported with the ECS deployment controller.")
	}
	switch c.Strategy {
	case "":
	case StrategyRolling, StrategyBlueGreen, StrategyLinear, StrategyCanary:
		if controller != ControllerECS {
			return errdefs.InvalidArgument("A deployment strategy is only supported with the ECS deployment controller.")
		}
	default:
		return invalidValue("deploymentConfiguration.strategy", c.Strategy, "ROLLING, BLUE_GREEN, LINEAR, CANARY")
	}
	if c.BakeTimeInMinutes < 0 || c.BakeTimeInMinutes > maxBakeTimeInMinutes {
		return errdefs.InvalidArgument("bakeTimeInMinutes must be between 0 and %d.", maxBakeTimeInMinutes)
	}
	return nil
}

// validateLoadBalancers checks that each load balancer names a target group (or a classic load
// balancer) and a container port that td's containers map.
func validateLoadBalancers(lbs []LoadBalancer, td TaskDefinition) error {
	if len(lbs) > maxLoadBalancers {
		return errdefs.InvalidArgument("A service can have at most %d load balancers.", maxLoadBalancers)
	}
	for _, lb := range lbs {
		if lb.TargetGroupARN == "" && lb.LoadBalancerName == "" {
			return errdefs.InvalidArgument("A load balancer must specify a targetGroupArn or a loadBalancerName.")
		}
		if lb.TargetGroupARN != "" && !isTargetGroupARN(lb.TargetGroupARN) {
			return errdefs.InvalidArgument("The target group ARN %s is not valid.", lb.TargetGroupARN)
		}
		if lb.ContainerName == "" || lb.ContainerPort == 0 {
			return errdefs.InvalidArgument("containerName and containerPort must be specified for a load balancer.")
		}
		if td.ARN == "" {
			continue // EXTERNAL services: the task sets bring the task definition
		}
		c, ok := td.Container(lb.ContainerName)
		if !ok {
			return errdefs.InvalidArgument("The container %s does not exist in the task definition.", lb.ContainerName)
		}
		if !mapsContainerPort(c, lb.ContainerPort) {
			return errdefs.InvalidArgument("The container %s did not have a container port %d defined.", lb.ContainerName, lb.ContainerPort)
		}
	}
	return nil
}

func isTargetGroupARN(s string) bool {
	a, err := arn.Parse(s)
	return err == nil && a.Service == "elasticloadbalancing" && strings.HasPrefix(a.Resource, "targetgroup/")
}

// mapsContainerPort reports whether c has a port mapping for port, alone or in a range.
func mapsContainerPort(c ContainerDefinition, port int) bool {
	for _, pm := range c.PortMappings {
		if pm.ContainerPort == port {
			return true
		}
		first, last, ok := parsePortRange(pm.ContainerPortRange)
		if ok && port >= first && port <= last {
			return true
		}
	}
	return false
}

// invalidValue is the validation error for a member outside its enum, in the words AWS's
// request validation uses.
func invalidValue(member, value, valid string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, valid)
}
