package ecsapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
)

const (
	taskSetARN  = "arn:aws:ecs:us-east-1:000000000000:task-set/"
	greenTarget = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/fedcba9876543210"
)

// createExternalService creates a service of the EXTERNAL deployment controller, which has no
// task definition of its own: its task sets bring theirs.
func createExternalService(t *testing.T, env *apitest.Env, name string, desired int32) *types.Service {
	t.Helper()
	out, err := env.ECS.CreateService(apitest.Context(t), &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String(name), DesiredCount: aws.Int32(desired),
		DeploymentController: &types.DeploymentController{Type: types.DeploymentControllerTypeExternal},
	})
	if err != nil {
		t.Fatalf("create service %s: %v", name, err)
	}
	return out.Service
}

// taskSetInput is a CreateTaskSet request for service ext of cluster c: revision td at scale
// percent behind target group tg.
func taskSetInput(td string, scale float64, tg string) *ecssdk.CreateTaskSetInput {
	return &ecssdk.CreateTaskSetInput{
		Cluster: aws.String("c"), Service: aws.String("ext"), TaskDefinition: aws.String(td),
		Scale:         &types.Scale{Value: scale, Unit: types.ScaleUnitPercent},
		LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}
}

func createTaskSet(t *testing.T, env *apitest.Env, in *ecssdk.CreateTaskSetInput) types.TaskSet {
	t.Helper()
	out, err := env.ECS.CreateTaskSet(apitest.Context(t), in)
	if err != nil {
		t.Fatalf("create task set of %s: %v", aws.ToString(in.TaskDefinition), err)
	}
	return *out.TaskSet
}

func describeTaskSets(t *testing.T, env *apitest.Env, refs ...string) *ecssdk.DescribeTaskSetsOutput {
	t.Helper()
	out, err := env.ECS.DescribeTaskSets(apitest.Context(t), &ecssdk.DescribeTaskSetsInput{
		Cluster: aws.String("c"), Service: aws.String("ext"), TaskSets: refs,
	})
	if err != nil {
		t.Fatalf("describe task sets %v: %v", refs, err)
	}
	return out
}

func TestCreateTaskSetReportsItsShape(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	createExternalService(t, env, "ext", 3)
	in := taskSetInput("web:1", 100, targetGroup)
	in.ExternalId = aws.String("deploy-1")
	in.Tags = []types.Tag{{Key: aws.String("color"), Value: aws.String("blue")}}
	in.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}
	ts := createTaskSet(t, env, in)
	id := aws.ToString(ts.Id)
	checks := map[string][2]any{
		"id":                   {deploymentIDPattern.MatchString(id), true},
		"taskSetArn":           {aws.ToString(ts.TaskSetArn), taskSetARN + "c/ext/" + id},
		"serviceArn":           {aws.ToString(ts.ServiceArn), serviceARN + "c/ext"},
		"clusterArn":           {aws.ToString(ts.ClusterArn), clusterARN + "c"},
		"status":               {aws.ToString(ts.Status), "ACTIVE"},
		"taskDefinition":       {aws.ToString(ts.TaskDefinition), taskDefARN + "web:1"},
		"externalId":           {aws.ToString(ts.ExternalId), "deploy-1"},
		"startedBy":            {ts.StartedBy, (*string)(nil)},
		"computedDesiredCount": {ts.ComputedDesiredCount, int32(3)},
		"launchType":           {ts.LaunchType, types.LaunchTypeFargate},
		"platformVersion":      {aws.ToString(ts.PlatformVersion), ecs.FargatePlatformVersion},
		"platformFamily":       {aws.ToString(ts.PlatformFamily), "Linux"},
		"scale":                {*ts.Scale, types.Scale{Value: 100, Unit: types.ScaleUnitPercent}},
		"stabilityStatus":      {ts.StabilityStatus, types.StabilityStatusStabilizing},
		"assignPublicIp":       {ts.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, types.AssignPublicIpDisabled},
		"loadBalancer":         {aws.ToString(ts.LoadBalancers[0].TargetGroupArn), targetGroup},
		"tags":                 {len(ts.Tags), 1},
		"timestamps":           {ts.CreatedAt != nil && ts.UpdatedAt != nil && ts.StabilityStatusAt != nil, true},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}

	noScale := taskSetInput("web:2", 0, greenTarget)
	noScale.Scale = nil
	if got := createTaskSet(t, env, noScale); *got.Scale != (types.Scale{Value: 100, Unit: types.ScaleUnitPercent}) || got.ComputedDesiredCount != 3 {
		t.Errorf("task set without a scale: %+v, want 100 PERCENT", got.Scale)
	}
}

