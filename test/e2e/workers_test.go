package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/loadtest"
)

// workerFlags make a silent worker disconnected after 5 s and its tasks lost 10 s later: short
// for a test, long enough that a busy machine's pauses do not lose the server's own instance.
var workerFlags = []string{"--driver", "process", "--agent-timeout", "5s", "--lost-instance-grace", "10s"}

// TestWorkerMachine runs a server and a `fargo agent` process on one machine, sharing the
// server's store over its etcd socket. The worker's container instance registers with its
// resources and attributes and takes a share of a service's tasks. DRAINING it under load
// moves its tasks to the server's instance with not one failed request. Killed with SIGKILL,
// the worker turns agentConnected: false and, after the grace period, its task is stopped and
// replaced; when it comes back, the stale task's process is stopped, never run twice.
func TestWorkerMachine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir, workerFlags...)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	ecsc, elbc := s.sdkClients(t)
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	w := startWorker(t, filepath.Join(t.TempDir(), "worker"), dir)
	worker := waitWorkerInstance(t, ecsc, func(ci ecstypes.ContainerInstance) bool { return ci.AgentConnected })
	checkWorkerRegistration(t, ctx, ecsc, worker)
	workerARN := aws.ToString(worker.ContainerInstanceArn)

	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc)
	if n := len(liveTasksOn(t, ecsc, workerARN)); n == 0 {
		t.Fatal("the worker took none of the service's 3 tasks")
	}

	// DRAINING under load: its tasks move to the server's instance, not one request fails.
	loadCtx, stopLoad := context.WithCancel(ctx)
	load := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 2, NewConnectionClients: 1, Rate: 100})
	time.Sleep(time.Second)
	setInstanceState(t, ecsc, workerARN, ecstypes.ContainerInstanceStatusDraining)
	waitLong(t, "the worker's tasks to move away", func() bool { return len(liveTasksOn(t, ecsc, workerARN)) == 0 })
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, currentTaskDefinition(t, ctx, ecsc))
	time.Sleep(time.Second)
	stopLoad()
	checkNoFailures(t, <-load, 100)
	setInstanceState(t, ecsc, workerARN, ecstypes.ContainerInstanceStatusActive)

	// A fourth task lands on the worker, the instance with the fewest.
	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int32(4)}); err != nil {
		t.Fatal(err)
	}
	var onWorker ecstypes.Task
	waitLong(t, "a task running on the worker", func() bool {
		for _, task := range liveTasksOn(t, ecsc, workerARN) {
			if aws.ToString(task.LastStatus) == "RUNNING" {
				onWorker = task
				return true
			}
		}
		return false
	})
	workerProcs := func() int {
		return len(processesWithEnv("ECS_CONTAINER_METADATA_URI_V4=http://"+w.metadataAddr(t)+"/", true))
	}
	if workerProcs() == 0 {
		t.Fatal("no process of the worker's task runs")
	}

	// SIGKILL: disconnected, then the task stopped as lost and replaced on the server.
	w.kill(t)
	waitWorkerInstance(t, ecsc, func(ci ecstypes.ContainerInstance) bool { return !ci.AgentConnected })
	lost := waitTaskStopped(t, ecsc, aws.ToString(onWorker.TaskArn))
	if lost.StopCode != ecstypes.TaskStopCodeTerminationNotice {
		t.Errorf("the lost task stopped with %s: %q", lost.StopCode, aws.ToString(lost.StoppedReason))
	}
	waitLong(t, "4 running tasks again", func() bool { return runningServiceTasks(t, ecsc) == 4 })

	// The worker comes back: connected again, the stale task's process stopped, no task twice.
	w = startWorker(t, w.dataDir, dir)
	waitWorkerInstance(t, ecsc, func(ci ecstypes.ContainerInstance) bool { return ci.AgentConnected })
	waitLong(t, "the stale task's process to stop", func() bool { return workerProcs() == 0 })
	time.Sleep(2 * time.Second)
	if n := runningServiceTasks(t, ecsc); n != 4 {
		t.Errorf("%d running tasks after the worker came back, want 4", n)
	}
	if task := describeTask(t, ecsc, aws.ToString(onWorker.TaskArn)); aws.ToString(task.LastStatus) != "STOPPED" {
		t.Errorf("the lost task is %s after the worker came back", aws.ToString(task.LastStatus))
	}
}

// workerProc is a `fargo agent` process started by a test.
type workerProc struct {
	dataDir string
	cmd     *exec.Cmd
	logs    *syncBuffer
}

// startWorker runs `fargo agent` on dataDir against the store of the server of serverDir.
func startWorker(t *testing.T, dataDir, serverDir string) *workerProc {
	t.Helper()
	w := &workerProc{dataDir: dataDir, logs: &syncBuffer{}}
	w.cmd = exec.Command(fargoBinary(t), "agent", "--data-dir", dataDir,
		"--etcd-endpoints", "unix://"+filepath.Join(serverDir, "etcd", "client.sock"), "--driver", "process",
		"--node-id", "worker-1", "--availability-zone", "us-east-1b", "--attribute", "rack=r1",
		"--cpu", "2048", "--memory", "4096", "--heartbeat-interval", "500ms")
	w.cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	w.cmd.Stdout, w.cmd.Stderr = w.logs, w.logs
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killTaskProcesses(dataDir) })
	t.Cleanup(func() { w.kill(t) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker log:\n%s", w.logs)
		}
	})
	return w
}

func (w *workerProc) kill(t *testing.T) {
	t.Helper()
	if w.cmd.ProcessState != nil {
		return
	}
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	_ = w.cmd.Wait()
}

