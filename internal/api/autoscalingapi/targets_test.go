package autoscalingapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestRegisterScalableTarget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	out := e.register(t, webID, 1, 4)
	arn := "arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/0123456789abcdef0123456789abcdef0123"
	if aws.ToString(out.ScalableTargetARN) != arn {
		t.Fatalf("ARN %s", aws.ToString(out.ScalableTargetARN))
	}
	want := aastypes.ScalableTarget{
		ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim,
		MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(4), RoleARN: aws.String(role), CreationTime: aws.Time(t0),
		ScalableTargetARN: aws.String(arn),
		SuspendedState: &aastypes.SuspendedState{
			DynamicScalingInSuspended: aws.Bool(false), DynamicScalingOutSuspended: aws.Bool(false), ScheduledScalingSuspended: aws.Bool(false),
		},
	}
	opts := cmpopts.IgnoreUnexported(aastypes.ScalableTarget{}, aastypes.SuspendedState{})
	if diff := cmp.Diff([]aastypes.ScalableTarget{want}, e.targets(t), opts); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}

	// An update changes what it gives and nothing else.
	if _, err := e.Scaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{
		ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim, MaxCapacity: aws.Int32(10),
		SuspendedState: &aastypes.SuspendedState{DynamicScalingInSuspended: aws.Bool(true)},
	}); err != nil {
		t.Fatal(err)
	}
	want.MaxCapacity, want.SuspendedState.DynamicScalingInSuspended = aws.Int32(10), aws.Bool(true)
	if diff := cmp.Diff([]aastypes.ScalableTarget{want}, e.targets(t), opts); diff != "" {
		t.Fatalf("after an update (-want +got):\n%s", diff)
	}

	// The service's desired count is not moved into the range: nothing applies it.
	svc, err := e.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || svc.Services[0].DesiredCount != 2 {
		t.Fatalf("desired count %+v %v", svc, err)
	}
	e.register(t, webID, 3, 10)
	svc, err = e.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || svc.Services[0].DesiredCount != 2 {
		t.Fatalf("desired count after a minimum of 3: %+v %v", svc, err)
	}
}

func TestDescribeScalableTargets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 4)
	e.register(t, apiID, 2, 6)
	ids := func(in aas.DescribeScalableTargetsInput) []string {
		t.Helper()
		in.ServiceNamespace = ns
		out, err := e.Scaling.DescribeScalableTargets(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, tg := range out.ScalableTargets {
			got = append(got, aws.ToString(tg.ResourceId))
		}
		return got
	}
	if diff := cmp.Diff([]string{apiID, webID}, ids(aas.DescribeScalableTargetsInput{})); diff != "" {
		t.Errorf("all (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{webID}, ids(aas.DescribeScalableTargetsInput{ResourceIds: []string{webID, "service/demo/ghost"}, ScalableDimension: dim})); diff != "" {
		t.Errorf("by id (-want +got):\n%s", diff)
	}
	other, err := e.Scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceDynamodb})
	if err != nil || len(other.ScalableTargets) != 0 {
		t.Errorf("another namespace: %+v %v", other, err)
	}
	var paged []string
	pages := aas.NewDescribeScalableTargetsPaginator(e.Scaling, &aas.DescribeScalableTargetsInput{ServiceNamespace: ns, MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ScalableTargets) != 1 {
			t.Fatalf("page of %d", len(out.ScalableTargets))
		}
		paged = append(paged, aws.ToString(out.ScalableTargets[0].ResourceId))
	}
	if diff := cmp.Diff([]string{apiID, webID}, paged); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestDeregisterScalableTarget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 4)
	e.register(t, apiID, 1, 4)
	e.putCPU(t, webID, "cpu", 70)
	e.putCPU(t, apiID, "cpu", 70)
	if _, err := e.Scaling.DeregisterScalableTarget(ctx, &aas.DeregisterScalableTargetInput{ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim}); err != nil {
		t.Fatal(err)
	}
	targets := e.targets(t)
	if len(targets) != 1 || aws.ToString(targets[0].ResourceId) != apiID {
		t.Fatalf("targets %+v", targets)
	}
	// The target's policies went with it.
	policies := e.policies(t)
	if len(policies) != 1 || aws.ToString(policies[0].ResourceId) != apiID {
		t.Fatalf("policies %+v", policies)
	}
}

