package autoscaling_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/errdefs"
)

func key(ns, id, dim string) autoscaling.TargetKey {
	return autoscaling.TargetKey{Namespace: ns, ResourceID: id, Dimension: dim}
}

func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("err = %v, want an invalid argument with %q", err, want)
	}
}

func TestCheckKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		key              autoscaling.TargetKey
		cluster, service string
		err              string
	}{
		{"service", key("ecs", "service/demo/web", "ecs:service:DesiredCount"), "demo", "web", ""},
		{"other namespace", key("dynamodb", "table/t", "dynamodb:table:ReadCapacityUnits"), "", "", "fargo scales ECS services only"},
		{"other dimension", key("ecs", "service/demo/web", "dynamodb:table:ReadCapacityUnits"), "", "", "Unsupported service namespace, resource type or scalable dimension"},
		{"not a service", key("ecs", "table/demo", "ecs:service:DesiredCount"), "", "", "Unsupported service namespace"},
		{"too short", key("ecs", "service/demo", "ecs:service:DesiredCount"), "", "", "Unsupported service namespace"},
		{"empty service", key("ecs", "service/demo/", "ecs:service:DesiredCount"), "", "", "service/<cluster name>/<service name>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cluster, service, err := autoscaling.CheckKey(tt.key)
			wantErr(t, err, tt.err)
			if cluster != tt.cluster || service != tt.service {
				t.Fatalf("got %s %s", cluster, service)
			}
		})
	}
}

func TestTarget(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	k := key("ecs", "service/demo/web", "ecs:service:DesiredCount")
	if _, err := autoscaling.NewTarget(k, autoscaling.TargetInput{HasMin: true, Min: 1}, "arn", "role", now); err == nil {
		t.Fatal("a new target without MaxCapacity")
	}
	tgt, err := autoscaling.NewTarget(k, autoscaling.TargetInput{HasMin: true, Min: 1, HasMax: true, Max: 4, Tags: map[string]string{"a": "b"}}, "arn", "role", now)
	if err != nil || tgt.MinCapacity != 1 || tgt.MaxCapacity != 4 || tgt.RoleARN != "role" || !tgt.CreatedAt.Equal(now) || tgt.Tags["a"] != "b" {
		t.Fatalf("%+v %v", tgt, err)
	}
	up, err := tgt.Update(autoscaling.TargetInput{HasMax: true, Max: 9, HasSuspended: true, Suspended: autoscaling.Suspended{DynamicScalingIn: true}, Tags: map[string]string{"c": "d"}})
	if err != nil || up.MinCapacity != 1 || up.MaxCapacity != 9 || !up.Suspended.DynamicScalingIn || up.Tags["c"] != "" || up.ARN != "arn" {
		t.Fatalf("update %+v %v", up, err)
	}
	_, err = tgt.Update(autoscaling.TargetInput{HasMin: true, Min: 5})
	wantErr(t, err, "Minimum capacity cannot be greater than maximum capacity")
	_, err = tgt.Update(autoscaling.TargetInput{HasMin: true, Min: -1})
	wantErr(t, err, "MinCapacity must be greater than or equal to 0")
}

func step(lower, upper *float64, adj int) autoscaling.StepAdjustment {
	s := autoscaling.StepAdjustment{ScalingAdjustment: adj}
	if lower != nil {
		s.HasLowerBound, s.LowerBound = true, *lower
	}
	if upper != nil {
		s.HasUpperBound, s.UpperBound = true, *upper
	}
	return s
}

func f(v float64) *float64 { return &v }

