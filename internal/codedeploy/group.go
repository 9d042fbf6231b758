package codedeploy

import (
	"slices"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxWaitMinutes bounds the ready and termination waits, as CodeDeploy does (two days).
const maxWaitMinutes = 2880

// ValidateDeploymentGroup checks an ECS deployment group and fills in CodeDeploy's defaults:
// the configuration CodeDeployDefault.ECSAllAtOnce, termination TERMINATE after 0 minutes and
// ready action CONTINUE_DEPLOYMENT. Whether the configuration exists, and whether the ECS
// service, target groups and listeners do, the caller and the deployer check.
func ValidateDeploymentGroup(g DeploymentGroup) (DeploymentGroup, error) {
	if err := CheckApplicationName(g.ApplicationName); err != nil {
		return g, err
	}
	if err := CheckDeploymentGroupName(g.Name); err != nil {
		return g, err
	}
	if g.ServiceRoleARN == "" {
		return g, ErrRoleRequired
	}
	if g.DeploymentConfigName == "" {
		g.DeploymentConfigName = DefaultECSConfig
	}
	if err := CheckDeploymentConfigName(g.DeploymentConfigName); err != nil {
		return g, err
	}
	if g.DeploymentType != StyleBlueGreen || g.DeploymentOption != OptionWithTraffic {
		return g, errdefs.Detail(ErrInvalidDeploymentStyle, "An ECS deployment group needs deploymentStyle BLUE_GREEN with WITH_TRAFFIC_CONTROL, not %q with %q.", g.DeploymentType, g.DeploymentOption)
	}
	if len(g.ECSServices) != 1 || g.ECSServices[0].ServiceName == "" || g.ECSServices[0].ClusterName == "" {
		return g, ErrInvalidECSService
	}
	if len(g.TargetGroupPairs) != 1 {
		return g, ErrInvalidLoadBalancerInfo
	}
	if err := g.TargetGroupPairs[0].check(); err != nil {
		return g, err
	}
	var err error
	if g.BlueGreen, err = g.BlueGreen.withDefaults(); err != nil {
		return g, err
	}
	if err := g.AutoRollback.Check(); err != nil {
		return g, err
	}
	if err := g.Alarms.Check(); err != nil {
		return g, err
	}
	return g, nil
}

func (p TargetGroupPair) check() error {
	if len(p.TargetGroups) != 2 || p.TargetGroups[0] == "" || p.TargetGroups[1] == "" {
		return errdefs.Detail(ErrInvalidTargetGroupPair, "A target group pair needs exactly two target group names, not %d.", len(p.TargetGroups))
	}
	if p.TargetGroups[0] == p.TargetGroups[1] {
		return errdefs.Detail(ErrInvalidTargetGroupPair, "The two target groups of a pair must differ; both are %q.", p.TargetGroups[0])
	}
	if len(p.ProdListenerARNs) != 1 {
		return errdefs.Detail(ErrInvalidTargetGroupPair, "A target group pair needs exactly one production listener ARN, not %d.", len(p.ProdListenerARNs))
	}
	if len(p.TestListenerARNs) > 1 {
		return errdefs.Detail(ErrInvalidTargetGroupPair, "A target group pair takes at most one test listener ARN, not %d.", len(p.TestListenerARNs))
	}
	for _, l := range slices.Concat(p.ProdListenerARNs, p.TestListenerARNs) {
		if a, err := arn.Parse(l); err != nil || a.Service != "elasticloadbalancing" || a.ResourceType() != "listener" {
			return errdefs.Detail(ErrInvalidTargetGroupPair, "%q is not a listener ARN.", l)
		}
	}
	return nil
}

func (b BlueGreenConfiguration) withDefaults() (BlueGreenConfiguration, error) {
	if b.TerminationAction == "" {
		b.TerminationAction = TerminationTerminate
	}
	if b.ReadyActionOnTimeout == "" {
		b.ReadyActionOnTimeout = ReadyContinueDeployment
	}
	switch {
	case b.TerminationAction != TerminationTerminate && b.TerminationAction != TerminationKeepAlive:
		return b, errdefs.Detail(ErrInvalidBlueGreenConfig, "terminateBlueInstancesOnDeploymentSuccess.action %q is invalid: use TERMINATE or KEEP_ALIVE.", b.TerminationAction)
	case b.ReadyActionOnTimeout != ReadyContinueDeployment && b.ReadyActionOnTimeout != ReadyStopDeployment:
		return b, errdefs.Detail(ErrInvalidBlueGreenConfig, "deploymentReadyOption.actionOnTimeout %q is invalid: use CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT.", b.ReadyActionOnTimeout)
	case b.TerminationWaitMinutes < 0 || b.TerminationWaitMinutes > maxWaitMinutes:
		return b, errdefs.Detail(ErrInvalidBlueGreenConfig, "terminationWaitTimeInMinutes must be from 0 to %d, not %d.", maxWaitMinutes, b.TerminationWaitMinutes)
	case b.ReadyWaitMinutes < 0 || b.ReadyWaitMinutes > maxWaitMinutes:
		return b, errdefs.Detail(ErrInvalidBlueGreenConfig, "waitTimeInMinutes must be from 0 to %d, not %d.", maxWaitMinutes, b.ReadyWaitMinutes)
	}
	return b, nil
}

// Check checks the rollback events; an enabled rollback needs at least one.
func (r AutoRollback) Check() error {
	if r.Enabled && len(r.Events) == 0 {
		return errdefs.Detail(ErrInvalidAutoRollbackConfig, "Automatic rollback is enabled but lists no events.")
	}
	for _, e := range r.Events {
		if e != RollbackOnFailure && e != RollbackOnAlarm && e != RollbackOnStopRequested {
			return errdefs.Detail(ErrInvalidAutoRollbackConfig, "The rollback event %q is invalid.", e)
		}
	}
	return nil
}
