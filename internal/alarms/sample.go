package alarms

import (
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

// World is what one round of sampling reads from the store.
type World struct {
	Tasks         []ecs.Task
	Services      []ecs.Service
	Registrations []elb.Registration
	Rules         []elb.Rule
}

// counters is the sampler's memory of the cumulative counters it read last round.
type counters struct {
	tasks    map[string]ecs.TrafficStats   // by task ARN
	services map[string]ecs.ListenerErrors // by service ARN
}

// SampleRound turns the counters of w into the samples of the metrics at now: the growth of
// each counter since prev (a counter that went down restarted, and counts whole; one not in
// prev is new and counts whole unless first, the sampler's first round, which only records
// where the counters stand). Count metrics get a sample only when they counted something, as
// ALB reports them; the host counts of every target group a load balancer uses get one each
// round. It is pure, and returns the counters to pass as prev next round.
func SampleRound(w World, prev counters, first bool, now time.Time) (map[string]metricSample, counters) {
	next := counters{tasks: map[string]ecs.TrafficStats{}, services: map[string]ecs.ListenerErrors{}}
	users := elb.TargetGroupUsers(w.Rules) // target group ARN → load balancer ARNs
	groupsOf := map[string][]string{}      // task ARN → target group ARNs
	health := map[string][2]int{}          // target group ARN → healthy, unhealthy
	for _, r := range w.Registrations {
		if r.TaskARN != "" {
			groupsOf[r.TaskARN] = append(groupsOf[r.TaskARN], r.TargetGroupARN)
		}
		h := health[r.TargetGroupARN]
		switch {
		case r.Draining:
		case r.Health.State == elb.TargetHealthy:
			h[0]++
		case r.Health.State == elb.TargetUnhealthy:
			h[1]++
		}
		health[r.TargetGroupARN] = h
	}
	out := samples{at: now, m: map[string]metricSample{}}
	for _, t := range w.Tasks {
		next.tasks[t.ARN] = t.Traffic
		old, seen := prev.tasks[t.ARN]
		if first && !seen {
			continue
		}
		d := growth(t.Traffic, old)
		for _, tg := range groupsOf[t.ARN] {
			for _, lb := range users[tg] {
				out.count(cloudwatch.MetricRequestCount, d.Requests, lbDim(lb), tgDim(tg))
				out.count(cloudwatch.MetricTarget5XX, d.Errors, lbDim(lb), tgDim(tg))
				out.count(cloudwatch.MetricRequestCount, d.Requests, lbDim(lb))
				out.count(cloudwatch.MetricTarget5XX, d.Errors, lbDim(lb))
			}
		}
	}
	for _, s := range w.Services {
		next.services[s.ARN] = s.ListenerErrors
		old, seen := prev.services[s.ARN]
		if first && !seen {
			continue
		}
		d := s.ListenerErrors
		if d.NoTarget >= old.NoTarget && d.BadGateway >= old.BadGateway && d.GatewayTimeout >= old.GatewayTimeout {
			d = ecs.ListenerErrors{NoTarget: d.NoTarget - old.NoTarget, BadGateway: d.BadGateway - old.BadGateway, GatewayTimeout: d.GatewayTimeout - old.GatewayTimeout}
		}
		for _, lb := range loadBalancersOf(s, users) {
			out.count(cloudwatch.MetricELB5XX, d.Total(), lbDim(lb))
			out.count(cloudwatch.MetricELB502, d.BadGateway, lbDim(lb))
			out.count(cloudwatch.MetricELB503, d.NoTarget, lbDim(lb))
			out.count(cloudwatch.MetricELB504, d.GatewayTimeout, lbDim(lb))
			out.count(cloudwatch.MetricRequestCount, d.Total(), lbDim(lb))
		}
	}
	for tg, lbs := range users {
		for _, lb := range lbs {
			h := health[tg]
			out.gauge(cloudwatch.MetricHealthyHostCount, float64(h[0]), lbDim(lb), tgDim(tg))
			out.gauge(cloudwatch.MetricUnHealthyHostCount, float64(h[1]), lbDim(lb), tgDim(tg))
		}
	}
	return out.m, next
}

// growth is how much cur grew since old; a counter that went down restarted, and counts whole.
func growth(cur, old ecs.TrafficStats) ecs.TrafficStats {
	if cur.Requests < old.Requests || cur.Errors < old.Errors {
		return cur
	}
	return ecs.TrafficStats{Requests: cur.Requests - old.Requests, Errors: cur.Errors - old.Errors}
}

// loadBalancersOf returns the load balancers that forward to s's target groups.
func loadBalancersOf(s ecs.Service, users map[string][]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, tg := range s.TargetGroupARNs() {
		for _, lb := range users[tg] {
			if !seen[lb] {
				seen[lb] = true
				out = append(out, lb)
			}
		}
	}
	return out
}

// metricSample is one sample of one metric.
type metricSample struct {
	id     cloudwatch.MetricID
	sample cloudwatch.Sample
}

// samples collects one round's samples, summing counts of the same metric.
type samples struct {
	at time.Time
	m  map[string]metricSample
}

func (s samples) count(name string, n int64, dims ...cloudwatch.Dimension) {
	if n <= 0 {
		return
	}
	s.add(name, float64(n), dims)
}

func (s samples) gauge(name string, v float64, dims ...cloudwatch.Dimension) { s.add(name, v, dims) }

func (s samples) add(name string, v float64, dims []cloudwatch.Dimension) {
	id := cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: name, Dimensions: dims}
	key := id.Key()
	cur, ok := s.m[key]
	if !ok {
		cur = metricSample{id: id, sample: cloudwatch.Sample{Time: s.at}}
	}
	cur.sample.Value += v
	s.m[key] = cur
}

// lbDim is the LoadBalancer dimension of a load balancer ARN: app/<name>/<id>.
func lbDim(lbARN string) cloudwatch.Dimension {
	_, v, _ := strings.Cut(lbARN, ":loadbalancer/")
	return cloudwatch.Dimension{Name: cloudwatch.DimLoadBalancer, Value: v}
}

// tgDim is the TargetGroup dimension of a target group ARN: targetgroup/<name>/<id>.
func tgDim(tgARN string) cloudwatch.Dimension {
	return cloudwatch.Dimension{Name: cloudwatch.DimTargetGroup, Value: tgARN[strings.LastIndexByte(tgARN, ':')+1:]}
}