func TestTaskSetBlueGreenLifecycle(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createExternalService(t, env, "ext", 3)
	blue := createTaskSet(t, env, taskSetInput("web:1", 100, targetGroup))
	green := createTaskSet(t, env, taskSetInput("web:2", 0, greenTarget))
	blueID, greenID := aws.ToString(blue.Id), aws.ToString(green.Id)
	if green.ComputedDesiredCount != 0 || green.Scale.Value != 0 {
		t.Fatalf("green at scale 0: %+v", green)
	}
	// The tasks the scheduler would run for blue: they count by their deployment id.
	putTask(t, env, "c", "0123456789abcdef0123456789abcdef", "ext", blueID, ecs.TaskRunning, ecs.TaskRunning)
	putTask(t, env, "c", "1123456789abcdef0123456789abcdef", "ext", blueID, ecs.TaskPending, ecs.TaskRunning)
	all := describeTaskSets(t, env)
	if len(all.TaskSets) != 2 || all.TaskSets[0].RunningCount != 1 || all.TaskSets[0].PendingCount != 1 || all.TaskSets[1].RunningCount != 0 {
		t.Fatalf("all task sets: %+v", all.TaskSets)
	}

	up, err := env.ECS.UpdateTaskSet(ctx, &ecssdk.UpdateTaskSetInput{
		Cluster: aws.String("c"), Service: aws.String("ext"), TaskSet: aws.String(greenID), Scale: &types.Scale{Value: 50, Unit: types.ScaleUnitPercent},
	})
	if err != nil || up.TaskSet.ComputedDesiredCount != 2 || up.TaskSet.Scale.Value != 50 { // ⌈3 × 50%⌉
		t.Fatalf("UpdateTaskSet: %+v, %v", up, err)
	}
	setPrimary(t, env, blueID)
	if ts := setPrimary(t, env, aws.ToString(green.TaskSetArn)); aws.ToString(ts.Id) != greenID || aws.ToString(ts.Status) != "PRIMARY" {
		t.Fatalf("green made primary: %+v", ts)
	}
	if got := describeTaskSets(t, env, blueID).TaskSets[0]; aws.ToString(got.Status) != "ACTIVE" {
		t.Fatalf("blue after green became primary: %s", aws.ToString(got.Status))
	}

	del := &ecssdk.DeleteTaskSetInput{Cluster: aws.String("c"), Service: aws.String("ext"), TaskSet: aws.String(blueID)}
	if _, err := env.ECS.DeleteTaskSet(ctx, del); errorCode(err) != "InvalidParameterException" {
		t.Fatalf("delete of a scaled-up task set without force: %v", err)
	}
	del.Force = aws.Bool(true)
	gone, err := env.ECS.DeleteTaskSet(ctx, del)
	if err != nil || aws.ToString(gone.TaskSet.Status) != "DRAINING" || gone.TaskSet.ComputedDesiredCount != 0 {
		t.Fatalf("forced delete: %+v, %v", gone, err)
	}

	scaled, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("ext"), DesiredCount: aws.Int32(4)})
	if err != nil || len(scaled.Service.TaskSets) != 2 || scaled.Service.TaskSets[1].ComputedDesiredCount != 2 || len(scaled.Service.Deployments) != 0 {
		t.Fatalf("UpdateService of an EXTERNAL service: %+v, %v", scaled, err)
	}
}

