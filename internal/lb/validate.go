package lb

import (
	"net"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Protocols, algorithms, action types and condition fields that Config accepts.
const (
	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"

	AlgorithmRoundRobin     = "round_robin"
	AlgorithmLeastRequests  = "least_outstanding_requests"
	AlgorithmWeightedRandom = "weighted_random"

	ActionForward       = "forward"
	ActionFixedResponse = "fixed-response"
	ActionRedirect      = "redirect"

	FieldHostHeader    = "host-header"
	FieldPathPattern   = "path-pattern"
	FieldHTTPHeader    = "http-header"
	FieldRequestMethod = "http-request-method"
	FieldQueryString   = "query-string"
	FieldSourceIP      = "source-ip"
)

// maxWeight is ALB's largest forward weight.
const maxWeight = 999

// Validate reports the first problem that makes c unusable, as an errdefs.ErrInvalidArgument
// error. Apply validates before it changes anything.
func (c Config) Validate() error {
	groups := make(map[string]bool, len(c.TargetGroups))
	for i := range c.TargetGroups {
		g := &c.TargetGroups[i]
		if g.ID == "" {
			return errdefs.InvalidArgument("lb: target group %d has no ID", i)
		}
		if groups[g.ID] {
			return errdefs.InvalidArgument("lb: duplicate target group %q", g.ID)
		}
		groups[g.ID] = true
		if err := g.validate(); err != nil {
			return err
		}
	}
	ids := make(map[string]bool, len(c.Listeners))
	addrs := make(map[string]string, len(c.Listeners))
	for i := range c.Listeners {
		l := &c.Listeners[i]
		if l.ID == "" {
			return errdefs.InvalidArgument("lb: listener %d has no ID", i)
		}
		if ids[l.ID] {
			return errdefs.InvalidArgument("lb: duplicate listener %q", l.ID)
		}
		ids[l.ID] = true
		if err := l.validate(groups); err != nil {
			return err
		}
		if _, port, _ := net.SplitHostPort(l.Addr); port != "0" {
			if other, ok := addrs[l.Addr]; ok {
				return errdefs.InvalidArgument("lb: listeners %q and %q both bind %s", other, l.ID, l.Addr)
			}
			addrs[l.Addr] = l.ID
		}
	}
	return nil
}

func (l *Listener) validate(groups map[string]bool) error {
	if _, _, err := net.SplitHostPort(l.Addr); err != nil {
		return errdefs.InvalidArgument("lb: listener %q: address %q: %v", l.ID, l.Addr, err)
	}
	switch l.Protocol {
	case "", ProtocolHTTP:
	case ProtocolHTTPS:
		if l.CertFile == "" || l.KeyFile == "" {
			return errdefs.InvalidArgument("lb: listener %q: HTTPS needs a certificate and a key", l.ID)
		}
	default:
		return errdefs.InvalidArgument("lb: listener %q: protocol %q is not HTTP or HTTPS", l.ID, l.Protocol)
	}
	if l.IdleTimeout < 0 {
		return errdefs.InvalidArgument("lb: listener %q: negative idle timeout", l.ID)
	}
	if len(l.Rules) == 0 {
		return errdefs.InvalidArgument("lb: listener %q has no rules (a default action is required)", l.ID)
	}
	for i := range l.Rules {
		r := &l.Rules[i]
		for j := range r.Conditions {
			if err := r.Conditions[j].validate(); err != nil {
				return errdefs.InvalidArgument("lb: listener %q rule %d (%s): %v", l.ID, i, r.ID, err)
			}
		}
		if err := r.Action.validate(groups); err != nil {
			return errdefs.InvalidArgument("lb: listener %q rule %d (%s): %v", l.ID, i, r.ID, err)
		}
	}
	return nil
}

func (c *Condition) validate() error {
	switch c.Field {
	case FieldHostHeader, FieldPathPattern, FieldRequestMethod:
		if len(c.Values) == 0 {
			return errdefs.InvalidArgument("%s condition has no values", c.Field)
		}
	case FieldHTTPHeader:
		if c.HeaderName == "" || len(c.Values) == 0 {
			return errdefs.InvalidArgument("http-header condition needs a header name and values")
		}
	case FieldQueryString:
		if len(c.Query) == 0 {
			return errdefs.InvalidArgument("query-string condition has no key/value patterns")
		}
	case FieldSourceIP:
		if len(c.Values) == 0 {
			return errdefs.InvalidArgument("source-ip condition has no CIDRs")
		}
		for _, v := range c.Values {
			if _, err := parsePrefix(v); err != nil {
				return errdefs.InvalidArgument("source-ip %q: %v", v, err)
			}
		}
	default:
		return errdefs.InvalidArgument("unknown condition field %q", c.Field)
	}
	return nil
}

func (a *Action) validate(groups map[string]bool) error {
	switch a.Type {
	case ActionForward:
		if len(a.Forward.TargetGroups) == 0 {
			return errdefs.InvalidArgument("forward action has no target groups")
		}
		seen := make(map[string]bool, len(a.Forward.TargetGroups))
		for _, wg := range a.Forward.TargetGroups {
			if !groups[wg.GroupID] {
				return errdefs.InvalidArgument("forward to unknown target group %q", wg.GroupID)
			}
			if seen[wg.GroupID] {
				return errdefs.InvalidArgument("target group %q appears twice in one forward", wg.GroupID)
			}
			seen[wg.GroupID] = true
			if wg.Weight < 0 || wg.Weight > maxWeight {
				return errdefs.InvalidArgument("weight %d of %q is outside 0–999", wg.Weight, wg.GroupID)
			}
		}
		if a.Forward.StickinessDuration < 0 {
			return errdefs.InvalidArgument("negative group stickiness duration")
		}
	case ActionFixedResponse:
		if code := a.FixedResponse.StatusCode; code < 200 || code > 599 {
			return errdefs.InvalidArgument("fixed-response status %d is not 2XX–5XX", code)
		}
	case ActionRedirect:
		switch a.Redirect.StatusCode {
		case 0, 301, 302:
		default:
			return errdefs.InvalidArgument("redirect status %d is not 301 or 302", a.Redirect.StatusCode)
		}
		switch strings.ToUpper(a.Redirect.Protocol) {
		case "", ProtocolHTTP, ProtocolHTTPS, "#{PROTOCOL}":
		default:
			return errdefs.InvalidArgument("redirect protocol %q", a.Redirect.Protocol)
		}
	default:
		return errdefs.InvalidArgument("unknown action type %q", a.Type)
	}
	return nil
}

func (g *TargetGroup) validate() error {
	switch g.Protocol {
	case "", ProtocolHTTP, ProtocolHTTPS:
	default:
		return errdefs.InvalidArgument("lb: target group %q: protocol %q is not HTTP or HTTPS", g.ID, g.Protocol)
	}
	switch g.Algorithm {
	case "", AlgorithmRoundRobin, AlgorithmLeastRequests, AlgorithmWeightedRandom:
	default:
		return errdefs.InvalidArgument("lb: target group %q: unknown algorithm %q", g.ID, g.Algorithm)
	}
	if g.SlowStart < 0 || g.DeregistrationDelay < 0 || g.StickinessDuration < 0 {
		return errdefs.InvalidArgument("lb: target group %q: negative duration", g.ID)
	}
	if err := g.HealthCheck.validate(); err != nil {
		return errdefs.InvalidArgument("lb: target group %q: %v", g.ID, err)
	}
	ids := make(map[string]bool, len(g.Targets))
	for _, t := range g.Targets {
		if t.ID == "" {
			return errdefs.InvalidArgument("lb: target group %q: a target has no ID", g.ID)
		}
		if ids[t.ID] {
			return errdefs.InvalidArgument("lb: target group %q: duplicate target %q", g.ID, t.ID)
		}
		ids[t.ID] = true
		if err := validAddr(t.Addr); err != nil {
			return errdefs.InvalidArgument("lb: target group %q: target %q: %v", g.ID, t.ID, err)
		}
		if t.HealthCheckAddr != "" {
			if err := validAddr(t.HealthCheckAddr); err != nil {
				return errdefs.InvalidArgument("lb: target group %q: target %q: health check %v", g.ID, t.ID, err)
			}
		}
	}
	return nil
}

func (h *HealthCheck) validate() error {
	switch h.Protocol {
	case "", ProtocolHTTP, ProtocolHTTPS:
	default:
		return errdefs.InvalidArgument("health check protocol %q", h.Protocol)
	}
	if h.Path != "" && !strings.HasPrefix(h.Path, "/") {
		return errdefs.InvalidArgument("health check path %q does not start with /", h.Path)
	}
	if h.Interval < 0 || h.Timeout < 0 || h.HealthyThreshold < 0 || h.UnhealthyThreshold < 0 {
		return errdefs.InvalidArgument("negative health check setting")
	}
	if _, err := parseMatcher(h.Matcher); err != nil {
		return err
	}
	return nil
}

// codeRange is an inclusive range of HTTP status codes.
type codeRange struct{ lo, hi int }

// parseMatcher parses ALB's HttpCode: "200", "200,202" or "200-299"; empty means "200".
func parseMatcher(s string) ([]codeRange, error) {
	if s == "" {
		return []codeRange{{200, 200}}, nil
	}
	var out []codeRange
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 100 || b > 599 || a > b {
			return nil, errdefs.InvalidArgument("health check matcher %q: bad code %q", s, part)
		}
		out = append(out, codeRange{a, b})
	}
	return out, nil
}

func validAddr(a string) error {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return errdefs.InvalidArgument("address %q: %v", a, err)
	}
	if host == "" || port == "" || port == "0" {
		return errdefs.InvalidArgument("address %q needs a host and a port", a)
	}
	return nil
}