// metadataAddr is the address of the worker's task metadata endpoint, which its tasks'
// processes carry in their environment.
func (w *workerProc) metadataAddr(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dataDir, "node.json"))
	if err != nil {
		t.Fatal(err)
	}
	var node struct {
		MetadataAddr string `json:"metadataAddr"`
	}
	if err := json.Unmarshal(data, &node); err != nil || node.MetadataAddr == "" {
		t.Fatalf("node.json: %s", data)
	}
	return node.MetadataAddr
}

// waitWorkerInstance waits until the container instance with the worker's rack attribute
// satisfies ok.
func waitWorkerInstance(t *testing.T, ecsc *ecssdk.Client, ok func(ecstypes.ContainerInstance) bool) ecstypes.ContainerInstance {
	t.Helper()
	var found ecstypes.ContainerInstance
	waitLong(t, "the worker's container instance", func() bool {
		list, err := ecsc.ListContainerInstances(context.Background(), &ecssdk.ListContainerInstancesInput{Cluster: aws.String("demo")})
		if err != nil || len(list.ContainerInstanceArns) == 0 {
			return false
		}
		out, err := ecsc.DescribeContainerInstances(context.Background(), &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String("demo"), ContainerInstances: list.ContainerInstanceArns})
		if err != nil {
			t.Fatal(err)
		}
		for _, ci := range out.ContainerInstances {
			if attribute(ci.Attributes, "rack") == "r1" && ok(ci) {
				found = ci
				return true
			}
		}
		return false
	})
	return found
}

func attribute(attrs []ecstypes.Attribute, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// checkWorkerRegistration checks the worker's registered resources and attributes, and that
// PutAttributes adds one that ListAttributes finds.
func checkWorkerRegistration(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, ci ecstypes.ContainerInstance) {
	t.Helper()
	if cpu, mem := ci.RegisteredResources[0].IntegerValue, ci.RegisteredResources[1].IntegerValue; cpu != 2048 || mem != 4096 {
		t.Errorf("the worker registered cpu %d and memory %d, want 2048 and 4096", cpu, mem)
	}
	for name, want := range map[string]string{"ecs.os-type": "linux", "ecs.availability-zone": "us-east-1b", "ecs.cpu-architecture": attribute(ci.Attributes, "ecs.cpu-architecture")} {
		if got := attribute(ci.Attributes, name); got != want || got == "" {
			t.Errorf("the worker's attribute %s is %q", name, got)
		}
	}
	if _, err := ecsc.PutAttributes(ctx, &ecssdk.PutAttributesInput{Cluster: aws.String("demo"), Attributes: []ecstypes.Attribute{{
		Name: aws.String("stack"), Value: aws.String("blue"), TargetId: ci.ContainerInstanceArn, TargetType: ecstypes.TargetTypeContainerInstance,
	}}}); err != nil {
		t.Fatal(err)
	}
	out, err := ecsc.ListAttributes(ctx, &ecssdk.ListAttributesInput{Cluster: aws.String("demo"), TargetType: ecstypes.TargetTypeContainerInstance, AttributeName: aws.String("stack")})
	if err != nil || len(out.Attributes) != 1 || aws.ToString(out.Attributes[0].TargetId) != aws.ToString(ci.ContainerInstanceArn) {
		t.Errorf("ListAttributes stack: %+v, %v", out, err)
	}
}

func setInstanceState(t *testing.T, ecsc *ecssdk.Client, arn string, status ecstypes.ContainerInstanceStatus) {
	t.Helper()
	out, err := ecsc.UpdateContainerInstancesState(context.Background(), &ecssdk.UpdateContainerInstancesStateInput{
		Cluster: aws.String("demo"), ContainerInstances: []string{arn}, Status: status,
	})
	if err != nil || len(out.ContainerInstances) != 1 {
		t.Fatalf("UpdateContainerInstancesState %s: %+v, %v", status, out, err)
	}
}

// liveTasksOn lists the tasks on a container instance that should run.
func liveTasksOn(t *testing.T, ecsc *ecssdk.Client, instanceARN string) []ecstypes.Task {
	t.Helper()
	ctx := context.Background()
	list, err := ecsc.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String("demo"), ContainerInstance: aws.String(instanceARN), DesiredStatus: ecstypes.DesiredStatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.TaskArns) == 0 {
		return nil
	}
	out, err := ecsc.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: list.TaskArns})
	if err != nil {
		t.Fatal(err)
	}
	return out.Tasks
}

func describeTask(t *testing.T, ecsc *ecssdk.Client, arn string) ecstypes.Task {
	t.Helper()
	out, err := ecsc.DescribeTasks(context.Background(), &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{arn}})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("DescribeTasks %s: %+v, %v", arn, out, err)
	}
	return out.Tasks[0]
}

func waitTaskStopped(t *testing.T, ecsc *ecssdk.Client, arn string) ecstypes.Task {
	t.Helper()
	var task ecstypes.Task
	waitLong(t, "task "+arn+" to stop", func() bool {
		task = describeTask(t, ecsc, arn)
		return aws.ToString(task.LastStatus) == "STOPPED"
	})
	return task
}

// runningServiceTasks counts the service's RUNNING tasks that should run.
func runningServiceTasks(t *testing.T, ecsc *ecssdk.Client) int {
	t.Helper()
	out, err := ecsc.DescribeServices(context.Background(), &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || len(out.Services) != 1 {
		t.Fatalf("DescribeServices: %+v, %v", out, err)
	}
	return int(out.Services[0].RunningCount)
}

// waitLong polls cond until it holds, for at most 2 minutes: a slow, busy machine may take
// long to notice a dead worker and replace its tasks.
func waitLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 2 minutes", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