func setPrimary(t *testing.T, env *apitest.Env, ref string) types.TaskSet {
	t.Helper()
	out, err := env.ECS.UpdateServicePrimaryTaskSet(apitest.Context(t), &ecssdk.UpdateServicePrimaryTaskSetInput{
		Cluster: aws.String("c"), Service: aws.String("ext"), PrimaryTaskSet: aws.String(ref),
	})
	if err != nil {
		t.Fatalf("make %s primary: %v", ref, err)
	}
	return *out.TaskSet
}

func TestDescribeTaskSets(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createExternalService(t, env, "ext", 2)
	in := taskSetInput("web:1", 100, targetGroup)
	in.Tags = []types.Tag{{Key: aws.String("color"), Value: aws.String("blue")}}
	blue := createTaskSet(t, env, in)
	green := createTaskSet(t, env, taskSetInput("web:2", 30, greenTarget))

	got := describeTaskSets(t, env, aws.ToString(green.Id), aws.ToString(blue.TaskSetArn), "ecs-svc/1234567890123456789")
	if len(got.TaskSets) != 2 || aws.ToString(got.TaskSets[0].Id) != aws.ToString(green.Id) || aws.ToString(got.TaskSets[1].Id) != aws.ToString(blue.Id) {
		t.Fatalf("named task sets: %+v", got.TaskSets)
	}
	if got.TaskSets[0].ComputedDesiredCount != 1 || got.TaskSets[1].Tags != nil { // ⌈2 × 30%⌉
		t.Errorf("green computed %d; blue tags %v without include", got.TaskSets[0].ComputedDesiredCount, got.TaskSets[1].Tags)
	}
	if len(got.Failures) != 1 || aws.ToString(got.Failures[0].Arn) != taskSetARN+"c/ext/ecs-svc/1234567890123456789" || aws.ToString(got.Failures[0].Reason) != "MISSING" {
		t.Errorf("failures %+v", got.Failures)
	}
	tagged, err := env.ECS.DescribeTaskSets(ctx, &ecssdk.DescribeTaskSetsInput{
		Cluster: aws.String("c"), Service: aws.String(serviceARN + "c/ext"), Include: []types.TaskSetField{types.TaskSetFieldTags},
	})
	if err != nil || len(tagged.TaskSets) != 2 || len(tagged.TaskSets[0].Tags) != 1 || tagged.TaskSets[1].Tags == nil {
		t.Fatalf("all task sets with TAGS: %+v, %v", tagged, err)
	}
	_, err = env.ECS.DescribeTaskSets(ctx, &ecssdk.DescribeTaskSetsInput{Cluster: aws.String("c"), Service: aws.String("ext"), TaskSets: []string{taskARN + "c/0123"}})
	if errorCode(err) != "InvalidParameterException" {
		t.Errorf("a task ARN as task set: %v", err)
	}

	s := describeService(t, env, "ext")
	if len(s.TaskSets) != 2 || aws.ToString(s.TaskSets[0].TaskSetArn) != aws.ToString(blue.TaskSetArn) || s.TaskSets[0].Tags != nil {
		t.Errorf("DescribeServices task sets: %+v", s.TaskSets)
	}
}

