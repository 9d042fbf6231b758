package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLogWritesAndScaling runs, with the aws CLI, what deploy tools do besides deploying: they
// create a log group and stream, write events and read them back, set a retention, check that
// a task definition's awslogs-create-group works, and register a scalable target with a
// target tracking policy. Then the server restarts on the same data directory and everything
// written is still there.
func TestLogWritesAndScaling(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	s := startServer(t, dataDir)
	now := time.Now()
	ms := func(d time.Duration) int64 { return now.Add(d).UnixMilli() }

	s.awsJSON(t, "logs", "create-log-group", "--log-group-name", "/app/verify")
	s.awsJSON(t, "logs", "create-log-stream", "--log-group-name", "/app/verify", "--log-stream-name", "check/1")
	put := s.awsJSON(t, "logs", "put-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1",
		"--log-events", fmt.Sprintf(`[{"timestamp":%d,"message":"hello fargo"},{"timestamp":%d,"message":"second line"}]`, ms(-time.Second), ms(0)))
	if get(put, "nextSequenceToken") == nil || get(put, "rejectedLogEventsInfo") != nil {
		t.Fatalf("put-log-events: %v", put)
	}
	events := s.awsJSON(t, "logs", "get-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1", "--start-from-head")
	if got := messagesOf(events, "events"); got != "hello fargo|second line" {
		t.Fatalf("get-log-events: %s", got)
	}
	filtered := s.awsJSON(t, "logs", "filter-log-events", "--log-group-name", "/app/verify", "--filter-pattern", "fargo")
	if got := messagesOf(filtered, "events"); got != "hello fargo" {
		t.Fatalf("filter-log-events: %s", got)
	}

	s.awsJSON(t, "logs", "put-retention-policy", "--log-group-name", "/app/verify", "--retention-in-days", "1")
	groups := s.awsJSON(t, "logs", "describe-log-groups", "--log-group-name-prefix", "/app/")
	if get(groups, "logGroups", 0, "retentionInDays") != float64(1) {
		t.Fatalf("describe-log-groups: %v", groups)
	}
	expired := s.awsJSON(t, "logs", "put-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1",
		"--log-events", fmt.Sprintf(`[{"timestamp":%d,"message":"two days old"},{"timestamp":%d,"message":"third line"}]`, ms(-48*time.Hour), ms(time.Millisecond)))
	if get(expired, "rejectedLogEventsInfo", "expiredLogEventEndIndex") != float64(1) {
		t.Fatalf("an event past the retention was not rejected: %v", expired)
	}
	r := s.aws(t, nil, "logs", "put-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1",
		"--log-events", fmt.Sprintf(`[{"timestamp":%d,"message":"b"},{"timestamp":%d,"message":"a"}]`, ms(0), ms(-time.Second)))
	if r.err == nil || !strings.Contains(r.stderr, "InvalidParameterException") || !strings.Contains(r.stderr, "chronological order") {
		t.Fatalf("events out of order: %v %s", r.err, r.stderr)
	}

	s.checkCreateGroup(t)
	s.registerScaling(t)
	if py := s.boto3Follow(t); py != "" {
		t.Logf("boto3: %s", py)
	}

	s.stop(t)
	s = startServer(t, dataDir)
	events = s.awsJSON(t, "logs", "get-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1", "--start-from-head")
	if got := messagesOf(events, "events"); got != "hello fargo|second line|third line" {
		t.Fatalf("after a restart, get-log-events: %s", got)
	}
	targets := s.awsJSON(t, "application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs")
	if get(targets, "ScalableTargets", 0, "MaxCapacity") != float64(4) {
		t.Fatalf("after a restart, describe-scalable-targets: %v", targets)
	}

	s.awsJSON(t, "logs", "delete-log-stream", "--log-group-name", "/app/verify", "--log-stream-name", "check/1")
	s.awsJSON(t, "logs", "delete-log-group", "--log-group-name", "/app/verify")
	if r := s.aws(t, nil, "logs", "get-log-events", "--log-group-name", "/app/verify", "--log-stream-name", "check/1"); r.err == nil || !strings.Contains(r.stderr, "ResourceNotFoundException") {
		t.Fatalf("a deleted group answers: %v %s", r.err, r.stderr)
	}
	// What is left on disk is the one stream of /ecs/logged that checkCreateGroup wrote to.
	if left, _ := filepath.Glob(filepath.Join(dataDir, "logs", "*")); len(left) != 1 {
		t.Fatalf("event files after the group's deletion: %v", left)
	}
}

