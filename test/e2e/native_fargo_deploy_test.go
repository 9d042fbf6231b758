package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNativeFargoDeploy runs `fargo deploy --verify-url` against a BLUE_GREEN service with a
// PAUSE hook after the test traffic shift: fargo deploy shows each stage as it comes, the hook
// awaiting its action with the command that continues it, and, once the aws CLI continued it,
// the bake and the end, with not one failed request.
func TestNativeFargoDeploy(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(nativeScale))
	ns := s.nativeService(t, `{"strategy":"BLUE_GREEN","bakeTimeInMinutes":1,
		"lifecycleHooks":[{"targetType":"PAUSE","lifecycleStages":["POST_TEST_TRAFFIC_SHIFT"]}]}`)
	v2, _ := filepath.Abs("../../examples/hello/task-definition-v2.json")
	var out syncBuffer
	cmd := exec.Command(s.bin, "deploy", "--cluster", "demo", "--service", "web", "--task-definition", v2, "--verify-url", ns.url)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "hook post-test-traffic-shift-0 awaits an action") {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("fargo deploy never showed the hook awaiting an action:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web")
	arn, _ := get(svc, "services", 0, "currentServiceDeployment").(string)
	s.awsJSON(t, "ecs", "continue-service-deployment", "--service-deployment-arn", arn, "--hook-id", "post-test-traffic-shift-0")
	err := <-done
	text := out.String()
	t.Logf("fargo deploy:\n%s", text)
	if err != nil {
		t.Fatalf("fargo deploy: %v", err)
	}
	last := 0
	for _, want := range []string{"stage RECONCILE_SERVICE", "stage SCALE_UP", "stage TEST_TRAFFIC_SHIFT", "hook post-test-traffic-shift-0 awaits an action",
		"stage PRODUCTION_TRAFFIC_SHIFT", "stage BAKE_TIME", "stage CLEAN_UP", "deployment completed"} {
		i := strings.Index(text[last:], want)
		if i < 0 {
			t.Fatalf("fargo deploy output lacks %q after position %d", want, last)
		}
		last += i
	}
	if !strings.Contains(text, ", 0 failed") || !strings.Contains(text, "hook post-test-traffic-shift-0 succeeded") || !strings.Contains(text, "production 100%") {
		t.Fatalf("fargo deploy shows no traffic shares, failed requests or the hook's end")
	}
}
