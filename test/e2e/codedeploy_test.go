package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/loadtest"
)

// TestCodeDeployBlueGreen is the seed's deployment: an ECS service with the CODE_DEPLOY
// controller behind a pair of target groups, a CodeDeploy application and deployment group as
// the ECS console creates them, and deployments with an AppSpec, all with the aws CLI, under
// keep-alive and new-connection load. The first deployment (with fargo deploy) shifts all
// traffic at once; the second (with the aws CLI) goes back with a canary of 10% for a minute
// (10 s on this server's scaled clock), whose share of traffic is measured. Not one request
// may fail.
func TestCodeDeployBlueGreen(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", "6")
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	tdV1, blueTG, listenerARN := bg.v1, bg.blueTG, bg.listenerARN
	s.codeDeployService(t, tdV1, blueTG)
	url := bg.url
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v1") {
		t.Fatalf("blue through the listener: %q", body)
	}

	s.codeDeployGroup(t, listenerARN)
	_, elbc := s.sdkClients(t)

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})

	// The first deployment through fargo deploy, which takes the CodeDeploy path for a
	// CODE_DEPLOY service, with its own load check.
	v2File, _ := filepath.Abs("../../examples/hello/task-definition-v2.json")
	out := s.fargo(t, "deploy", "--cluster", "demo", "--service", "web", "--task-definition", v2File, "--verify-url", url)
	t.Logf("fargo deploy:\n%s", out)
	for _, want := range []string{"CodeDeployDefault.ECSAllAtOnce", "AllowTraffic: succeeded", "deployment completed", "0 failed"} {
		if !strings.Contains(out, want) {
			t.Fatalf("fargo deploy output lacks %q:\n%s", want, out)
		}
	}
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v2") {
		t.Fatalf("after the all-at-once deployment: %q", body)
	}
	s.awsJSON(t, "deploy", "create-deployment-config", "--deployment-config-name", "Canary10Percent1Minute", "--compute-platform", "ECS",
		"--traffic-routing-config", `{"type":"TimeBasedCanary","timeBasedCanary":{"canaryPercentage":10,"canaryInterval":1}}`)
	second := s.createDeployment(t, tdV1, "Canary10Percent1Minute")
	// v2 runs behind green now: the replacement of v1 goes behind blue.
	waitProdShare(t, elbc, listenerARN, blueTG, 10, 0)
	checkStepShare(t, elbc, listenerARN, blueTG, url, "v1", 10)
	s.waitDeploymentEnded(t, second) // longer than one CLI call may take
	s.awsOK(t, "deploy", "wait", "deployment-successful", "--deployment-id", second)
	stopLoad()
	res := <-load
	t.Logf("load during two CodeDeploy deployments:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the CodeDeploy deployments", res.Failed(), res.Requests())
	}
	checkShare(t, url, "v1", 100, shareSamples)
	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", second)
	if st, _ := get(info, "deploymentInfo", "status").(string); st != "Succeeded" {
		t.Fatalf("get-deployment: %v", info)
	}
	svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web")
	sets, _ := get(svc, "services", 0, "taskSets").([]any)
	td, _ := get(svc, "services", 0, "taskSets", 0, "taskDefinition").(string)
	if len(sets) != 1 || td != tdV1 {
		t.Fatalf("describe-services after the deployments: %v", svc)
	}
}

// createDeployment deploys taskDefinition with the seed's AppSpec, as the GitHub action sends
// it, and returns the deployment id.
func (s *server) createDeployment(t *testing.T, taskDefinition, config string) string {
	t.Helper()
	appspec := "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n" +
		"        TaskDefinition: \"" + taskDefinition + "\"\n        LoadBalancerInfo:\n          ContainerName: \"web\"\n          ContainerPort: 8080\n"
	revision, _ := json.Marshal(map[string]any{"revisionType": "AppSpecContent", "appSpecContent": map[string]string{"content": appspec}})
	args := []string{"deploy", "create-deployment", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web",
		"--revision", string(revision)}
	if config != "" {
		args = append(args, "--deployment-config-name", config)
	}
	out := s.awsJSON(t, args...)
	id, _ := get(out, "deploymentId").(string)
	if id == "" {
		t.Fatalf("create-deployment: %v", out)
	}
	return id
}

// waitDeploymentEnded polls get-deployment until the deployment has ended.
func (s *server) waitDeploymentEnded(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id)
		switch st, _ := get(info, "deploymentInfo", "status").(string); st {
		case "Succeeded", "Failed", "Stopped":
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("deployment %s did not end", id)
}

