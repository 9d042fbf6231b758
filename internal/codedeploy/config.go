package codedeploy

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// NewDeploymentConfig returns a user's ECS deployment configuration. A zero routing is
// AllAtOnce; names under CodeDeployDefault. are CodeDeploy's own.
func NewDeploymentConfig(name, platform, id string, now time.Time, routing TrafficRouting) (DeploymentConfig, error) {
	if err := CheckDeploymentConfigName(name); err != nil {
		return DeploymentConfig{}, err
	}
	if IsReservedConfigName(name) {
		return DeploymentConfig{}, errdefs.Detail(ErrInvalidDeploymentConfigName, "The name %q is reserved: names beginning %s belong to the predefined configurations.", name, reservedPrefix)
	}
	p, err := checkPlatform(platform)
	if err != nil {
		return DeploymentConfig{}, err
	}
	if routing.Type == "" {
		routing.Type = RoutingAllAtOnce
	}
	if err := routing.Check(); err != nil {
		return DeploymentConfig{}, err
	}
	return DeploymentConfig{Name: name, ID: id, ComputePlatform: p, CreateTime: now, TrafficRouting: routing}, nil
}

// Check checks a traffic routing: canary and linear shift 1 to 99 percent with intervals of
// at least a minute; AllAtOnce takes neither.
func (r TrafficRouting) Check() error {
	switch r.Type {
	case RoutingAllAtOnce:
		return nil
	case RoutingCanary, RoutingLinear:
	default:
		return errdefs.Detail(ErrInvalidTrafficRouting, "The traffic routing type %q is invalid: use AllAtOnce, TimeBasedCanary or TimeBasedLinear.", r.Type)
	}
	if r.Percentage < 1 || r.Percentage > 99 {
		return errdefs.Detail(ErrInvalidTrafficRouting, "%s needs a percentage from 1 to 99, not %d.", r.Type, r.Percentage)
	}
	if r.IntervalMinutes < 1 {
		return errdefs.Detail(ErrInvalidTrafficRouting, "%s needs an interval of at least 1 minute, not %d.", r.Type, r.IntervalMinutes)
	}
	return nil
}