// TestErrors checks the code, message and status of each error, and that no failed call
// changed what is stored.
func TestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.register(t, webID, 1, 4)
	e.putCPU(t, webID, "cpu", 70)
	if _, err := e.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("demo"), Service: aws.String("api"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("worker"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(1),
	}); err != nil {
		t.Fatal(err)
	}
	targetsBefore, policiesBefore := e.targets(t), e.policies(t)
	register := func(in aas.RegisterScalableTargetInput) func() error {
		return func() error {
			if in.ServiceNamespace == "" {
				in.ServiceNamespace = ns
			}
			if in.ScalableDimension == "" {
				in.ScalableDimension = dim
			}
			_, err := e.Scaling.RegisterScalableTarget(ctx, &in)
			return err
		}
	}
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"no such service", register(aas.RegisterScalableTargetInput{ResourceId: aws.String("service/demo/ghost"), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)}),
			"ValidationException", "ECS service doesn't exist: service/demo/ghost"},
		{"deleted service", register(aas.RegisterScalableTargetInput{ResourceId: aws.String(apiID), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)}),
			"ValidationException", "ECS service doesn't exist: service/demo/api"},
		{"new target without a range", register(aas.RegisterScalableTargetInput{ResourceId: aws.String("service/demo/worker"), MinCapacity: aws.Int32(1)}),
			"ValidationException", "MinCapacity and MaxCapacity are required to register a new scalable target."},
		{"minimum above maximum", register(aas.RegisterScalableTargetInput{ResourceId: aws.String(webID), MinCapacity: aws.Int32(5)}),
			"ValidationException", "Minimum capacity cannot be greater than maximum capacity"},
		{"another service's namespace", register(aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceDynamodb, ScalableDimension: aastypes.ScalableDimensionDynamoDBTableReadCapacityUnits, ResourceId: aws.String("table/t"), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)}),
			"ValidationException", "fargo scales ECS services only: use ServiceNamespace ecs and ScalableDimension ecs:service:DesiredCount (not dynamodb)."},
		{"dimension of another namespace", register(aas.RegisterScalableTargetInput{ScalableDimension: aastypes.ScalableDimensionDynamoDBTableReadCapacityUnits, ResourceId: aws.String(webID), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)}),
			"ValidationException", "Unsupported service namespace, resource type or scalable dimension"},
		{"not a namespace", register(aas.RegisterScalableTargetInput{ServiceNamespace: "nope", ResourceId: aws.String(webID), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)}),
			"ValidationException", "1 validation error detected: Value 'nope' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [ecs, elasticmapreduce, ec2, appstream, dynamodb, rds, sagemaker, custom-resource, comprehend, lambda, cassandra, kafka, elasticache, neptune, workspaces]"},
		{"deregister unknown", func() error {
			_, err := e.Scaling.DeregisterScalableTarget(ctx, &aas.DeregisterScalableTargetInput{ServiceNamespace: ns, ResourceId: aws.String(apiID), ScalableDimension: dim})
			return err
		}, "ObjectNotFoundException", "No scalable target found for service namespace: ecs, resource ID: service/demo/api, scalable dimension: ecs:service:DesiredCount"},
		{"policy of no target", func() error {
			_, err := e.Scaling.PutScalingPolicy(ctx, cpuPolicy(apiID, "cpu", 70))
			return err
		}, "ObjectNotFoundException", "No scalable target registered for service namespace: ecs, resource ID: service/demo/api, scalable dimension: ecs:service:DesiredCount"},
		{"delete unknown policy", func() error {
			_, err := e.Scaling.DeleteScalingPolicy(ctx, &aas.DeleteScalingPolicyInput{PolicyName: aws.String("nope"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim})
			return err
		}, "ObjectNotFoundException", "No scaling policy found for service namespace: ecs, resource ID: service/demo/web, scalable dimension: ecs:service:DesiredCount, policy name: nope"},
		{"predictive", func() error {
			_, err := e.Scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("p"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim, PolicyType: aastypes.PolicyTypePredictiveScaling})
			return err
		}, "ValidationException", "fargo does not support PredictiveScaling policies: use TargetTrackingScaling or StepScaling."},
		{"tracking without configuration", func() error {
			_, err := e.Scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("p"), ServiceNamespace: ns, ResourceId: aws.String(webID), ScalableDimension: dim, PolicyType: aastypes.PolicyTypeTargetTrackingScaling})
			return err
		}, "ValidationException", "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling."},
		{"bad token", func() error {
			_, err := e.Scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: ns, NextToken: aws.String("!")})
			return err
		}, "InvalidNextTokenException", "Invalid NextToken"},
		{"too many results", func() error {
			_, err := e.Scaling.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: ns, MaxResults: aws.Int32(11)})
			return err
		}, "ValidationException", "MaxResults must be between 1 and 10."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { apitest.WantError(t, tt.call(), tt.code, tt.msg, http.StatusBadRequest) })
	}
	ignore := cmpopts.IgnoreUnexported(aastypes.ScalableTarget{}, aastypes.SuspendedState{}, aastypes.ScalingPolicy{},
		aastypes.TargetTrackingScalingPolicyConfiguration{}, aastypes.PredefinedMetricSpecification{})
	if diff := cmp.Diff(targetsBefore, e.targets(t), ignore); diff != "" {
		t.Errorf("failed calls changed the targets (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(policiesBefore, e.policies(t), ignore); diff != "" {
		t.Errorf("failed calls changed the policies (-before +after):\n%s", diff)
	}
}
