package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestCodeDeployStopsOnAlarm is a CodeDeploy canary (10% for five minutes of 10 s) whose
// deployment group watches an alarm on the replacement's (green) target 5xx, with automatic
// rollback on DEPLOYMENT_STOP_ON_ALARM, all set with the aws CLI. The test's requests to
// /fail make the canary's share of them 500s on green; the alarm goes to ALARM on those
// metrics, the deployment ends Stopped with ALARM_ACTIVE, its rollback deployment succeeds,
// every answer comes from v1 again, and the load sees no failed request.
func TestCodeDeployStopsOnAlarm(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", "6")
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)
	tgDim := bg.greenTG[strings.LastIndexByte(bg.greenTG, ':')+1:]
	s.awsJSON(t, "cloudwatch", "put-metric-alarm", "--alarm-name", "green-5xx", "--namespace", "AWS/ApplicationELB",
		"--metric-name", "HTTPCode_Target_5XX_Count", "--dimensions", "Name=TargetGroup,Value="+tgDim, "Name=LoadBalancer,Value="+lbDimension(t, bg.listenerARN),
		"--statistic", "Sum", "--period", "60", "--evaluation-periods", "1", "--threshold", "0",
		"--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "notBreaching")
	s.awsJSON(t, "deploy", "update-deployment-group", "--application-name", "AppECS-demo-web", "--current-deployment-group-name", "DgpECS-demo-web",
		"--alarm-configuration", "enabled=true,alarms=[{name=green-5xx}]",
		"--auto-rollback-configuration", "enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_ALARM")
	group := s.awsJSON(t, "deploy", "get-deployment-group", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web")
	if get(group, "deploymentGroupInfo", "alarmConfiguration", "alarms", 0, "name") != "green-5xx" {
		t.Fatalf("get-deployment-group: %v", group)
	}

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 3, NewConnectionClients: 2, Rate: 100})
	id := s.createDeployment(t, bg.v2, "CodeDeployDefault.ECSCanary10Percent5Minutes")
	failing, stopFailing := context.WithCancel(context.Background())
	defer stopFailing()
	go requestFailures(failing, bg.url+"/fail")

	var info, rollback map[string]any
	for deadline := time.Now().Add(3 * time.Minute); info == nil; time.Sleep(time.Second) {
		d := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id)
		switch get(d, "deploymentInfo", "status") {
		case "Stopped", "Failed", "Succeeded":
			info = d
		}
		if time.Now().After(deadline) {
			t.Fatalf("deployment %s never ended: %v", id, d)
		}
	}
	stopFailing()
	rbID, _ := get(info, "deploymentInfo", "rollbackInfo", "rollbackDeploymentId").(string)
	if get(info, "deploymentInfo", "status") != "Stopped" || get(info, "deploymentInfo", "errorInformation", "code") != "ALARM_ACTIVE" || rbID == "" ||
		!strings.Contains(get(info, "deploymentInfo", "errorInformation", "message").(string), "Activated alarms: green-5xx") {
		t.Fatalf("the deployment after the alarm: %v", info)
	}
	for deadline := time.Now().Add(2 * time.Minute); rollback == nil; time.Sleep(time.Second) {
		d := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", rbID)
		switch get(d, "deploymentInfo", "status") {
		case "Succeeded":
			rollback = d
		case "Failed", "Stopped":
			t.Fatalf("rollback deployment: %v", d)
		}
		if time.Now().After(deadline) {
			t.Fatalf("rollback deployment %s never ended: %v", rbID, d)
		}
	}
	waitTargets(t, s, bg.greenTG, 0)
	stopLoad()
	if res := <-load; res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the canary and its rollback:\n%s", res.Failed(), res.Requests(), res)
	}
	checkShare(t, bg.url, "v1", 100, shareSamples)
}
