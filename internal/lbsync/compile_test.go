package lbsync_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lbsync"
)

var scope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}

func group(t *testing.T, name, typ string) elb.TargetGroup {
	t.Helper()
	g, err := elb.NewTargetGroup(scope, elb.TargetGroupSpec{Name: name, Protocol: "HTTP", Port: 80, TargetType: typ}, name+"0123456789ab")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestCompile(t *testing.T) {
	t.Parallel()
	lbal, err := elb.NewLoadBalancer(scope, elb.LoadBalancerSpec{Name: "demo"}, "00112233445566aa", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	blue, green, unused := group(t, "blue", "ip"), group(t, "green", "instance"), group(t, "spare", "ip")
	listener := elb.Listener{ID: "l1", ARN: "arn:listener/1", LoadBalancerARN: lbal.ARN, Port: 8080, Protocol: "HTTP"}
	rules := []elb.Rule{
		{ARN: "arn:rule/default", ListenerARN: listener.ARN, IsDefault: true, Actions: []elb.Action{{Type: "forward",
			Forward: elb.Forward{TargetGroups: []elb.WeightedTargetGroup{{ARN: blue.ARN, Weight: 90}, {ARN: green.ARN, Weight: 10}}}}}},
		{ARN: "arn:rule/20", ListenerARN: listener.ARN, Priority: 20, Conditions: []elb.Condition{{Field: "path-pattern", Values: []string{"/b/*"}}},
			Actions: []elb.Action{{Type: "fixed-response", FixedResponse: elb.FixedResponse{StatusCode: "418", MessageBody: "tea"}}}},
		{ARN: "arn:rule/10", ListenerARN: listener.ARN, Priority: 10, Conditions: []elb.Condition{{Field: "http-header", HTTPHeaderName: "X-Canary", Values: []string{"1"}}},
			Actions: []elb.Action{{Type: "redirect", Redirect: elb.Redirect{Path: "/new", StatusCode: "HTTP_302"}}}},
	}
	regs := []elb.Registration{
		{TargetGroupARN: blue.ARN, Target: elb.Target{ID: "127.0.0.1", Port: 30001}},
		{TargetGroupARN: blue.ARN, Target: elb.Target{ID: "127.0.0.1", Port: 30002}, Draining: true},
		{TargetGroupARN: green.ARN, Target: elb.Target{ID: "inst1", Port: 30003}},
		{TargetGroupARN: green.ARN, Target: elb.Target{ID: "unknown-instance", Port: 30004}},
		{TargetGroupARN: unused.ARN, Target: elb.Target{ID: "127.0.0.1", Port: 30005}},
	}
	cfg, problems := lbsync.Compile(lbsync.Snapshot{
		LoadBalancers: []elb.LoadBalancer{lbal}, Listeners: []elb.Listener{listener}, Rules: rules,
		TargetGroups: []elb.TargetGroup{blue, green, unused}, Registrations: regs,
		Instances: []ecs.ContainerInstance{{ID: "inst1", Address: "127.0.0.2"}},
	}, lbsync.Settings{BindHost: "127.0.0.9"})
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(cfg.Listeners) != 1 || cfg.Listeners[0].Addr != "127.0.0.9:8080" || !cfg.Listeners[0].HTTP2 || cfg.Listeners[0].IdleTimeout != time.Minute {
		t.Fatalf("listener %+v", cfg.Listeners)
	}
	got := cfg.Listeners[0].Rules
	if len(got) != 3 || got[0].ID != "arn:rule/10" || got[1].ID != "arn:rule/20" || got[2].ID != "arn:rule/default" || got[2].Priority != 0 {
		t.Fatalf("rule order %+v", got)
	}
	if got[0].Action.Redirect.StatusCode != 302 || got[1].Action.FixedResponse.StatusCode != 418 || got[0].Conditions[0].HeaderName != "X-Canary" {
		t.Fatalf("actions %+v %+v", got[0], got[1])
	}
	if len(cfg.TargetGroups) != 2 {
		t.Fatalf("groups used by no listener must be left out: %+v", cfg.TargetGroups)
	}
	for _, g := range cfg.TargetGroups {
		switch g.ID {
		case blue.ARN:
			if len(g.Targets) != 1 || g.Targets[0].Addr != "127.0.0.1:30001" || g.DeregistrationDelay != 300*time.Second {
				t.Fatalf("blue: draining targets must be left out: %+v", g)
			}
		case green.ARN:
			if len(g.Targets) != 1 || g.Targets[0].Addr != "127.0.0.2:30003" || g.Targets[0].ID != "inst1:30003" {
				t.Fatalf("green: instance targets resolve to their address: %+v", g)
			}
		}
	}
}
