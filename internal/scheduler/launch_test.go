package scheduler_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/scheduler"
	"github.com/fargohq/fargo/internal/store"
)

// TestServicePlacement runs the scheduler over a cluster whose one instance has room for one
// task of the service: the second cannot be placed, the service says why once, and a new
// instance with room takes it.
func TestServicePlacement(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sched := scheduler.New(env.Store, arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID},
		scheduler.Config{Now: func() time.Time { return clock }}, nil)
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sched.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("big"), NetworkMode: types.NetworkModeBridge, RequiresCompatibilities: []types.Compatibility{types.CompatibilityEc2},
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("app:1"), Cpu: 512, MemoryReservation: aws.Int32(3000)}},
	}); err != nil {
		t.Fatal(err)
	}
	const first, second = "11111111111111111111111111111111", "22222222222222222222222222222222"
	putInstance := func(id, zone string) {
		t.Helper()
		in := ecs.ContainerInstance{ID: id, ARN: "arn:aws:ecs:us-east-1:000000000000:container-instance/c/" + id, ClusterName: "c", NodeID: "n-" + id[:1],
			Status: ecs.InstanceActive, AgentConnected: true, LastHeartbeat: clock, RegisteredAt: clock, CPU: 2048, Memory: 4096,
			Attributes: []ecs.Attribute{{Name: "ecs.availability-zone", Value: zone}}}
		if _, err := env.Store.ContainerInstances.Create(ctx, store.ContainerInstanceID("c", id), in); err != nil {
			t.Fatal(err)
		}
	}
	putInstance(first, "us-east-1a")
	if _, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("big"), DesiredCount: aws.Int32(2), LaunchType: types.LaunchTypeEc2}); err != nil {
		t.Fatal(err)
	}
	want := "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance " +
		first + " has insufficient memory available. For more information, see the Troubleshooting section."
	eventually(t, "the placement failure's event", func() bool { return countEvents(t, env, want) == 1 })
	if got := placedOn(t, env); strings.Join(got, ",") != first {
		t.Fatalf("tasks placed on %v, want one on the first instance", got)
	}
	// Changes of the instance make the scheduler try again; it says the same only once.
	for range 3 {
		if _, err := env.Store.ContainerInstances.Update(ctx, store.ContainerInstanceID("c", first), func(in *ecs.ContainerInstance) error { in.Version++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	putInstance(second, "us-east-1b")
	eventually(t, "the second task on the new instance", func() bool { return strings.Join(placedOn(t, env), ",") == first+","+second })
	if n := countEvents(t, env, want); n != 1 {
		t.Fatalf("the placement failure was reported %d times, want once", n)
	}
}

func countEvents(t *testing.T, env *apitest.Env, msg string) int {
	t.Helper()
	out, err := env.ECS.DescribeServices(apitest.Context(t), &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
	if err != nil || len(out.Services) != 1 {
		t.Fatalf("DescribeServices = %v", err)
	}
	n := 0
	for _, e := range out.Services[0].Events {
		if aws.ToString(e.Message) == msg {
			n++
		}
	}
	return n
}

// placedOn lists the instance of each live task, sorted.
func placedOn(t *testing.T, env *apitest.Env) []string {
	t.Helper()
	items, _, err := env.Store.Tasks.List(apitest.Context(t), "c/")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if !it.Value.IsStopped() {
			out = append(out, it.Value.ContainerInstanceID)
		}
	}
	slices.Sort(out)
	return out
}

// eventually polls cond until it holds, for at most a minute: the scheduler reacts to store
// watches, on its own goroutines.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
