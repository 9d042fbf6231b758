package lbsync

import (
	"net"
	"sort"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
)

// Snapshot is every ELB object Compile needs.
type Snapshot struct {
	LoadBalancers []elb.LoadBalancer
	Listeners     []elb.Listener
	Rules         []elb.Rule
	TargetGroups  []elb.TargetGroup
	Registrations []elb.Registration
	// Instances resolve the targets of instance-type groups (ID → address).
	Instances []ecs.ContainerInstance
}

// Settings are the node's choices Compile applies.
type Settings struct {
	// BindHost is the address listeners bind on, for example 127.0.0.1.
	BindHost string
	// CertDir holds listener certificates named by ACM-style ARNs.
	CertDir string
}

// Problem is a part of the snapshot Compile had to leave out, and why.
type Problem struct {
	Object string
	Reason string
}

// Compile builds the data plane's configuration. It is pure. Draining registrations are left
// out, which makes the proxy drain them; target groups that no listener uses get no targets,
// as an ALB does not check or route to them.
func Compile(s Snapshot, set Settings) (lb.Config, []Problem) {
	var cfg lb.Config
	var problems []Problem
	lbs := map[string]elb.LoadBalancer{}
	for _, l := range s.LoadBalancers {
		lbs[l.ARN] = l
	}
	rulesOf := map[string][]elb.Rule{}
	for _, r := range s.Rules {
		rulesOf[r.ListenerARN] = append(rulesOf[r.ListenerARN], r)
	}
	used := map[string]bool{}
	for _, l := range s.Listeners {
		owner, ok := lbs[l.LoadBalancerARN]
		if !ok {
			continue
		}
		listener, err := compileListener(l, owner, rulesOf[l.ARN], set)
		if err != nil {
			problems = append(problems, Problem{Object: l.ARN, Reason: err.Error()})
			continue
		}
		for _, r := range listener.Rules {
			for _, g := range r.Action.Forward.TargetGroups {
				used[g.GroupID] = true
			}
		}
		cfg.Listeners = append(cfg.Listeners, listener)
	}
	cfg.TargetGroups = compileGroups(s, used)
	return cfg, problems
}

func compileListener(l elb.Listener, owner elb.LoadBalancer, rules []elb.Rule, set Settings) (lb.Listener, error) {
	out := lb.Listener{
		ID:          l.ARN,
		Addr:        net.JoinHostPort(set.BindHost, strconv.Itoa(l.Port)),
		Protocol:    l.Protocol,
		HTTP2:       owner.HTTP2(),
		IdleTimeout: owner.IdleTimeout(),
	}
	if l.Protocol == elb.ProtocolHTTPS && len(l.Certificates) > 0 {
		cert, key, err := elb.CertificateFiles(l.Certificates[0].ARN, set.CertDir)
		if err != nil {
			return lb.Listener{}, err
		}
		out.CertFile, out.KeyFile = cert, key
	}
	sort.SliceStable(rules, func(i, j int) bool {
		if rules[i].IsDefault != rules[j].IsDefault {
			return !rules[i].IsDefault
		}
		return rules[i].Priority < rules[j].Priority
	})
	for _, r := range rules {
		out.Rules = append(out.Rules, compileRule(r))
	}
	return out, nil
}

func compileRule(r elb.Rule) lb.Rule {
	out := lb.Rule{ID: r.ARN, Priority: r.Priority}
	if r.IsDefault {
		out.Priority = 0
	}
	for _, c := range r.Conditions {
		cond := lb.Condition{Field: c.Field, Values: c.Values, HeaderName: c.HTTPHeaderName}
		for _, q := range c.QueryStrings {
			cond.Query = append(cond.Query, lb.QueryPattern{Key: q.Key, Value: q.Value})
		}
		out.Conditions = append(out.Conditions, cond)
	}
	out.Action = compileAction(r.Actions)
	return out
}

