package elb

import (
	"regexp"
	"slices"

	"github.com/fargohq/fargo/internal/arn"
)

// Target types and protocol versions.
const (
	TargetTypeInstance = "instance"
	TargetTypeIP       = "ip"

	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"

	ProtocolVersionHTTP1 = "HTTP1"
	ProtocolVersionHTTP2 = "HTTP2"
)

// MaxTargetGroups is how many target groups one region holds (ALB's quota).
const MaxTargetGroups = 3000

// TargetGroup is a set of targets behind one or more rules, with its health check and
// attributes. Which load balancers use it is derived from the rules (TargetGroupUsers), never
// stored, so it cannot disagree with them.
type TargetGroup struct {
	Name string
	// ID is the 16 hex digits that end the ARN.
	ID              string
	ARN             string
	Protocol        string
	ProtocolVersion string
	Port            int
	VpcID           string
	TargetType      string
	IPAddressType   string
	HealthCheck     HealthCheck
	Attributes      Attributes
	Tags            []Tag
}

// Ref returns the name and id that identify tg.
func (tg TargetGroup) Ref() TargetGroupRef { return TargetGroupRef{Name: tg.Name, ID: tg.ID} }

// TargetGroupSpec is what CreateTargetGroup asks for; empty strings and zero numbers take ALB's
// defaults (Port and Protocol have none: they are required).
type TargetGroupSpec struct {
	Name            string
	Protocol        string
	ProtocolVersion string
	Port            int
	VpcID           string
	TargetType      string
	IPAddressType   string
	HealthCheck     HealthCheckSpec
	Tags            []Tag
}

var tgNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// ValidateTargetGroupName checks a name as ALB does: 1-32 alphanumerics or hyphens, neither
// starting nor ending with a hyphen.
func ValidateTargetGroupName(name string) error {
	if !tgNamePattern.MatchString(name) {
		return invalidf("The target group name '%s' must have 1-32 alphanumeric characters or hyphens, and must not begin or end with a hyphen", clip(name))
	}
	return nil
}

// NewTargetGroup validates spec and returns the target group it creates, with ALB's default
// health check and attributes. id is the 16 hex digits of its ARN.
func NewTargetGroup(scope arn.Scope, spec TargetGroupSpec, id string) (TargetGroup, error) {
	if err := ValidateTargetGroupName(spec.Name); err != nil {
		return TargetGroup{}, err
	}
	tg := TargetGroup{
		Name: spec.Name, ID: id,
		Protocol:        spec.Protocol,
		ProtocolVersion: defaultString(spec.ProtocolVersion, ProtocolVersionHTTP1),
		Port:            spec.Port,
		VpcID:           defaultString(spec.VpcID, DefaultVpcID),
		TargetType:      defaultString(spec.TargetType, TargetTypeInstance),
		IPAddressType:   defaultString(spec.IPAddressType, IPv4),
		Tags:            slices.Clone(spec.Tags),
	}
	if err := tg.validateSettings(); err != nil {
		return TargetGroup{}, err
	}
	hc, err := defaultHealthCheck(tg.Protocol).apply(spec.HealthCheck)
	if err != nil {
		return TargetGroup{}, err
	}
	if err := ValidateTagRequest(tg.Tags); err != nil {
		return TargetGroup{}, err
	}
	tg.HealthCheck = hc
	tg.ARN = TargetGroupARN(scope, tg.Ref())
	tg.Attributes = tgAttributes.defaults()
	return tg, nil
}

func (tg TargetGroup) validateSettings() error {
	switch tg.TargetType {
	case TargetTypeInstance, TargetTypeIP:
	case "lambda", "alb":
		return invalidf("Target groups of target type '%s' are not supported by fargo yet; use instance or ip", tg.TargetType)
	default:
		return invalidf("Target type '%s' is not valid; use instance or ip", clip(tg.TargetType))
	}
	switch tg.Protocol {
	case ProtocolHTTP, ProtocolHTTPS:
	case "":
		return invalidf("A protocol must be specified for target groups of target type '%s'", tg.TargetType)
	case "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC":
		return invalidf("Protocol '%s' is for network and gateway load balancers, which fargo does not support yet; use HTTP or HTTPS", tg.Protocol)
	default:
		return invalidf("Protocol '%s' is not valid; use HTTP or HTTPS", clip(tg.Protocol))
	}
	switch tg.ProtocolVersion {
	case ProtocolVersionHTTP1, ProtocolVersionHTTP2:
	case "GRPC":
		return invalidf("Protocol version 'GRPC' is not supported by fargo yet; use HTTP1 or HTTP2")
	default:
		return invalidf("Protocol version '%s' is not valid; use HTTP1 or HTTP2", clip(tg.ProtocolVersion))
	}
	if tg.Port < 1 || tg.Port > 65535 {
		return invalidf("A port from 1 to 65535 must be specified for target groups of target type '%s'", tg.TargetType)
	}
	if tg.IPAddressType != IPv4 && tg.IPAddressType != IPv6 {
		return invalidf("IP address type '%s' is not valid for a target group; use ipv4 or ipv6", clip(tg.IPAddressType))
	}
	return nil
}

// WithHealthCheck returns tg with the health check settings spec gives, as ModifyTargetGroup
// does.
func (tg TargetGroup) WithHealthCheck(spec HealthCheckSpec) (TargetGroup, error) {
	hc, err := tg.HealthCheck.apply(spec)
	if err != nil {
		return TargetGroup{}, err
	}
	tg.HealthCheck = hc
	return tg, nil
}

// SameTargetGroupSettings reports whether b was created with the settings of a, so that
// creating a target group that exists returns it (ALB's idempotency) instead of
// DuplicateTargetGroupName. Tags and attributes do not count.
func SameTargetGroupSettings(a, b TargetGroup) bool {
	return a.Name == b.Name && a.Protocol == b.Protocol && a.ProtocolVersion == b.ProtocolVersion &&
		a.Port == b.Port && a.VpcID == b.VpcID && a.TargetType == b.TargetType &&
		a.IPAddressType == b.IPAddressType && a.HealthCheck == b.HealthCheck
}
