package daemon_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestClusterRunsRegionsOnceUnderTheLeader: members share a store; a region a follower opens
// (while the leader's term runs) gets its scheduler from the leader and its tasks from the
// members' agents of that region, and after the leader stops the next term runs the region
// too.
func TestClusterRunsRegionsOnceUnderTheLeader(t *testing.T) {
	t.Parallel()
	const seoul = "ap-northeast-2"
	members := startCluster(t, 3)
	first := waitLeader(t, members)
	var followers []*member
	for _, m := range members {
		if m != first {
			followers = append(followers, m)
		}
	}
	ctx := t.Context()
	c := ecssdk.NewFromConfig(regionConfig(t, followers[0].srv, followers[0].dir, seoul))
	createRegionService(t, ctx, c, "before")
	waitRegionTask(t, ctx, c, "before", seoul)

	first.stop(t)
	second := waitLeader(t, followers)
	var other *member
	for _, m := range followers {
		if m != second {
			other = m
		}
	}
	c = ecssdk.NewFromConfig(regionConfig(t, other.srv, other.dir, seoul))
	createRegionService(t, ctx, c, "after")
	waitRegionTask(t, ctx, c, "after", seoul)
}

// createRegionService creates cluster and a service of one task in it.
func createRegionService(t *testing.T, ctx context.Context, c *ecssdk.Client, cluster string) {
	t.Helper()
	if _, err := c.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(cluster)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("example/app:1"), Memory: aws.Int32(64),
		}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String(cluster), ServiceName: aws.String("web"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(1),
	}); err != nil {
		t.Fatal(err)
	}
}

// waitRegionTask waits until the service web of cluster runs its one task, in region.
func waitRegionTask(t *testing.T, ctx context.Context, c *ecssdk.Client, cluster, region string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := c.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"web"}})
		if err == nil && len(out.Services) == 1 && out.Services[0].RunningCount == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service of %s in %s does not run its task: %+v %v", cluster, region, out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tasks, err := c.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String(cluster)})
	if err != nil || len(tasks.TaskArns) != 1 {
		t.Fatalf("tasks of %s: %+v %v, want one", cluster, tasks, err)
	}
	if arn := tasks.TaskArns[0]; !strings.Contains(arn, ":"+region+":") {
		t.Fatalf("task %s is not in %s", arn, region)
	}
}
