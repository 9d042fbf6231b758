package ecs

import (
	"slices"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// DeploymentID formats the id of a deployment from a random number, as ECS writes it:
// "ecs-svc/" and 19 digits.
func DeploymentID(random uint64) string {
	const lo = 1_000_000_000_000_000_000 // the smallest 19-digit number
	return "ecs-svc/" + strconv.FormatUint(lo+random%(9*lo), 10)
}

// NewDeployment returns the deployment that rolls out s as it is now: PRIMARY, IN_PROGRESS,
// for s's task definition, desired count and network.
func NewDeployment(id string, s Service, at time.Time) Deployment {
	d := Deployment{
		ID:                       id,
		Status:                   DeploymentPrimary,
		TaskDefinitionARN:        s.TaskDefinitionARN,
		DesiredCount:             s.DesiredCount,
		CreatedAt:                at,
		UpdatedAt:                at,
		LaunchType:               s.LaunchType,
		CapacityProviderStrategy: s.CapacityProviderStrategy,
		NetworkConfiguration:     s.NetworkConfiguration,
		RolloutState:             RolloutInProgress,
		RolloutStateReason:       "ECS deployment " + id + " in progress.",
		Strategy:                 s.DeploymentConfiguration.Strategy,
		LoadBalancers:            slices.Clone(s.LoadBalancers),
	}
	if s.LaunchType == string(CompatibilityFargate) {
		d.PlatformVersion = ResolvedPlatformVersion(s.PlatformVersion)
	}
	return d
}

// NewService returns a validated service as CreateService stores it: ACTIVE since at, with one
// PRIMARY deployment (deploymentID). A CODE_DEPLOY service runs a PRIMARY task set of that id
// instead, as ECS creates it, and an EXTERNAL one starts with neither: its deployer brings
// the task sets.
func NewService(s Service, deploymentID string, at time.Time) Service {
	s.Status = ServiceActive
	s.CreatedAt = at
	s.Events = nil
	s.Deployments, s.TaskSets = nil, nil
	switch s.DeploymentController {
	case ControllerExternal:
	case ControllerCodeDeploy:
		s.TaskSets = []TaskSet{initialTaskSet(s, deploymentID, at)}
	default:
		s.Deployments = []Deployment{NewDeployment(deploymentID, s, at)}
	}
	return s
}

// ResolveCreate decides what CreateService does when a service with the requested name may
// already exist (exists). A deleted (INACTIVE) service is replaced. An ACTIVE or DRAINING one
// answers a retry of the request that created it (the same client token, or the same
// parameters) with itself, and anything else with ErrServiceNotIdempotent. It returns the
// service to report and whether requested must be stored.
func ResolveCreate(existing Service, exists bool, requested Service) (Service, bool, error) {
	if !exists || existing.Status == ServiceInactive {
		return requested, true, nil
	}
	if existing.Status == ServiceActive && isRetryOf(requested, existing) {
		return existing, false, nil
	}
	return Service{}, false, ErrServiceNotIdempotent
}

func isRetryOf(requested, existing Service) bool {
	if requested.ClientToken != "" && existing.ClientToken != "" {
		return requested.ClientToken == existing.ClientToken
	}
	return SameServiceRequest(requested, existing)
}

// UpdateService applies next, cur with UpdateService's changes applied and validated, to cur.
// A new task definition, network, load balancers, launch type or platform version, or force,
// start a new PRIMARY deployment at the front of deployments (with deploymentID); the previous
// PRIMARY becomes ACTIVE and keeps its desired count, for the scheduler to scale it down. The
// PRIMARY deployment always gets the service's desired count.
func UpdateService(cur, next Service, force bool, deploymentID string, at time.Time) (Service, error) {
	if cur.Status != ServiceActive {
		return Service{}, ErrServiceNotActive
	}
	if next.DeploymentController != cur.DeploymentController {
		return Service{}, errdefs.InvalidArgument("Updating the deployment controller of a service is not supported.")
	}
	rollout := force || next.TaskDefinitionARN != cur.TaskDefinitionARN ||
		!sameNetworkConfiguration(next.NetworkConfiguration, cur.NetworkConfiguration) ||
		!slices.Equal(next.LoadBalancers, cur.LoadBalancers) || next.PlatformVersion != cur.PlatformVersion ||
		next.LaunchType != cur.LaunchType
	if rollout && cur.DeploymentController != ControllerECS {
		return Service{}, controllerRefusal(cur, next, force)
	}
	next.Deployments = slices.Clone(cur.Deployments)
	if rollout && cur.RunsNative() && len(cur.Deployments) > 1 {
		return Service{}, ErrNativeDeploymentInProgress
	}
	if rollout {
		prev, hasPrev := cur.Primary()
		d := NewDeployment(deploymentID, next, at)
		d.LoadBalancers = deploymentLoadBalancers(next, prev, hasPrev, !slices.Equal(next.LoadBalancers, cur.LoadBalancers))
		for i := range next.Deployments {
			if next.Deployments[i].Status == DeploymentPrimary {
				next.Deployments[i].Status = DeploymentActive
				next.Deployments[i].UpdatedAt = at
			}
		}
		next.Deployments = append([]Deployment{d}, next.Deployments...)
		return next, nil
	}
	for i := range next.Deployments {
		d := &next.Deployments[i]
		if d.Status == DeploymentPrimary && d.DesiredCount != next.DesiredCount {
			d.DesiredCount = next.DesiredCount
			d.UpdatedAt = at
		}
	}
	return next, nil
}

// controllerRefusal explains why a service whose deployments another controller makes cannot
// roll out through UpdateService, in ECS's words.
func controllerRefusal(cur, next Service, force bool) error {
	c := cur.DeploymentController
	how := "Use AWS CodeDeploy to trigger a new deployment."
	if c == ControllerExternal {
		how = "Use task sets to deploy."
	}
	what := "task definition"
	switch {
	case force:
		return errdefs.InvalidArgument("Cannot force a new deployment on services with a %s deployment controller. %s", c, how)
	case next.TaskDefinitionARN != cur.TaskDefinitionARN:
	case !slices.Equal(next.LoadBalancers, cur.LoadBalancers):
		what = "load balancers"
	case next.PlatformVersion != cur.PlatformVersion:
		what = "platform version"
	default:
		what = "network parameters"
	}
	return errdefs.InvalidArgument("Unable to update %s on services with a %s deployment controller. %s", what, c, how)
}

// DeleteService returns s as DeleteService leaves it: DRAINING with no desired tasks, for the
// scheduler to stop its tasks and make it INACTIVE. A REPLICA service that still wants tasks
// is deleted only when forced. Deleting a service that is already DRAINING or INACTIVE
// changes nothing, as in ECS.
func DeleteService(s Service, force bool, at time.Time) (Service, error) {
	if s.Status != ServiceActive {
		return s, nil
	}
	if s.SchedulingStrategy != SchedulingDaemon && s.DesiredCount > 0 && !force {
		return Service{}, ErrServiceScaledUp
	}
	s.Status = ServiceDraining
	s.DesiredCount = 0
	s.Deployments = slices.Clone(s.Deployments)
	for i := range s.Deployments {
		if s.Deployments[i].Status == DeploymentPrimary {
			s.Deployments[i].DesiredCount = 0
			s.Deployments[i].UpdatedAt = at
		}
	}
	return s, nil
}
