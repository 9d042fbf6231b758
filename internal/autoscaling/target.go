package autoscaling

import (
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The one kind of scalable target fargo serves: the desired count of an ECS service.
const (
	NamespaceECS      = "ecs"
	DimensionECSCount = "ecs:service:DesiredCount"
)

// TargetKey identifies a scalable target.
type TargetKey struct {
	Namespace  string
	ResourceID string // service/<cluster>/<service>
	Dimension  string
}

// Suspended says which scaling activities of a target are suspended.
type Suspended struct {
	DynamicScalingIn  bool
	DynamicScalingOut bool
	Scheduled         bool
}

// Target is a registered scalable target.
type Target struct {
	Key         TargetKey
	ARN         string
	MinCapacity int
	MaxCapacity int
	RoleARN     string
	Suspended   Suspended
	CreatedAt   time.Time
	Tags        map[string]string
}

// TargetInput is what RegisterScalableTarget gives: the members a client set. Members not set
// keep their value when a target is updated, and Tags count only when it is created.
type TargetInput struct {
	HasMin       bool
	Min          int
	HasMax       bool
	Max          int
	RoleARN      string
	HasSuspended bool
	Suspended    Suspended
	Tags         map[string]string
}

// CheckKey checks that key names the desired count of an ECS service, and returns the
// service's cluster and name.
func CheckKey(key TargetKey) (cluster, service string, err error) {
	if key.Namespace != NamespaceECS {
		return "", "", errdefs.InvalidArgument("fargo scales ECS services only: use ServiceNamespace ecs and ScalableDimension ecs:service:DesiredCount (not %s).", key.Namespace)
	}
	if key.Dimension != DimensionECSCount {
		return "", "", errUnsupported
	}
	parts := strings.Split(key.ResourceID, "/")
	if len(parts) != 3 || parts[0] != "service" {
		return "", "", errUnsupported
	}
	if parts[1] == "" || parts[2] == "" {
		return "", "", errdefs.InvalidArgument("Invalid ResourceId %q: an ECS service is service/<cluster name>/<service name>.", key.ResourceID)
	}
	return parts[1], parts[2], nil
}

// NewTarget returns a new target of key from in, which must give both capacities. role is the
// role when in gives none: the service-linked role of ECS scaling.
func NewTarget(key TargetKey, in TargetInput, arn, role string, now time.Time) (Target, error) {
	if !in.HasMin || !in.HasMax {
		return Target{}, errdefs.InvalidArgument("MinCapacity and MaxCapacity are required to register a new scalable target.")
	}
	// Tags are set when a target is created only; updates leave them.
	t := Target{Key: key, ARN: arn, RoleARN: role, CreatedAt: now, Tags: in.Tags}
	return t.Update(in)
}

// Update returns t with the members in gives changed.
func (t Target) Update(in TargetInput) (Target, error) {
	if in.HasMin {
		t.MinCapacity = in.Min
	}
	if in.HasMax {
		t.MaxCapacity = in.Max
	}
	if in.RoleARN != "" {
		t.RoleARN = in.RoleARN
	}
	if in.HasSuspended {
		t.Suspended = in.Suspended
	}
	switch {
	case t.MinCapacity < 0:
		return Target{}, errdefs.InvalidArgument("MinCapacity must be greater than or equal to 0.")
	case t.MaxCapacity < 0:
		return Target{}, errdefs.InvalidArgument("MaxCapacity must be greater than or equal to 0.")
	case t.MinCapacity > t.MaxCapacity:
		return Target{}, errdefs.InvalidArgument("Minimum capacity cannot be greater than maximum capacity")
	}
	return t, nil
}
