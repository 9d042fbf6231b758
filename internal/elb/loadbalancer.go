package elb

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Load balancer types, schemes, states and address types.
const (
	TypeApplication = "application"
	TypeNetwork     = "network"
	TypeGateway     = "gateway"

	SchemeInternetFacing = "internet-facing"
	SchemeInternal       = "internal"

	StateActive = "active"
	StateFailed = "failed"

	IPv4                       = "ipv4"
	IPv6                       = "ipv6"
	Dualstack                  = "dualstack"
	DualstackWithoutPublicIPv4 = "dualstack-without-public-ipv4"
)

// DefaultVpcID is the VPC fargo reports for load balancers and for target groups created
// without one: fargo has no VPCs, and scripts read the id from one resource to create another.
const DefaultVpcID = "vpc-00000000000000000"

// MaxLoadBalancers is how many load balancers one region holds (ALB's quota).
const MaxLoadBalancers = 50

// LoadBalancer is an application load balancer. fargo serves every load balancer's listeners on
// one configured address, so subnets, zones and security groups are accepted and reported but
// place nothing.
type LoadBalancer struct {
	Name string
	// ID is the 16 hex digits that end the ARN.
	ID             string
	ARN            string
	Type           string
	Scheme         string
	IPAddressType  string
	VpcID          string
	Zones          []Zone
	SecurityGroups []string
	State          string
	CreatedTime    time.Time
	Attributes     Attributes
	Tags           []Tag
}

// Status returns the state DescribeLoadBalancers reports for lb, given its listeners: failed,
// with the reason, while the data plane cannot serve one of them (a load balancer that does not
// serve all its listeners cannot do its job, and its state is where tools look); its own
// state otherwise.
func (lb LoadBalancer) Status(listeners []Listener) (code, reason string) {
	var failed []string
	for _, l := range listeners {
		if l.Failure != "" && l.LoadBalancerARN == lb.ARN {
			failed = append(failed, fmt.Sprintf("listener %s:%d cannot serve: %s", l.Protocol, l.Port, l.Failure))
		}
	}
	if len(failed) == 0 {
		return lb.State, ""
	}
	slices.Sort(failed)
	return StateFailed, strings.Join(failed, "; ")
}

// Ref returns the name and id that identify lb.
func (lb LoadBalancer) Ref() LoadBalancerRef { return LoadBalancerRef{Name: lb.Name, ID: lb.ID} }

// Zone is an availability zone of a load balancer with the subnet it was given there.
type Zone struct {
	Name     string
	SubnetID string
}

// IdleTimeout is how long the load balancer keeps an idle client connection open.
func (lb LoadBalancer) IdleTimeout() time.Duration {
	return lb.Attributes.Seconds(AttrIdleTimeout)
}

// HTTP2 reports whether clients may speak HTTP/2 to HTTPS listeners.
func (lb LoadBalancer) HTTP2() bool { return lb.Attributes.Bool(AttrHTTP2) }

// LoadBalancerSpec is what CreateLoadBalancer asks for; empty strings take ALB's defaults.
type LoadBalancerSpec struct {
	Name          string
	Type          string
	Scheme        string
	IPAddressType string
	// Subnets are the subnets of Subnets or of SubnetMappings, in request order.
	Subnets        []string
	SecurityGroups []string
	Tags           []Tag
}

var lbNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// ValidateLoadBalancerName checks a name as ALB does: 1-32 alphanumerics or hyphens, neither
// starting nor ending with a hyphen, and not starting with "internal-".
func ValidateLoadBalancerName(name string) error {
	if !lbNamePattern.MatchString(name) {
		return invalidf("The load balancer name '%s' must have 1-32 alphanumeric characters or hyphens, and must not begin or end with a hyphen", clip(name))
	}
	if strings.HasPrefix(strings.ToLower(name), "internal-") {
		return invalidf("The load balancer name '%s' must not begin with 'internal-'", name)
	}
	return nil
}

// NewLoadBalancer validates spec and returns the load balancer it creates, active at once, with
// ALB's default attributes. id is the 16 hex digits of its ARN; the zones are named after the
// scope's region in subnet order (a, b, c, ...), since fargo knows no subnets.
func NewLoadBalancer(scope arn.Scope, spec LoadBalancerSpec, id string, now time.Time) (LoadBalancer, error) {
	if err := ValidateLoadBalancerName(spec.Name); err != nil {
		return LoadBalancer{}, err
	}
	lb := LoadBalancer{
		Name: spec.Name, ID: id,
		Type:           defaultString(spec.Type, TypeApplication),
		Scheme:         defaultString(spec.Scheme, SchemeInternetFacing),
		IPAddressType:  defaultString(spec.IPAddressType, IPv4),
		VpcID:          DefaultVpcID,
		SecurityGroups: slices.Clone(spec.SecurityGroups),
		State:          StateActive,
		CreatedTime:    now.UTC(),
		Tags:           slices.Clone(spec.Tags),
	}
	if err := lb.validateSettings(); err != nil {
		return LoadBalancer{}, err
	}
	for i, s := range spec.Subnets {
		if s == "" || slices.Contains(spec.Subnets[:i], s) {
			return LoadBalancer{}, invalidf("Subnet IDs must be unique and not empty")
		}
		lb.Zones = append(lb.Zones, Zone{Name: scope.Region + string(rune('a'+i%26)), SubnetID: s})
	}
	if err := ValidateTagRequest(lb.Tags); err != nil {
		return LoadBalancer{}, err
	}
	lb.ARN = LoadBalancerARN(scope, lb.Ref())
	lb.Attributes = lbAttributes.defaults()
	if lb.Scheme == SchemeInternal {
		lb.Attributes[AttrDenyAllIGWTraffic] = "true"
	}
	return lb, nil
}

func (lb LoadBalancer) validateSettings() error {
	switch lb.Type {
	case TypeApplication:
	case TypeNetwork, TypeGateway:
		return invalidf("Load balancers of type '%s' are not supported by fargo yet; only 'application' is", lb.Type)
	default:
		return invalidf("Load balancer type '%s' is not valid; use application", clip(lb.Type))
	}
	if lb.Scheme != SchemeInternetFacing && lb.Scheme != SchemeInternal {
		return invalidf("Scheme '%s' is not valid; use internet-facing or internal", clip(lb.Scheme))
	}
	switch lb.IPAddressType {
	case IPv4, Dualstack:
	case DualstackWithoutPublicIPv4:
		if lb.Scheme != SchemeInternetFacing {
			return errdefs.Detail(ErrInvalidConfiguration, "IP address type 'dualstack-without-public-ipv4' requires an internet-facing load balancer")
		}
	default:
		return invalidf("IP address type '%s' is not valid; use ipv4, dualstack or dualstack-without-public-ipv4", clip(lb.IPAddressType))
	}
	for _, sg := range lb.SecurityGroups {
		if sg == "" {
			return invalidf("Security group IDs must not be empty")
		}
	}
	return nil
}

// SameLoadBalancerSettings reports whether b was created with the settings of a, so that creating a load
// balancer that exists returns it (ALB's idempotency) instead of DuplicateLoadBalancerName.
// Tags do not count.
func SameLoadBalancerSettings(a, b LoadBalancer) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Scheme == b.Scheme &&
		a.IPAddressType == b.IPAddressType && slices.Equal(a.Zones, b.Zones) &&
		slices.Equal(a.SecurityGroups, b.SecurityGroups)
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
