package cloudwatchapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/cloudwatch"
)

func TestListMetricsAndStatistics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	lb := cloudwatch.Dimension{Name: "LoadBalancer", Value: "app/web/fedcba9876543210"}
	tg := cloudwatch.Dimension{Name: "TargetGroup", Value: "targetgroup/blue/0123456789abcdef"}
	start := time.Now().Add(-10 * time.Minute).Truncate(time.Minute)
	for i, v := range []float64{3, 5, 7} { // two samples in the first minute, one in the next
		at := start.Add(time.Duration(i) * 40 * time.Second)
		e.Metrics.Add(cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: cloudwatch.MetricRequestCount, Dimensions: []cloudwatch.Dimension{tg, lb}}, cloudwatch.Sample{Time: at, Value: v})
	}
	e.Metrics.Add(cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: cloudwatch.MetricRequestCount, Dimensions: []cloudwatch.Dimension{lb}}, cloudwatch.Sample{Time: start, Value: 1})

	list, err := e.CW.ListMetrics(ctx, &cw.ListMetricsInput{Namespace: aws.String("AWS/ApplicationELB"),
		Dimensions: []cwtypes.DimensionFilter{{Name: aws.String("TargetGroup")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Metrics) != 1 || aws.ToString(list.Metrics[0].MetricName) != "RequestCount" || len(list.Metrics[0].Dimensions) != 2 {
		t.Fatalf("metrics %+v", list.Metrics)
	}
	all, err := e.CW.ListMetrics(ctx, &cw.ListMetricsInput{MetricName: aws.String("RequestCount")})
	if err != nil || len(all.Metrics) != 2 {
		t.Fatalf("all metrics %+v, %v", all, err)
	}

	stats, err := e.CW.GetMetricStatistics(ctx, &cw.GetMetricStatisticsInput{
		Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("RequestCount"),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("LoadBalancer"), Value: aws.String(lb.Value)}, {Name: aws.String("TargetGroup"), Value: aws.String(tg.Value)}},
		StartTime:  aws.Time(start), EndTime: aws.Time(start.Add(5 * time.Minute)), Period: aws.Int32(60),
		Statistics: []cwtypes.Statistic{cwtypes.StatisticSum, cwtypes.StatisticMaximum, cwtypes.StatisticSampleCount},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(stats.Label) != "RequestCount" || len(stats.Datapoints) != 2 {
		t.Fatalf("datapoints %+v", stats.Datapoints)
	}
	d := stats.Datapoints[0]
	if !d.Timestamp.Equal(start) || aws.ToFloat64(d.Sum) != 8 || aws.ToFloat64(d.Maximum) != 5 || aws.ToFloat64(d.SampleCount) != 2 || d.Average != nil || d.Unit != cwtypes.StandardUnitCount {
		t.Fatalf("first datapoint %+v", d)
	}

	_, err = e.CW.GetMetricStatistics(ctx, &cw.GetMetricStatisticsInput{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("RequestCount"),
		StartTime: aws.Time(start), EndTime: aws.Time(start.Add(time.Minute)), Period: aws.Int32(60)})
	apitest.WantError(t, err, "MissingParameter", "The parameter Statistics or ExtendedStatistics is required.", http.StatusBadRequest)
	_, err = e.CW.GetMetricStatistics(ctx, &cw.GetMetricStatisticsInput{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("RequestCount"),
		StartTime: aws.Time(start), EndTime: aws.Time(start), Period: aws.Int32(60), Statistics: []cwtypes.Statistic{cwtypes.StatisticSum}})
	apitest.WantError(t, err, "InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.", http.StatusBadRequest)
	_, err = e.CW.GetMetricStatistics(ctx, &cw.GetMetricStatisticsInput{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("RequestCount"),
		StartTime: aws.Time(start.Add(-48 * time.Hour)), EndTime: aws.Time(start), Period: aws.Int32(60), Statistics: []cwtypes.Statistic{cwtypes.StatisticSum}})
	apitest.WantError(t, err, "InvalidParameterCombination", "You have requested up to 2880 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", http.StatusBadRequest)
}

func TestGetMetricData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	lb := cloudwatch.Dimension{Name: "LoadBalancer", Value: "app/web/fedcba9876543210"}
	start := time.Now().Add(-10 * time.Minute).Truncate(time.Minute)
	for i, v := range []float64{3, 5, 7} {
		e.Metrics.Add(cloudwatch.MetricID{Namespace: cloudwatch.NamespaceELB, Name: cloudwatch.MetricELB503, Dimensions: []cloudwatch.Dimension{lb}},
			cloudwatch.Sample{Time: start.Add(time.Duration(i) * 40 * time.Second), Value: v})
	}
	query := func(id, stat string) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("HTTPCode_ELB_503_Count"),
				Dimensions: []cwtypes.Dimension{{Name: aws.String("LoadBalancer"), Value: aws.String(lb.Value)}}},
			Period: aws.Int32(60), Stat: aws.String(stat)}}
	}
	out, err := e.CW.GetMetricData(ctx, &cw.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(start.Add(5 * time.Minute)),
		MetricDataQueries: []cwtypes.MetricDataQuery{query("sum", "Sum"), query("max", "Maximum")}, ScanBy: cwtypes.ScanByTimestampAscending})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricDataResults) != 2 {
		t.Fatalf("results %+v", out.MetricDataResults)
	}
	sum, maxes := out.MetricDataResults[0], out.MetricDataResults[1]
	if aws.ToString(sum.Id) != "sum" || len(sum.Values) != 2 || sum.Values[0] != 8 || sum.Values[1] != 7 || !sum.Timestamps[0].Equal(start) ||
		sum.StatusCode != cwtypes.StatusCodeComplete || maxes.Values[0] != 5 || aws.ToString(sum.Label) != "HTTPCode_ELB_503_Count" {
		t.Fatalf("sum %+v, max %+v", sum, maxes)
	}
	math := cwtypes.MetricDataQuery{Id: aws.String("m"), Expression: aws.String("SUM(METRICS())")}
	_, err = e.CW.GetMetricData(ctx, &cw.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(start.Add(time.Minute)), MetricDataQueries: []cwtypes.MetricDataQuery{math}})
	apitest.WantError(t, err, "ValidationError", "Metric math expressions are not supported: query m. Use MetricStat.", http.StatusBadRequest)
}
