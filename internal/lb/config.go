package lb

import "time"

// Config is the whole data plane: every listener with its rules, and every target group with
// its targets. It is an immutable value: the proxy compiles it ahead of time and swaps the
// compiled form atomically (Proxy.Apply), so a request sees either the old routing or the new.
type Config struct {
	Listeners    []Listener
	TargetGroups []TargetGroup
}

// Listener serves one port.
type Listener struct {
	// ID identifies the listener across configs (the listener ARN).
	ID string
	// Addr is the host:port to bind, for example 127.0.0.1:8080.
	Addr string
	// Protocol is "HTTP" or "HTTPS".
	Protocol string
	// CertFile and KeyFile are the PEM certificate chain and key of an HTTPS listener.
	CertFile, KeyFile string
	// HTTP2 enables HTTP/2 (by ALPN) on HTTPS listeners; ALB's routing.http2.enabled.
	HTTP2 bool
	// IdleTimeout closes client connections idle that long; ALB's idle_timeout.timeout_seconds
	// (default 60 s).
	IdleTimeout time.Duration
	// Rules in evaluation order: by priority, lowest first; the default rule last.
	Rules []Rule
}

// Rule is a set of conditions (all must match) and the action to take.
type Rule struct {
	ID         string
	Priority   int // 0 for the default rule
	Conditions []Condition
	Action     Action
}

// Condition is one rule condition; values within one condition are alternatives (any matches).
type Condition struct {
	// Field is host-header, path-pattern, http-header, http-request-method, query-string or
	// source-ip.
	Field string
	// Values are the patterns of host-header and path-pattern (wildcards * and ?), the header
	// values of http-header (wildcards too, case-insensitive), the methods of
	// http-request-method, and the CIDRs of source-ip.
	Values []string
	// HeaderName is the header of an http-header condition.
	HeaderName string
	// Query holds the key/value patterns of a query-string condition; an empty Key matches
	// any key.
	Query []QueryPattern
}

// QueryPattern is one key/value pattern of a query-string condition.
type QueryPattern struct {
	Key, Value string
}

// Action is what a matching rule does.
type Action struct {
	// Type is forward, fixed-response or redirect.
	Type          string
	Forward       Forward
	FixedResponse FixedResponse
	Redirect      Redirect
}

// Forward sends the request to one of several target groups, chosen by weight.
type Forward struct {
	TargetGroups []WeightedGroup
	// Stickiness pins a client to the group it got first (ALB's target group stickiness),
	// with a cookie valid for Duration (default one day). A sticky client stays on its group,
	// whatever the weights, while that group is in the action and has a routable target.
	Stickiness         bool
	StickinessDuration time.Duration
}

// WeightedGroup is a target group with its weight (0–999) in a forward action.
type WeightedGroup struct {
	GroupID string
	Weight  int
}

// FixedResponse answers without a target.
type FixedResponse struct {
	StatusCode  int
	ContentType string
	Body        string
}

// Redirect answers with a redirect. Empty fields keep the request's value; ALB's #{protocol},
// #{host}, #{port}, #{path} and #{query} placeholders are expanded.
type Redirect struct {
	Protocol, Host, Port, Path, Query string
	StatusCode                        int // 301 or 302
}

// TargetGroup is a set of targets with its health check and balancing settings.
type TargetGroup struct {
	// ID identifies the group across configs (the target group ARN).
	ID string
	// Protocol to the targets: HTTP or HTTPS.
	Protocol    string
	HealthCheck HealthCheck
	// Algorithm is round_robin (default) or least_outstanding_requests.
	Algorithm string
	// SlowStart ramps a newly healthy target's share of requests linearly over this duration.
	SlowStart time.Duration
	// DeregistrationDelay bounds how long a removed target drains: it gets no new requests and
	// is released when its requests in flight finished or this delay elapsed, whichever is first.
	// Zero releases at once (ALB allows 0); the caller passes ALB's default of 300 s itself.
	DeregistrationDelay time.Duration
	// Stickiness pins a client to a target with an AWSALB-style cookie valid for Duration
	// (default one day).
	Stickiness         bool
	StickinessDuration time.Duration
	// Targets currently registered. A target that disappears from a later config starts
	// draining.
	Targets []Target
}

// Target is one registered backend.
type Target struct {
	// ID identifies the target within its group across configs, for example "10.0.0.5:8080"
	// or "task/abc:8080".
	ID string
	// Addr is where requests go: host:port.
	Addr string
	// HealthCheckAddr is where health checks go when they use another port; Addr when empty.
	HealthCheckAddr string
}

// HealthCheck is a target group's active HTTP health check, with ALB's semantics.
type HealthCheck struct {
	// Disabled turns checks off: targets are then routable at once (state "unavailable").
	Disabled bool
	Path     string // default "/"
	Protocol string // HTTP or HTTPS; the group's protocol when empty
	// Interval between checks of one target (default 30 s) and the Timeout of one check
	// (default 5 s).
	Interval time.Duration
	Timeout  time.Duration
	// HealthyThreshold is how many consecutive successes make an unhealthy target healthy
	// (default 5); a new target needs only one. UnhealthyThreshold is how many consecutive
	// failures make a target unhealthy (default 2).
	HealthyThreshold   int
	UnhealthyThreshold int
	// Matcher is ALB's HttpCode: "200", "200,202", "200-299" (default "200").
	Matcher string
}

// TargetState is a target's state as ALB reports it in DescribeTargetHealth.
type TargetState string

// Target states.
const (
	StateInitial     TargetState = "initial"
	StateHealthy     TargetState = "healthy"
	StateUnhealthy   TargetState = "unhealthy"
	StateDraining    TargetState = "draining"
	StateUnavailable TargetState = "unavailable"
	StateUnused      TargetState = "unused"
)

// Reason codes of TargetHealth, as ALB reports them.
const (
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
	ReasonHealthCheckDisabled      = "Target.HealthCheckDisabled"
	ReasonNotRegistered            = "Target.NotRegistered"
)

// TargetHealth is what the proxy knows about one target, with ALB's reason codes
// (Elb.InitialHealthChecking, Target.ResponseCodeMismatch, Target.Timeout,
// Target.FailedHealthChecks, Target.DeregistrationInProgress, Target.HealthCheckDisabled).
type TargetHealth struct {
	GroupID  string
	TargetID string
	// Addr is the target's address. A config that keeps a target ID but changes its Addr
	// deregisters the old address (it drains) and registers the new one, so for a while two
	// entries share the ID; Addr tells them apart.
	Addr        string
	State       TargetState
	Reason      string
	Description string
	// InFlight is the number of requests the target is serving now.
	InFlight int
}
