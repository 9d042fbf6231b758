package ecs

import (
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// HeldByNative reports whether the tasks of deployment d of s must keep running at full count:
// d is an ACTIVE deployment that a native (blue/green, linear, canary) PRIMARY deployment
// replaces, and the deployer has not released it yet (ReleaseDeployments). The scheduler
// neither stops its tasks nor counts them against maximumPercent. A service being deleted
// holds nothing.
func (s Service) HeldByNative(d Deployment) bool {
	p, ok := s.Primary()
	return ok && s.Active() && d.Status == DeploymentActive && NativeStrategy(p.Strategy) && p.ID != d.ID
}

// ReleaseDeployments turns the deployments ids of s INACTIVE: the scheduler drains and stops
// their tasks, and they leave deployments[] with their last task (a native deployment's
// CLEAN_UP).
func ReleaseDeployments(s Service, ids []string, at time.Time) Service {
	s.Deployments = slices.Clone(s.Deployments)
	for i := range s.Deployments {
		d := &s.Deployments[i]
		if slices.Contains(ids, d.ID) && d.Status == DeploymentActive {
			d.Status = DeploymentInactive
			d.UpdatedAt = at
		}
	}
	return s
}

// RestoreDeployment rolls a native deployment back: source, which kept running, is PRIMARY
// again and the service runs its task definition; target turns INACTIVE and FAILED (reason),
// for the scheduler to drain and stop its tasks.
func RestoreDeployment(s Service, sourceID, targetID, reason string, at time.Time) (Service, error) {
	s.Deployments = slices.Clone(s.Deployments)
	si := slices.IndexFunc(s.Deployments, func(d Deployment) bool { return d.ID == sourceID })
	if si < 0 {
		return s, errdefs.FailedPrecondition("the deployment %s to roll back to is gone", sourceID)
	}
	for i := range s.Deployments {
		d := &s.Deployments[i]
		if d.ID == targetID && d.Status != DeploymentInactive {
			d.Status, d.RolloutState, d.RolloutStateReason, d.UpdatedAt = DeploymentInactive, RolloutFailed, reason, at
		}
	}
	src := &s.Deployments[si]
	if src.Status != DeploymentPrimary {
		src.Status, src.UpdatedAt = DeploymentPrimary, at
		src.DesiredCount = s.DesiredCount
		s.TaskDefinitionARN = src.TaskDefinitionARN
	}
	return s, nil
}

// RollBackRolling is StopServiceDeployment's rollback of a rolling deployment in progress:
// the PRIMARY deployment failedID turns FAILED (reason) and a new PRIMARY deployment
// (rollbackID) of the task definition that last completed takes over, as the circuit breaker
// rolls back.
func RollBackRolling(s Service, failedID, reason, rollbackID string, at time.Time) (Service, error) {
	i := slices.IndexFunc(s.Deployments, func(d Deployment) bool { return d.ID == failedID })
	if i < 0 || s.Deployments[i].Status != DeploymentPrimary {
		return s, nil // rolled back or replaced already
	}
	if s.StableTaskDefinitionARN == "" {
		return s, errdefs.FailedPrecondition("the service has no completed deployment to roll back to")
	}
	s.Deployments = slices.Clone(s.Deployments)
	failed := &s.Deployments[i]
	failed.Status, failed.RolloutState, failed.RolloutStateReason, failed.UpdatedAt = DeploymentActive, RolloutFailed, reason, at
	s.TaskDefinitionARN = s.StableTaskDefinitionARN
	d := NewDeployment(rollbackID, s, at)
	d.RollbackOf = failedID
	d.LoadBalancers = slices.Clone(failed.LoadBalancers)
	d.RolloutStateReason = "ECS deployment " + rollbackID + " in progress. Rolling back from " + failedID + "."
	s.Deployments = append([]Deployment{d}, s.Deployments...)
	return s, nil
}

// FailRolling fails the PRIMARY rolling deployment failedID for reason, leaving the service
// running what it runs (a deployment alarm without rollback); one rolled back or replaced
// already is left alone.
func FailRolling(s Service, failedID, reason string, at time.Time) Service {
	i := slices.IndexFunc(s.Deployments, func(d Deployment) bool { return d.ID == failedID })
	if i < 0 || s.Deployments[i].Status != DeploymentPrimary || s.Deployments[i].RolloutState != RolloutInProgress {
		return s
	}
	s.Deployments = slices.Clone(s.Deployments)
	d := &s.Deployments[i]
	d.RolloutState, d.RolloutStateReason, d.UpdatedAt = RolloutFailed, reason, at
	return s
}
