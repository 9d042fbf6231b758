package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestCodeDeployHooks runs AppSpec hooks with the aws CLI under load: the smoke-test hook of
// examples/hooks, registered with `fargo hooks put`, checks the test listener. The first
// deployment's AfterInstall hook is a task definition that runs as a one-off task and exits
// 0, and its AfterAllowTestTraffic hook finds the replacement's answers and passes: the
// deployment succeeds. The second deployment's BeforeAllowTraffic hook (named by its Lambda
// ARN) expects answers the replacement does not give and fails: the deployment fails with
// HOOK_EXECUTION_FAILURE and rolls back before production traffic moved. Not one request fails.
func TestCodeDeployHooks(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	testURL, testListener := s.testListener(t, bg.blueTG)
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.hooksGroup(t, bg.listenerARN, testListener)
	s.awsJSON(t, "ecs", "register-task-definition", "--family", "migrate", "--requires-compatibilities", "FARGATE", "--network-mode", "awsvpc",
		"--cpu", "256", "--memory", "512", "--container-definitions", `[{"name":"migrate","image":"migrate:latest","essential":true,"command":["sh","-c","echo migrated"]}]`)

	smoke := startSmokeTest(t, s, testURL, "hello from v2")
	if out := s.fargo(t, "hooks", "put", "smoke", smoke, "--timeout", "5m"); !strings.Contains(out, "function:smoke") {
		t.Fatalf("fargo hooks put: %s", out)
	}
	if out := s.fargo(t, "hooks", "list"); !strings.Contains(out, smoke) {
		t.Fatalf("fargo hooks list lacks the function:\n%s", out)
	}
	// The same functions through Lambda's own API, as the aws CLI and SDKs call it.
	fns := s.awsJSON(t, "lambda", "list-functions")
	if arn, _ := get(fns, "Functions", 0, "FunctionArn").(string); arn != "arn:aws:lambda:us-east-1:000000000000:function:smoke" {
		t.Fatalf("aws lambda list-functions: %v", fns)
	}
	s.awsJSON(t, "lambda", "create-function", "--function-name", "spare", "--role", "arn:aws:iam::000000000000:role/hook",
		"--runtime", "provided.al2023", "--handler", "none", "--zip-file", "fileb://"+emptyZip(t),
		"--environment", "Variables={FARGO_HOOK_URL="+smoke+"}")
	fn := s.awsJSON(t, "lambda", "get-function", "--function-name", "spare")
	if url, _ := get(fn, "Configuration", "Environment", "Variables", "FARGO_HOOK_URL").(string); url != smoke {
		t.Fatalf("aws lambda get-function: %v", fn)
	}
	s.awsOK(t, "lambda", "delete-function", "--function-name", "spare")

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})

	passing := s.createHookedDeployment(t, bg.v2, map[string]string{"AfterInstall": "migrate:1", "AfterAllowTestTraffic": "smoke"})
	s.waitDeploymentEnded(t, passing)
	s.awsOK(t, "deploy", "wait", "deployment-successful", "--deployment-id", passing)
	for _, event := range []string{"AfterInstall", "AfterAllowTestTraffic"} {
		if st := s.lifecycleEvent(t, passing, event); st != "Succeeded" {
			t.Fatalf("%s of the passing deployment: %s", event, st)
		}
	}
	// The AfterInstall hook ran as a one-off task that exited 0.
	tasks := s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--started-by", "hook:"+passing+":AfterInstall", "--desired-status", "STOPPED")
	if arns, _ := get(tasks, "taskArns").([]any); len(arns) != 1 {
		t.Fatalf("the task definition hook's tasks: %v", tasks)
	}
	if body := httpGet(t, bg.url); !strings.HasPrefix(body, "hello from v2") {
		t.Fatalf("after the passing deployment: %q", body)
	}

	failing := s.createHookedDeployment(t, bg.v1, map[string]string{"BeforeAllowTraffic": "arn:aws:lambda:us-east-1:000000000000:function:smoke:live"})
	s.waitDeploymentEnded(t, failing)
	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", failing)
	status, _ := get(info, "deploymentInfo", "status").(string)
	code, _ := get(info, "deploymentInfo", "errorInformation", "code").(string)
	rollback, _ := get(info, "deploymentInfo", "rollbackInfo", "rollbackDeploymentId").(string)
	if status != "Failed" || code != "HOOK_EXECUTION_FAILURE" || rollback == "" {
		t.Fatalf("the failing deployment: %v", info)
	}
	if st := s.lifecycleEvent(t, failing, "BeforeAllowTraffic"); st != "Failed" {
		t.Fatalf("BeforeAllowTraffic of the failing deployment: %s", st)
	}
	s.waitDeploymentEnded(t, rollback)
	s.awsOK(t, "deploy", "wait", "deployment-successful", "--deployment-id", rollback)

	stopLoad()
	res := <-load
	t.Logf("load during the hooked deployments:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the hooked deployments", res.Failed(), res.Requests())
	}
	checkShare(t, bg.url, "v2", 100, shareSamples)
}

