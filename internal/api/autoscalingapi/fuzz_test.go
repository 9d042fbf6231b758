package autoscalingapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/autoscalingapi"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every Application Auto Scaling operation, over one
// store with an ACTIVE service demo/web, so that targets and policies one input registers meet
// the next. No input may panic, and every failure must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	st := store.New(mem)
	if _, err := st.Services.Create(f.Context(), store.ServiceID("demo", "web"), ecs.Service{Name: "web", ClusterName: "demo", Status: ecs.ServiceActive}); err != nil {
		f.Fatal(err)
	}
	svc := autoscalingapi.New(st, scope, time.Now).Service()
	key := `"ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount"`
	seeds := []string{
		`{}`, `{` + key + `}`, `{` + key + `,"MinCapacity":1,"MaxCapacity":4,"SuspendedState":{"DynamicScalingInSuspended":true},"Tags":{"a":"b"}}`,
		`{` + key + `,"MinCapacity":5}`, `{"ServiceNamespace":"dynamodb","ResourceId":"table/t","ScalableDimension":"dynamodb:table:ReadCapacityUnits"}`,
		`{"ServiceNamespace":"ecs","ResourceIds":["service/demo/web"],"MaxResults":1,"NextToken":"YQ"}`,
		`{` + key + `,"PolicyName":"cpu","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":70,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"ScaleInCooldown":60}}`,
		`{` + key + `,"PolicyName":"req","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":100,"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":"app/a/1/targetgroup/t/2"}}}`,
		`{` + key + `,"PolicyName":"math","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":1,"CustomizedMetricSpecification":{"Metrics":[{"Id":"e","Expression":"m*2"},{"Id":"m","MetricStat":{"Metric":{"MetricName":"x","Namespace":"n","Dimensions":[{"Name":"a","Value":"b"}]},"Stat":"Sum"},"ReturnData":false}]}}}`,
		`{` + key + `,"PolicyName":"steps","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1},{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}],"Cooldown":60}}`,
		`{"ServiceNamespace":"ecs","PolicyNames":["cpu"],"ResourceId":"service/demo/web","MaxResults":10}`,
		`{"ServiceNamespace":"ecs","IncludeNotScaledActivities":true}`,
	}
	apitest.FuzzJSON(f, svc, seeds)
}
