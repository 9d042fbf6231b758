package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceLifecycle runs the user story with the aws CLI: a service of the example
// app with two tasks, the waiters, real HTTP to the tasks' host ports, a one-off task, and the
// service's deletion.
func TestServiceLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	hello, _ := filepath.Abs("../../examples/hello/task-definition.json")
	migrate, _ := filepath.Abs("testdata/migrate.json")
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+hello)
	s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+migrate)

	created := s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "hello", "--desired-count", "2")
	if get(created, "service", "deployments", 0, "status") != "PRIMARY" {
		t.Fatalf("create-service: %v", created)
	}
	s.awsOK(t, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")

	list := s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--service-name", "web")
	arns, _ := get(list, "taskArns").([]any)
	if len(arns) != 2 {
		t.Fatalf("list-tasks: %v", list)
	}
	args := []string{"ecs", "describe-tasks", "--cluster", "demo", "--tasks"}
	for _, a := range arns {
		args = append(args, a.(string))
	}
	desc := s.awsJSON(t, args...)
	for i := range 2 {
		task := get(desc, "tasks", i)
		if get(task, "lastStatus") != "RUNNING" || get(task, "group") != "service:web" {
			t.Fatalf("task %d: %v", i, task)
		}
		port := get(task, "containers", 0, "networkBindings", 0, "hostPort")
		body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%v/", port))
		if !strings.HasPrefix(body, "hello from v1") {
			t.Fatalf("task %d answered %q", i, body)
		}
	}

	s.checkLogsAndPs(t)

	run := s.awsJSON(t, "ecs", "run-task", "--cluster", "demo", "--task-definition", "migrate", "--started-by", "e2e")
	taskARN, _ := get(run, "tasks", 0, "taskArn").(string)
	if taskARN == "" {
		t.Fatalf("run-task: %v", run)
	}
	s.awsOK(t, "ecs", "wait", "tasks-stopped", "--cluster", "demo", "--tasks", taskARN)
	stopped := s.awsJSON(t, "ecs", "describe-tasks", "--cluster", "demo", "--tasks", taskARN)
	if code := get(stopped, "tasks", 0, "containers", 0, "exitCode"); code != float64(0) {
		t.Fatalf("migrate exit code %v: %v", code, stopped)
	}
	if get(stopped, "tasks", 0, "stopCode") != "EssentialContainerExited" {
		t.Fatalf("stopCode: %v", get(stopped, "tasks", 0))
	}

	s.awsJSON(t, "ecs", "delete-service", "--cluster", "demo", "--service", "web", "--force")
	s.awsOK(t, "ecs", "wait", "services-inactive", "--cluster", "demo", "--services", "web")
	left := s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo")
	if n := len(get(left, "taskArns").([]any)); n != 0 {
		t.Fatalf("%d tasks left after deleting the service", n)
	}
}

func (s *server) awsOK(t *testing.T, args ...string) {
	t.Helper()
	if r := s.aws(t, nil, args...); r.err != nil {
		t.Fatalf("aws %s: %v\n%s\nserver log:\n%s", strings.Join(args, " "), r.err, r.stderr, s.logs)
	}
}

// httpGet returns the body of a GET of url; anything but a 200 fails the test, so that an
// error page is never taken for an answer.
func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %q", url, resp.Status, b)
	}
	return string(b)
}

// checkLogsAndPs runs `fargo logs` and `fargo ps` against the server and the aws CLI's logs
// commands, as a user would after `eval "$(fargo env)"`.
func (s *server) checkLogsAndPs(t *testing.T) {
	t.Helper()
	logs := s.fargo(t, "logs", "--cluster", "demo", "--service", "web", "--tail", "20")
	if !strings.Contains(logs, "listening on") {
		t.Fatalf("fargo logs shows no start-up line:\n%s", logs)
	}
	ps := s.fargo(t, "ps", "--cluster", "demo")
	if !strings.Contains(ps, "web") || !strings.Contains(ps, "RUNNING") || !strings.Contains(ps, "->8080/tcp") {
		t.Fatalf("fargo ps:\n%s", ps)
	}
	streams := s.awsJSON(t, "logs", "describe-log-streams", "--log-group-name", "/ecs/hello")
	name, _ := get(streams, "logStreams", 0, "logStreamName").(string)
	if !strings.HasPrefix(name, "ecs/web/") {
		t.Fatalf("describe-log-streams: %v", streams)
	}
	events := s.awsJSON(t, "logs", "get-log-events", "--log-group-name", "/ecs/hello", "--log-stream-name", name, "--start-from-head")
	if msg, _ := get(events, "events", 0, "message").(string); !strings.Contains(msg, "listening on") {
		t.Fatalf("get-log-events: %v", events)
	}
}

// fargo runs a fargo client command with the server's environment and returns its output.
func (s *server) fargo(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), s.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fargo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