// compileAction takes the rule's terminal action, the one with the highest Order (fargo has no
// authenticate actions, which would come first).
func compileAction(actions []elb.Action) lb.Action {
	if len(actions) == 0 {
		return lb.Action{Type: elb.ActionFixedResponse, FixedResponse: lb.FixedResponse{StatusCode: 503}}
	}
	a := actions[0]
	for _, x := range actions[1:] {
		if x.Order > a.Order {
			a = x
		}
	}
	out := lb.Action{Type: a.Type}
	switch a.Type {
	case elb.ActionForward:
		for _, g := range a.Forward.TargetGroups {
			out.Forward.TargetGroups = append(out.Forward.TargetGroups, lb.WeightedGroup{GroupID: g.ARN, Weight: g.Weight})
		}
		out.Forward.Stickiness = a.Forward.Stickiness
		out.Forward.StickinessDuration = time.Duration(a.Forward.StickinessSeconds) * time.Second
	case elb.ActionFixedResponse:
		code, _ := strconv.Atoi(a.FixedResponse.StatusCode)
		out.FixedResponse = lb.FixedResponse{StatusCode: code, ContentType: a.FixedResponse.ContentType, Body: a.FixedResponse.MessageBody}
	case elb.ActionRedirect:
		code := 301
		if a.Redirect.StatusCode == "HTTP_302" {
			code = 302
		}
		r := a.Redirect
		out.Redirect = lb.Redirect{Protocol: r.Protocol, Host: r.Host, Port: r.Port, Path: r.Path, Query: r.Query, StatusCode: code}
	}
	return out
}

func compileGroups(s Snapshot, used map[string]bool) []lb.TargetGroup {
	addrOf := map[string]string{}
	for _, in := range s.Instances {
		addrOf[in.ID] = in.Address
	}
	regsOf := map[string][]elb.Registration{}
	for _, r := range s.Registrations {
		if !r.Draining {
			regsOf[r.TargetGroupARN] = append(regsOf[r.TargetGroupARN], r)
		}
	}
	var out []lb.TargetGroup
	for _, g := range s.TargetGroups {
		if !used[g.ARN] {
			continue
		}
		out = append(out, compileGroup(g, regsOf[g.ARN], addrOf))
	}
	return out
}

func compileGroup(g elb.TargetGroup, regs []elb.Registration, addrOf map[string]string) lb.TargetGroup {
	sticky, stickyFor := g.Stickiness()
	hc := g.HealthCheck
	out := lb.TargetGroup{
		ID:                  g.ARN,
		Protocol:            g.Protocol,
		Algorithm:           g.Algorithm(),
		SlowStart:           g.SlowStart(),
		DeregistrationDelay: g.DeregistrationDelay(),
		Stickiness:          sticky,
		StickinessDuration:  stickyFor,
		HealthCheck: lb.HealthCheck{
			Disabled:           !hc.Enabled,
			Path:               hc.Path,
			Protocol:           hc.Protocol,
			Interval:           time.Duration(hc.IntervalSeconds) * time.Second,
			Timeout:            time.Duration(hc.TimeoutSeconds) * time.Second,
			HealthyThreshold:   hc.HealthyThreshold,
			UnhealthyThreshold: hc.UnhealthyThreshold,
			Matcher:            hc.Matcher,
		},
	}
	for _, r := range regs {
		host := r.Target.ID
		if g.TargetType == elb.TargetTypeInstance {
			var ok bool
			if host, ok = addrOf[r.Target.ID]; !ok {
				continue // an instance fargo does not know: ALB reports it unused
			}
		}
		t := lb.Target{ID: TargetKey(r.Target), Addr: net.JoinHostPort(host, strconv.Itoa(r.Target.Port))}
		if hc.Port != elb.TrafficPort && hc.Port != "" {
			t.HealthCheckAddr = net.JoinHostPort(host, hc.Port)
		}
		out.Targets = append(out.Targets, t)
	}
	return out
}

// TargetKey is how the proxy names a registered target: its id and port.
func TargetKey(t elb.Target) string { return t.ID + ":" + strconv.Itoa(t.Port) }
