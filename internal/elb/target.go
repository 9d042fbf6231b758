package elb

import (
	"net/netip"
	"regexp"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// MaxTargetsPerGroup is how many targets one target group holds (ALB's quota).
const MaxTargetsPerGroup = 1000

// Target is a registered backend: an instance id or IP address and the port it serves on.
type Target struct {
	ID               string
	Port             int
	AvailabilityZone string
}

// TargetState is a target's state as DescribeTargetHealth reports it.
type TargetState string

// The target states.
const (
	TargetInitial           TargetState = "initial"
	TargetHealthy           TargetState = "healthy"
	TargetUnhealthy         TargetState = "unhealthy"
	TargetUnhealthyDraining TargetState = "unhealthy.draining"
	TargetUnused            TargetState = "unused"
	TargetDraining          TargetState = "draining"
	TargetUnavailable       TargetState = "unavailable"
)

// Reasons ALB gives with a target state; a healthy target has none.
const (
	ReasonRegistrationInProgress   = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonNotRegistered            = "Target.NotRegistered"
	ReasonNotInUse                 = "Target.NotInUse"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
	ReasonInvalidState             = "Target.InvalidState"
	ReasonHealthCheckDisabled      = "Target.HealthCheckDisabled"
	ReasonInternalError            = "Elb.InternalError"
)

// TargetHealth is a target's state with ALB's reason and description.
type TargetHealth struct {
	State       TargetState
	Reason      string
	Description string
}

// Registration is one target of one target group. The API creates it (RegisterTargets) and
// marks it draining (DeregisterTargets); the lbsync controller writes Health as its checks
// observe the target, and deletes a draining registration once the target drained.
type Registration struct {
	TargetGroupARN string
	Target         Target
	RegisteredAt   time.Time
	// Draining is set by DeregisterTargets; DeregisteredAt is when.
	Draining       bool
	DeregisteredAt time.Time
	// Health is what the controller last observed; initial (Elb.RegistrationInProgress) until
	// it checks the target.
	Health TargetHealth
	// TaskARN names the ECS task this target belongs to when ECS registered it for a service
	// (empty for targets registered through the API).
	TaskARN string
}

// The health ALB reports in the states that the API, not health checks, decides.
var (
	healthRegistering = TargetHealth{TargetInitial, ReasonRegistrationInProgress, "Target registration is in progress"}
	healthDraining    = TargetHealth{TargetDraining, ReasonDeregistrationInProgress, "Target deregistration is in progress"}
	healthNotInUse    = TargetHealth{TargetUnused, ReasonNotInUse, "Target group is not configured to receive traffic from the load balancer"}
	healthNotReg      = TargetHealth{TargetUnused, ReasonNotRegistered, "Target is not registered to the target group"}
)

// NotRegistered is the health DescribeTargetHealth reports for a target that asked about but
// not registered.
func NotRegistered() TargetHealth { return healthNotReg }

// Reported is the health DescribeTargetHealth reports for r: draining once deregistered,
// unused while no load balancer uses the group (inUse false), else what the controller
// observed.
func (r Registration) Reported(inUse bool) TargetHealth {
	switch {
	case r.Draining:
		return healthDraining
	case !inUse:
		return healthNotInUse
	}
	return r.Health
}

// HealthCheckPort is the port health checks of t use in tg, as a string.
func HealthCheckPort(tg TargetGroup, t Target) string {
	if tg.HealthCheck.Port == TrafficPort {
		return strconv.Itoa(t.Port)
	}
	return tg.HealthCheck.Port
}

var instanceIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$`)

// ValidateTarget checks t for tg and fills in tg's port when t has none. An ip target must be
// an address of the group's family (any address: fargo's targets live on loopback and private
// networks alike). fargo has no EC2 instances: an instance target's id is a name the data plane
// resolves (a container instance's address, a host name or an IP), so any id of 1-255 word
// characters, dots, colons and hyphens passes. Errors match ErrInvalidTarget.
func ValidateTarget(tg TargetGroup, t Target) (Target, error) {
	if t.Port == 0 {
		t.Port = tg.Port
	}
	if t.Port < 1 || t.Port > 65535 {
		return Target{}, errdefs.Detail(ErrInvalidTarget, "The following targets have an invalid port: '%s' (ports are 1 to 65535)", clip(t.ID))
	}
	if tg.TargetType == TargetTypeIP {
		addr, err := netip.ParseAddr(t.ID)
		if err != nil || addr.Zone() != "" || tg.IPAddressType == IPv4 && !addr.Is4() || tg.IPAddressType == IPv6 && !addr.Is6() {
			return Target{}, errdefs.Detail(ErrInvalidTarget, "The following targets are not valid %s addresses: '%s'", tg.IPAddressType, clip(t.ID))
		}
		return t, nil
	}
	if !instanceIDPattern.MatchString(t.ID) {
		return Target{}, errdefs.Detail(ErrInvalidTarget, "The following targets are not valid instance ids: '%s'", clip(t.ID))
	}
	return t, nil
}

// SameTarget reports whether a and b are one registration: the same id and port.
func SameTarget(a, b Target) bool { return a.ID == b.ID && a.Port == b.Port }

// Register returns the registrations RegisterTargets writes for targets in tg, given the
// group's current registrations: a new one starts initial (Elb.RegistrationInProgress), a
// draining one is registered again, and one that is registered already is left alone (not
// returned). More than MaxTargetsPerGroup targets in all is TooManyTargets.
func Register(tg TargetGroup, current []Registration, targets []Target, now time.Time) ([]Registration, error) {
	var out []Registration
	count := len(current)
	for _, t := range targets {
		t, err := ValidateTarget(tg, t)
		if err != nil {
			return nil, err
		}
		if containsTarget(out, t) {
			continue
		}
		i := indexTarget(current, t)
		switch {
		case i < 0:
			count++
		case !current[i].Draining:
			continue
		}
		out = append(out, Registration{
			TargetGroupARN: tg.ARN, Target: t, RegisteredAt: now.UTC(), Health: healthRegistering,
		})
	}
	if count > MaxTargetsPerGroup {
		return nil, errdefs.Detail(ErrTooManyTargets, "A target group can have at most %d targets", MaxTargetsPerGroup)
	}
	return out, nil
}

// Deregister returns the registrations DeregisterTargets changes: registered targets start
// draining (returned in drain) unless no load balancer uses the group, in which case there is
// nothing to drain and they go at once (returned in remove). Targets that are not registered or
// already draining are left alone, as ALB does.
func Deregister(tg TargetGroup, current []Registration, targets []Target, inUse bool, now time.Time) (drain, remove []Registration, err error) {
	for _, t := range targets {
		t, err := ValidateTarget(tg, t)
		if err != nil {
			return nil, nil, err
		}
		i := indexTarget(current, t)
		if i < 0 || current[i].Draining || containsTarget(drain, t) || containsTarget(remove, t) {
			continue
		}
		r := current[i]
		if !inUse {
			remove = append(remove, r)
			continue
		}
		r.Draining, r.DeregisteredAt, r.Health = true, now.UTC(), healthDraining
		drain = append(drain, r)
	}
	return drain, remove, nil
}

func indexTarget(regs []Registration, t Target) int {
	for i, r := range regs {
		if SameTarget(r.Target, t) {
			return i
		}
	}
	return -1
}

func containsTarget(regs []Registration, t Target) bool { return indexTarget(regs, t) >= 0 }
