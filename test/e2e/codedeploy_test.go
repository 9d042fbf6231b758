package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestCodeDeployBlueGreen is the seed's deployment: an ECS service with the CODE_DEPLOY
// controller behind a pair of target groups, a CodeDeploy application and deployment group as
// the ECS console creates them, and deployments with an AppSpec, all with the aws CLI, under
// keep-alive and new-connection load. The first deployment (with fargo deploy) shifts all
// traffic at once; the second (with the aws CLI) goes back with a canary of 10% for a minute,
// whose share of traffic is measured. Not one request may fail.
func TestCodeDeployBlueGreen(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	tdV1, tdV2, blueTG, greenTG, listenerARN := bg.v1, bg.v2, bg.blueTG, bg.greenTG, bg.listenerARN
	s.codeDeployService(t, tdV1, blueTG)
	url := bg.url
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v1") {
		t.Fatalf("blue through the listener: %q", body)
	}

	s.codeDeployGroup(t, listenerARN)

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
	_ = tdV2
	s.awsJSON(t, "deploy", "create-deployment-config", "--deployment-config-name", "Canary10Percent1Minute", "--compute-platform", "ECS",
		"--traffic-routing-config", `{"type":"TimeBasedCanary","timeBasedCanary":{"canaryPercentage":10,"canaryInterval":1}}`)
	second := s.createDeployment(t, tdV1, "Canary10Percent1Minute")
	s.waitWeight(t, listenerARN, greenTG, blueTG, 10)
	share := 1 - s.v2Share(t, url, 200)
	t.Logf("canary: %.0f%% of 200 requests answered by v1", 100*share)
	if share < 0.02 || share > 0.25 {
		t.Fatalf("canary at 10%%: v1 answered %.0f%% of requests", 100*share)
	}
	s.waitDeploymentEnded(t, second) // longer than one CLI call may take
	s.awsOK(t, "deploy", "wait", "deployment-successful", "--deployment-id", second)
	stopLoad()
	res := <-load
	t.Logf("load during two CodeDeploy deployments:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the CodeDeploy deployments", res.Failed(), res.Requests())
	}
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v1") {
		t.Fatalf("after the canary deployment: %q", body)
	}
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

// waitWeight waits until the listener sends weight percent of traffic to the replacement
// group (which is either of the pair).
func (s *server) waitWeight(t *testing.T, listenerARN, groupA, groupB string, weight int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		out := s.awsJSON(t, "elbv2", "describe-rules", "--listener-arn", listenerARN)
		groups, _ := get(out, "Rules", 0, "Actions", 0, "ForwardConfig", "TargetGroups").([]any)
		for i := range groups {
			arn, _ := get(out, "Rules", 0, "Actions", 0, "ForwardConfig", "TargetGroups", i, "TargetGroupArn").(string)
			w, _ := get(out, "Rules", 0, "Actions", 0, "ForwardConfig", "TargetGroups", i, "Weight").(float64)
			if (arn == groupA || arn == groupB) && int(w) == weight && len(groups) == 2 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("the listener never sent %d%% to the replacement group", weight)
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
