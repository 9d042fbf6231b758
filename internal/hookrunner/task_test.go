package hookrunner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// taskHookEnv stores the cluster "demo" and the task definition migrate:1 with one essential
// container, "migrate", and a sidecar that is not.
func taskHookEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	cl := ecs.Cluster{Name: "demo", ARN: "arn:aws:ecs:us-east-1:000000000000:cluster/demo", Status: ecs.ClusterActive}
	td := ecs.TaskDefinition{ARN: "arn:aws:ecs:us-east-1:000000000000:task-definition/migrate:1", Family: "migrate", Revision: 1,
		Status: ecs.TaskDefinitionStatusActive, Compatibilities: []ecs.Compatibility{"EC2", "FARGATE"},
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "migrate", Image: "migrate", Essential: true}, {Name: "sidecar", Image: "sidecar"}}}
	if _, err := e.st.Clusters.Create(ctx, cl.Name, cl); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.TaskDefinitions.Create(ctx, store.TaskDefinitionID("migrate", 1), td); err != nil {
		t.Fatal(err)
	}
	return e
}

// stopTask records e's task as the agent would once its containers exited with codes.
func (e *env) stopTask(t *testing.T, x hooks.Execution, codes map[string]int) {
	t.Helper()
	_, err := e.st.Tasks.Update(context.Background(), store.TaskID("demo", taskID(x.ID)), func(task *ecs.Task) error {
		task.LastStatus, task.DesiredStatus = ecs.TaskStopped, ecs.TaskStopped
		task.Containers = nil
		for name, code := range codes {
			task.Containers = append(task.Containers, ecs.Container{Name: name, ExitCode: code, HasExitCode: true})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTaskDefinitionHookVerdicts(t *testing.T) {
	tests := []struct {
		name  string
		codes map[string]int
		want  hooks.Status
	}{
		{"essential container exited 0", map[string]int{"migrate": 0, "sidecar": 137}, hooks.StatusSucceeded},
		{"essential container failed", map[string]int{"migrate": 3, "sidecar": 0}, hooks.StatusFailed},
		{"essential container never ran", map[string]int{"sidecar": 0}, hooks.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := taskHookEnv(t)
			x := e.execution(t, hooks.KindCodeDeploy, "migrate:1", cdPayload)
			got := e.step(t, x.ID)
			if got.Status != hooks.StatusInProgress || got.TaskARN == "" {
				t.Fatalf("after the start: %s, task %q", got.Status, got.TaskARN)
			}
			task, err := e.st.Tasks.Get(context.Background(), store.TaskID("demo", taskID(x.ID)))
			if err != nil {
				t.Fatal(err)
			}
			if task.Value.ARN != got.TaskARN || !strings.Contains(task.Value.StartedBy, "AfterAllowTestTraffic") {
				t.Fatalf("task %s started by %q, want %s started by the hook", task.Value.ARN, task.Value.StartedBy, got.TaskARN)
			}
			if got = e.step(t, x.ID); got.Status != hooks.StatusInProgress {
				t.Fatalf("while the task runs: %s", got.Status)
			}
			e.stopTask(t, x, tt.codes)
			if got = e.step(t, x.ID); got.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", got.Status, got.Message, tt.want)
			}
		})
	}
}

// A runner that restarts after it started the task but before it recorded it finds the task
// instead of starting another.
func TestTaskDefinitionHookRestartStartsOneTask(t *testing.T) {
	e := taskHookEnv(t)
	x := e.execution(t, hooks.KindCodeDeploy, "arn:aws:ecs:us-east-1:000000000000:task-definition/migrate:1", cdPayload)
	first := e.step(t, x.ID)
	// Forget the record of the task, as a crash before the write would have.
	if _, err := e.st.HookExecutions.Update(context.Background(), x.ID, func(v *hooks.Execution) error {
		*v = x
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.run = e.runner()
	again := e.step(t, x.ID)
	tasks, _, err := e.st.Tasks.List(context.Background(), "demo/")
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || again.TaskARN != first.TaskARN {
		t.Fatalf("%d tasks, task %s then %s: want one task", len(tasks), first.TaskARN, again.TaskARN)
	}
}

func TestTaskDefinitionHookTimeoutStopsTheTask(t *testing.T) {
	e := taskHookEnv(t)
	x := e.execution(t, hooks.KindCodeDeploy, "migrate:1", cdPayload)
	e.step(t, x.ID)
	e.clock.Advance(time.Hour)
	if got := e.step(t, x.ID); got.Status != hooks.StatusTimedOut {
		t.Fatalf("status = %s, want TimedOut", got.Status)
	}
	task, err := e.st.Tasks.Get(context.Background(), store.TaskID("demo", taskID(x.ID)))
	if err != nil {
		t.Fatal(err)
	}
	if !task.Value.Terminating() {
		t.Fatal("the timed out hook's task was not asked to stop")
	}
}

// While a hook's task runs, a reconcile writes nothing.
func TestRunningTaskWritesNothing(t *testing.T) {
	e := taskHookEnv(t)
	x := e.execution(t, hooks.KindCodeDeploy, "migrate:1", cdPayload)
	e.step(t, x.ID)
	before, err := e.st.HookExecutions.Get(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.step(t, x.ID)
	if after, _ := e.st.HookExecutions.Get(context.Background(), x.ID); after.Revision != before.Revision {
		t.Fatalf("a reconcile of a running task's hook wrote the execution (revision %d → %d)", before.Revision, after.Revision)
	}
}

func TestTaskDefinitionHookInAMissingClusterFails(t *testing.T) {
	e := taskHookEnv(t)
	x := hooks.Execution{ID: "h1", Kind: hooks.KindECS, Owner: "arn:aws:ecs:us-east-1:000000000000:service-deployment/gone/web/abc",
		Event: "PRE_SCALE_UP", Target: "migrate:1", Status: hooks.StatusPending, Deadline: e.clock.Now().Add(time.Hour)}
	if _, err := e.st.HookExecutions.Create(context.Background(), x.ID, x); err != nil {
		t.Fatal(err)
	}
	if got := e.step(t, x.ID); got.Status != hooks.StatusFailed || !strings.Contains(got.Message, `"gone"`) {
		t.Fatalf("status %s (%s), want Failed naming the cluster of the service deployment", got.Status, got.Message)
	}
}

// An ECS hook's task runs in the cluster of its service deployment.
func TestECSTaskDefinitionHookRunsInItsServiceDeploymentsCluster(t *testing.T) {
	e := taskHookEnv(t)
	x := hooks.Execution{ID: "h2", Kind: hooks.KindECS, Owner: "arn:aws:ecs:us-east-1:000000000000:service-deployment/demo/web/abc",
		Event: "PRE_SCALE_UP", Target: "migrate:1", Status: hooks.StatusPending, Deadline: e.clock.Now().Add(time.Hour)}
	if _, err := e.st.HookExecutions.Create(context.Background(), x.ID, x); err != nil {
		t.Fatal(err)
	}
	got := e.step(t, x.ID)
	task, err := e.st.Tasks.Get(context.Background(), store.TaskID("demo", taskID(x.ID)))
	if err != nil || got.TaskARN != task.Value.ARN || task.Value.StartedBy != "hook:abc:PRE_SCALE_UP" {
		t.Fatalf("execution %+v, task %+v (%v)", got, task.Value, err)
	}
}