// checkCreateGroup runs a task whose awslogs configuration has awslogs-create-group "true" and
// verifies its log configuration as deploy tools do: the group exists, a test event written
// to it reads back, and the container's own stream is there.
func (s *server) checkCreateGroup(t *testing.T) {
	t.Helper()
	td := map[string]any{
		"family": "logged", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "256", "memory": "512",
		"executionRoleArn": "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
		"containerDefinitions": []map[string]any{{
			"name": "web", "image": "hello:latest", "essential": true, "command": []string{"hello"},
			"portMappings": []map[string]any{{"containerPort": 8080}},
			"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]string{
				"awslogs-group": "/ecs/logged", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true",
			}},
		}},
	}
	b, err := json.Marshal(td)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "logged.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+file)
	run := s.awsJSON(t, "ecs", "run-task", "--cluster", "demo", "--task-definition", "logged")
	taskARN, _ := get(run, "tasks", 0, "taskArn").(string)
	taskID := taskARN[strings.LastIndex(taskARN, "/")+1:]
	s.awsOK(t, "ecs", "wait", "tasks-running", "--cluster", "demo", "--tasks", taskARN)
	groups := s.awsJSON(t, "logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/logged")
	if get(groups, "logGroups", 0, "logGroupName") != "/ecs/logged" {
		t.Fatalf("awslogs-create-group made no group: %v", groups)
	}
	s.awsJSON(t, "logs", "create-log-stream", "--log-group-name", "/ecs/logged", "--log-stream-name", "verify")
	s.awsJSON(t, "logs", "put-log-events", "--log-group-name", "/ecs/logged", "--log-stream-name", "verify",
		"--log-events", fmt.Sprintf(`[{"timestamp":%d,"message":"log configuration works"}]`, time.Now().UnixMilli()))
	events := s.awsJSON(t, "logs", "get-log-events", "--log-group-name", "/ecs/logged", "--log-stream-name", "verify", "--start-from-head")
	if got := messagesOf(events, "events"); got != "log configuration works" {
		t.Fatalf("the test event: %s", got)
	}
	streams := s.awsJSON(t, "logs", "describe-log-streams", "--log-group-name", "/ecs/logged")
	if got := namesOf(streams, "logStreams", "logStreamName"); got != "ecs/web/"+taskID+"|verify" {
		t.Fatalf("streams of the group: %s", got)
	}
	s.awsJSON(t, "ecs", "stop-task", "--cluster", "demo", "--task", taskARN)
}