func TestTaskSetErrors(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "web", 1)
	createExternalService(t, env, "ext", 1)
	if _, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("bg"), TaskDefinition: aws.String("web:1"),
		DeploymentController: &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy},
	}); err != nil {
		t.Fatal(err)
	}
	blue := aws.ToString(createTaskSet(t, env, taskSetInput("web:1", 100, targetGroup)).Id)
	createExternalService(t, env, "gone", 0)
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	str := aws.String
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"create on an ECS service", func() error {
			in := taskSetInput("web:1", 100, targetGroup)
			in.Service = str("web")
			_, err := env.ECS.CreateTaskSet(ctx, in)
			return err
		}, "InvalidParameterException"},
		{"create on a CODE_DEPLOY service", func() error {
			in := taskSetInput("web:1", 100, targetGroup)
			in.Service = str("bg")
			_, err := env.ECS.CreateTaskSet(ctx, in)
			return err
		}, "InvalidParameterException"},
		{"describe on an ECS service", func() error {
			_, err := env.ECS.DescribeTaskSets(ctx, &ecssdk.DescribeTaskSetsInput{Cluster: str("c"), Service: str("web")})
			return err
		}, "InvalidParameterException"},
		{"unknown service", func() error {
			_, err := env.ECS.DescribeTaskSets(ctx, &ecssdk.DescribeTaskSetsInput{Cluster: str("c"), Service: str("ghost")})
			return err
		}, "ServiceNotFoundException"},
		{"create on a DRAINING service", func() error {
			in := taskSetInput("web:1", 100, targetGroup)
			in.Service = str("gone")
			_, err := env.ECS.CreateTaskSet(ctx, in)
			return err
		}, "ServiceNotActiveException"},
		{"unknown cluster", func() error {
			_, err := env.ECS.CreateTaskSet(ctx, &ecssdk.CreateTaskSetInput{Cluster: str("nope"), Service: str("ext"), TaskDefinition: str("web")})
			return err
		}, "ClusterNotFoundException"},
		{"unknown task definition", func() error {
			_, err := env.ECS.CreateTaskSet(ctx, taskSetInput("other:1", 100, targetGroup))
			return err
		}, "ClientException"},
		{"unmapped port", func() error {
			in := taskSetInput("web:1", 100, targetGroup)
			in.LoadBalancers[0].ContainerPort = aws.Int32(80)
			_, err := env.ECS.CreateTaskSet(ctx, in)
			return err
		}, "InvalidParameterException"},
		{"create at scale 150", func() error {
			_, err := env.ECS.CreateTaskSet(ctx, taskSetInput("web:1", 150, targetGroup))
			return err
		}, "InvalidParameterException"},
		{"update to scale 150", func() error {
			_, err := env.ECS.UpdateTaskSet(ctx, &ecssdk.UpdateTaskSetInput{Cluster: str("c"), Service: str("ext"), TaskSet: str(blue), Scale: &types.Scale{Value: 150}})
			return err
		}, "InvalidParameterException"},
		{"update in unit FOO", func() error {
			_, err := env.ECS.UpdateTaskSet(ctx, &ecssdk.UpdateTaskSetInput{Cluster: str("c"), Service: str("ext"), TaskSet: str(blue), Scale: &types.Scale{Value: 10, Unit: "FOO"}})
			return err
		}, "InvalidParameterException"},
		{"update of an unknown task set", func() error {
			_, err := env.ECS.UpdateTaskSet(ctx, &ecssdk.UpdateTaskSetInput{Cluster: str("c"), Service: str("ext"), TaskSet: str("ecs-svc/1"), Scale: &types.Scale{Value: 10}})
			return err
		}, "TaskSetNotFoundException"},
		{"primary of an unknown task set", func() error {
			_, err := env.ECS.UpdateServicePrimaryTaskSet(ctx, &ecssdk.UpdateServicePrimaryTaskSetInput{Cluster: str("c"), Service: str("ext"), PrimaryTaskSet: str("ecs-svc/1")})
			return err
		}, "TaskSetNotFoundException"},
		{"delete of an unknown task set", func() error {
			_, err := env.ECS.DeleteTaskSet(ctx, &ecssdk.DeleteTaskSetInput{Cluster: str("c"), Service: str("ext"), TaskSet: str(taskSetARN + "c/ext/ecs-svc/1")})
			return err
		}, "TaskSetNotFoundException"},
		{"delete on an ECS service", func() error {
			_, err := env.ECS.DeleteTaskSet(ctx, &ecssdk.DeleteTaskSetInput{Cluster: str("c"), Service: str("web"), TaskSet: str(blue)})
			return err
		}, "InvalidParameterException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); errorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
	got := describeTaskSets(t, env)
	if len(got.TaskSets) != 1 || got.TaskSets[0].Scale.Value != 100 || aws.ToString(got.TaskSets[0].Status) != "ACTIVE" {
		t.Fatalf("failed calls changed the task sets: %+v", got.TaskSets)
	}
	// A CODE_DEPLOY service runs the PRIMARY task set ECS created with it; a DRAINING
	// EXTERNAL one has none left.
	for service, want := range map[string]int{"bg": 1, "gone": 0} {
		out, err := env.ECS.DescribeTaskSets(ctx, &ecssdk.DescribeTaskSetsInput{Cluster: str("c"), Service: str(service)})
		if err != nil || len(out.TaskSets) != want || out.Failures == nil {
			t.Fatalf("task sets of %s: %+v, %v", service, out, err)
		}
		if want == 1 && aws.ToString(out.TaskSets[0].Status) != "PRIMARY" {
			t.Fatalf("task set of %s: %s, want PRIMARY", service, aws.ToString(out.TaskSets[0].Status))
		}
	}
}