// testListener adds a test listener on a free port of the demo load balancer, forwarding to
// group, and returns its URL and ARN.
func (s *server) testListener(t *testing.T, group string) (string, string) {
	t.Helper()
	lbs := s.awsJSON(t, "elbv2", "describe-load-balancers", "--names", "demo-alb")
	albARN, _ := get(lbs, "LoadBalancers", 0, "LoadBalancerArn").(string)
	port := freePort(t)
	l := s.awsJSON(t, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", "Type=forward,TargetGroupArn="+group)
	arn, _ := get(l, "Listeners", 0, "ListenerArn").(string)
	return fmt.Sprintf("http://127.0.0.1:%d/", port), arn
}

// hooksGroup creates the application and deployment group of service web with a test
// listener and automatic rollback on failure.
func (s *server) hooksGroup(t *testing.T, prodListener, testListener string) {
	t.Helper()
	s.awsJSON(t, "deploy", "create-application", "--application-name", "AppECS-demo-web", "--compute-platform", "ECS")
	lbInfo, _ := json.Marshal(map[string]any{"targetGroupPairInfoList": []any{map[string]any{
		"targetGroups":     []any{map[string]string{"name": "blue"}, map[string]string{"name": "green"}},
		"prodTrafficRoute": map[string]any{"listenerArns": []string{prodListener}},
		"testTrafficRoute": map[string]any{"listenerArns": []string{testListener}},
	}}})
	s.awsJSON(t, "deploy", "create-deployment-group", "--application-name", "AppECS-demo-web",
		"--deployment-group-name", "DgpECS-demo-web", "--service-role-arn", "arn:aws:iam::000000000000:role/ecsCodeDeployRole",
		"--deployment-style", "deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL",
		"--ecs-services", "clusterName=demo,serviceName=web", "--load-balancer-info", string(lbInfo),
		"--blue-green-deployment-configuration",
		`{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":0},"deploymentReadyOption":{"actionOnTimeout":"CONTINUE_DEPLOYMENT"}}`,
		"--auto-rollback-configuration", "enabled=true,events=DEPLOYMENT_FAILURE")
}

// createHookedDeployment deploys taskDefinition with an AppSpec with hooks (event → target).
func (s *server) createHookedDeployment(t *testing.T, taskDefinition string, hooks map[string]string) string {
	t.Helper()
	appspec := "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n" +
		"        TaskDefinition: \"" + taskDefinition + "\"\n        LoadBalancerInfo:\n          ContainerName: \"web\"\n          ContainerPort: 8080\n" +
		"Hooks:\n"
	for event, target := range hooks {
		appspec += "  - " + event + ": \"" + target + "\"\n"
	}
	revision, _ := json.Marshal(map[string]any{"revisionType": "AppSpecContent", "appSpecContent": map[string]string{"content": appspec}})
	out := s.awsJSON(t, "deploy", "create-deployment", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web",
		"--revision", string(revision))
	id, _ := get(out, "deploymentId").(string)
	if id == "" {
		t.Fatalf("create-deployment: %v", out)
	}
	return id
}

// lifecycleEvent returns the status of event of deployment id's target.
func (s *server) lifecycleEvent(t *testing.T, id, event string) string {
	t.Helper()
	target := s.awsJSON(t, "deploy", "get-deployment-target", "--deployment-id", id, "--target-id", "demo:web")
	events, _ := get(target, "deploymentTarget", "ecsTarget", "lifecycleEvents").([]any)
	for i := range events {
		if name, _ := get(events[i], "lifecycleEventName").(string); name == event {
			st, _ := get(events[i], "status").(string)
			return st
		}
	}
	t.Fatalf("deployment %s has no lifecycle event %s: %v", id, event, target)
	return ""
}

// startSmokeTest builds and runs examples/hooks/smoketest, checking url for expect and
// reporting to the server with its credentials, and returns the URL it serves.
func startSmokeTest(t *testing.T, s *server, url, expect string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "smoketest")
	if out, err := exec.Command("go", "build", "-o", bin, "../../examples/hooks/smoketest").CombinedOutput(); err != nil {
		t.Fatalf("go build smoketest: %v\n%s", err, out)
	}
	port := freePort(t)
	home := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"), fmt.Sprintf("PORT=%d", port),
		"SMOKE_URL=" + url, "SMOKE_EXPECT=" + expect, "SMOKE_REQUESTS=5", "SMOKE_WINDOW=15s"}, s.env...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Logf("smoke test hook:\n%s", logs)
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			_ = c.Close()
			return "http://" + addr + "/"
		}
		if time.Now().After(deadline) {
			t.Fatalf("the smoke test hook does not listen on %s:\n%s", addr, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// emptyZip writes an empty zip archive, the code that aws lambda create-function insists on
// and fargo ignores, and returns its path.
func emptyZip(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty.zip")
	// The end of central directory record of an archive with no entries.
	eocd := []byte{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if err := os.WriteFile(path, eocd, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