func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	stepPolicy := func(adjType string, steps ...autoscaling.StepAdjustment) autoscaling.Policy {
		return autoscaling.Policy{Name: "p", Type: autoscaling.PolicyStepScaling, Step: autoscaling.StepScaling{AdjustmentType: adjType, Adjustments: steps}}
	}
	tracking := func(tt autoscaling.TargetTracking) autoscaling.Policy {
		return autoscaling.Policy{Name: "p", Type: autoscaling.PolicyTargetTracking, TargetTracking: tt}
	}
	cpu := autoscaling.TargetTracking{TargetValue: 70, HasPredefined: true, Predefined: autoscaling.PredefinedMetric{Type: autoscaling.MetricECSCPU}}
	tests := []struct {
		name string
		p    autoscaling.Policy
		err  string
	}{
		{"cpu tracking", tracking(cpu), ""},
		{"requests per target", tracking(autoscaling.TargetTracking{TargetValue: 100, HasPredefined: true, Predefined: autoscaling.PredefinedMetric{Type: autoscaling.MetricALBRequestsPerTask, ResourceLabel: "app/a/1/targetgroup/t/2"}}), ""},
		{"requests without label", tracking(autoscaling.TargetTracking{TargetValue: 100, HasPredefined: true, Predefined: autoscaling.PredefinedMetric{Type: autoscaling.MetricALBRequestsPerTask}}), "ResourceLabel is required"},
		{"metric of another service", tracking(autoscaling.TargetTracking{TargetValue: 1, HasPredefined: true, Predefined: autoscaling.PredefinedMetric{Type: "DynamoDBReadCapacityUtilization"}}), "not supported for ECS services"},
		{"no metric", tracking(autoscaling.TargetTracking{TargetValue: 1}), "exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification"},
		{"zero target", tracking(autoscaling.TargetTracking{HasPredefined: true, Predefined: autoscaling.PredefinedMetric{Type: autoscaling.MetricECSCPU}}), "TargetValue must be between"},
		{"customized", tracking(autoscaling.TargetTracking{TargetValue: 1, HasCustomized: true, Customized: autoscaling.CustomizedMetric{MetricName: "m", Namespace: "n", Statistic: "Sum"}}), ""},
		{"customized bad statistic", tracking(autoscaling.TargetTracking{TargetValue: 1, HasCustomized: true, Customized: autoscaling.CustomizedMetric{MetricName: "m", Namespace: "n", Statistic: "p99"}}), "enum value set: [Average, Minimum, Maximum, SampleCount, Sum]"},
		{"metric math", tracking(autoscaling.TargetTracking{TargetValue: 1, HasCustomized: true, Customized: autoscaling.CustomizedMetric{Metrics: []autoscaling.MetricQuery{{ID: "e", Expression: "m1 * 2"}, {ID: "m1", HasMetricStat: true}}}}), ""},
		{"metric math query without either", tracking(autoscaling.TargetTracking{TargetValue: 1, HasCustomized: true, Customized: autoscaling.CustomizedMetric{Metrics: []autoscaling.MetricQuery{{ID: "e"}}}}), "exactly one of Expression and MetricStat"},
		{"steps", stepPolicy("ChangeInCapacity", step(f(0), f(10), 1), step(f(10), nil, 2), step(nil, f(0), -1)), ""},
		{"one open step", stepPolicy("ExactCapacity", step(f(0), nil, 3)), ""},
		{"no steps", stepPolicy("ChangeInCapacity"), "at least one step adjustment"},
		{"no adjustment type", stepPolicy("", step(f(0), nil, 1)), "AdjustmentType is required"},
		{"gap", stepPolicy("ChangeInCapacity", step(f(0), f(10), 1), step(f(20), nil, 2)), "can't overlap or have a gap"},
		{"overlap", stepPolicy("ChangeInCapacity", step(f(0), f(10), 1), step(f(5), nil, 2)), "can't overlap or have a gap"},
		{"both bounds null", stepPolicy("ChangeInCapacity", step(nil, nil, 1)), "can't be null in the same step adjustment"},
		{"positive upper bound not open", stepPolicy("ChangeInCapacity", step(f(0), f(10), 1)), "must have a null upper bound"},
		{"negative lower bound not open", stepPolicy("ChangeInCapacity", step(f(-10), nil, 1)), "must have a null lower bound"},
		{"magnitude with change", autoscaling.Policy{Name: "p", Type: autoscaling.PolicyStepScaling, Step: autoscaling.StepScaling{AdjustmentType: "ChangeInCapacity", HasMinAdjustmentMagnitude: true, MinAdjustmentMagnitude: 1, Adjustments: []autoscaling.StepAdjustment{step(f(0), nil, 1)}}}, "only valid with the PercentChangeInCapacity"},
		{"predictive", autoscaling.Policy{Name: "p", Type: autoscaling.PolicyPredictiveScaling}, "does not support PredictiveScaling"},
		{"no type", autoscaling.Policy{Name: "p"}, "PolicyType is required"},
		{"bad name", autoscaling.Policy{Name: "tab\there", Type: autoscaling.PolicyTargetTracking, TargetTracking: cpu}, `\p{Print}+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, tt.p.Check(), tt.err)
		})
	}
}
