package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// printed is demo with a few lines from the containers of tasks A and B.
func printed(t *testing.T) *testServer {
	t.Helper()
	srv := demo(t)
	srv.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(time.Second), "listening on :80", "GET /")
	srv.Source.Print(logsapi.ContainerID(taskA, "sidecar"), t0.Add(time.Second+time.Millisecond/2), "sidecar up")
	srv.Source.Print(logsapi.ContainerID(taskB, "web"), t0.Add(-time.Hour), "old task")
	return srv
}

func lines(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

func TestLogs(t *testing.T) {
	t.Parallel()
	srv := printed(t)
	now := func() time.Time { return t0.Add(time.Minute) }
	tests := []struct {
		name string
		opts logsOptions
		want []string
	}{
		{"task", logsOptions{cluster: "demo", task: taskA, tail: -1}, []string{
			"web     | listening on :80",
			"sidecar | sidecar up",
			"web     | GET /",
		}},
		{"task ARN names the cluster", logsOptions{task: "arn:aws:ecs:us-east-1:000000000000:task/demo/" + taskA, container: "web", tail: -1}, []string{
			"web | listening on :80",
			"web | GET /",
		}},
		{"tail", logsOptions{cluster: "demo", task: taskA, container: "web", tail: 1}, []string{"web | GET /"}},
		{"since a time", logsOptions{cluster: "demo", task: taskA, container: "web", tail: -1, since: t0.Add(time.Second + time.Millisecond).Format(time.RFC3339Nano)}, []string{"web | GET /"}},
		{"since a duration", logsOptions{cluster: "demo", task: taskB, tail: -1, since: "2h"}, []string{"web     | old task"}},
		{"stopped task", logsOptions{cluster: "demo", task: taskB, container: "web", tail: -1}, []string{"web | old task"}},
		{"service shows running tasks with their ids", logsOptions{cluster: "demo", service: "web", tail: -1}, []string{
			"web/aaaaaaaa     | listening on :80",
			"sidecar/aaaaaaaa | sidecar up",
			"web/aaaaaaaa     | GET /",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := runLogs(logsapitest.Context(t), tt.opts, srv.clients, &out, now); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, lines(out.String())); diff != "" {
				t.Fatalf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogsErrors(t *testing.T) {
	t.Parallel()
	srv := printed(t)
	tests := []struct {
		name string
		opts logsOptions
		want string
	}{
		{"no target", logsOptions{cluster: "demo"}, "one of --task and --service"},
		{"two targets", logsOptions{cluster: "demo", task: taskA, service: "web"}, "one of --task and --service"},
		{"unknown task", logsOptions{cluster: "demo", task: taskC}, "not found"},
		{"unknown service", logsOptions{cluster: "demo", service: "api"}, "not found"},
		{"unknown container", logsOptions{cluster: "demo", task: taskA, container: "db"}, "no container named db"},
		{"bad since", logsOptions{cluster: "demo", task: taskA, since: "yesterday"}, "--since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := runLogs(logsapitest.Context(t), tt.opts, srv.clients, &bytes.Buffer{}, time.Now)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestLogsFollowService steps `fargo logs --service web --follow` through its polls: new lines
// of a running task, a task that starts, a task that stops (its last lines still print).
func TestLogsFollowService(t *testing.T) {
	t.Parallel()
	srv := printed(t)
	ctx, cancel := context.WithCancel(logsapitest.Context(t))
	defer cancel()
	web, err := srv.Store.TaskDefinitions.Get(ctx, "web/0000000001")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	polls := 0
	wait := func(ctx context.Context) error {
		polls++
		switch polls {
		case 1:
			srv.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(time.Minute), "GET /health")
			srv.putTask(t, serviceTask("demo", taskD, web.Value, t0.Add(time.Minute)))
			srv.Source.Print(logsapi.ContainerID(taskD, "web"), t0.Add(time.Minute+time.Second), "new task up")
		case 2:
			srv.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(2*time.Minute), "shutting down")
			srv.StopTask(t, "demo", taskA, t0.Add(2*time.Minute))
		case 3:
			srv.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(3*time.Minute), "after the end")
			srv.Source.Print(logsapi.ContainerID(taskD, "web"), t0.Add(3*time.Minute), "still serving")
		default:
			cancel()
			return ctx.Err()
		}
		return nil
	}
	opts := logsOptions{cluster: "demo", service: "web", follow: true, tail: 1, wait: wait}
	if err := runLogs(ctx, opts, srv.clients, &out, time.Now); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"sidecar/aaaaaaaa | sidecar up",
		"web/aaaaaaaa     | GET /",
		"web/aaaaaaaa     | GET /health",
		"web/dddddddd     | new task up",
		"web/aaaaaaaa     | shutting down",
		"web/dddddddd     | still serving",
	}
	if diff := cmp.Diff(want, lines(out.String())); diff != "" {
		t.Fatalf("output (-want +got):\n%s", diff)
	}
}

// TestLogsFollowTaskEnds checks that following one task ends when it stops, after its last
// lines.
func TestLogsFollowTaskEnds(t *testing.T) {
	t.Parallel()
	srv := printed(t)
	ctx := logsapitest.Context(t)
	polls := 0
	wait := func(context.Context) error {
		polls++
		if polls == 2 {
			srv.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(time.Minute), "bye")
			srv.StopTask(t, "demo", taskA, t0.Add(time.Minute))
		}
		if polls > 3 {
			t.Error("still following a stopped task")
			return context.Canceled
		}
		return nil
	}
	var out bytes.Buffer
	opts := logsOptions{cluster: "demo", task: taskA, container: "web", follow: true, tail: 0, wait: wait}
	if err := runLogs(ctx, opts, srv.clients, &out, time.Now); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"web | bye"}, lines(out.String())); diff != "" {
		t.Fatalf("output (-want +got):\n%s", diff)
	}
	if polls != 2 {
		t.Fatalf("%d polls, want 2", polls)
	}
}
