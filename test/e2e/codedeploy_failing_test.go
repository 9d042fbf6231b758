package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCodeDeployFailingReplacement deploys, with fargo deploy and under load, a revision whose
// command exits at once to a CODE_DEPLOY service whose group rolls back on failure (issue 12,
// item 7). The replacement task set is judged as the ECS deployment circuit breaker judges a
// rolling deployment's tasks: once 3 of its tasks failed (the threshold for 2), the deployment
// fails with ECS_UPDATE_ERROR and the tasks' stopped reasons, long before the hour of the
// install timeout, and a rollback deployment returns everything to the original. fargo deploy
// shows each failed task as it stops, the failure and the rollback, and exits non-zero; not
// one request fails.
func TestCodeDeployFailingReplacement(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)
	s.awsJSON(t, "deploy", "update-deployment-group", "--application-name", "AppECS-demo-web", "--current-deployment-group-name", "DgpECS-demo-web",
		"--auto-rollback-configuration", "enabled=true,events=DEPLOYMENT_FAILURE")

	// The hello app refuses a flag it does not know: it exits with code 2 at once.
	v2, err := os.ReadFile("../../examples/hello/task-definition-v2.json")
	if err != nil {
		t.Fatal(err)
	}
	var td map[string]any
	if err := json.Unmarshal(v2, &td); err != nil {
		t.Fatal(err)
	}
	td["containerDefinitions"].([]any)[0].(map[string]any)["command"] = []string{"hello", "-no-such-flag"}
	crashing, _ := json.Marshal(td)
	file := filepath.Join(t.TempDir(), "task-definition.json")
	if err := os.WriteFile(file, crashing, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(s.bin, "deploy", "--cluster", "demo", "--service", "web", "--task-definition", file, "--verify-url", bg.url)
	cmd.Env = append(os.Environ(), s.env...)
	outBytes, err := cmd.CombinedOutput()
	out := string(outBytes)
	t.Logf("fargo deploy:\n%s", out)
	if err == nil {
		t.Fatal("fargo deploy of a replacement that exits at once succeeded")
	}
	failed := regexp.MustCompile(`task [0-9a-f]{32} of the replacement task set ecs-svc/\d+ stopped: Essential container in task exited \(container web exit code 2\)`)
	if n := len(failed.FindAllString(out, -1)); n < 3 {
		t.Errorf("fargo deploy showed %d failed tasks, want each of at least 3", n)
	}
	for _, want := range []string{"(ECS_UPDATE_ERROR)", "CodeDeploy rolls it back with deployment d-", "rollback AllowTraffic: succeeded",
		"rollback deployment d-", ", 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("fargo deploy output lacks %q", want)
		}
	}
	// The first failed task is shown before the deployment's end.
	if i, j := failed.FindStringIndex(out), strings.Index(out, "CodeDeploy rolls it back"); i == nil || j < 0 || i[0] > j {
		t.Errorf("the failed tasks are not shown before the deployment ended")
	}

	list := s.awsJSON(t, "deploy", "list-deployments", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web")
	ids, _ := get(list, "deployments").([]any)
	if len(ids) != 2 {
		t.Fatalf("list-deployments: %v, want the failed deployment and its rollback", list)
	}
	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", ids[1].(string))
	msg, _ := get(info, "deploymentInfo", "errorInformation", "message").(string)
	if get(info, "deploymentInfo", "status") != "Failed" || get(info, "deploymentInfo", "errorInformation", "code") != "ECS_UPDATE_ERROR" ||
		!strings.Contains(msg, "failed to start (threshold 3)") || !strings.Contains(msg, "Essential container in task exited (container web exit code 2)") ||
		get(info, "deploymentInfo", "rollbackInfo", "rollbackDeploymentId") != ids[0] {
		t.Fatalf("get-deployment of the failed deployment: %v", info)
	}
	if st := get(s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", ids[0].(string)), "deploymentInfo", "status"); st != "Succeeded" {
		t.Fatalf("the rollback deployment: %v", st)
	}
	waitTargets(t, s, bg.greenTG, 0)
	checkShare(t, bg.url, "v1", 100, shareSamples)
}
