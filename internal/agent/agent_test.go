package agent_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/agent"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/fake"
	"github.com/fargohq/fargo/internal/scheduler"
	"github.com/fargohq/fargo/internal/store"
)

var scope = arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}

// node is an API front door with a scheduler and one agent on a fake driver.
type node struct {
	env *apitest.Env
	drv *fake.Driver
	// runtime, when set, is the agent's driver instead of drv.
	runtime runtime.Driver
	state   *fake.State
	stop    context.CancelFunc
	done    chan error
	nodeID  string
	meta    string
	// cfg is the agent's configuration; startControllers sets its node id, region and
	// heartbeat.
	cfg agent.Config
}

func startNode(t *testing.T, scripts map[string]fake.Script) *node {
	t.Helper()
	n := &node{env: apitest.New(t), state: fake.NewState(), nodeID: "node-1"}
	n.drv = fake.New(fake.Config{Scripts: scripts, State: n.state})
	n.startControllers(t)
	return n
}

func (n *node) startControllers(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n.meta = ln.Addr().String()
	var drv runtime.Driver = n.drv
	if n.runtime != nil {
		drv = n.runtime
	}
	cfg := n.cfg
	cfg.NodeID, cfg.Region, cfg.HeartbeatInterval = n.nodeID, "us-east-1", 200*time.Millisecond
	ag, err := agent.New(n.env.Store, drv, scope, ln, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	sched := scheduler.New(n.env.Store, scope, scheduler.Config{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	n.stop, n.done = cancel, make(chan error, 2)
	go func() { n.done <- ag.Run(ctx) }()
	go func() { n.done <- sched.Run(ctx) }()
	t.Cleanup(n.shutdown)
}

func (n *node) shutdown() {
	if n.stop == nil {
		return
	}
	n.stop()
	<-n.done
	<-n.done
	n.stop = nil
}

func (n *node) setup(t *testing.T, desired int32, image string, hc *types.HealthCheck) {
	t.Helper()
	ctx := apitest.Context(t)
	if _, err := n.env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.env.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String(image), HealthCheck: hc, StopTimeout: aws.Int32(2),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
		}},
	}); err != nil {
		t.Fatal(err)
	}
	if desired >= 0 {
		if _, err := n.env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
			Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(desired),
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// eventually polls cond until it holds or 30 s passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (n *node) tasks(t *testing.T) []ecs.Task {
	t.Helper()
	items, _, err := n.env.Store.Tasks.List(context.Background(), "demo/")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]ecs.Task, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

func (n *node) running(t *testing.T) []ecs.Task {
	t.Helper()
	var out []ecs.Task
	for _, task := range n.tasks(t) {
		if task.LastStatus == ecs.TaskRunning && task.DesiredStatus == ecs.TaskRunning {
			out = append(out, task)
		}
	}
	return out
}

func (n *node) service(t *testing.T) ecs.Service {
	t.Helper()
	it, err := n.env.Store.Services.Get(context.Background(), store.ServiceID("demo", "web"))
	if err != nil {
		t.Fatal(err)
	}
	return it.Value
}

func TestServiceReachesSteadyState(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 2, "app", nil)
	w := ecssdk.NewServicesStableWaiter(n.env.ECS, func(o *ecssdk.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(apitest.Context(t), &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	eventually(t, "steady state event and completed rollout", func() bool {
		s := n.service(t)
		return s.Steady && s.Deployments[0].RolloutState == ecs.RolloutCompleted
	})
	for _, task := range n.running(t) {
		c := task.Containers[0]
		if c.RuntimeID == "" || len(c.NetworkBindings) != 1 || c.NetworkBindings[0].HostPort == 0 || task.StartedAt.IsZero() {
			t.Fatalf("task not recorded fully: %+v", task)
		}
		if task.ContainerInstanceID != agent.InstanceID("node-1", "demo") {
			t.Fatalf("placed on %q", task.ContainerInstanceID)
		}
	}
}

func TestExitedTaskIsReplaced(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 1, "app", nil)
	eventually(t, "one running task", func() bool { return len(n.running(t)) == 1 })
	victim := n.running(t)[0]
	if err := n.drv.Exit(victim.ID+"-web", 3); err != nil {
		t.Fatal(err)
	}
	eventually(t, "replacement", func() bool {
		r := n.running(t)
		return len(r) == 1 && r[0].ID != victim.ID
	})
	eventually(t, "victim stopped", func() bool {
		for _, task := range n.tasks(t) {
			if task.ID == victim.ID {
				return task.LastStatus == ecs.TaskStopped
			}
		}
		return false
	})
	for _, task := range n.tasks(t) {
		if task.ID != victim.ID {
			continue
		}
		c := task.Containers[0]
		if task.StopCode != ecs.StopEssentialContainerExited || !c.HasExitCode || c.ExitCode != 3 || task.StoppedAt.IsZero() || task.ExecutionStoppedAt.IsZero() {
			t.Fatalf("stopped task: %+v", task)
		}
	}
}

func TestUnhealthyTaskIsReplaced(t *testing.T) {
	t.Parallel()
	n := startNode(t, map[string]fake.Script{"sick": {UnhealthyAfter: 300 * time.Millisecond}})
	n.setup(t, 1, "sick", &types.HealthCheck{Command: []string{"CMD", "check"}, Interval: aws.Int32(5), Retries: aws.Int32(1), Timeout: aws.Int32(2)})
	eventually(t, "healthy task", func() bool {
		r := n.running(t)
		return len(r) == 1 && r[0].HealthStatus == ecs.HealthHealthy
	})
	eventually(t, "replacement after failed health checks", func() bool {
		for _, task := range n.tasks(t) {
			if task.StoppedReason == "Task failed container health checks" && task.LastStatus == ecs.TaskStopped {
				return true
			}
		}
		return false
	})
}

func TestStartFailureBacksOff(t *testing.T) {
	t.Parallel()
	n := startNode(t, map[string]fake.Script{"broken": {StartError: "no such executable"}})
	n.setup(t, 1, "broken", nil)
	eventually(t, "backoff event", func() bool {
		s := n.service(t)
		return s.Backoff.ConsecutiveFailures >= 3 && !s.Backoff.NotBefore.IsZero()
	})
	for _, task := range n.tasks(t) {
		if task.LastStatus == ecs.TaskStopped && task.StopCode != ecs.StopTaskFailedToStart {
			t.Fatalf("stop code %s: %+v", task.StopCode, task)
		}
	}
	count := len(n.tasks(t))
	time.Sleep(time.Second)
	if got := len(n.tasks(t)); got > count+1 {
		t.Fatalf("tasks kept starting during the backoff: %d → %d", count, got)
	}
}

func TestScaleInStopsTasksGracefully(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 3, "app", nil)
	eventually(t, "three running tasks", func() bool { return len(n.running(t)) == 3 })
	if _, err := n.env.ECS.UpdateService(apitest.Context(t), &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "one running task", func() bool { return len(n.running(t)) == 1 })
	eventually(t, "two stopped with exit codes", func() bool {
		stopped := 0
		for _, task := range n.tasks(t) {
			if task.LastStatus == ecs.TaskStopped && task.StopCode == ecs.StopServiceSchedulerInitiated && task.Containers[0].HasExitCode {
				stopped++
			}
		}
		return stopped == 2
	})
}

