package cloudwatchapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/alarms"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/cloudwatchapi"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary JSON bodies (what the front door makes of CBOR ones too) to
// every CloudWatch operation of a service that holds alarm green-5xx, built afresh for each
// input. No input may panic, and every failure must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	alarm := `"AlarmName":"green-5xx","Namespace":"AWS/ApplicationELB","MetricName":"HTTPCode_Target_5XX_Count","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":0,"ComparisonOperator":"GreaterThanThreshold"`
	setup := []apitest.Call{{Op: "PutMetricAlarm", Body: `{` + alarm + `}`}}
	seeds := []apitest.Call{
		{Op: "PutMetricAlarm", Body: `{` + alarm + `,"Dimensions":[{"Name":"TargetGroup","Value":"targetgroup/g/1"}],"DatapointsToAlarm":1,"TreatMissingData":"breaching"}`},
		{Op: "DescribeAlarms", Body: `{"AlarmNames":["green-5xx"],"StateValue":"OK","MaxRecords":1,"NextToken":"YQ"}`},
		{Op: "DescribeAlarmsForMetric", Body: `{"Namespace":"AWS/ApplicationELB","MetricName":"HTTPCode_Target_5XX_Count","Dimensions":[]}`},
		{Op: "DeleteAlarms", Body: `{"AlarmNames":["green-5xx","green-5xx"]}`},
		{Op: "SetAlarmState", Body: `{"AlarmName":"green-5xx","StateValue":"ALARM","StateReason":"x","StateReasonData":"{}"}`},
		{Op: "DescribeAlarmHistory", Body: `{"AlarmName":"green-5xx","StartDate":1,"EndDate":"2030-01-01T00:00:00Z","ScanBy":"TimestampAscending"}`},
		{Op: "EnableAlarmActions", Body: `{"AlarmNames":["green-5xx"]}`},
		{Op: "ListMetrics", Body: `{"Namespace":"AWS/ApplicationELB","Dimensions":[{"Name":"LoadBalancer"}]}`},
		{Op: "GetMetricStatistics", Body: `{"Namespace":"AWS/ApplicationELB","MetricName":"RequestCount","StartTime":0,"EndTime":86400,"Period":60,"Statistics":["Sum"]}`},
		{Op: "GetMetricData", Body: `{"StartTime":0,"EndTime":60,"MetricDataQueries":[{"Id":"a","MetricStat":{"Metric":{"Namespace":"n","MetricName":"m"},"Period":1,"Stat":"Sum"}}]}`},
	}
	apitest.FuzzJSON(f, func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = mem.Close() })
		return cloudwatchapi.New(store.New(mem), scope, alarms.NewMetrics(time.Hour), cloudwatchapi.Config{}, nil).Service()
	}, setup, seeds)
}