func TestCreateTaskSetIdempotencyAndLimit(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createExternalService(t, env, "ext", 1)
	in := taskSetInput("web:1", 100, targetGroup)
	in.ClientToken = aws.String("deploy-42")
	first := createTaskSet(t, env, in)
	if again := createTaskSet(t, env, in); aws.ToString(again.Id) != aws.ToString(first.Id) {
		t.Fatalf("retry with the same client token created %s besides %s", aws.ToString(again.Id), aws.ToString(first.Id))
	}
	for range ecs.MaxTaskSets - 1 {
		createTaskSet(t, env, taskSetInput("web:2", 0, greenTarget))
	}
	_, err := env.ECS.CreateTaskSet(ctx, taskSetInput("web:2", 0, greenTarget))
	if errorCode(err) != "InvalidParameterException" || !strings.Contains(err.Error(), "5 deployments exist on the service") {
		t.Fatalf("sixth task set: %v", err)
	}
	if n := len(describeTaskSets(t, env).TaskSets); n != ecs.MaxTaskSets {
		t.Fatalf("%d task sets, want %d", n, ecs.MaxTaskSets)
	}
}

// TestTaskSetWireNames checks the JSON the aws CLI prints: the model's names, the counts and
// lists always, the tags only when asked for, and taskSets only on EXTERNAL services.
func TestTaskSetWireNames(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	createService(t, env, "web", 0)
	createExternalService(t, env, "ext", 0)
	ts := createTaskSet(t, env, taskSetInput("web:1", 0, targetGroup))
	resp, body := env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeTaskSets",
		[]byte(`{"cluster":"c","service":"ext","taskSets":["`+aws.ToString(ts.Id)+`"]}`))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out struct {
		TaskSets []map[string]json.RawMessage `json:"taskSets"`
		Failures []any                        `json:"failures"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.TaskSets) != 1 || out.Failures == nil {
		t.Fatalf("%s: %v", body, err)
	}
	got := out.TaskSets[0]
	want := map[string]string{
		"computedDesiredCount": "0", "pendingCount": "0", "runningCount": "0", "stabilityStatus": `"STABILIZING"`,
		"scale": `{"value":0,"unit":"PERCENT"}`, "capacityProviderStrategy": "[]", "serviceRegistries": "[]",
	}
	for member, v := range want {
		if string(got[member]) != v {
			t.Errorf("%s = %s, want %s", member, got[member], v)
		}
	}
	for _, member := range []string{"id", "taskSetArn", "serviceArn", "clusterArn", "taskDefinition", "createdAt", "updatedAt", "stabilityStatusAt", "loadBalancers"} {
		if _, ok := got[member]; !ok {
			t.Errorf("%s missing", member)
		}
	}
	if _, ok := got["tags"]; ok {
		t.Error("tags sent without include TAGS")
	}

	_, body = env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeServices", []byte(`{"cluster":"c","services":["ext","web"]}`))
	var services struct {
		Services []map[string]json.RawMessage `json:"services"`
	}
	if err := json.Unmarshal(body, &services); err != nil || len(services.Services) != 2 {
		t.Fatalf("%s: %v", body, err)
	}
	if v := string(services.Services[0]["taskSets"]); !strings.HasPrefix(v, "[{") {
		t.Errorf("EXTERNAL service taskSets = %s", v)
	}
	if v, ok := services.Services[1]["taskSets"]; ok {
		t.Errorf("ECS service sends taskSets %s", v)
	}
}
