package elb

import (
	"regexp"
	"slices"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Listener limits and defaults.
const (
	// MaxListenersPerLoadBalancer is ALB's quota.
	MaxListenersPerLoadBalancer = 50
	// DefaultSSLPolicy is the policy of an HTTPS listener created without one.
	DefaultSSLPolicy = "ELBSecurityPolicy-2016-08"
)

// Listener accepts connections on a port of its load balancer. Its default actions live in its
// default rule (Rule.IsDefault), so that one place says what a listener does.
type Listener struct {
	// ID is the 16 hex digits that end the ARN.
	ID              string
	ARN             string
	LoadBalancerARN string
	Port            int
	Protocol        string
	// SSLPolicy and Certificates are set for HTTPS listeners only. fargo stores the policy
	// name; the data plane uses Go's TLS defaults (TLS 1.2 and later).
	SSLPolicy    string
	Certificates []Certificate
	Tags         []Tag
	// Failure says why the data plane cannot serve the listener (its port is taken, its
	// certificate cannot be read), as lbsync last saw it; empty while it serves. The load
	// balancer reports it as its state (Status).
	Failure string
}

// Certificate is a listener's certificate; see CertificateFiles for the forms of ARN.
type Certificate struct {
	ARN string
}

// ListenerSpec is what CreateListener asks for.
type ListenerSpec struct {
	Port         int
	Protocol     string
	SSLPolicy    string
	Certificates []string
	// HasAlpnPolicy is set when the request sent an AlpnPolicy, which ALB listeners refuse.
	HasAlpnPolicy  bool
	DefaultActions []ActionSpec
	Tags           []Tag
}

// ListenerChange is what ModifyListener asks for; zero values and nil lists keep the current
// settings.
type ListenerChange struct {
	Port           int
	Protocol       string
	SSLPolicy      string
	Certificates   []string
	HasAlpnPolicy  bool
	DefaultActions []ActionSpec
}

// NewListener validates spec and returns the listener it creates on lb and the listener's
// default rule. id and ruleID are the 16 hex digits of their ARNs. Whether the port is free and
// the target groups exist is for the caller to check against the store.
func NewListener(scope arn.Scope, lb LoadBalancer, spec ListenerSpec, id, ruleID string) (Listener, Rule, error) {
	ref := ListenerRef{LoadBalancer: lb.Ref(), ID: id}
	l := Listener{
		ID: id, ARN: ListenerARN(scope, ref), LoadBalancerARN: lb.ARN,
		Port: spec.Port, Protocol: spec.Protocol, SSLPolicy: spec.SSLPolicy,
		Tags: slices.Clone(spec.Tags),
	}
	for _, c := range spec.Certificates {
		l.Certificates = append(l.Certificates, Certificate{ARN: c})
	}
	if err := l.validate(spec.HasAlpnPolicy); err != nil {
		return Listener{}, Rule{}, err
	}
	actions, err := NewActions(spec.DefaultActions)
	if err != nil {
		return Listener{}, Rule{}, err
	}
	if err := ValidateTagRequest(l.Tags); err != nil {
		return Listener{}, Rule{}, err
	}
	return l, newDefaultRule(scope, l, ruleID, actions), nil
}

// Modify returns l with ch applied, and the new default actions when ch changes them (nil
// otherwise). Switching to HTTP drops the certificates and SSL policy.
func (l Listener) Modify(ch ListenerChange) (Listener, []Action, error) {
	if ch.Port != 0 {
		l.Port = ch.Port
	}
	if ch.Protocol != "" && ch.Protocol != l.Protocol {
		l.Protocol = ch.Protocol
		if l.Protocol == ProtocolHTTP {
			l.SSLPolicy, l.Certificates = "", nil
		}
	}
	if ch.SSLPolicy != "" {
		l.SSLPolicy = ch.SSLPolicy
	}
	if ch.Certificates != nil {
		l.Certificates = nil
		for _, c := range ch.Certificates {
			l.Certificates = append(l.Certificates, Certificate{ARN: c})
		}
	}
	if err := l.validate(ch.HasAlpnPolicy); err != nil {
		return Listener{}, nil, err
	}
	if ch.DefaultActions == nil {
		return l, nil, nil
	}
	actions, err := NewActions(ch.DefaultActions)
	if err != nil {
		return Listener{}, nil, err
	}
	return l, actions, nil
}

var sslPolicyPattern = regexp.MustCompile(`^ELBSecurityPolicy-[A-Za-z0-9-]{1,100}$`)

// validate checks l's port, protocol and TLS settings, filling in the default SSL policy.
func (l *Listener) validate(hasAlpn bool) error {
	switch l.Protocol {
	case ProtocolHTTP, ProtocolHTTPS:
	case "":
		return invalidf("A listener protocol must be specified")
	case "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC":
		return errdefs.Detail(ErrUnsupportedProtocol, "Protocol '%s' is not supported by application load balancers; use HTTP or HTTPS", l.Protocol)
	default:
		return invalidf("Protocol '%s' is not valid; use HTTP or HTTPS", clip(l.Protocol))
	}
	if l.Port < 1 || l.Port > 65535 {
		return invalidf("A listener port from 1 to 65535 must be specified")
	}
	if hasAlpn {
		return errdefs.Detail(ErrInvalidConfiguration, "ALPN policies apply only to TLS listeners of network load balancers")
	}
	if l.Protocol == ProtocolHTTP {
		if len(l.Certificates) > 0 || l.SSLPolicy != "" {
			return errdefs.Detail(ErrInvalidConfiguration, "Certificates and SSL policies can be specified only for HTTPS listeners")
		}
		return nil
	}
	switch {
	case len(l.Certificates) == 0:
		return invalidf("A certificate must be specified for HTTPS listeners")
	case len(l.Certificates) > 1:
		return errdefs.Detail(ErrTooManyCertificates, "A listener takes one default certificate")
	}
	if _, _, err := CertificateFiles(l.Certificates[0].ARN, "/"); err != nil {
		return err
	}
	l.SSLPolicy = defaultString(l.SSLPolicy, DefaultSSLPolicy)
	if !sslPolicyPattern.MatchString(l.SSLPolicy) {
		return errdefs.Detail(ErrSSLPolicyNotFound, "SSL policy '%s' not found", clip(l.SSLPolicy))
	}
	return nil
}

// PortClaim says which listener binds a port. fargo serves the listeners of every load
// balancer on one address, so a port can belong to one listener of all load balancers, not
// only of one; a claim per port makes that unique in the same transaction that writes the
// listener.
type PortClaim struct {
	Port        int
	ListenerARN string
}

// SameListenerSettings reports whether listener b with default rule bDef was created with the
// settings of a and aDef, so that creating a listener that exists returns it (ALB's
// idempotency) instead of DuplicateListener. Tags do not count.
func SameListenerSettings(a Listener, aDef Rule, b Listener, bDef Rule) bool {
	return a.LoadBalancerARN == b.LoadBalancerARN && a.Port == b.Port && a.Protocol == b.Protocol &&
		a.SSLPolicy == b.SSLPolicy && slices.Equal(a.Certificates, b.Certificates) &&
		slices.EqualFunc(aDef.Actions, bDef.Actions, SameAction)
}
