package autoscalingapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/autoscalingapi"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every Application Auto Scaling operation of a
// service whose store holds the ACTIVE service demo/web, registered as a scalable target with
// a target tracking policy, built afresh for each input. No input may panic, and every failure
// must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	key := `"ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount"`
	setup := []apitest.Call{
		{Op: "RegisterScalableTarget", Body: `{` + key + `,"MinCapacity":1,"MaxCapacity":4}`},
		{Op: "PutScalingPolicy", Body: `{` + key + `,"PolicyName":"cpu","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":70,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"ScaleInCooldown":60}}`},
	}
	seeds := []apitest.Call{
		{Op: "RegisterScalableTarget", Body: `{` + key + `,"MaxCapacity":9,"SuspendedState":{"DynamicScalingInSuspended":true},"Tags":{"a":"b"}}`},
		{Op: "RegisterScalableTarget", Body: `{"ServiceNamespace":"dynamodb","ResourceId":"table/t","ScalableDimension":"dynamodb:table:ReadCapacityUnits","MinCapacity":1,"MaxCapacity":2}`},
		{Op: "DescribeScalableTargets", Body: `{"ServiceNamespace":"ecs","ResourceIds":["service/demo/web"],"MaxResults":1,"NextToken":"YQ"}`},
		{Op: "DeregisterScalableTarget", Body: `{` + key + `}`},
		{Op: "PutScalingPolicy", Body: `{` + key + `,"PolicyName":"req","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":100,"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":"app/a/1/targetgroup/t/2"}}}`},
		{Op: "PutScalingPolicy", Body: `{` + key + `,"PolicyName":"math","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":1,"CustomizedMetricSpecification":{"Metrics":[{"Id":"e","Expression":"m*2"},{"Id":"m","MetricStat":{"Metric":{"MetricName":"x","Namespace":"n","Dimensions":[{"Name":"a","Value":"b"}]},"Stat":"Sum"},"ReturnData":false}]}}}`},
		{Op: "PutScalingPolicy", Body: `{` + key + `,"PolicyName":"steps","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1},{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}],"Cooldown":60}}`},
		{Op: "PutScalingPolicy", Body: `{` + key + `,"PolicyName":"cpu","PolicyType":"StepScaling"}`},
		{Op: "DescribeScalingPolicies", Body: `{"ServiceNamespace":"ecs","PolicyNames":["cpu"],"ResourceId":"service/demo/web","MaxResults":10}`},
		{Op: "DeleteScalingPolicy", Body: `{` + key + `,"PolicyName":"cpu"}`},
		{Op: "DescribeScalingActivities", Body: `{"ServiceNamespace":"ecs","IncludeNotScaledActivities":true,"MaxResults":1}`},
	}
	apitest.FuzzJSON(f, func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = mem.Close() })
		st := store.New(mem)
		web := ecs.Service{Name: "web", ClusterName: "demo", Status: ecs.ServiceActive}
		if _, err := st.Services.Create(context.Background(), store.ServiceID("demo", "web"), web); err != nil {
			t.Fatal(err)
		}
		return autoscalingapi.New(st, scope, time.Now).Service()
	}, setup, seeds)
}
