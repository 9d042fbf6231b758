package alarms

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

const (
	lbARN   = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/00000000000000aa"
	blueTG  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/00000000000000bb"
	greenTG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/00000000000000cc"
	task1   = "arn:aws:ecs:us-east-1:000000000000:task/demo/1"
	task2   = "arn:aws:ecs:us-east-1:000000000000:task/demo/2"
)

var (
	t0    = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	lbD   = cloudwatch.Dimension{Name: "LoadBalancer", Value: "app/web/00000000000000aa"}
	blueD = cloudwatch.Dimension{Name: "TargetGroup", Value: "targetgroup/blue/00000000000000bb"}
)

// world is a load balancer forwarding to blue (and green at weight 0), task1 in blue, task2
// in green, with the counters given.
func world(t1, t2 ecs.TrafficStats, errs ecs.ListenerErrors) World {
	forward := elb.Action{Type: elb.ActionForward, Forward: elb.Forward{TargetGroups: []elb.WeightedTargetGroup{{ARN: blueTG, Weight: 100}, {ARN: greenTG, Weight: 0}}}}
	return World{
		Tasks:    []ecs.Task{{ARN: task1, Traffic: t1}, {ARN: task2, Traffic: t2}},
		Services: []ecs.Service{{ARN: "arn:aws:ecs:us-east-1:000000000000:service/demo/web", ListenerErrors: errs, LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: blueTG}}}},
		Registrations: []elb.Registration{
			{TargetGroupARN: blueTG, TaskARN: task1, Health: elb.TargetHealth{State: elb.TargetHealthy}},
			{TargetGroupARN: greenTG, TaskARN: task2, Health: elb.TargetHealth{State: elb.TargetUnhealthy}},
		},
		Rules: []elb.Rule{{LoadBalancerARN: lbARN, IsDefault: true, Actions: []elb.Action{forward}}},
	}
}

func value(t *testing.T, round map[string]metricSample, name string, dims ...cloudwatch.Dimension) (float64, bool) {
	t.Helper()
	s, ok := round[cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: name, Dimensions: dims}.Key()]
	return s.sample.Value, ok
}

func TestSampleRound(t *testing.T) {
	first, prev := SampleRound(world(ecs.TrafficStats{Requests: 100, Errors: 5}, ecs.TrafficStats{}, ecs.ListenerErrors{NoTarget: 2}), counters{}, true, t0)
	if _, ok := value(t, first, cloudwatch.MetricRequestCount, lbD, blueD); ok {
		t.Fatal("the first round counts what happened before it")
	}
	if v, ok := value(t, first, cloudwatch.MetricHealthyHostCount, lbD, blueD); !ok || v != 1 {
		t.Fatalf("healthy hosts %v %v", v, ok)
	}
	round, _ := SampleRound(world(ecs.TrafficStats{Requests: 130, Errors: 9}, ecs.TrafficStats{Requests: 4, Errors: 4}, ecs.ListenerErrors{NoTarget: 3, BadGateway: 1}), prev, false, t0.Add(10*time.Second))
	greenD := cloudwatch.Dimension{Name: "TargetGroup", Value: "targetgroup/green/00000000000000cc"}
	tests := []struct {
		name   string
		metric string
		dims   []cloudwatch.Dimension
		want   float64
		absent bool
	}{
		{"blue requests", cloudwatch.MetricRequestCount, []cloudwatch.Dimension{lbD, blueD}, 30, false},
		{"blue target 5xx", cloudwatch.MetricTarget5XX, []cloudwatch.Dimension{blueD, lbD}, 4, false},
		{"green target 5xx counts whole: a new task", cloudwatch.MetricTarget5XX, []cloudwatch.Dimension{lbD, greenD}, 4, false},
		{"load balancer requests: targets and its own answers", cloudwatch.MetricRequestCount, []cloudwatch.Dimension{lbD}, 30 + 4 + 2, false},
		{"load balancer 5xx", cloudwatch.MetricELB5XX, []cloudwatch.Dimension{lbD}, 2, false},
		{"503", cloudwatch.MetricELB503, []cloudwatch.Dimension{lbD}, 1, false},
		{"502", cloudwatch.MetricELB502, []cloudwatch.Dimension{lbD}, 1, false},
		{"no 504: counts are sent only when they count", cloudwatch.MetricELB504, []cloudwatch.Dimension{lbD}, 0, true},
		{"green unhealthy hosts", cloudwatch.MetricUnHealthyHostCount, []cloudwatch.Dimension{lbD, greenD}, 1, false},
		{"green healthy hosts", cloudwatch.MetricHealthyHostCount, []cloudwatch.Dimension{lbD, greenD}, 0, false},
	}
	for _, tc := range tests {
		v, ok := value(t, round, tc.metric, tc.dims...)
		if ok == tc.absent || v != tc.want {
			t.Errorf("%s: %v (present %v), want %v", tc.name, v, ok, tc.want)
		}
	}
	restarted, _ := SampleRound(world(ecs.TrafficStats{Requests: 7}, ecs.TrafficStats{}, ecs.ListenerErrors{}), prev, false, t0.Add(20*time.Second))
	if v, _ := value(t, restarted, cloudwatch.MetricRequestCount, lbD, blueD); v != 7 {
		t.Errorf("a counter that went down counts whole: %v", v)
	}
}

func TestMetricsPrunes(t *testing.T) {
	m := NewMetrics(time.Minute)
	id := cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: cloudwatch.MetricRequestCount, Dimensions: []cloudwatch.Dimension{blueD, lbD}}
	m.Add(id, cloudwatch.Sample{Time: t0, Value: 1})
	m.Add(id, cloudwatch.Sample{Time: t0.Add(50 * time.Second), Value: 2})
	m.Prune(t0.Add(80 * time.Second))
	if got := m.Samples(cloudwatch.MetricID{Namespace: id.Namespace, Name: id.Name, Dimensions: []cloudwatch.Dimension{lbD, blueD}}); len(got) != 1 || got[0].Value != 2 {
		t.Fatalf("samples %+v", got)
	}
	m.Prune(t0.Add(time.Hour))
	if len(m.List()) != 0 {
		t.Fatalf("metrics %+v", m.List())
	}
}
