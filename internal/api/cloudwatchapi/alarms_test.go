package cloudwatchapi_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestPutMetricAlarmThenDescribe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	if _, err := e.CW.PutMetricAlarm(ctx, tg5xx("blue-5xx")); err != nil {
		t.Fatal(err)
	}
	out, err := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{AlarmNames: []string{"blue-5xx"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricAlarms) != 1 || out.NextToken != nil {
		t.Fatalf("alarms %+v", out.MetricAlarms)
	}
	a := out.MetricAlarms[0]
	switch {
	case aws.ToString(a.AlarmArn) != "arn:aws:cloudwatch:us-east-1:000000000000:alarm:blue-5xx":
		t.Errorf("ARN %s", aws.ToString(a.AlarmArn))
	case a.StateValue != cwtypes.StateValueInsufficientData || aws.ToString(a.StateReason) != "Unchecked: Initial alarm creation":
		t.Errorf("state %s: %s", a.StateValue, aws.ToString(a.StateReason))
	case a.Statistic != cwtypes.StatisticSum || aws.ToInt32(a.Period) != 60 || aws.ToFloat64(a.Threshold) != 1 || len(a.Dimensions) != 2:
		t.Errorf("alarm %+v", a)
	case a.ComparisonOperator != cwtypes.ComparisonOperatorGreaterThanThreshold || aws.ToString(a.TreatMissingData) != "notBreaching":
		t.Errorf("alarm %+v", a)
	case !aws.ToBool(a.ActionsEnabled) || a.StateUpdatedTimestamp == nil || time.Since(*a.StateUpdatedTimestamp) > time.Minute:
		t.Errorf("alarm %+v", a)
	}
}

func TestDescribeAlarmsFiltersAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	for _, n := range []string{"web-a", "web-b", "api-a"} {
		if _, err := e.CW.PutMetricAlarm(ctx, tg5xx(n)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.CW.SetAlarmState(ctx, &cw.SetAlarmStateInput{AlarmName: aws.String("web-b"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("test")}); err != nil {
		t.Fatal(err)
	}
	names := func(in *cw.DescribeAlarmsInput) []string {
		t.Helper()
		out, err := e.CW.DescribeAlarms(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, a := range out.MetricAlarms {
			ns = append(ns, aws.ToString(a.AlarmName))
		}
		return ns
	}
	tests := []struct {
		name string
		in   *cw.DescribeAlarmsInput
		want string
	}{
		{"all", &cw.DescribeAlarmsInput{}, "api-a web-a web-b"},
		{"by names", &cw.DescribeAlarmsInput{AlarmNames: []string{"web-a", "nope"}}, "web-a"},
		{"by prefix", &cw.DescribeAlarmsInput{AlarmNamePrefix: aws.String("web-")}, "web-a web-b"},
		{"by state", &cw.DescribeAlarmsInput{StateValue: cwtypes.StateValueAlarm}, "web-b"},
		{"composite only", &cw.DescribeAlarmsInput{AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeCompositeAlarm}}, ""},
	}
	for _, tc := range tests {
		if got := strings.Join(names(tc.in), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	var all []string
	var token *string
	for {
		out, err := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{MaxRecords: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.MetricAlarms {
			all = append(all, aws.ToString(a.AlarmName))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if strings.Join(all, " ") != "api-a web-a web-b" {
		t.Fatalf("pages gave %v", all)
	}
	_, err := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{NextToken: aws.String("bogus!")})
	apitest.WantError(t, err, "InvalidNextToken", "The service returned an invalid NextToken.", http.StatusBadRequest)
}

func TestAlarmErrorsChangeNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	if _, err := e.CW.PutMetricAlarm(ctx, tg5xx("keep")); err != nil {
		t.Fatal(err)
	}
	bad := tg5xx("keep")
	bad.Period = aws.Int32(20)
	_, err := e.CW.PutMetricAlarm(ctx, bad)
	apitest.WantError(t, err, "ValidationError", "Period must be 10, 30 or a multiple of 60.", http.StatusBadRequest)
	noOp := tg5xx("new")
	noOp.ComparisonOperator = ""
	_, err = e.CW.PutMetricAlarm(ctx, noOp)
	apitest.WantError(t, err, "ValidationError", "1 validation error detected: Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null", http.StatusBadRequest)

	_, err = e.CW.SetAlarmState(ctx, &cw.SetAlarmStateInput{AlarmName: aws.String("ghost"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("x")})
	apitest.WantError(t, err, "ResourceNotFound", "Alarm ghost not found", http.StatusNotFound)
	_, err = e.CW.SetAlarmState(ctx, &cw.SetAlarmStateInput{AlarmName: aws.String("keep"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("x"), StateReasonData: aws.String("{")})
	apitest.WantError(t, err, "InvalidFormat", "StateReasonData is not valid JSON.", http.StatusBadRequest)

	_, err = e.CW.DeleteAlarms(ctx, &cw.DeleteAlarmsInput{AlarmNames: []string{"keep", "ghost"}})
	apitest.WantError(t, err, "ResourceNotFound", "1 of the alarms provided do not exist: [ghost].", http.StatusNotFound)

	out, err := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricAlarms) != 1 || aws.ToInt32(out.MetricAlarms[0].Period) != 60 || out.MetricAlarms[0].StateValue != cwtypes.StateValueInsufficientData {
		t.Fatalf("after the errors: %+v", out.MetricAlarms)
	}
	if _, err := e.CW.DeleteAlarms(ctx, &cw.DeleteAlarmsInput{AlarmNames: []string{"keep"}}); err != nil {
		t.Fatal(err)
	}
	if out, _ := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{}); len(out.MetricAlarms) != 0 {
		t.Fatalf("deleted alarm still there: %+v", out.MetricAlarms)
	}
}

func TestSetAlarmStateRecordsHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	if _, err := e.CW.PutMetricAlarm(ctx, tg5xx("h")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CW.SetAlarmState(ctx, &cw.SetAlarmStateInput{AlarmName: aws.String("h"), StateValue: cwtypes.StateValueAlarm,
		StateReason: aws.String("drill"), StateReasonData: aws.String(`{"by":"test"}`)}); err != nil {
		t.Fatal(err)
	}
	out, err := e.CW.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{AlarmNames: []string{"h"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := out.MetricAlarms[0]; a.StateValue != cwtypes.StateValueAlarm || aws.ToString(a.StateReason) != "drill" || aws.ToString(a.StateReasonData) != `{"by":"test"}` {
		t.Fatalf("alarm %+v", a)
	}
	hist, err := e.CW.DescribeAlarmHistory(ctx, &cw.DescribeAlarmHistoryInput{AlarmName: aws.String("h")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist.AlarmHistoryItems {
		got = append(got, string(h.HistoryItemType)+": "+aws.ToString(h.HistorySummary))
	}
	want := `StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM|ConfigurationUpdate: Alarm "h" created`
	if strings.Join(got, "|") != want {
		t.Fatalf("history %q", got)
	}
	only, err := e.CW.DescribeAlarmHistory(ctx, &cw.DescribeAlarmHistoryInput{HistoryItemType: cwtypes.HistoryItemTypeConfigurationUpdate, ScanBy: cwtypes.ScanByTimestampAscending})
	if err != nil || len(only.AlarmHistoryItems) != 1 {
		t.Fatalf("configuration updates %+v, %v", only, err)
	}
}

func TestAlarmActionsAndAlarmsForMetric(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	if _, err := e.CW.PutMetricAlarm(ctx, tg5xx("m")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CW.DisableAlarmActions(ctx, &cw.DisableAlarmActionsInput{AlarmNames: []string{"m", "ghost"}}); err != nil {
		t.Fatal(err)
	}
	req := tg5xx("")
	out, err := e.CW.DescribeAlarmsForMetric(ctx, &cw.DescribeAlarmsForMetricInput{Namespace: req.Namespace, MetricName: req.MetricName,
		Dimensions: []cwtypes.Dimension{req.Dimensions[1], req.Dimensions[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricAlarms) != 1 || aws.ToBool(out.MetricAlarms[0].ActionsEnabled) {
		t.Fatalf("alarms for metric %+v", out.MetricAlarms)
	}
	none, err := e.CW.DescribeAlarmsForMetric(ctx, &cw.DescribeAlarmsForMetricInput{Namespace: req.Namespace, MetricName: aws.String("RequestCount")})
	if err != nil || len(none.MetricAlarms) != 0 {
		t.Fatalf("alarms of another metric %+v, %v", none, err)
	}
	if _, err := e.CW.EnableAlarmActions(ctx, &cw.EnableAlarmActionsInput{AlarmNames: []string{"m"}}); err != nil {
		t.Fatal(err)
	}
	withActions := tg5xx("sns")
	withActions.AlarmActions = []string{"arn:aws:sns:us-east-1:000000000000:ops"}
	_, err = e.CW.PutMetricAlarm(ctx, withActions)
	apitest.WantError(t, err, "ValidationError", "Alarm actions are not supported: fargo has no action targets (SNS, Auto Scaling, EC2). Deployments read alarm states directly.", http.StatusBadRequest)
}

func TestQueryProtocol(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	put := url.Values{
		"AlarmName": {"q"}, "Namespace": {"AWS/ApplicationELB"}, "MetricName": {"RequestCount"}, "Statistic": {"Sum"},
		"Period": {"60"}, "EvaluationPeriods": {"2"}, "Threshold": {"100"}, "ComparisonOperator": {"GreaterThanThreshold"},
		"Dimensions.member.1.Name": {"LoadBalancer"}, "Dimensions.member.1.Value": {"app/web/fedcba9876543210"},
	}
	if resp, body := e.query(t, "PutMetricAlarm", put); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<PutMetricAlarmResponse") {
		t.Fatalf("PutMetricAlarm: %d %s", resp.StatusCode, body)
	}
	resp, body := e.query(t, "DescribeAlarms", url.Values{"AlarmNames.member.1": {"q"}})
	for _, want := range []string{"<AlarmName>q</AlarmName>", "<StateValue>INSUFFICIENT_DATA</StateValue>", "<Name>LoadBalancer</Name>", "<EvaluationPeriods>2</EvaluationPeriods>"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Fatalf("DescribeAlarms lacks %s: %d %s", want, resp.StatusCode, body)
		}
	}
	resp, body = e.query(t, "GetMetricData", url.Values{"StartTime": {"2026-12-07T00:00:00Z"}, "EndTime": {"2026-12-07T01:00:00Z"},
		"MetricDataQueries.member.1.Id": {"r"}, "MetricDataQueries.member.1.MetricStat.Metric.Namespace": {"AWS/ApplicationELB"},
		"MetricDataQueries.member.1.MetricStat.Metric.MetricName": {"RequestCount"}, "MetricDataQueries.member.1.MetricStat.Period": {"60"},
		"MetricDataQueries.member.1.MetricStat.Stat": {"Sum"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Id>r</Id>") || !strings.Contains(string(body), "<StatusCode>Complete</StatusCode>") {
		t.Fatalf("GetMetricData: %d %s", resp.StatusCode, body)
	}
	resp, body = e.query(t, "SetAlarmState", url.Values{"AlarmName": {"ghost"}, "StateValue": {"OK"}, "StateReason": {"x"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "<Code>ResourceNotFound</Code>") {
		t.Fatalf("SetAlarmState of no alarm: %d %s", resp.StatusCode, body)
	}
}

// TestJSONProtocol speaks JSON 1.0 as aws CLI v1 does: epoch-seconds timestamps in, errors
// with the shape in __type and the Query code in x-amzn-query-error.
func TestJSONProtocol(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	put := `{"AlarmName":"j","Namespace":"AWS/ApplicationELB","MetricName":"RequestCount","Statistic":"Sum","Period":60,` +
		`"EvaluationPeriods":1,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}`
	if resp, body := e.json10(t, "PutMetricAlarm", put); resp.StatusCode != http.StatusOK || string(body) != "{}" {
		t.Fatalf("PutMetricAlarm: %d %s", resp.StatusCode, body)
	}
	resp, body := e.json10(t, "DescribeAlarmHistory", `{"AlarmName":"j","StartDate":1000000000,"EndDate":`+strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)+`}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"HistorySummary":"Alarm \"j\" created"`) {
		t.Fatalf("DescribeAlarmHistory: %d %s", resp.StatusCode, body)
	}
	resp, body = e.json10(t, "SetAlarmState", `{"AlarmName":"ghost","StateValue":"OK","StateReason":"x"}`)
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Amzn-Query-Error") != "ResourceNotFound;Sender" ||
		!strings.Contains(string(body), `"__type":"com.amazonaws.cloudwatch#ResourceNotFound"`) {
		t.Fatalf("SetAlarmState of no alarm: %d %v %s", resp.StatusCode, resp.Header, body)
	}
}