// codeDeployGroup creates the application and deployment group of service web of cluster demo
// as the ECS console does: blue and green target groups, listenerARN for production traffic,
// all at once, the original task set deleted at once.
func (s *server) codeDeployGroup(t *testing.T, listenerARN string) {
	t.Helper()
	s.awsJSON(t, "deploy", "create-application", "--application-name", "AppECS-demo-web", "--compute-platform", "ECS")
	lbInfo, _ := json.Marshal(map[string]any{"targetGroupPairInfoList": []any{map[string]any{
		"targetGroups":     []any{map[string]string{"name": "blue"}, map[string]string{"name": "green"}},
		"prodTrafficRoute": map[string]any{"listenerArns": []string{listenerARN}},
	}}})
	s.awsJSON(t, "deploy", "create-deployment-group", "--application-name", "AppECS-demo-web",
		"--deployment-group-name", "DgpECS-demo-web", "--service-role-arn", "arn:aws:iam::000000000000:role/ecsCodeDeployRole",
		"--deployment-style", "deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL",
		"--ecs-services", "clusterName=demo,serviceName=web", "--load-balancer-info", string(lbInfo),
		"--blue-green-deployment-configuration",
		`{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":0},"deploymentReadyOption":{"actionOnTimeout":"CONTINUE_DEPLOYMENT"}}`,
		"--deployment-config-name", "CodeDeployDefault.ECSAllAtOnce")
	group := s.awsJSON(t, "deploy", "get-deployment-group", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web")
	if w := get(group, "deploymentGroupInfo", "blueGreenDeploymentConfiguration", "deploymentReadyOption", "waitTimeInMinutes"); w == nil {
		t.Fatalf("get-deployment-group lacks the ready wait the GitHub action reads: %v", group)
	}
}

// codeDeployService creates service web of cluster demo with the CODE_DEPLOY controller,
// running taskDefinition behind blueTG, and waits until its targets are healthy.
func (s *server) codeDeployService(t *testing.T, taskDefinition, blueTG string) {
	t.Helper()
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", taskDefinition,
		"--desired-count", "2", "--deployment-controller", "type=CODE_DEPLOY", "--health-check-grace-period-seconds", "10",
		"--load-balancers", "targetGroupArn="+blueTG+",containerName=web,containerPort=8080")
	waitTargets(t, s, blueTG, 2)
	s.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", blueTG)
}

// prodShare returns the percent of the listener's default forward that goes to group.
func prodShare(t *testing.T, elbc *elbsdk.Client, listenerARN, group string) int {
	t.Helper()
	out, err := elbc.DescribeListeners(apitest.Context(t), &elbsdk.DescribeListenersInput{ListenerArns: []string{listenerARN}})
	if err != nil || len(out.Listeners) != 1 {
		t.Fatalf("describe-listeners %s: %v", listenerARN, err)
	}
	for _, a := range out.Listeners[0].DefaultActions {
		if a.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if a.ForwardConfig == nil || len(a.ForwardConfig.TargetGroups) == 0 {
			if aws.ToString(a.TargetGroupArn) == group {
				return 100
			}
			return 0
		}
		var total, mine int32
		for _, g := range a.ForwardConfig.TargetGroups {
			total += aws.ToInt32(g.Weight)
			if aws.ToString(g.TargetGroupArn) == group {
				mine += aws.ToInt32(g.Weight)
			}
		}
		if total == 0 {
			break
		}
		return int(100 * mine / total)
	}
	t.Fatalf("listener %s forwards nowhere: %+v", listenerARN, out.Listeners[0].DefaultActions)
	return 0
}

// waitProdShare polls the listener through the SDK (fast enough to see each step of a
// deployment when it comes) until group has want percent of its traffic, and returns when it
// saw that. A share other than want and those of from fails the test: a deployment that skips
// a step or makes one up is caught.
func waitProdShare(t *testing.T, elbc *elbsdk.Client, listenerARN, group string, want int, from ...int) time.Time {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		got := prodShare(t, elbc, listenerARN, group)
		if got == want {
			return time.Now()
		}
		if !slices.Contains(from, got) {
			t.Fatalf("the production listener sends %d%% to %s; want %d%%, coming from %v", got, group[strings.LastIndex(group, ":")+1:], want, from)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the production listener never sent %d%% to %s (still %d%%)", want, group, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkStepShare measures the share of version's answers while the listener holds group at
// weight percent, and fails unless it fits that weight. The step must outlast the measurement:
// one that ended meanwhile would blur it, and fails the test too.
func checkStepShare(t *testing.T, elbc *elbsdk.Client, listenerARN, group, url, version string, weight int) {
	t.Helper()
	start := time.Now()
	time.Sleep(routingSettle)
	checkShare(t, url, version, weight, shareSamples)
	if got := prodShare(t, elbc, listenerARN, group); got != weight {
		t.Fatalf("the listener moved from %d%% to %d%% while the share was measured (%s): the step must last longer", weight, got, time.Since(start))
	}
	t.Logf("share at %d%% measured in %s", weight, time.Since(start).Round(time.Millisecond))
}
