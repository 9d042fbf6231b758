package ecs

import (
	"slices"
	"strconv"
	"time"
)

// TrafficStats is what fargo's load balancer counted for one task's targets since they were
// registered. lbsync writes it; the scheduler judges deployments by it.
type TrafficStats struct {
	Requests int64
	// Errors are 5xx responses and failures to reach the target.
	Errors int64
	// Slow are requests that took longer than the service's latency budget (0 without one).
	Slow int64
}

// Add returns the sum of s and o.
func (s TrafficStats) Add(o TrafficStats) TrafficStats {
	return TrafficStats{Requests: s.Requests + o.Requests, Errors: s.Errors + o.Errors, Slow: s.Slow + o.Slow}
}

// ListenerErrors are the answers fargo's load balancer wrote itself, not a task, to requests it
// forwarded to a service's target groups, cumulative. No task's TrafficStats holds them, and a
// client saw each one as a failure (DESIGN.md, invariant 9). lbsync writes them.
type ListenerErrors struct {
	// NoTarget counts 503 answers: no target of the group could take the request (none
	// registered, or all in their first health checks or draining).
	NoTarget int64
	// BadGateway counts 502 answers: a target could not be reached or failed mid-request.
	BadGateway int64
	// GatewayTimeout counts 504 answers: a target did not answer in time.
	GatewayTimeout int64
}

// Add returns the sum of e and o.
func (e ListenerErrors) Add(o ListenerErrors) ListenerErrors {
	return ListenerErrors{NoTarget: e.NoTarget + o.NoTarget, BadGateway: e.BadGateway + o.BadGateway, GatewayTimeout: e.GatewayTimeout + o.GatewayTimeout}
}

// Total returns how many answers e counts.
func (e ListenerErrors) Total() int64 { return e.NoTarget + e.BadGateway + e.GatewayTimeout }

// TargetGroupARNs returns the target groups the service's tasks register in: the service's
// and its task sets', each once.
func (s Service) TargetGroupARNs() []string {
	var out []string
	add := func(lbs []LoadBalancer) {
		for _, l := range lbs {
			if l.TargetGroupARN != "" && !slices.Contains(out, l.TargetGroupARN) {
				out = append(out, l.TargetGroupARN)
			}
		}
	}
	add(s.LoadBalancers)
	for _, ts := range s.TaskSets {
		add(ts.LoadBalancers)
	}
	return out
}

// TrafficBudget is how much a new revision may fail, measured by fargo's load balancer, before
// its deployment is rolled back. ECS has no such setting; a service names it with tags:
//
//	fargo:rollback:error-rate    percent of requests that may fail (5xx or unreachable), e.g. 1
//	fargo:rollback:p99-ms        99th percentile latency in milliseconds, e.g. 500
//	fargo:rollback:min-requests  requests to see before judging (default 20)
//	fargo:rollback:window-seconds how long a deployment waits for those requests before it
//	                             completes anyway (default 60)
//
// A deployment of a service with a budget completes only once its revision served
// min-requests, or the window since the deployment began has passed.
type TrafficBudget struct {
	ErrorRatePercent float64 // 0: not judged
	P99Millis        int64   // 0: not judged
	MinRequests      int64
	Window           time.Duration
}

// Tag keys of the traffic budget.
const (
	TagRollbackErrorRate   = "fargo:rollback:error-rate"
	TagRollbackP99Millis   = "fargo:rollback:p99-ms"
	TagRollbackMinRequests = "fargo:rollback:min-requests"
	TagRollbackWindow      = "fargo:rollback:window-seconds"
	defaultBudgetRequests  = 20
	defaultBudgetWindow    = time.Minute
)

// Budget returns the service's traffic budget; ok is false when it has none.
func (s Service) Budget() (TrafficBudget, bool) {
	b := TrafficBudget{MinRequests: defaultBudgetRequests, Window: defaultBudgetWindow}
	for _, t := range s.Tags {
		switch t.Key {
		case TagRollbackErrorRate:
			if v, err := strconv.ParseFloat(t.Value, 64); err == nil && v >= 0 {
				b.ErrorRatePercent = v
			}
		case TagRollbackP99Millis:
			if v, err := strconv.ParseInt(t.Value, 10, 64); err == nil && v > 0 {
				b.P99Millis = v
			}
		case TagRollbackMinRequests:
			if v, err := strconv.ParseInt(t.Value, 10, 64); err == nil && v > 0 {
				b.MinRequests = v
			}
		case TagRollbackWindow:
			if v, err := strconv.ParseInt(t.Value, 10, 64); err == nil && v >= 0 {
				b.Window = time.Duration(v) * time.Second
			}
		}
	}
	return b, b.ErrorRatePercent > 0 || b.P99Millis > 0
}

// Exceeded says why traffic s breaks budget b, or "" when it does not (or too few requests
// were seen to judge).
func (b TrafficBudget) Exceeded(s TrafficStats) string {
	if s.Requests < b.MinRequests || s.Requests == 0 {
		return ""
	}
	rate := 100 * float64(s.Errors) / float64(s.Requests)
	if b.ErrorRatePercent > 0 && rate > b.ErrorRatePercent {
		return strconv.FormatFloat(rate, 'f', 1, 64) + "% of " + strconv.FormatInt(s.Requests, 10) +
			" requests failed (budget " + strconv.FormatFloat(b.ErrorRatePercent, 'f', -1, 64) + "%)"
	}
	// p99 above the budget means more than 1% of requests were slower than it.
	if b.P99Millis > 0 && 100*s.Slow > s.Requests {
		return strconv.FormatInt(s.Slow, 10) + " of " + strconv.FormatInt(s.Requests, 10) +
			" requests took longer than " + strconv.FormatInt(b.P99Millis, 10) + " ms (p99 budget)"
	}
	return ""
}
