package autoscalingapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func cpuPolicy(resource, name string, target float64) *aas.PutScalingPolicyInput {
	return &aas.PutScalingPolicyInput{
		PolicyName: aws.String(name), ServiceNamespace: ns, ResourceId: aws.String(resource), ScalableDimension: dim,
		PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   aws.Float64(target),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: aastypes.MetricTypeECSServiceAverageCPUUtilization},
		},
	}
}

func (e *env) putCPU(t *testing.T, resource, name string, target float64) *aas.PutScalingPolicyOutput {
	t.Helper()
	out, err := e.Scaling.PutScalingPolicy(apitest.Context(t), cpuPolicy(resource, name, target))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// asJSON renders an SDK value as JSON, to compare configurations without their unexported
// fields.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPolicyRoundTrip puts a policy of each shape fargo stores and checks that
// DescribeScalingPolicies gives back exactly the configuration put, absent members absent.
func TestPolicyRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 10)
	tracking := map[string]*aastypes.TargetTrackingScalingPolicyConfiguration{
		"requests": {
			TargetValue: aws.Float64(1000.5),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{
				PredefinedMetricType: aastypes.MetricTypeALBRequestCountPerTarget,
				ResourceLabel:        aws.String("app/demo-alb/0123456789abcdef/targetgroup/web/fedcba9876543210"),
			},
			ScaleInCooldown: aws.Int32(300), ScaleOutCooldown: aws.Int32(60), DisableScaleIn: aws.Bool(false),
		},
		"memory": {TargetValue: aws.Float64(75), PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: aastypes.MetricTypeECSServiceAverageMemoryUtilization}},
		"custom": {
			TargetValue: aws.Float64(10),
			CustomizedMetricSpecification: &aastypes.CustomizedMetricSpecification{
				MetricName: aws.String("QueueDepth"), Namespace: aws.String("App"), Statistic: aastypes.MetricStatisticAverage, Unit: aws.String("Count"),
				Dimensions: []aastypes.MetricDimension{{Name: aws.String("Queue"), Value: aws.String("jobs")}},
			},
		},
		"math": {
			TargetValue: aws.Float64(100),
			CustomizedMetricSpecification: &aastypes.CustomizedMetricSpecification{Metrics: []aastypes.TargetTrackingMetricDataQuery{
				{Id: aws.String("e1"), Expression: aws.String("m1 / 2"), Label: aws.String("half"), ReturnData: aws.Bool(true)},
				{Id: aws.String("m1"), ReturnData: aws.Bool(false), MetricStat: &aastypes.TargetTrackingMetricStat{
					Stat: aws.String("Sum"), Unit: aws.String("Count"),
					Metric: &aastypes.TargetTrackingMetric{MetricName: aws.String("Jobs"), Namespace: aws.String("App"),
						Dimensions: []aastypes.TargetTrackingMetricDimension{{Name: aws.String("Queue"), Value: aws.String("jobs")}}},
				}},
			}},
		},
	}
	step := &aastypes.StepScalingPolicyConfiguration{
		AdjustmentType: aastypes.AdjustmentTypePercentChangeInCapacity, Cooldown: aws.Int32(120), MinAdjustmentMagnitude: aws.Int32(1),
		MetricAggregationType: aastypes.MetricAggregationTypeMaximum,
		StepAdjustments: []aastypes.StepAdjustment{
			{MetricIntervalUpperBound: aws.Float64(0), ScalingAdjustment: aws.Int32(-10)},
			{MetricIntervalLowerBound: aws.Float64(0), MetricIntervalUpperBound: aws.Float64(15.5), ScalingAdjustment: aws.Int32(10)},
			{MetricIntervalLowerBound: aws.Float64(15.5), ScalingAdjustment: aws.Int32(30)},
		},
	}
	arns := map[string]string{}
	for name, c := range tracking {
		out, err := e.Scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{
			PolicyName: aws.String(name), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim,
			PolicyType: aastypes.PolicyTypeTargetTrackingScaling, TargetTrackingScalingPolicyConfiguration: c,
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out.Alarms == nil || len(out.Alarms) != 0 {
			t.Fatalf("%s: alarms %v: fargo creates none", name, out.Alarms)
		}
		arns[name] = aws.ToString(out.PolicyARN)
	}
	out, err := e.Scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{
		PolicyName: aws.String("steps"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim,
		PolicyType: aastypes.PolicyTypeStepScaling, StepScalingPolicyConfiguration: step,
	})
	if err != nil {
		t.Fatal(err)
	}
	arns["steps"] = aws.ToString(out.PolicyARN)
	if want := "arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:01234567-89ab-4def-8123-456789abcdef:resource/ecs/service/demo/web:policyName/steps"; arns["steps"] != want {
		t.Fatalf("ARN %s, want %s", arns["steps"], want)
	}

	policies := e.policies(t)
	if len(policies) != 5 {
		t.Fatalf("%d policies", len(policies))
	}
	for _, p := range policies {
		name := aws.ToString(p.PolicyName)
		if aws.ToString(p.PolicyARN) != arns[name] || !aws.ToTime(p.CreationTime).Equal(t0) || aws.ToString(p.ResourceId) != webID ||
			p.ServiceNamespace != ns || p.ScalableDimension != dim || len(p.Alarms) != 0 {
			t.Errorf("%s: %+v", name, p)
		}
		if name == "steps" {
			if p.PolicyType != aastypes.PolicyTypeStepScaling || p.TargetTrackingScalingPolicyConfiguration != nil {
				t.Errorf("steps: %+v", p)
			}
			if diff := cmp.Diff(asJSON(t, step), asJSON(t, p.StepScalingPolicyConfiguration)); diff != "" {
				t.Errorf("steps (-put +described):\n%s", diff)
			}
			continue
		}
		if p.PolicyType != aastypes.PolicyTypeTargetTrackingScaling || p.StepScalingPolicyConfiguration != nil {
			t.Errorf("%s: %+v", name, p)
		}
		if diff := cmp.Diff(asJSON(t, tracking[name]), asJSON(t, p.TargetTrackingScalingPolicyConfiguration)); diff != "" {
			t.Errorf("%s (-put +described):\n%s", name, diff)
		}
	}
}