// registerScaling registers a scalable target and a target tracking policy for service web
// and describes them.
func (s *server) registerScaling(t *testing.T) {
	t.Helper()
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "logged", "--desired-count", "0")
	key := []string{"--service-namespace", "ecs", "--resource-id", "service/demo/web", "--scalable-dimension", "ecs:service:DesiredCount"}
	reg := s.awsJSON(t, append([]string{"application-autoscaling", "register-scalable-target", "--min-capacity", "1", "--max-capacity", "4"}, key...)...)
	if arn, _ := get(reg, "ScalableTargetARN").(string); !strings.HasPrefix(arn, "arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/") {
		t.Fatalf("register-scalable-target: %v", reg)
	}
	policy := s.awsJSON(t, append([]string{"application-autoscaling", "put-scaling-policy", "--policy-name", "cpu75", "--policy-type", "TargetTrackingScaling",
		"--target-tracking-scaling-policy-configuration", `{"TargetValue":75,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"ScaleInCooldown":60,"ScaleOutCooldown":60}`}, key...)...)
	if arn, _ := get(policy, "PolicyARN").(string); !strings.HasSuffix(arn, ":resource/ecs/service/demo/web:policyName/cpu75") {
		t.Fatalf("put-scaling-policy: %v", policy)
	}
	targets := s.awsJSON(t, "application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs", "--resource-ids", "service/demo/web")
	if get(targets, "ScalableTargets", 0, "MinCapacity") != float64(1) || get(targets, "ScalableTargets", 0, "MaxCapacity") != float64(4) {
		t.Fatalf("describe-scalable-targets: %v", targets)
	}
	policies := s.awsJSON(t, "application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs", "--resource-id", "service/demo/web")
	if get(policies, "ScalingPolicies", 0, "TargetTrackingScalingPolicyConfiguration", "TargetValue") != float64(75) ||
		get(policies, "ScalingPolicies", 0, "TargetTrackingScalingPolicyConfiguration", "PredefinedMetricSpecification", "PredefinedMetricType") != "ECSServiceAverageCPUUtilization" {
		t.Fatalf("describe-scaling-policies: %v", policies)
	}
	activities := s.awsJSON(t, "application-autoscaling", "describe-scaling-activities", "--service-namespace", "ecs")
	if get(activities, "ScalingActivities", 0, "StatusCode") != "Unfulfilled" ||
		!strings.Contains(fmt.Sprint(get(activities, "ScalingActivities", 0, "Cause")), "does not carry out scaling policies") {
		t.Fatalf("describe-scaling-activities: %v", activities)
	}
	r := s.aws(t, nil, "application-autoscaling", "register-scalable-target", "--service-namespace", "ecs", "--resource-id", "service/demo/ghost",
		"--scalable-dimension", "ecs:service:DesiredCount", "--min-capacity", "1", "--max-capacity", "2")
	if r.err == nil || !strings.Contains(r.stderr, "ValidationException") || !strings.Contains(r.stderr, "ECS service doesn't exist: service/demo/ghost") {
		t.Fatalf("a target of no service: %v %s", r.err, r.stderr)
	}
}

// boto3Follow follows a log group with boto3 as "aws logs tail --follow" (CLI v2) does, while
// it writes to it, when python3 has boto3; it returns what it skipped for, "" when it ran.
func (s *server) boto3Follow(t *testing.T) string {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		return "not installed, follow not checked"
	}
	script := `
import json, sys, time
import boto3
c = boto3.client("logs", endpoint_url=sys.argv[1])
c.create_log_stream(logGroupName="/app/verify", logStreamName="follow")
start, seen, printed = int(time.time() * 1000) - 1000, set(), []
def poll():
    global start, seen
    kw = {"logGroupName": "/app/verify", "startTime": start}
    while True:
        page = c.filter_log_events(**kw)
        for e in page["events"]:
            if e["timestamp"] == start and e["eventId"] in seen:
                continue
            if e["timestamp"] != start:
                start, seen = e["timestamp"], set()
            seen.add(e["eventId"])
            printed.append(e["message"])
        if "nextToken" not in page:
            return
        kw["nextToken"] = page["nextToken"]
now = int(time.time() * 1000)
for i in range(3):
    c.put_log_events(logGroupName="/app/verify", logStreamName="follow",
                     logEvents=[{"timestamp": now, "message": "follow %d.%d" % (i, j)} for j in range(2)])
    poll()
    poll()
print(json.dumps([m for m in printed if m.startswith("follow")]))
`
	cmd := exec.Command("python3", "-c", script, s.endpoint())
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "AWS_MAX_ATTEMPTS=1"}, s.env...)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			stderr = ee.Stderr
		}
		t.Fatalf("boto3 follow: %v\n%s", err, stderr)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("boto3 follow printed %q", out)
	}
	want := "follow 0.0|follow 0.1|follow 1.0|follow 1.1|follow 2.0|follow 2.1"
	if strings.Join(got, "|") != want {
		t.Fatalf("boto3 follow printed %v, want %s", got, want)
	}
	return ""
}

// messagesOf joins the message members of the list at key.
func messagesOf(v map[string]any, key string) string {
	return namesOf(v, key, "message")
}

// namesOf joins the member of each item of the list at key.
func namesOf(v map[string]any, key, member string) string {
	items, _ := get(v, key).([]any)
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(get(it, member)))
	}
	return strings.Join(out, "|")
}
