package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// nativeScale is the time scale of the native deployments' servers: a minute lasts 5 s, long
// enough to measure a canary's share of traffic, short enough for CI.
const nativeScale = 12

// nativeSetup is a cluster with v1 and v2 of the example app, target groups blue and green, a
// listener whose default rule forwards to blue (the production listener rule) and a
// 2-task ECS-controller service of v1 with the given deployment configuration, behind blue
// with green as its alternate group, stable.
type nativeSetup struct {
	blueGreen
	rule string
}

func (s *server) nativeService(t *testing.T, deploymentConfiguration string) nativeSetup {
	t.Helper()
	ns := nativeSetup{blueGreen: s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })}
	rules := s.awsJSON(t, "elbv2", "describe-rules", "--listener-arn", ns.listenerARN)
	ns.rule, _ = get(rules, "Rules", 0, "RuleArn").(string)
	lbs, _ := json.Marshal([]map[string]any{{"targetGroupArn": ns.blueTG, "containerName": "web", "containerPort": 8080,
		"advancedConfiguration": map[string]any{"alternateTargetGroupArn": ns.greenTG, "productionListenerRule": ns.rule,
			"roleArn": "arn:aws:iam::000000000000:role/ecsInfra"}}})
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", ns.v1,
		"--desired-count", "2", "--deployment-configuration", deploymentConfiguration, "--load-balancers", string(lbs),
		"--network-configuration", "awsvpcConfiguration={subnets=[subnet-a]}")
	s.waitSteady(t)
	return ns
}

// waitSteady polls describe-services every half second until service web is stable as the
// services-stable waiter judges it (one deployment, running count = desired count): faster
// than the waiter, whose first retry comes after 15 s, where the test does not pin the waiter.
func (s *server) waitSteady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		svc := get(s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web"), "services", 0)
		deployments, _ := get(svc, "deployments").([]any)
		if len(deployments) == 1 && get(svc, "runningCount") == get(svc, "desiredCount") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("service web never stable: %v", svc)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// waitStable runs `aws ecs wait services-stable` on service web.
func (s *server) waitStable(t *testing.T) {
	t.Helper()
	if res := s.aws(t, nil, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web"); res.err != nil {
		t.Fatalf("aws ecs wait services-stable: %v\n%s", res.err, res.stderr)
	}
}

// deploy updates service web to task definition td and returns its service deployment's ARN,
// as update-service reports it (a deployment that fails at once may be rolled back before a
// describe-services would show it).
func (s *server) deploy(t *testing.T, td string) string {
	t.Helper()
	upd := s.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--task-definition", td)
	arn, _ := get(upd, "service", "currentServiceDeployment").(string)
	if arn == "" {
		t.Fatalf("update-service names no currentServiceDeployment: %v", upd)
	}
	return arn
}

// serviceDeployment describes service deployment arn.
func (s *server) serviceDeployment(t *testing.T, arn string) map[string]any {
	t.Helper()
	out := s.awsJSON(t, "ecs", "describe-service-deployments", "--service-deployment-arns", arn)
	sd, _ := get(out, "serviceDeployments", 0).(map[string]any)
	if sd == nil {
		t.Fatalf("describe-service-deployments %s: %v", arn, out)
	}
	return sd
}

// waitServiceDeployment waits until service deployment arn has one of statuses and returns it.
func (s *server) waitServiceDeployment(t *testing.T, arn string, statuses ...string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		sd := s.serviceDeployment(t, arn)
		for _, st := range statuses {
			if sd["status"] == st {
				return sd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("service deployment never %v: %v", statuses, sd)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// nativeLoad is the constant load on the production listener during a native deployment.
func nativeLoad(ctx context.Context, url string) <-chan loadtest.Result {
	return startLoadtest(ctx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})
}

func checkNativeLoad(t *testing.T, what string, res loadtest.Result, versions ...string) {
	t.Helper()
	t.Logf("load during the %s:\n%s", what, res)
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the %s (by revision %v)", res.Failed(), res.Requests(), what, res.Revisions)
	}
	for _, v := range versions {
		if res.Revisions[v] == 0 {
			t.Fatalf("no request answered by %s during the %s (by revision %v)", v, what, res.Revisions)
		}
	}
}

// TestNativeBlueGreenUnderLoad runs an ECS-native BLUE_GREEN deployment with the aws CLI under
// keep-alive and new-connection load on the production listener: v2 comes up behind green,
// all production traffic moves in one swap, both revisions run through the bake time, then
// v1 drains and goes. `aws ecs wait services-stable` returns only after the bake (the
// deployment is in CLEAN_UP or done by then), the service deployment ends SUCCESSFUL with
// v2's revision as its target and v1's as its source, and not one request fails.
func TestNativeBlueGreenUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	ns := s.nativeService(t, `{"strategy":"BLUE_GREEN","bakeTimeInMinutes":1,"maximumPercent":200,"minimumHealthyPercent":100}`)
	_, elbc := s.sdkClients(t)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, ns.v2)
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 100, 0)
	s.waitStable(t)
	stage := s.serviceDeployment(t, arn)
	if st := stage["lifecycleStage"]; st != "CLEAN_UP" {
		t.Fatalf("services-stable returned at stage %v, before the bake time ended: %v", st, stage)
	}
	sd := s.waitServiceDeployment(t, arn, "SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	stopLoad()
	checkNativeLoad(t, "blue/green deployment", <-load, "v1", "v2")
	if sd["status"] != "SUCCESSFUL" || get(sd, "targetServiceRevision", "requestedProductionTrafficWeight") != float64(100) {
		t.Fatalf("service deployment: %v", sd)
	}
	checkShare(t, ns.url, "v2", 100, shareSamples)
	list := s.awsJSON(t, "ecs", "list-service-deployments", "--cluster", "demo", "--service", "web", "--status", "SUCCESSFUL")
	if n := len(get(list, "serviceDeployments").([]any)); n != 2 { // the creation's and the update's
		t.Fatalf("list-service-deployments --status SUCCESSFUL: %v", list)
	}
	rev := s.awsJSON(t, "ecs", "describe-service-revisions", "--service-revision-arns", get(sd, "targetServiceRevision", "arn").(string),
		get(sd, "sourceServiceRevisions", 0, "arn").(string))
	if get(rev, "serviceRevisions", 0, "taskDefinition") != ns.v2 || get(rev, "serviceRevisions", 1, "taskDefinition") != ns.v1 ||
		get(rev, "serviceRevisions", 0, "loadBalancers", 0, "targetGroupArn") != ns.greenTG {
		t.Fatalf("describe-service-revisions: %v", rev)
	}
	waitTargets(t, s, ns.blueTG, 0)
}

