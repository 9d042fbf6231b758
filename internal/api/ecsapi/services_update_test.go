package ecsapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
)

func TestUpdateServiceStartsDeploymentInItsResponse(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	created := createService(t, env, "web", 2)
	oldID := aws.ToString(created.Deployments[0].Id)

	// What the deploy action sends: a new task definition, forceNewDeployment false.
	out, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{
		Cluster: aws.String("c"), Service: aws.String("web"), TaskDefinition: aws.String(taskDefARN + "web:2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Service
	if aws.ToString(s.TaskDefinition) != taskDefARN+"web:2" || len(s.Deployments) != 2 {
		t.Fatalf("service %s with %d deployments", aws.ToString(s.TaskDefinition), len(s.Deployments))
	}
	primary, old := s.Deployments[0], s.Deployments[1]
	if aws.ToString(primary.Status) != "PRIMARY" || aws.ToString(primary.Id) == oldID || !deploymentIDPattern.MatchString(aws.ToString(primary.Id)) ||
		aws.ToString(primary.TaskDefinition) != taskDefARN+"web:2" || primary.DesiredCount != 2 || primary.RolloutState != types.DeploymentRolloutStateInProgress {
		t.Fatalf("new deployment %+v", primary)
	}
	if aws.ToString(old.Status) != "ACTIVE" || aws.ToString(old.Id) != oldID || old.DesiredCount != 2 {
		t.Fatalf("previous deployment %+v", old)
	}
	if got := describeService(t, env, "web"); aws.ToString(got.Deployments[0].Id) != aws.ToString(primary.Id) {
		t.Fatalf("describe after update: first deployment %s", aws.ToString(got.Deployments[0].Id))
	}

	scaled, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String(serviceARN + "c/web"), DesiredCount: aws.Int32(4)})
	if err != nil || len(scaled.Service.Deployments) != 2 || scaled.Service.DesiredCount != 4 || scaled.Service.Deployments[0].DesiredCount != 4 ||
		aws.ToString(scaled.Service.Deployments[0].Id) != aws.ToString(primary.Id) || scaled.Service.Deployments[1].DesiredCount != 2 {
		t.Fatalf("desired count only: %+v, %v", scaled, err)
	}
	forced, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), ForceNewDeployment: true})
	if err != nil || len(forced.Service.Deployments) != 3 || aws.ToString(forced.Service.Deployments[0].TaskDefinition) != taskDefARN+"web:2" {
		t.Fatalf("forced deployment: %+v, %v", forced, err)
	}
	grace, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{
		Cluster: aws.String("c"), Service: aws.String("web"), HealthCheckGracePeriodSeconds: aws.Int32(30),
		DeploymentConfiguration: &types.DeploymentConfiguration{
			MinimumHealthyPercent:    aws.Int32(50),
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
	})
	if err != nil || aws.ToInt32(grace.Service.HealthCheckGracePeriodSeconds) != 30 || len(grace.Service.Deployments) != 3 ||
		aws.ToInt32(grace.Service.DeploymentConfiguration.MinimumHealthyPercent) != 50 || aws.ToInt32(grace.Service.DeploymentConfiguration.MaximumPercent) != 200 ||
		!grace.Service.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback {
		t.Fatalf("settings only: %+v, %v", grace, err)
	}
}

func TestUpdateServiceErrors(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "web", 0)
	createService(t, env, "gone", 0)
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	blueGreen, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("bg"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(1),
		DeploymentController: &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy},
		LoadBalancers:        []types.LoadBalancer{{TargetGroupArn: aws.String(targetGroup), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	})
	// ECS runs a CODE_DEPLOY service as one PRIMARY task set, with no deployments.
	if err != nil || len(blueGreen.Service.Deployments) != 0 || len(blueGreen.Service.TaskSets) != 1 ||
		aws.ToString(blueGreen.Service.TaskSets[0].Status) != "PRIMARY" ||
		!strings.HasSuffix(aws.ToString(blueGreen.Service.TaskSets[0].TaskDefinition), "task-definition/web:1") ||
		len(blueGreen.Service.TaskSets[0].LoadBalancers) != 1 || blueGreen.Service.DeploymentConfiguration.DeploymentCircuitBreaker != nil {
		t.Fatalf("CODE_DEPLOY service: %+v, %v", blueGreen.Service, err)
	}
	tests := []struct {
		name string
		in   ecssdk.UpdateServiceInput
		code string
	}{
		{"absent", ecssdk.UpdateServiceInput{Service: aws.String("ghost"), DesiredCount: aws.Int32(1)}, "ServiceNotFoundException"},
		{"draining", ecssdk.UpdateServiceInput{Service: aws.String("gone"), DesiredCount: aws.Int32(1)}, "ServiceNotActiveException"},
		{"unknown cluster", ecssdk.UpdateServiceInput{Service: aws.String("web")}, "ClusterNotFoundException"},
		{"unknown task definition", ecssdk.UpdateServiceInput{Service: aws.String("web"), TaskDefinition: aws.String("other")}, "ClientException"},
		{"CodeDeploy task definition", ecssdk.UpdateServiceInput{Service: aws.String("bg"), TaskDefinition: aws.String("web:2")}, "InvalidParameterException"},
		{"negative count", ecssdk.UpdateServiceInput{Service: aws.String("web"), DesiredCount: aws.Int32(-3)}, "InvalidParameterException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Cluster = aws.String("c")
			if tc.name == "unknown cluster" {
				in.Cluster = aws.String("nope")
			}
			if _, err := env.ECS.UpdateService(ctx, &in); errorCode(err) != tc.code {
				t.Fatalf("UpdateService = %v, want %s", err, tc.code)
			}
		})
	}
	if s := describeService(t, env, "web"); len(s.Deployments) != 1 || s.DesiredCount != 0 {
		t.Fatalf("failed updates changed the service: %+v", s)
	}
	ok, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("bg"), DesiredCount: aws.Int32(3)})
	if err != nil || ok.Service.DesiredCount != 3 {
		t.Fatalf("CODE_DEPLOY desired count: %v", err)
	}
}

