package daemon_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// TestWorkerJoinsTheServersStore runs a server and a worker on one etcd: the worker's node
// registers a container instance with its resources and attributes, runs the task StartTask
// places on it, and when it stops answering its instance turns disconnected and the task is
// stopped as lost with its host.
func TestWorkerJoinsTheServersStore(t *testing.T) {
	t.Parallel()
	endpoint := startExternalEtcd(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", EtcdEndpoints: []string{endpoint},
		Runtime: fake.New(fake.Config{}), AgentTimeout: time.Second, LostInstanceGrace: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := srv.Wait(); err != nil {
			t.Error(err)
		}
	}()
	client := clientFor(t, srv, dir)
	if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}

	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan error, 1)
	go func() {
		workerDone <- daemon.RunWorker(workerCtx, daemon.WorkerConfig{
			DataDir: t.TempDir(), EtcdEndpoints: []string{endpoint}, NodeID: "worker-a", NodeAddr: "127.0.0.2",
			Runtime: fake.New(fake.Config{}), CPU: 4096, Memory: 8192, AvailabilityZone: "us-east-1c", Attributes: []string{"disk=ssd"},
			HeartbeatInterval: 100 * time.Millisecond,
		}, nil)
	}()
	worker := waitInstance(t, client, func(ci ecstypes.ContainerInstance) bool { return hasAttribute(ci, "disk", "ssd") })
	if ci := worker; ci.RegisteredResources[0].IntegerValue != 4096 || !hasAttribute(ci, "ecs.availability-zone", "us-east-1c") || !ci.AgentConnected {
		t.Fatalf("worker instance: %+v", ci)
	}

	registerSleeper(t, client)
	started, err := client.StartTask(ctx, &ecssdk.StartTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("sleeper"), ContainerInstances: []string{aws.ToString(worker.ContainerInstanceArn)}})
	if err != nil || len(started.Tasks) != 1 {
		t.Fatalf("StartTask: %+v, %v", started, err)
	}
	taskARN := aws.ToString(started.Tasks[0].TaskArn)
	waitTask(t, client, taskARN, func(task ecstypes.Task) bool { return aws.ToString(task.LastStatus) == "RUNNING" })

	stopWorker()
	if err := <-workerDone; err != nil {
		t.Fatalf("worker: %v", err)
	}
	waitInstance(t, client, func(ci ecstypes.ContainerInstance) bool {
		return aws.ToString(ci.ContainerInstanceArn) == aws.ToString(worker.ContainerInstanceArn) && !ci.AgentConnected
	})
	lost := waitTask(t, client, taskARN, func(task ecstypes.Task) bool { return aws.ToString(task.LastStatus) == "STOPPED" })
	if lost.StopCode != ecstypes.TaskStopCodeTerminationNotice {
		t.Errorf("lost task: stopCode %s, reason %q", lost.StopCode, aws.ToString(lost.StoppedReason))
	}
}

func TestWorkerRefusesAServersDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "server.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := daemon.RunWorker(context.Background(), daemon.WorkerConfig{DataDir: dir, EtcdEndpoints: []string{"http://127.0.0.1:1"}}, nil)
	if err == nil {
		t.Fatal("a worker ran on a server's data directory")
	}
	if err := daemon.RunWorker(context.Background(), daemon.WorkerConfig{DataDir: t.TempDir()}, nil); err == nil {
		t.Fatal("a worker ran without etcd endpoints")
	}
}

func hasAttribute(ci ecstypes.ContainerInstance, name, value string) bool {
	for _, a := range ci.Attributes {
		if aws.ToString(a.Name) == name && aws.ToString(a.Value) == value {
			return true
		}
	}
	return false
}

// waitInstance polls the instances of cluster demo until one satisfies ok, for up to 30 s.
func waitInstance(t *testing.T, client *ecssdk.Client, ok func(ecstypes.ContainerInstance) bool) ecstypes.ContainerInstance {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		list, err := client.ListContainerInstances(ctx, &ecssdk.ListContainerInstancesInput{Cluster: aws.String("demo")})
		if err == nil && len(list.ContainerInstanceArns) > 0 {
			out, err := client.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String("demo"), ContainerInstances: list.ContainerInstanceArns})
			if err != nil {
				t.Fatal(err)
			}
			for _, ci := range out.ContainerInstances {
				if ok(ci) {
					return ci
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out waiting for a container instance")
	return ecstypes.ContainerInstance{}
}

// waitTask polls a task until it satisfies ok, for up to 30 s.
func waitTask(t *testing.T, client *ecssdk.Client, arn string, ok func(ecstypes.Task) bool) ecstypes.Task {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, err := client.DescribeTasks(context.Background(), &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{arn}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Tasks) == 1 && ok(out.Tasks[0]) {
			return out.Tasks[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for task %s", arn)
	return ecstypes.Task{}
}

func registerSleeper(t *testing.T, client *ecssdk.Client) {
	t.Helper()
	if _, err := client.RegisterTaskDefinition(context.Background(), &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("sleeper"), RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("app"), Memory: aws.Int32(128)}},
	}); err != nil {
		t.Fatal(err)
	}
}