// linearNativeScale makes a minute last 7.5 s: each linear step outlasts the measurement of
// its share (400 requests) on a busy machine.
const linearNativeScale = 8

// TestNativeLinearUnderLoad runs a LINEAR deployment (25% more every minute, on a server whose
// minute lasts 7.5 s) under load: the production listener rule must take exactly the steps 25,
// 50, 75 and 100%, and at each step the share of requests v2 answers must fit its weight.
// Not one request fails.
func TestNativeLinearUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(linearNativeScale))
	ns := s.nativeService(t, `{"strategy":"LINEAR","linearConfiguration":{"stepPercent":25,"stepBakeTimeInMinutes":1},"bakeTimeInMinutes":0}`)
	_, elbc := s.sdkClients(t)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, ns.v2)
	prev := 0
	for _, weight := range []int{25, 50, 75} {
		waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, weight, prev)
		checkStepShare(t, elbc, ns.listenerARN, ns.greenTG, ns.url, "v2", weight)
		prev = weight
	}
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 100, prev)
	sd := s.waitServiceDeployment(t, arn, "SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	stopLoad()
	checkNativeLoad(t, "linear deployment", <-load, "v1", "v2")
	if sd["status"] != "SUCCESSFUL" || get(sd, "deploymentConfiguration", "linearConfiguration", "stepPercent") != float64(25) {
		t.Fatalf("service deployment: %v", sd)
	}
}

// TestNativeCanaryUnderLoad runs a CANARY deployment (20% for a minute of 5 s, then the rest)
// under load: the production rule sends 20% to v2, measured, then 100%. Not one request fails.
func TestNativeCanaryUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	ns := s.nativeService(t, `{"strategy":"CANARY","canaryConfiguration":{"canaryPercent":20,"canaryBakeTimeInMinutes":1},"bakeTimeInMinutes":0}`)
	_, elbc := s.sdkClients(t)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, ns.v2)
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 20, 0)
	checkStepShare(t, elbc, ns.listenerARN, ns.greenTG, ns.url, "v2", 20)
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 100, 20)
	sd := s.waitServiceDeployment(t, arn, "SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	stopLoad()
	checkNativeLoad(t, "canary deployment", <-load, "v1", "v2")
	if sd["status"] != "SUCCESSFUL" {
		t.Fatalf("service deployment: %v", sd)
	}
}