func TestDescribeServicesDerivesCounts(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	first := aws.ToString(createService(t, env, "web", 3).Deployments[0].Id)
	updated, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")})
	if err != nil {
		t.Fatal(err)
	}
	second := aws.ToString(updated.Service.Deployments[0].Id)
	putTask(t, env, "c", "a1", "web", first, ecs.TaskRunning, ecs.TaskRunning)
	putTask(t, env, "c", "a2", "web", first, ecs.TaskRunning, ecs.TaskStopped) // being stopped
	putTask(t, env, "c", "a3", "web", first, ecs.TaskStopped, ecs.TaskStopped)
	putTask(t, env, "c", "b1", "web", second, ecs.TaskRunning, ecs.TaskRunning)
	putTask(t, env, "c", "b2", "web", second, ecs.TaskPending, ecs.TaskRunning)
	putTask(t, env, "c", "b3", "web", second, ecs.TaskProvisioning, ecs.TaskRunning)
	putTask(t, env, "c", "x1", "other", "ecs-svc/1", ecs.TaskRunning, ecs.TaskRunning)

	s := describeService(t, env, "web")
	type counts struct{ Running, Pending int32 }
	got := map[string]counts{"service": {s.RunningCount, s.PendingCount}}
	for _, d := range s.Deployments {
		got[aws.ToString(d.Id)] = counts{d.RunningCount, d.PendingCount}
	}
	want := map[string]counts{"service": {2, 2}, first: {1, 0}, second: {1, 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	tagged, err := env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{
		Cluster: aws.String(clusterARN + "c"), Services: []string{serviceARN + "c/web", serviceARN + "other/web"}, Include: []types.ServiceField{types.ServiceFieldTags},
	})
	if err != nil || len(tagged.Services) != 1 || tagged.Services[0].Tags == nil || len(tagged.Failures) != 1 ||
		aws.ToString(tagged.Failures[0].Arn) != serviceARN+"other/web" {
		t.Fatalf("describe by ARN with tags: %+v, %v", tagged, err)
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf("s%d", i)
	}
	if _, err := env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: eleven}); errorCode(err) != "InvalidParameterException" {
		t.Fatalf("11 services: %v", err)
	}
	if _, err := env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("nope"), Services: []string{"web"}}); errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("unknown cluster: %v", err)
	}
}

func TestListServices(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("s%d", i)
		createService(t, env, name, 0)
		want = append(want, serviceARN+"c/"+name)
	}
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("s4")}); err != nil {
		t.Fatal(err)
	}
	want = want[:4]
	var got []string
	pages := ecssdk.NewListServicesPaginator(env.ECS, &ecssdk.ListServicesInput{Cluster: aws.String("c"), MaxResults: aws.Int32(3)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.ServiceArns...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ListServices (-want +got):\n%s", diff)
	}
	filtered, err := env.ECS.ListServices(ctx, &ecssdk.ListServicesInput{Cluster: aws.String("c"), LaunchType: types.LaunchTypeEc2})
	if err != nil || len(filtered.ServiceArns) != 0 {
		t.Fatalf("EC2 filter: %+v, %v", filtered, err)
	}
	replica, err := env.ECS.ListServices(ctx, &ecssdk.ListServicesInput{Cluster: aws.String("c"), SchedulingStrategy: types.SchedulingStrategyReplica})
	if err != nil || len(replica.ServiceArns) != 4 {
		t.Fatalf("REPLICA filter: %+v, %v", replica, err)
	}
	if _, err := env.ECS.ListServices(ctx, &ecssdk.ListServicesInput{}); errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("default cluster absent: %v", err)
	}
}

func TestDeleteService(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "web", 2)
	before := describeService(t, env, "web")
	_, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web")})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("delete a scaled-up service: %v", err)
	}
	if after := describeService(t, env, "web"); !cmp.Equal(before, after, cmp.Comparer(func(a, b types.Service) bool {
		return aws.ToString(a.Status) == aws.ToString(b.Status) && a.DesiredCount == b.DesiredCount && len(a.Deployments) == len(b.Deployments)
	})) {
		t.Fatalf("refused delete changed the service: %+v", after)
	}
	out, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), Force: aws.Bool(true)})
	if err != nil || aws.ToString(out.Service.Status) != "DRAINING" || out.Service.DesiredCount != 0 || out.Service.Deployments[0].DesiredCount != 0 {
		t.Fatalf("forced delete: %+v, %v", out, err)
	}
	again, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web")})
	if err != nil || aws.ToString(again.Service.Status) != "DRAINING" {
		t.Fatalf("delete a DRAINING service: %+v, %v", again, err)
	}
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("ghost")}); errorCode(err) != "ServiceNotFoundException" {
		t.Fatalf("delete an absent service: %v", err)
	}
}