func TestDeleteServiceDrainsToInactive(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 2, "app", nil)
	eventually(t, "two running tasks", func() bool { return len(n.running(t)) == 2 })
	if _, err := n.env.ECS.DeleteService(apitest.Context(t), &ecssdk.DeleteServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "inactive service", func() bool { return n.service(t).Status == ecs.ServiceInactive })
	for _, task := range n.tasks(t) {
		if task.LastStatus != ecs.TaskStopped {
			t.Fatalf("task left: %+v", task)
		}
	}
}

func TestRestartReadoptsAndRemovesOrphans(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 2, "app", nil)
	eventually(t, "two running tasks", func() bool { return len(n.running(t)) == 2 })
	before := map[string]bool{}
	for _, task := range n.running(t) {
		before[task.ID] = true
	}
	n.shutdown()
	// A container no task knows, as a crash between start and record would leave.
	if _, err := n.drv.Start(context.Background(), runtime.ContainerSpec{ID: "ghost-web", TaskID: "ghost", Name: "web", Image: "app",
		Labels: map[string]string{"fargo.task-key": "demo/ghost"}}); err != nil {
		t.Fatal(err)
	}
	n.drv = fake.New(fake.Config{State: n.state})
	n.startControllers(t)
	eventually(t, "orphan removed", func() bool {
		_, err := n.drv.Inspect(context.Background(), "ghost-web")
		return err != nil
	})
	time.Sleep(500 * time.Millisecond)
	after := n.running(t)
	if len(after) != 2 {
		t.Fatalf("%d running after restart", len(after))
	}
	for _, task := range after {
		if !before[task.ID] {
			t.Fatalf("task %s was replaced instead of re-adopted", task.ID)
		}
	}
	// The re-adopted containers are watched again: an exit is noticed.
	if err := n.drv.Exit(after[0].ID+"-web", 0); err != nil {
		t.Fatal(err)
	}
	eventually(t, "exit noticed after restart", func() bool {
		for _, task := range n.tasks(t) {
			if task.ID == after[0].ID {
				return task.LastStatus == ecs.TaskStopped
			}
		}
		return false
	})
}

func TestTaskMetadataEndpoint(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 1, "app", nil)
	eventually(t, "one running task", func() bool { return len(n.running(t)) == 1 })
	task := n.running(t)[0]
	base := "http://" + n.meta + "/v4/" + task.ID + "-web"
	var doc map[string]any
	// The endpoint serves the agent's own copy of the task, which may lag the store a moment.
	eventually(t, "metadata of the running task", func() bool {
		resp, err := http.Get(base + "/task")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		doc = nil
		return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&doc) == nil && doc["KnownStatus"] == "RUNNING"
	})
	if doc["TaskARN"] != task.ARN || doc["Family"] != "app" || doc["KnownStatus"] != "RUNNING" || doc["LaunchType"] != "FARGATE" {
		t.Fatalf("task metadata: %v", doc)
	}
	getJSON(t, base, &doc)
	if doc["Name"] != "web" || doc["ContainerARN"] != task.Containers[0].ARN {
		t.Fatalf("container metadata: %v", doc)
	}
	resp, err := http.Get("http://" + n.meta + "/v4/nope-web")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown container: %d", resp.StatusCode)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
