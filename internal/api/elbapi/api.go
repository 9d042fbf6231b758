package elbapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

// Version is the ELBv2 API version of Query requests.
const Version = "2015-12-01"

// Namespace is the xmlns of ELBv2 responses.
const Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

// hostedZoneID is the CanonicalHostedZoneId of every load balancer: fargo has no Route 53, but
// tools read the member.
const hostedZoneID = "Z0FARGO00000000"

// Config holds the API's settings. The zero value works.
type Config struct {
	// ListenerHost is the address the data plane binds every listener on (default 127.0.0.1).
	// It is each load balancer's DNSName: an address that reaches the listeners, so that
	// `curl http://$DNSName:$port/` works as on AWS. An unspecified address (0.0.0.0, ::)
	// binds every interface, and DNSName is then the loopback address of its family.
	ListenerHost string
	// CertificateDir holds the files of ACM-style certificate ARNs: <id>.crt and <id>.key
	// (see elb.CertificateFiles). Empty: only file:// certificates work.
	CertificateDir string
	// Random is where resource ids come from; crypto/rand when nil.
	Random io.Reader
	// CheckPorts makes CreateListener and ModifyListener try to bind a new listener port on
	// ListenerHost first and refuse one the data plane could never serve: another process
	// holds it, or binding it is not allowed. Off by default, for tests whose listeners are
	// never bound.
	CheckPorts bool
	// APIAddr is where fargo's own API listens (host:port); a listener on its port is refused
	// with a message that says so. Empty or port 0: nothing to refuse.
	APIAddr string
}

// API serves ELBv2 operations over a store.
type API struct {
	store *store.Store
	scope arn.Scope
	now   func() time.Time
	cfg   Config
}

// New returns the ELBv2 API over st, naming resources in scope. now is the clock.
func New(st *store.Store, scope arn.Scope, now func() time.Time, cfg Config) *API {
	if now == nil {
		now = time.Now
	}
	if cfg.ListenerHost == "" {
		cfg.ListenerHost = "127.0.0.1"
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	return &API{store: st, scope: scope, now: now, cfg: cfg}
}

// Service describes the ELBv2 endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "elasticloadbalancing",
		SigningName:  "elasticloadbalancing",
		Protocol:     awsproto.ProtocolQuery,
		Version:      Version,
		XMLNamespace: Namespace,
		Operations:   a.operations(),
		ErrorFor:     errorFor,
		ClientError:  "ValidationError",
		Targets:      targets,
	}
}

func (a *API) operations() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateLoadBalancer":             awsproto.Query(a.createLoadBalancer),
		"DescribeLoadBalancers":          awsproto.Query(a.describeLoadBalancers),
		"DeleteLoadBalancer":             awsproto.Query(a.deleteLoadBalancer),
		"DescribeLoadBalancerAttributes": awsproto.Query(a.describeLoadBalancerAttributes),
		"ModifyLoadBalancerAttributes":   awsproto.Query(a.modifyLoadBalancerAttributes),
		"CreateTargetGroup":              awsproto.Query(a.createTargetGroup),
		"DescribeTargetGroups":           awsproto.Query(a.describeTargetGroups),
		"ModifyTargetGroup":              awsproto.Query(a.modifyTargetGroup),
		"DeleteTargetGroup":              awsproto.Query(a.deleteTargetGroup),
		"DescribeTargetGroupAttributes":  awsproto.Query(a.describeTargetGroupAttributes),
		"ModifyTargetGroupAttributes":    awsproto.Query(a.modifyTargetGroupAttributes),
		"RegisterTargets":                awsproto.Query(a.registerTargets),
		"DeregisterTargets":              awsproto.Query(a.deregisterTargets),
		"DescribeTargetHealth":           awsproto.Query(a.describeTargetHealth),
		"CreateListener":                 awsproto.Query(a.createListener),
		"DescribeListeners":              awsproto.Query(a.describeListeners),
		"ModifyListener":                 awsproto.Query(a.modifyListener),
		"DeleteListener":                 awsproto.Query(a.deleteListener),
		"CreateRule":                     awsproto.Query(a.createRule),
		"DescribeRules":                  awsproto.Query(a.describeRules),
		"ModifyRule":                     awsproto.Query(a.modifyRule),
		"DeleteRule":                     awsproto.Query(a.deleteRule),
		"SetRulePriorities":              awsproto.Query(a.setRulePriorities),
		"AddTags":                        awsproto.Query(a.addTags),
		"RemoveTags":                     awsproto.Query(a.removeTags),
		"DescribeTags":                   awsproto.Query(a.describeTags),
	}
}

// newID returns 16 random hex digits, the id that ends every ELBv2 ARN.
func (a *API) newID() (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(a.cfg.Random, b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// dnsName is the DNSName of every load balancer: the listener address, or loopback when the
// listeners bind every interface.
func (a *API) dnsName() string {
	addr, err := netip.ParseAddr(a.cfg.ListenerHost)
	switch {
	case err != nil || !addr.IsUnspecified():
		return a.cfg.ListenerHost
	case addr.Is4():
		return "127.0.0.1"
	default:
		return "::1"
	}
}