func TestPutScalingPolicyUpdates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 10)
	first := e.putCPU(t, webID, "cpu", 70)
	second := e.putCPU(t, webID, "cpu", 50)
	if aws.ToString(first.PolicyARN) != aws.ToString(second.PolicyARN) {
		t.Fatalf("the ARN changed: %s then %s", aws.ToString(first.PolicyARN), aws.ToString(second.PolicyARN))
	}
	policies := e.policies(t)
	if len(policies) != 1 || aws.ToFloat64(policies[0].TargetTrackingScalingPolicyConfiguration.TargetValue) != 50 {
		t.Fatalf("%+v", policies)
	}
	// A type change needs the new type's configuration.
	_, err := e.Scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{
		PolicyName: aws.String("cpu"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim, PolicyType: aastypes.PolicyTypeStepScaling,
	})
	apitestWant(t, err, "StepScalingPolicyConfiguration is required for a policy of type StepScaling.")
}

func apitestWant(t *testing.T, err error, msg string) {
	t.Helper()
	apitest.WantError(t, err, "ValidationException", msg, 400)
}

func TestDescribeScalingPoliciesFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 10)
	e.register(t, apiID, 1, 10)
	for _, n := range []string{"a", "b", "c"} {
		e.putCPU(t, webID, n, 70)
	}
	e.putCPU(t, apiID, "a", 70)
	names := func(in aas.DescribeScalingPoliciesInput) []string {
		t.Helper()
		in.ServiceNamespace = ns
		out, err := e.Scaling.DescribeScalingPolicies(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range out.ScalingPolicies {
			got = append(got, strings.TrimPrefix(aws.ToString(p.ResourceId), "service/demo/")+":"+aws.ToString(p.PolicyName))
		}
		return got
	}
	if diff := cmp.Diff([]string{"api:a", "web:a", "web:b", "web:c"}, names(aas.DescribeScalingPoliciesInput{})); diff != "" {
		t.Errorf("all (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"web:a", "web:c"}, names(aas.DescribeScalingPoliciesInput{ResourceId: aws.String(webID), ScalableDimension: dim, PolicyNames: []string{"a", "c"}})); diff != "" {
		t.Errorf("filtered (-want +got):\n%s", diff)
	}
	first, err := e.Scaling.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: ns, MaxResults: aws.Int32(3)})
	if err != nil || len(first.ScalingPolicies) != 3 || first.NextToken == nil {
		t.Fatalf("first page %+v %v", first, err)
	}
	if got := e.policies(t); len(got) != 4 {
		t.Fatalf("all pages: %d policies", len(got))
	}
	if _, err := e.Scaling.DeleteScalingPolicy(ctx, &aas.DeleteScalingPolicyInput{PolicyName: aws.String("b"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"api:a", "web:a", "web:c"}, names(aas.DescribeScalingPoliciesInput{})); diff != "" {
		t.Errorf("after a delete (-want +got):\n%s", diff)
	}
}

// TestDescribeScalingActivities checks that the API says plainly that policies are stored, not
// carried out: one Unfulfilled activity per target with policies, none for a target without.
func TestDescribeScalingActivities(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	activities := func(in aas.DescribeScalingActivitiesInput) []aastypes.ScalingActivity {
		t.Helper()
		in.ServiceNamespace = ns
		out, err := e.Scaling.DescribeScalingActivities(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out.ScalingActivities
	}
	e.register(t, webID, 1, 10)
	e.register(t, apiID, 1, 10)
	if got := activities(aas.DescribeScalingActivitiesInput{}); len(got) != 0 {
		t.Fatalf("activities without policies: %+v", got)
	}
	e.putCPU(t, webID, "cpu", 70)
	e.putCPU(t, webID, "memory", 70)
	got := activities(aas.DescribeScalingActivitiesInput{IncludeNotScaledActivities: aws.Bool(true)})
	if len(got) != 1 {
		t.Fatalf("activities %+v", got)
	}
	a := got[0]
	if aws.ToString(a.ResourceId) != webID || a.StatusCode != aastypes.ScalingActivityStatusCodeUnfulfilled || a.ScalableDimension != dim ||
		aws.ToString(a.Description) != "Scaling policies of service/demo/web are stored but not carried out" ||
		aws.ToString(a.Cause) != "fargo does not carry out scaling policies yet (policies: cpu, memory)" ||
		!strings.Contains(aws.ToString(a.StatusMessage), "docs/autoscaling.md") || !aws.ToTime(a.StartTime).Equal(t0) || aws.ToString(a.ActivityId) == "" {
		t.Fatalf("activity %+v", a)
	}
	again := activities(aas.DescribeScalingActivitiesInput{ResourceId: aws.String(webID), ScalableDimension: dim})
	if len(again) != 1 || aws.ToString(again[0].ActivityId) != aws.ToString(a.ActivityId) {
		t.Fatalf("the activity id is not stable: %+v", again)
	}
	if got := activities(aas.DescribeScalingActivitiesInput{ResourceId: aws.String(apiID)}); len(got) != 0 {
		t.Fatalf("activities of a target without policies: %+v", got)
	}
}
