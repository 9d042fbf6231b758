package agent_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/fargohq/fargo/internal/agent"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/fake"
	"github.com/fargohq/fargo/internal/store"
)

func TestInstanceRegistersResourcesAndAttributes(t *testing.T) {
	t.Parallel()
	n := &node{env: apitest.New(t), state: fake.NewState(), nodeID: "worker-1", cfg: agent.Config{
		CPU: 1536, Memory: 3000, AvailabilityZone: "us-east-1b", Attributes: []ecs.Attribute{{Name: "rack", Value: "r7"}},
	}}
	n.drv = fake.New(fake.Config{State: n.state})
	n.startControllers(t)
	n.setup(t, -1, "app", nil)
	ctx := apitest.Context(t)
	var inst ecssdk.DescribeContainerInstancesOutput
	eventually(t, "the instance registered", func() bool {
		list, err := n.env.ECS.ListContainerInstances(ctx, &ecssdk.ListContainerInstancesInput{Cluster: aws.String("demo")})
		if err != nil || len(list.ContainerInstanceArns) != 1 {
			return false
		}
		out, err := n.env.ECS.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String("demo"), ContainerInstances: list.ContainerInstanceArns})
		if err != nil {
			t.Fatal(err)
		}
		inst = *out
		return true
	})
	ci := inst.ContainerInstances[0]
	if got := ci.RegisteredResources[0].IntegerValue; got != 1536 {
		t.Errorf("registered CPU %d, want 1536", got)
	}
	if got := ci.RegisteredResources[1].IntegerValue; got != 3000 {
		t.Errorf("registered memory %d, want 3000", got)
	}
	attrs := map[string]string{}
	for _, a := range ci.Attributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	for name, want := range map[string]string{"ecs.os-type": "linux", "ecs.availability-zone": "us-east-1b", "rack": "r7"} {
		if attrs[name] != want {
			t.Errorf("attribute %s = %q, want %q (all: %v)", name, attrs[name], want, attrs)
		}
	}
	if attrs["ecs.cpu-architecture"] == "" {
		t.Errorf("no ecs.cpu-architecture attribute: %v", attrs)
	}
}

// TestTaskStoppedWhileAwayIsStopped: a task the control plane stopped as lost while its node
// was cut off stops on the node when the agent sees it, and is not started again.
func TestTaskStoppedWhileAwayIsStopped(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, 1, "app", nil)
	eventually(t, "a running task", func() bool { return len(n.running(t)) == 1 })
	lost := n.running(t)[0]
	key := store.TaskID("demo", lost.ID)
	if _, err := n.env.Store.Tasks.Update(context.Background(), key, func(task *ecs.Task) error {
		*task = task.LostWithHost(n.nodeID, time.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the lost task's container stopped", func() bool {
		st, err := n.drv.Inspect(context.Background(), lost.ID+"-web")
		return err == nil && st.State != runtime.StateRunning
	})
	eventually(t, "a replacement running", func() bool {
		r := n.running(t)
		return len(r) == 1 && r[0].ID != lost.ID
	})
	it, err := n.env.Store.Tasks.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if got := it.Value; got.StopCode != ecs.StopTerminationNotice || got.StoppedReason != ecs.LostHostReason(n.nodeID) {
		t.Errorf("lost task: stopCode %s, reason %q", got.StopCode, got.StoppedReason)
	}
}
