package ecs

import (
	"slices"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// AdvancedConfiguration names what an ECS-native blue/green, linear or canary deployment needs
// of a load balancer: the second target group, and the listener rules whose forward weights it
// moves between the two.
type AdvancedConfiguration struct {
	AlternateTargetGroupARN string
	ProductionListenerRule  string
	TestListenerRule        string
	RoleARN                 string
}

// Given reports whether a request set the advanced configuration.
func (a AdvancedConfiguration) Given() bool { return a != AdvancedConfiguration{} }

// LinearConfiguration is how a LINEAR deployment moves production traffic: StepPercent more
// every StepBakeTimeInMinutes.
type LinearConfiguration struct {
	StepPercent           float64
	StepBakeTimeInMinutes int
}

// CanaryConfiguration is how a CANARY deployment moves production traffic: CanaryPercent for
// CanaryBakeTimeInMinutes, then the rest.
type CanaryConfiguration struct {
	CanaryPercent           float64
	CanaryBakeTimeInMinutes int
}

// Defaults ECS applies to linear and canary deployments that leave them out.
const (
	DefaultStepPercent             = 10.0
	DefaultStepBakeTimeInMinutes   = 6
	DefaultCanaryPercent           = 5.0
	DefaultCanaryBakeTimeInMinutes = 10
)

// Lifecycle hook target types and timeout actions.
const (
	HookTargetLambda = "AWS_LAMBDA"
	HookTargetPause  = "PAUSE"
	HookRollback     = "ROLLBACK"
	HookContinue     = "CONTINUE"
)

// LifecycleHook runs at the named stages of a native deployment: a Lambda function, or a pause
// until ContinueServiceDeployment.
type LifecycleHook struct {
	TargetType      string
	HookTargetARN   string
	RoleARN         string
	LifecycleStages []string
	// HookDetails is the JSON document given, passed to the hook as it is.
	HookDetails      string
	TimeoutInMinutes int
	TimeoutAction    string
}

// hookStages are the stages a hook may attach to (the model's DeploymentLifecycleHookStage).
var hookStages = []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
	"POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"}

// NativeStrategy reports whether strategy moves traffic between two target groups
// (BLUE_GREEN, LINEAR, CANARY) instead of replacing tasks in place.
func NativeStrategy(strategy string) bool {
	return strategy == StrategyBlueGreen || strategy == StrategyLinear || strategy == StrategyCanary
}

// RunsNative reports whether s's deployments move traffic between target groups.
func (s Service) RunsNative() bool {
	return s.DeploymentController == ControllerECS && NativeStrategy(s.DeploymentConfiguration.Strategy)
}

// validateNative checks the members of a service that native deployments use, as ECS does:
// advanced load balancer settings only with a strategy that shifts traffic, and such a
// strategy only with them.
func validateNative(s Service) (Service, error) {
	s.DeploymentConfiguration = withShiftDefaults(s.DeploymentConfiguration)
	return s, checkNative(s)
}

// withShiftDefaults fills in what ECS fills in for a LINEAR or CANARY strategy given without
// its configuration.
func withShiftDefaults(c DeploymentConfiguration) DeploymentConfiguration {
	if c.Strategy == StrategyLinear && c.Linear == (LinearConfiguration{}) {
		c.Linear = LinearConfiguration{StepPercent: DefaultStepPercent, StepBakeTimeInMinutes: DefaultStepBakeTimeInMinutes}
	}
	if c.Strategy == StrategyCanary && c.Canary == (CanaryConfiguration{}) {
		c.Canary = CanaryConfiguration{CanaryPercent: DefaultCanaryPercent, CanaryBakeTimeInMinutes: DefaultCanaryBakeTimeInMinutes}
	}
	return c
}

func checkNative(s Service) error {
	c := s.DeploymentConfiguration
	if err := validateShiftConfigurations(c); err != nil {
		return err
	}
	if err := validateHooks(c.LifecycleHooks); err != nil {
		return err
	}
	native := NativeStrategy(c.Strategy)
	if native && s.SchedulingStrategy == SchedulingDaemon {
		return errdefs.InvalidArgument("The %s deployment strategy is not supported with the DAEMON scheduling strategy.", c.Strategy)
	}
	for _, lb := range s.LoadBalancers {
		a := lb.Advanced
		if !a.Given() {
			continue
		}
		if !native {
			return errdefs.InvalidArgument("advancedConfiguration is only supported for the BLUE_GREEN, LINEAR and CANARY deployment strategies.")
		}
		if err := validateAdvanced(lb); err != nil {
			return err
		}
	}
	return nil
}

func validateAdvanced(lb LoadBalancer) error {
	a := lb.Advanced
	switch {
	case a.AlternateTargetGroupARN == "":
		return errdefs.InvalidArgument("advancedConfiguration.alternateTargetGroupArn must be specified.")
	case !isTargetGroupARN(a.AlternateTargetGroupARN):
		return errdefs.InvalidArgument("The target group ARN %s is not valid.", a.AlternateTargetGroupARN)
	case a.AlternateTargetGroupARN == lb.TargetGroupARN:
		return errdefs.InvalidArgument("advancedConfiguration.alternateTargetGroupArn must be different from targetGroupArn.")
	case a.ProductionListenerRule == "":
		return errdefs.InvalidArgument("advancedConfiguration.productionListenerRule must be specified.")
	case !isListenerRuleARN(a.ProductionListenerRule):
		return errdefs.InvalidArgument("The listener rule ARN %s is not valid.", a.ProductionListenerRule)
	case a.TestListenerRule != "" && !isListenerRuleARN(a.TestListenerRule):
		return errdefs.InvalidArgument("The listener rule ARN %s is not valid.", a.TestListenerRule)
	case a.RoleARN == "":
		return errdefs.InvalidArgument("advancedConfiguration.roleArn must be specified.")
	}
	return nil
}

