package agent_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/docker/dockertest"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/fake"
	"github.com/fargohq/fargo/internal/runtime/router"
)

// startRoutedNode is a node whose agent runs tasks through a router over the fake driver and
// a Docker driver of cfg. The Docker driver's containers are removed when the test ends.
func startRoutedNode(t *testing.T, cfg docker.Config) *node {
	t.Helper()
	dockerDrv, err := docker.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := &node{env: apitest.New(t), state: fake.NewState(), nodeID: "node-1"}
	n.drv = fake.New(fake.Config{State: n.state})
	if n.runtime, err = router.New(router.Config{}, nil, n.drv, dockerDrv); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeAll(t, dockerDrv) }) // after the controllers stopped
	n.startControllers(t)
	return n
}

// service2 registers family with one container of image and starts a service of it.
func (n *node) service2(t *testing.T, family, image string, env map[string]string) {
	t.Helper()
	ctx := apitest.Context(t)
	if _, err := n.env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	c := types.ContainerDefinition{
		Name: aws.String("web"), Image: aws.String(image), StopTimeout: aws.Int32(2),
		PortMappings:    []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
		DockerLabels:    map[string]string{"team": "web"},
		Ulimits:         []types.Ulimit{{Name: types.UlimitNameNofile, SoftLimit: 1000, HardLimit: 2000}},
		LinuxParameters: &types.LinuxParameters{InitProcessEnabled: aws.Bool(true)},
	}
	for k, v := range env {
		c.Environment = append(c.Environment, types.KeyValuePair{Name: aws.String(k), Value: aws.String(v)})
	}
	if _, err := n.env.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"), ContainerDefinitions: []types.ContainerDefinition{c},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String(family), TaskDefinition: aws.String(family), DesiredCount: aws.Int32(1),
	}); err != nil {
		t.Fatal(err)
	}
}

// failedStart waits for a stopped task of family and returns it.
func (n *node) failedStart(t *testing.T, family string) ecs.Task {
	t.Helper()
	var stopped ecs.Task
	eventually(t, "a stopped task of "+family, func() bool {
		for _, task := range n.tasks(t) {
			if task.LastStatus == ecs.TaskStopped && strings.Contains(task.TaskDefinitionARN, "/"+family+":") {
				stopped = task
				return true
			}
		}
		return false
	})
	return stopped
}

// TestDockerTasks runs a service of a local image on the Docker driver through the router:
// the task is reachable at its awsvpc address, reports its image digest and runtime id, and
// stops on request; an image that cannot be pulled stops its task as ECS does.
func TestDockerTasks(t *testing.T) {
	t.Parallel()
	engine := dockertest.Engine(t)
	image := dockertest.Image(t, engine, "fargo-drivertest", dockertest.GoBinary(t, "../runtime/docker/testdata/program"))
	cfg := docker.Config{Scope: "agent-" + strings.ToLower(t.Name()), Network: "fargo-agent-test", PullPolicy: docker.PullPreferCached}
	t.Cleanup(func() { // last, once the containers are gone
		_, _ = engine.NetworkRemove(context.Background(), cfg.Network, client.NetworkRemoveOptions{})
	})
	n := startRoutedNode(t, cfg)
	program := drivertest.Program{Listen: true, Forever: true}.EnvVar()
	n.service2(t, "app", image, map[string]string{program.Name: program.Value})
	n.service2(t, "nopull", "127.0.0.1:1/fargo-nope:latest", nil)

	var task ecs.Task
	eventually(t, "a running task", func() bool {
		running := n.running(t)
		if len(running) == 1 {
			task = running[0]
		}
		return len(running) == 1
	})
	c := task.Containers[0]
	if !strings.HasPrefix(c.ImageDigest, "sha256:") || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(c.RuntimeID) {
		t.Fatalf("image digest %q, runtime id %q; want a digest and the engine's container id", c.ImageDigest, c.RuntimeID)
	}
	if len(c.NetworkBindings) != 1 || c.NetworkBindings[0].HostPort != 8080 || c.NetworkBindings[0].BindIP == "127.0.0.1" {
		t.Fatalf("bindings %+v; want the task's own address with port 8080", c.NetworkBindings)
	}
	eventually(t, "a connection to the task's address", func() bool {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(c.NetworkBindings[0].BindIP, "8080"), time.Second)
		if err == nil {
			_ = conn.Close()
		}
		return err == nil
	})
	out, err := n.env.ECS.DescribeTasks(apitest.Context(t), &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{task.ARN}})
	if err != nil || len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].Containers[0].ImageDigest) != c.ImageDigest ||
		aws.ToString(out.Tasks[0].Containers[0].RuntimeId) != c.RuntimeID {
		t.Fatalf("DescribeTasks: %+v, %v; want the image digest and runtime id", out, err)
	}

	stopped := n.failedStart(t, "nopull")
	if stopped.StopCode != ecs.StopTaskFailedToStart || !strings.HasPrefix(stopped.StoppedReason, "CannotPullContainerError: ") ||
		!strings.HasPrefix(stopped.Containers[0].Reason, "CannotPullContainerError: ") {
		t.Fatalf("task with an image that cannot be pulled: %s %q (container %q)", stopped.StopCode, stopped.StoppedReason, stopped.Containers[0].Reason)
	}

	if _, err := n.env.ECS.StopTask(apitest.Context(t), &ecssdk.StopTaskInput{Cluster: aws.String("demo"), Task: aws.String(task.ARN)}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the task stopped with an exit code", func() bool {
		for _, tk := range n.tasks(t) {
			if tk.ARN == task.ARN {
				return tk.LastStatus == ecs.TaskStopped && tk.Containers[0].HasExitCode
			}
		}
		return false
	})
}

// TestDockerUnavailable runs a task that needs Docker on a node where no engine answers: it
// stops with a reason that says so, and no container is left.
func TestDockerUnavailable(t *testing.T) {
	t.Parallel()
	n := startRoutedNode(t, docker.Config{Host: "unix://" + filepath.Join(t.TempDir(), "docker.sock")})
	n.service2(t, "app", "127.0.0.1:4566/demo:latest", nil)
	stopped := n.failedStart(t, "app")
	if stopped.StopCode != ecs.StopTaskFailedToStart || !strings.Contains(stopped.StoppedReason, "no Docker engine answers") {
		t.Fatalf("stopped %s: %q; want TaskFailedToStart saying that no engine answers", stopped.StopCode, stopped.StoppedReason)
	}
}

func removeAll(t *testing.T, d runtime.Driver) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all, err := d.List(ctx)
	if errors.Is(err, errdefs.ErrUnavailable) {
		return
	}
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	for _, st := range all {
		_ = d.Stop(ctx, st.ID, 0)
		if err := d.Remove(ctx, st.ID); err != nil {
			t.Errorf("cleanup: remove %s: %v", st.ID, err)
		}
	}
}