// TestNativeStopRollbackUnderLoad stops a CANARY deployment with `aws ecs
// stop-service-deployment` while 20% of production traffic goes to v2: all traffic returns
// to v1 in one swap, v2's tasks drain and go, the service deployment ends ROLLBACK_SUCCESSFUL
// naming v1's revision, and not one request fails.
func TestNativeStopRollbackUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	ns := s.nativeService(t, `{"strategy":"CANARY","canaryConfiguration":{"canaryPercent":20,"canaryBakeTimeInMinutes":30},"bakeTimeInMinutes":0}`)
	_, elbc := s.sdkClients(t)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, ns.v2)
	waitProdShare(t, elbc, ns.listenerARN, ns.greenTG, 20, 0)
	checkStepShare(t, elbc, ns.listenerARN, ns.greenTG, ns.url, "v2", 20)
	if out := s.awsJSON(t, "ecs", "stop-service-deployment", "--service-deployment-arn", arn); out["serviceDeploymentArn"] != arn {
		t.Fatalf("stop-service-deployment: %v", out)
	}
	sd := s.waitServiceDeployment(t, arn, "ROLLBACK_SUCCESSFUL", "SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	waitTargets(t, s, ns.greenTG, 0)
	stopLoad()
	checkNativeLoad(t, "canary and its rollback", <-load, "v1", "v2")
	if sd["status"] != "ROLLBACK_SUCCESSFUL" || get(sd, "rollback", "serviceRevisionArn") != get(sd, "sourceServiceRevisions", 0, "arn") {
		t.Fatalf("service deployment after the stop: %v", sd)
	}
	time.Sleep(routingSettle)
	checkShare(t, ns.url, "v1", 100, shareSamples)
	s.waitSteady(t)
	svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web")
	if get(svc, "services", 0, "taskDefinition") != ns.v1 {
		t.Fatalf("the service runs other than v1 after the rollback: %v", svc)
	}
}

// TestNativeBreakerRollbackUnderLoad deploys, with BLUE_GREEN and the circuit breaker on, a
// v2 whose command exits at once: the deployment never shifts traffic, rolls back
// (ROLLBACK_SUCCESSFUL, the breaker TRIGGERED) and v1 serves every request throughout.
func TestNativeBreakerRollbackUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	ns := s.nativeService(t, `{"strategy":"BLUE_GREEN","bakeTimeInMinutes":1,"deploymentCircuitBreaker":{"enable":true,"rollback":true}}`)
	crashing := crashingTaskDefinition(t)
	td, _ := get(s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+crashing), "taskDefinition", "taskDefinitionArn").(string)
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := nativeLoad(ctx, ns.url)

	arn := s.deploy(t, td)
	sd := s.waitServiceDeployment(t, arn, "ROLLBACK_SUCCESSFUL", "SUCCESSFUL", "STOPPED", "ROLLBACK_FAILED")
	stopLoad()
	checkNativeLoad(t, "failing blue/green deployment and its rollback", <-load, "v1")
	if sd["status"] != "ROLLBACK_SUCCESSFUL" || get(sd, "deploymentCircuitBreaker", "status") != "TRIGGERED" {
		t.Fatalf("service deployment: %v", sd)
	}
	s.waitSteady(t)
	checkShare(t, ns.url, "v1", 100, shareSamples)
}

// crashingTaskDefinition writes v2 of the example app with a command that exits at once (the
// hello app refuses a flag it does not know) and returns the file's path.
func crashingTaskDefinition(t *testing.T) string {
	t.Helper()
	v2, err := os.ReadFile("../../examples/hello/task-definition-v2.json")
	if err != nil {
		t.Fatal(err)
	}
	var td map[string]any
	if err := json.Unmarshal(v2, &td); err != nil {
		t.Fatal(err)
	}
	td["containerDefinitions"].([]any)[0].(map[string]any)["command"] = []string{"hello", "-no-such-flag"}
	b, _ := json.Marshal(td)
	file := filepath.Join(t.TempDir(), "task-definition.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