func isListenerRuleARN(s string) bool {
	a, err := arn.Parse(s)
	return err == nil && a.Service == "elasticloadbalancing" && len(a.Resource) > len("listener-rule/") &&
		a.Resource[:len("listener-rule/")] == "listener-rule/"
}

func validateShiftConfigurations(c DeploymentConfiguration) error {
	if l := c.Linear; l != (LinearConfiguration{}) {
		if c.Strategy != StrategyLinear {
			return errdefs.InvalidArgument("linearConfiguration is only supported for the LINEAR deployment strategy.")
		}
		if l.StepPercent < 3 || l.StepPercent > 100 {
			return errdefs.InvalidArgument("linearConfiguration.stepPercent must be between 3.0 and 100.0.")
		}
		if l.StepBakeTimeInMinutes < 0 || l.StepBakeTimeInMinutes > maxBakeTimeInMinutes {
			return errdefs.InvalidArgument("linearConfiguration.stepBakeTimeInMinutes must be between 0 and %d.", maxBakeTimeInMinutes)
		}
	}
	if k := c.Canary; k != (CanaryConfiguration{}) {
		if c.Strategy != StrategyCanary {
			return errdefs.InvalidArgument("canaryConfiguration is only supported for the CANARY deployment strategy.")
		}
		if k.CanaryPercent < 0.1 || k.CanaryPercent > 100 {
			return errdefs.InvalidArgument("canaryConfiguration.canaryPercent must be between 0.1 and 100.0.")
		}
		if k.CanaryBakeTimeInMinutes < 0 || k.CanaryBakeTimeInMinutes > maxBakeTimeInMinutes {
			return errdefs.InvalidArgument("canaryConfiguration.canaryBakeTimeInMinutes must be between 0 and %d.", maxBakeTimeInMinutes)
		}
	}
	return nil
}

func validateHooks(hooks []LifecycleHook) error {
	for _, h := range hooks {
		switch h.TargetType {
		case HookTargetLambda:
			if h.HookTargetARN == "" || h.RoleARN == "" {
				return errdefs.InvalidArgument("A lifecycle hook of type AWS_LAMBDA requires a hookTargetArn and a roleArn.")
			}
		case HookTargetPause:
		default:
			return invalidValue("lifecycleHooks.targetType", h.TargetType, "AWS_LAMBDA, PAUSE")
		}
		if len(h.LifecycleStages) == 0 {
			return errdefs.InvalidArgument("A lifecycle hook must specify at least one lifecycle stage.")
		}
		for _, st := range h.LifecycleStages {
			if !slices.Contains(hookStages, st) {
				return invalidValue("lifecycleHooks.lifecycleStages", st, "RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT")
			}
		}
		switch h.TimeoutAction {
		case "", HookRollback, HookContinue:
		default:
			return invalidValue("lifecycleHooks.timeoutConfiguration.action", h.TimeoutAction, "ROLLBACK, CONTINUE")
		}
		if h.TimeoutInMinutes < 0 || h.TimeoutInMinutes > maxBakeTimeInMinutes {
			return errdefs.InvalidArgument("lifecycleHooks.timeoutConfiguration.timeoutInMinutes must be between 1 and %d.", maxBakeTimeInMinutes)
		}
	}
	return nil
}

// deploymentLoadBalancers returns the load balancers a new deployment of next registers its
// tasks in. A native deployment goes to the target group of each pair that is not live (the
// one prev, the deployment it replaces, does not use); any other keeps prev's groups while
// the load balancers stay as they were, so that a rolling deployment after a blue/green one
// stays on the live group.
func deploymentLoadBalancers(next Service, prev Deployment, hasPrev bool, lbsChanged bool) []LoadBalancer {
	if !hasPrev || len(prev.LoadBalancers) == 0 || lbsChanged {
		return slices.Clone(next.LoadBalancers)
	}
	if !next.RunsNative() {
		return slices.Clone(prev.LoadBalancers)
	}
	out := slices.Clone(next.LoadBalancers)
	for i, lb := range out {
		if !lb.Advanced.Given() || i >= len(prev.LoadBalancers) {
			continue
		}
		if prev.LoadBalancers[i].TargetGroupARN == lb.TargetGroupARN {
			out[i].TargetGroupARN = lb.Advanced.AlternateTargetGroupARN
		}
	}
	return out
}

// LiveGroup returns the target group of a load balancer pair that the deployment's tasks
// register in, and the other one.
func (d Deployment) LiveGroup(lb LoadBalancer) (mine, other string) {
	mine = lb.TargetGroupARN
	for _, x := range d.LoadBalancers {
		if x.ContainerName == lb.ContainerName && x.ContainerPort == lb.ContainerPort {
			mine = x.TargetGroupARN
		}
	}
	if mine == lb.Advanced.AlternateTargetGroupARN {
		return mine, lb.TargetGroupARN
	}
	return mine, lb.Advanced.AlternateTargetGroupARN
}
