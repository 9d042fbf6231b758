package lb

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// latencyBounds are the upper bounds of the latency buckets, of the Prometheus histogram and
// of TargetStats alike. They are fixed, so observing costs a short search and an atomic add.
var latencyBounds = [...]time.Duration{
	500 * time.Microsecond, time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond,
	10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
	250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2500 * time.Millisecond,
	5 * time.Second, 10 * time.Second, 30 * time.Second, 60 * time.Second,
}

// NumLatencyBuckets is the number of latency buckets of TargetStats: one per bound of the
// request duration histogram (fargo_lb_request_duration_seconds) plus +Inf.
const NumLatencyBuckets = len(latencyBounds) + 1

// LatencyBound returns the upper bound (inclusive) of latency bucket i of TargetStats; the
// last bucket, +Inf, has math.MaxInt64.
func LatencyBound(i int) time.Duration {
	if i < len(latencyBounds) {
		return latencyBounds[i]
	}
	return math.MaxInt64
}

// latencyBucket returns the index of the bucket that counts d.
func latencyBucket(d time.Duration) int {
	for i, b := range latencyBounds {
		if d <= b {
			return i
		}
	}
	return len(latencyBounds)
}

// TargetStats are the traffic counters of one target, cumulative since it was registered: a
// target registered again while it drains counts on, one registered again after its release
// starts from zero. Callers that want rates keep
// their own baseline and subtract. The counters are read one by one, so a snapshot taken under
// load may be off by the requests that ended while it was taken.
type TargetStats struct {
	GroupID, TargetID, Addr string
	// Requests counts the attempts to serve a request on the target: a request retried on
	// another target counts on both.
	Requests int64
	// Responses5xx counts the attempts answered with a 5xx status, whether the target sent it
	// or the proxy answered 502 or 504 because the target failed. Retried attempts answered
	// nothing.
	Responses5xx int64
	// Errors counts the attempts that failed for the target's sake: the connection could not
	// be made or broke, the response timed out or was malformed. Retried attempts are
	// included; requests that the client gave up on are not.
	Errors int64
	// Latency counts the attempts by duration, from the start of the attempt to the end of
	// the response (or the failure), in the buckets of LatencyBound.
	Latency [NumLatencyBuckets]int64
}

// Quantile returns the upper bound of the latency bucket that holds the q-quantile
// (0 < q ≤ 1) of s's attempts: the duration that a fraction q of them did not exceed, rounded
// up to a bucket bound. It returns 0 without attempts and math.MaxInt64 when the quantile
// falls in the +Inf bucket.
func (s TargetStats) Quantile(q float64) time.Duration {
	var total int64
	for _, n := range s.Latency {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := min(max(int64(math.Ceil(q*float64(total))), 1), total)
	var seen int64
	for i, n := range s.Latency {
		if seen += n; seen >= rank {
			return LatencyBound(i)
		}
	}
	return math.MaxInt64 // not reached
}

// targetStats are the hot-path counters behind TargetStats: a few atomic adds per attempt.
type targetStats struct {
	requests atomic.Int64
	resp5xx  atomic.Int64
	errors   atomic.Int64
	latency  [NumLatencyBuckets]atomic.Int64
}

// observe counts one attempt that ended with status after d.
func (s *targetStats) observe(status int, d time.Duration) {
	s.requests.Add(1)
	if status >= 500 && status <= 599 {
		s.resp5xx.Add(1)
	}
	s.latency[latencyBucket(d)].Add(1)
}

// TargetStats returns the traffic counters of every target the proxy knows, registered and
// draining ones, ordered by group, target and address.
func (p *Proxy) TargetStats() []TargetStats {
	p.mu.Lock()
	out := make([]TargetStats, 0, len(p.targets))
	for _, t := range p.targets {
		s := TargetStats{
			GroupID:      t.key.group,
			TargetID:     t.key.id,
			Addr:         t.key.addr,
			Requests:     t.stats.requests.Load(),
			Responses5xx: t.stats.resp5xx.Load(),
			Errors:       t.stats.errors.Load(),
		}
		for i := range s.Latency {
			s.Latency[i] = t.stats.latency[i].Load()
		}
		out = append(out, s)
	}
	p.mu.Unlock()
	slices.SortFunc(out, func(a, b TargetStats) int {
		return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.TargetID, b.TargetID), cmp.Compare(a.Addr, b.Addr))
	})
	return out
}

// GroupStats are the answers the listeners wrote themselves, not a target, to requests they
// forwarded to one target group: what ALB counts as HTTPCode_ELB_5XX. A client saw each of
// them as a failure, so a deployment's traffic figures must include them (DESIGN.md,
// invariant 9). The counters are cumulative since the group entered the config; a group that
// leaves it and comes back starts from zero.
type GroupStats struct {
	GroupID string
	// NoTarget counts 503 answers: the group had no target to route to (none registered, or
	// all in their first health checks or draining).
	NoTarget int64
	// BadGateway counts 502 answers: the target could not be reached or failed mid-request.
	BadGateway int64
	// GatewayTimeout counts 504 answers: the target did not answer in time.
	GatewayTimeout int64
}

// Total returns the number of error answers s counts.
func (s GroupStats) Total() int64 { return s.NoTarget + s.BadGateway + s.GatewayTimeout }

// groupStats are the counters behind GroupStats, shared by every table the group appears in.
type groupStats struct {
	noTarget, badGateway, gatewayTimeout atomic.Int64
}

// countError counts an error answer of the listener for the group.
func (s *groupStats) countError(status int) {
	switch status {
	case http.StatusServiceUnavailable:
		s.noTarget.Add(1)
	case http.StatusBadGateway:
		s.badGateway.Add(1)
	case http.StatusGatewayTimeout:
		s.gatewayTimeout.Add(1)
	}
}

// GroupStats returns the listeners' own error answers for every target group of the config,
// ordered by group.
func (p *Proxy) GroupStats() []GroupStats {
	p.mu.Lock()
	out := make([]GroupStats, 0, len(p.gstats))
	for id, s := range p.gstats {
		out = append(out, GroupStats{GroupID: id, NoTarget: s.noTarget.Load(), BadGateway: s.badGateway.Load(), GatewayTimeout: s.gatewayTimeout.Load()})
	}
	p.mu.Unlock()
	slices.SortFunc(out, func(a, b GroupStats) int { return cmp.Compare(a.GroupID, b.GroupID) })
	return out
}
