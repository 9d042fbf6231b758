package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestDeploySummaryCountsListenerErrors deploys a service whose deployment configuration
// allows every task to stop before new ones run (minimumHealthyPercent 0): clients get 503
// from the listener while no target can serve. `fargo deploy`'s load balancer summary must
// count at least as many of the listener's own error answers as its --verify-url clients saw
// 5xx, so that it never reports 0 failed while clients saw failures (DESIGN.md, invariant 9).
func TestDeploySummaryCountsListenerErrors(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	ecsc, elbc := s.sdkClients(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	url, tgARN := createBalancedService(t, ctx, ecsc, elbc)
	rev := currentTaskDefinitionOf(t, ctx, ecsc)
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"),
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(0), MaximumPercent: aws.Int32(100)}}); err != nil {
		t.Fatal(err)
	}

	// The revision registerVersion registers, as a file for fargo deploy.
	raw, err := json.Marshal(map[string]any{
		"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "256", "memory": "512",
		"containerDefinitions": []map[string]any{{
			"name": "web", "image": "hello", "command": []string{"hello"}, "stopTimeout": 5,
			"portMappings": []map[string]any{{"containerPort": 8080}},
			"environment": []map[string]string{{"name": "VERSION", "value": "v0"}, {"name": "STARTUP_DELAY", "value": "3s"},
				{"name": "EXIT_IMMEDIATELY_ON_SIGTERM", "value": "true"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "task-definition.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, s.bin, "deploy", "--cluster", "demo", "--service", "web", "--task-definition", file,
		"--env", "VERSION=v1", "--verify-url", url)
	cmd.Env = append(os.Environ(), s.env...)
	out, err := cmd.CombinedOutput()
	t.Logf("fargo deploy (exit %v):\n%s", err, out)
	seen := matchInt(t, string(out), `(?m)^\s*5xx\s+(\d+)`)
	if err == nil || seen == 0 {
		t.Fatalf("the clients saw no 5xx while every task was replaced at once: the test did not make the listener answer itself")
	}
	own := matchInt(t, string(out), `listener's own error answers (\d+)`)
	if own < seen {
		t.Fatalf("the load balancer summary counts %d of its own error answers, the clients saw %d", own, seen)
	}
}

func currentTaskDefinitionOf(t *testing.T, ctx context.Context, ecsc *ecssdk.Client) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		if td := aws.ToString(svc.Services[0].TaskDefinition); td != "" {
			return td
		}
		if time.Now().After(deadline) {
			t.Fatal("the service has no task definition")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// matchInt returns the number pattern's first group finds in s, 0 when it finds none.
func matchInt(t *testing.T, s, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
