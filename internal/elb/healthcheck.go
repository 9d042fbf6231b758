package elb

import (
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// HealthCheck is a target group's health check with every default filled in.
type HealthCheck struct {
	// Enabled is always true for ALB target groups of type instance and ip.
	Enabled  bool
	Protocol string
	// Port is "traffic-port" (each target's own port) or a port number.
	Port               string
	Path               string
	IntervalSeconds    int
	TimeoutSeconds     int
	HealthyThreshold   int
	UnhealthyThreshold int
	// Matcher is the HTTP codes that count as healthy: "200", "200,202" or "200-299".
	Matcher string
}

// TrafficPort is the HealthCheck.Port that means "the port the target receives traffic on".
const TrafficPort = "traffic-port"

// Health check defaults of an HTTP or HTTPS target group. The model's documentation gives 6 s
// (HTTP) and 10 s (HTTPS) as the default timeout, but application load balancers answer 5 s for
// both, and 5 is what clients see; fargo follows the service.
const (
	DefaultHealthCheckInterval  = 30
	DefaultHealthCheckTimeout   = 5
	DefaultHealthyThreshold     = 5
	DefaultUnhealthyThreshold   = 2
	DefaultHealthCheckPath      = "/"
	DefaultHealthCheckMatcher   = "200"
	healthCheckMaxPathLength    = 1024
	healthCheckMatcherLowCode   = 200
	healthCheckMatcherHighCode  = 499
	healthCheckMatcherMaxLength = 2000
)

// HealthCheckSpec is a request's health check settings. Empty strings and zero numbers are not
// given: CreateTargetGroup takes the default, ModifyTargetGroup keeps the current value. A
// negative number is given but invalid (the API maps an explicit 0 to -1), so ranges reject it.
type HealthCheckSpec struct {
	// Disable is set when the request sent HealthCheckEnabled=false.
	Disable            bool
	Protocol           string
	Port               string
	Path               string
	IntervalSeconds    int
	TimeoutSeconds     int
	HealthyThreshold   int
	UnhealthyThreshold int
	Matcher            string
}

func defaultHealthCheck(protocol string) HealthCheck {
	return HealthCheck{
		Enabled: true, Protocol: protocol, Port: TrafficPort, Path: DefaultHealthCheckPath,
		IntervalSeconds: DefaultHealthCheckInterval, TimeoutSeconds: DefaultHealthCheckTimeout,
		HealthyThreshold: DefaultHealthyThreshold, UnhealthyThreshold: DefaultUnhealthyThreshold,
		Matcher: DefaultHealthCheckMatcher,
	}
}

// apply returns hc with the settings spec gives, validated.
func (hc HealthCheck) apply(spec HealthCheckSpec) (HealthCheck, error) {
	if spec.Disable {
		return HealthCheck{}, errdefs.Detail(ErrInvalidConfiguration, "Health checks cannot be disabled for target groups with target type 'instance' or 'ip'")
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	setInt := func(dst *int, v int) {
		if v != 0 {
			*dst = v
		}
	}
	set(&hc.Protocol, spec.Protocol)
	set(&hc.Port, spec.Port)
	set(&hc.Path, spec.Path)
	set(&hc.Matcher, spec.Matcher)
	setInt(&hc.IntervalSeconds, spec.IntervalSeconds)
	setInt(&hc.TimeoutSeconds, spec.TimeoutSeconds)
	setInt(&hc.HealthyThreshold, spec.HealthyThreshold)
	setInt(&hc.UnhealthyThreshold, spec.UnhealthyThreshold)
	// A request that shortens the interval without naming a timeout (the seed's
	// --health-check-interval-seconds 5) gets a timeout that fits, not an error about a value it
	// never chose.
	if spec.TimeoutSeconds == 0 && hc.TimeoutSeconds >= hc.IntervalSeconds {
		hc.TimeoutSeconds = max(hc.IntervalSeconds-1, 2)
	}
	return hc, hc.validate()
}

func (hc HealthCheck) validate() error {
	if hc.Protocol != "HTTP" && hc.Protocol != "HTTPS" {
		return invalidf("Health check protocol '%s' is not supported for application load balancers; use HTTP or HTTPS", clip(hc.Protocol))
	}
	if hc.Port != TrafficPort {
		if n, err := strconv.Atoi(hc.Port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != hc.Port {
			return invalidf("Health check port '%s' must be 'traffic-port' or a port from 1 to 65535", clip(hc.Port))
		}
	}
	if !strings.HasPrefix(hc.Path, "/") || len(hc.Path) > healthCheckMaxPathLength {
		return invalidf("Health check path must start with '/' and be at most %d characters long", healthCheckMaxPathLength)
	}
	checks := []struct {
		name   string
		v      int
		lo, hi int
	}{
		{"Health check interval", hc.IntervalSeconds, 5, 300},
		{"Health check timeout", hc.TimeoutSeconds, 2, 120},
		{"Healthy threshold count", hc.HealthyThreshold, 2, 10},
		{"Unhealthy threshold count", hc.UnhealthyThreshold, 2, 10},
	}
	for _, c := range checks {
		if c.v < c.lo || c.v > c.hi {
			return invalidf("%s must be between %d and %d", c.name, c.lo, c.hi)
		}
	}
	if hc.TimeoutSeconds >= hc.IntervalSeconds {
		return errdefs.Detail(ErrInvalidConfiguration, "Health check timeout (%d) must be smaller than the interval (%d)", hc.TimeoutSeconds, hc.IntervalSeconds)
	}
	return ValidateMatcher(hc.Matcher)
}

// ValidateMatcher checks an HTTP code matcher of an ALB health check: codes from 200 to 499,
// separated by commas ("200,202") or as ranges ("200-299").
func ValidateMatcher(m string) error {
	bad := invalidf("Health check matcher HttpCode '%s' must be codes from %d to %d, as a list ('200,202') or a range ('200-299')",
		clip(m), healthCheckMatcherLowCode, healthCheckMatcherHighCode)
	if m == "" || len(m) > healthCheckMatcherMaxLength {
		return bad
	}
	for part := range strings.SplitSeq(m, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			hi = lo
		}
		l, ok1 := matcherCode(lo)
		h, ok2 := matcherCode(hi)
		if !ok1 || !ok2 || l > h {
			return bad
		}
	}
	return nil
}

func matcherCode(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, n >= healthCheckMatcherLowCode && n <= healthCheckMatcherHighCode
}
