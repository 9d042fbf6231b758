package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNativeCanaryRollsBackOnAlarm runs a CANARY deployment whose deployment configuration
// names a CloudWatch alarm on the 5XX count of the alternate (green) target group, made with
// `aws cloudwatch put-metric-alarm` (the CLI speaks Smithy RPC v2 CBOR). Under constant load
// on "/", the canary sends 20% of production traffic to v2; the test's own requests to
// /fail, which v2 answers 500, make the load balancer count target 5xx on green, the alarm
// goes to ALARM on those real metrics, and the deployment rolls back: production traffic
// returns to v1, the service deployment ends ROLLBACK_SUCCESSFUL with the alarm TRIGGERED,
// and not one request of the load fails.
func TestNativeCanaryRollsBackOnAlarm(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	// The service may name an alarm that does not exist yet, as ECS allows; it is made once
	// the load balancer and the target groups its dimensions name exist.
	ns := s.nativeService(t, `{"strategy":"CANARY","canaryConfiguration":{"canaryPercent":20,"canaryBakeTimeInMinutes":30},"bakeTimeInMinutes":0,`+
		`"alarms":{"alarmNames":["green-5xx"],"enable":true,"rollback":true}}`)
	lbDim := lbDimension(t, ns.listenerARN)
	tgDim := ns.greenTG[strings.LastIndexByte(ns.greenTG, ':')+1:]
	s.awsJSON(t, "cloudwatch", "put-metric-alarm", "--alarm-name", "green-5xx", "--namespace", "AWS/ApplicationELB",
		"--metric-name", "HTTPCode_Target_5XX_Count", "--dimensions", "Name=TargetGroup,Value="+tgDim, "Name=LoadBalancer,Value="+lbDim,
		"--statistic", "Sum", "--period", "60", "--evaluation-periods", "1", "--threshold", "0",
		"--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "notBreaching")
	alarm := get(s.awsJSON(t, "cloudwatch", "describe-alarms", "--alarm-names", "green-5xx"), "MetricAlarms", 0)
	if get(alarm, "AlarmArn") != "arn:aws:cloudwatch:us-east-1:000000000000:alarm:green-5xx" || get(alarm, "Threshold") != float64(0) {
		t.Fatalf("describe-alarms: %v", alarm)
	}
	res := s.aws(t, nil, "cloudwatch", "set-alarm-state", "--alarm-name", "ghost", "--state-value", "ALARM", "--state-reason", "drill")
	if res.err == nil || !strings.Contains(res.stderr, "(ResourceNotFound)") || !strings.Contains(res.stderr, "Alarm ghost not found") {
		t.Fatalf("set-alarm-state of no alarm: %v %s", res.err, res.stderr)
	}
	_, elbc := s.sdkClients(t)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, ns.v2)
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 20, 0)
	failing, stopFailing := context.WithCancel(context.Background())
	defer stopFailing()
	go requestFailures(failing, ns.url+"/fail")
	sd := s.waitServiceDeployment(t, arn, "ROLLBACK_SUCCESSFUL", "SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	stopFailing()
	waitTargets(t, s, ns.greenTG, 0)
	stopLoad()
	checkNativeLoad(t, "canary and its rollback on alarm", <-load, "v1", "v2")
	if sd["status"] != "ROLLBACK_SUCCESSFUL" || get(sd, "alarms", "status") != "TRIGGERED" ||
		get(sd, "alarms", "triggeredAlarmNames", 0) != "green-5xx" || get(sd, "alarms", "alarmNames", 0) != "green-5xx" {
		t.Fatalf("service deployment after the alarm: %v", sd)
	}
	if reason, _ := get(sd, "rollback", "reason").(string); !strings.Contains(reason, "[green-5xx] in ALARM state") {
		t.Fatalf("rollback reason %q", reason)
	}
	time.Sleep(routingSettle)
	checkShare(t, ns.url, "v1", 100, shareSamples)
	events, _ := get(s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web"), "services", 0, "events").([]any)
	found := false
	for _, e := range events {
		found = found || strings.HasSuffix(get(e, "message").(string), "deployment failed: alarm(s) [green-5xx] in ALARM state.")
	}
	if !found {
		t.Fatalf("no service event of the alarm: %v", events)
	}

	hist := s.awsJSON(t, "cloudwatch", "describe-alarm-history", "--alarm-name", "green-5xx", "--history-item-type", "StateUpdate")
	found = false
	for _, h := range get(hist, "AlarmHistoryItems").([]any) {
		found = found || strings.HasSuffix(get(h, "HistorySummary").(string), "to ALARM")
	}
	if !found {
		t.Fatalf("describe-alarm-history has no move to ALARM: %v", hist)
	}
	now := time.Now().UTC()
	stats := s.awsJSON(t, "cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", "HTTPCode_Target_5XX_Count",
		"--dimensions", "Name=TargetGroup,Value="+tgDim, "Name=LoadBalancer,Value="+lbDim, "--statistics", "Sum", "--period", "60",
		"--start-time", now.Add(-10*time.Minute).Format(time.RFC3339), "--end-time", now.Add(time.Minute).Format(time.RFC3339))
	if points, _ := get(stats, "Datapoints").([]any); len(points) == 0 || get(points[0], "Sum").(float64) <= 0 {
		t.Fatalf("get-metric-statistics of green's 5XX: %v", stats)
	}
}

// lbDimension is the LoadBalancer dimension (app/<name>/<id>) of a listener's load balancer.
func lbDimension(t *testing.T, listenerARN string) string {
	t.Helper()
	_, rest, ok := strings.Cut(listenerARN, ":listener/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 4 {
		t.Fatalf("listener ARN %s", listenerARN)
	}
	return strings.Join(parts[:3], "/")
}

// requestFailures requests url (a path every revision answers 500) a few times a second
// until ctx ends: the canary's share of them are v2's target 5xx.
func requestFailures(ctx context.Context, url string) {
	client := &http.Client{Timeout: 5 * time.Second}
	for ctx.Err() == nil {
		for range 5 {
			if resp, err := client.Get(url); err == nil {
				resp.Body.Close()
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}
