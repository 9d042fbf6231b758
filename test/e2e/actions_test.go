package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestGitHubActionDeploy replays aws-actions/amazon-ecs-deploy-task-definition with the
// JavaScript SDK it uses (test/e2e/actions): the seed's step "Deploy Amazon ECS task definition"
// with codedeploy-deployment-group and wait-for-service-stability, on a CODE_DEPLOY service
// under load, and then the action's ECS path on a rolling service. Its waiters poll as the
// JavaScript SDK's do, which differ from the CLI's (reference §2.6).
func TestGitHubActionDeploy(t *testing.T) {
	t.Parallel()
	dir := actionsDir(t)
	s := startServer(t, t.TempDir())
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)
	appspec := filepath.Join(t.TempDir(), "appspec.yaml")
	// The seed's appspec.yaml: the action fills in the task definition.
	if err := os.WriteFile(appspec, []byte(`version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "filled in by the action"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
        PlatformVersion: "LATEST"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	v2, _ := filepath.Abs("../../examples/hello/task-definition-v2.json")

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 2, NewConnectionClients: 2, Rate: 50})
	out := s.node(t, dir, "TASK_DEFINITION="+v2, "CLUSTER=demo", "SERVICE=web", "APPSPEC="+appspec, "WAIT_MINUTES=5")
	stopLoad()
	res := <-load
	t.Logf("action (CodeDeploy path):\n%s\nload:\n%s", out, res)
	if !strings.Contains(out, "codedeploy-deployment-id=d-") || !strings.Contains(out, "deployed") {
		t.Fatalf("the action's CodeDeploy path did not deploy:\n%s", out)
	}
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the action's deployment", res.Failed(), res.Requests())
	}
	if body := httpGet(t, bg.url); !strings.HasPrefix(body, "hello from v2") {
		t.Fatalf("after the action: %q", body)
	}

	// The ECS path: a rolling service, UpdateService and the ServicesStable waiter.
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "api", "--task-definition", bg.v1, "--desired-count", "1")
	out = s.node(t, dir, "TASK_DEFINITION="+v2, "CLUSTER=demo", "SERVICE=api", "WAIT_MINUTES=5")
	if !strings.Contains(out, "deployed") {
		t.Fatalf("the action's ECS path did not deploy:\n%s", out)
	}
}

// node runs the action replay with the server's AWS environment and the action's inputs.
func (s *server) node(t *testing.T, dir string, inputs ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "deploy-task-definition.mjs")
	cmd.Dir = dir
	cmd.Env = append(append(append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, s.env...), inputs...),
		"AWS_ENDPOINT_URL="+s.endpoint())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node deploy-task-definition.mjs: %v\n%s", err, out)
	}
	return string(out)
}

var installActions sync.Once

// actionsDir returns test/e2e/actions with its npm packages installed (npm ci, once).
func actionsDir(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs("actions")
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the GitHub Action test (.ci/run installs it): %v", tool, err)
		}
	}
	var err error
	var out []byte
	installActions.Do(func() {
		if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "@aws-sdk", "client-codedeploy")); statErr == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		out, err = cmd.CombinedOutput()
	})
	if err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	return dir
}
