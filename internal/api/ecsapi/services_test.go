package ecsapi_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

const (
	serviceARN  = "arn:aws:ecs:us-east-1:000000000000:service/"
	taskARN     = "arn:aws:ecs:us-east-1:000000000000:task/"
	targetGroup = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/0123456789abcdef"
)

var deploymentIDPattern = regexp.MustCompile(`^ecs-svc/[1-9][0-9]{18}$`)

// serviceEnv is a test server with cluster "c" and task definition "web" (revisions 1 and 2)
// registered.
func serviceEnv(t *testing.T) *apitest.Env {
	t.Helper()
	env := apitest.New(t)
	if _, err := env.ECS.CreateCluster(apitest.Context(t), &ecssdk.CreateClusterInput{ClusterName: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	register(t, env, fargateInput("web"))
	register(t, env, fargateInput("web"))
	return env
}

func createService(t *testing.T, env *apitest.Env, name string, desired int32) *types.Service {
	t.Helper()
	out, err := env.ECS.CreateService(apitest.Context(t), &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String(name), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(desired),
	})
	if err != nil {
		t.Fatalf("create service %s: %v", name, err)
	}
	return out.Service
}

func describeService(t *testing.T, env *apitest.Env, name string) types.Service {
	t.Helper()
	out, err := env.ECS.DescribeServices(apitest.Context(t), &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{name}})
	if err != nil || len(out.Services) != 1 {
		t.Fatalf("describe %s: %+v, %v", name, out, err)
	}
	return out.Services[0]
}

// putTask writes a task of a service into the store as the scheduler and agent would leave it.
func putTask(t *testing.T, env *apitest.Env, cluster, id, service, deployment string, last, desired ecs.TaskStatus) {
	t.Helper()
	task := ecs.Task{
		ID: id, ARN: taskARN + cluster + "/" + id, ClusterName: cluster, ClusterARN: clusterARN + cluster,
		TaskDefinitionARN: taskDefARN + "web:1", ServiceName: service, DeploymentID: deployment, StartedBy: deployment,
		Group: "service:" + service, LaunchType: "FARGATE", LastStatus: last, DesiredStatus: desired, Version: 1, CreatedAt: time.Now(),
	}
	if _, err := env.Store.Tasks.Create(apitest.Context(t), store.TaskID(cluster, id), task); err != nil {
		t.Fatal(err)
	}
}

func TestCreateServiceReportsECSDefaults(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	out, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		Tags:                 []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
		LoadBalancers:        []types.LoadBalancer{{TargetGroupArn: aws.String(targetGroup), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Service
	checks := map[string][2]any{
		"serviceArn":           {aws.ToString(s.ServiceArn), serviceARN + "c/web"},
		"clusterArn":           {aws.ToString(s.ClusterArn), clusterARN + "c"},
		"status":               {aws.ToString(s.Status), "ACTIVE"},
		"desiredCount":         {s.DesiredCount, int32(1)},
		"taskDefinition":       {aws.ToString(s.TaskDefinition), taskDefARN + "web:2"},
		"launchType":           {s.LaunchType, types.LaunchTypeFargate},
		"platformVersion":      {aws.ToString(s.PlatformVersion), "LATEST"},
		"platformFamily":       {aws.ToString(s.PlatformFamily), "Linux"},
		"schedulingStrategy":   {s.SchedulingStrategy, types.SchedulingStrategyReplica},
		"deploymentController": {s.DeploymentController.Type, types.DeploymentControllerTypeEcs},
		"propagateTags":        {s.PropagateTags, types.PropagateTagsNone},
		"maximumPercent":       {aws.ToInt32(s.DeploymentConfiguration.MaximumPercent), int32(200)},
		"minimumHealthy":       {aws.ToInt32(s.DeploymentConfiguration.MinimumHealthyPercent), int32(100)},
		"circuitBreaker":       {s.DeploymentConfiguration.DeploymentCircuitBreaker.Enable, false},
		"assignPublicIp":       {s.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, types.AssignPublicIpDisabled},
		"loadBalancerPort":     {aws.ToInt32(s.LoadBalancers[0].ContainerPort), int32(8080)},
		"tags":                 {len(s.Tags), 1},
		"deployments":          {len(s.Deployments), 1},
		"createdBy":            {aws.ToString(s.CreatedBy) != "", true},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	d := s.Deployments[0]
	if aws.ToString(d.Status) != "PRIMARY" || !deploymentIDPattern.MatchString(aws.ToString(d.Id)) || d.RolloutState != types.DeploymentRolloutStateInProgress ||
		aws.ToString(d.RolloutStateReason) != "ECS deployment "+aws.ToString(d.Id)+" in progress." || d.DesiredCount != 1 ||
		aws.ToString(d.PlatformVersion) != "1.4.0" || aws.ToString(d.TaskDefinition) != taskDefARN+"web:2" {
		t.Errorf("deployment %+v", d)
	}
}

func TestServiceAlwaysSendsLists(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	createService(t, env, "web", 0)
	resp, body := env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeServices", []byte(`{"cluster":"c","services":["web","ghost"]}`))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out struct {
		Services []map[string]json.RawMessage `json:"services"`
		Failures []map[string]string          `json:"failures"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	for _, member := range []string{"deployments", "events", "loadBalancers", "serviceRegistries", "placementConstraints", "placementStrategy"} {
		if v := string(out.Services[0][member]); v == "" || v == "null" || v[0] != '[' {
			t.Errorf("%s = %q, want a list", member, v)
		}
	}
	for _, member := range []string{"runningCount", "pendingCount", "desiredCount"} {
		if string(out.Services[0][member]) != "0" {
			t.Errorf("%s = %s, want 0", member, out.Services[0][member])
		}
	}
	if _, ok := out.Services[0]["tags"]; ok {
		t.Error("tags sent without include TAGS")
	}
	if len(out.Failures) != 1 || out.Failures[0]["arn"] != serviceARN+"c/ghost" || out.Failures[0]["reason"] != "MISSING" {
		t.Errorf("failures %+v", out.Failures)
	}
}

func TestCreateServiceRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	base := func() *ecssdk.CreateServiceInput {
		return &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(1)}
	}
	tests := []struct {
		name   string
		change func(*ecssdk.CreateServiceInput)
		code   string
	}{
		{"no cluster", func(in *ecssdk.CreateServiceInput) { in.Cluster = aws.String("ghost") }, "ClusterNotFoundException"},
		{"unknown task definition", func(in *ecssdk.CreateServiceInput) { in.TaskDefinition = aws.String("nope:1") }, "ClientException"},
		{"no task definition", func(in *ecssdk.CreateServiceInput) { in.TaskDefinition = nil }, "InvalidParameterException"},
		{"bad name", func(in *ecssdk.CreateServiceInput) { in.ServiceName = aws.String("a b") }, "InvalidParameterException"},
		{"unmapped port", func(in *ecssdk.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(targetGroup), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}
		}, "InvalidParameterException"},
		{"unknown platform", func(in *ecssdk.CreateServiceInput) { in.PlatformVersion = aws.String("0.9") }, "PlatformUnknownException"},
		{"max percent", func(in *ecssdk.CreateServiceInput) {
			in.DeploymentConfiguration = &types.DeploymentConfiguration{MaximumPercent: aws.Int32(90)}
		}, "InvalidParameterException"},
		{"negative count", func(in *ecssdk.CreateServiceInput) { in.DesiredCount = aws.Int32(-1) }, "InvalidParameterException"},
		{"launch type and strategy", func(in *ecssdk.CreateServiceInput) {
			in.LaunchType = types.LaunchTypeFargate
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT")}}
		}, "InvalidParameterException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.change(in)
			if _, err := env.ECS.CreateService(ctx, in); errorCode(err) != tc.code {
				t.Fatalf("CreateService = %v, want %s", err, tc.code)
			}
		})
	}
	items, _, err := env.Store.Services.List(ctx, "")
	if err != nil || len(items) != 0 {
		t.Fatalf("bad input stored services: %d, %v", len(items), err)
	}
}

func TestCreateServiceIdempotency(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	in := &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(2)}
	first, err := env.ECS.CreateService(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.ECS.CreateService(ctx, in)
	if err != nil || aws.ToString(again.Service.Deployments[0].Id) != aws.ToString(first.Service.Deployments[0].Id) {
		t.Fatalf("same request again must return the same service: %v", err)
	}
	changed := *in
	changed.DesiredCount = aws.Int32(3)
	_, err = env.ECS.CreateService(ctx, &changed)
	if errorCode(err) != "InvalidParameterException" || !regexp.MustCompile(`Creation of service was not idempotent\.`).MatchString(err.Error()) {
		t.Fatalf("different request: %v", err)
	}

	withToken := &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("api"), TaskDefinition: aws.String("web:1"), ClientToken: aws.String("tok-1")}
	created, err := env.ECS.CreateService(ctx, withToken)
	if err != nil {
		t.Fatal(err)
	}
	retry := *withToken
	retry.DesiredCount = aws.Int32(5)
	got, err := env.ECS.CreateService(ctx, &retry)
	if err != nil || got.Service.DesiredCount != created.Service.DesiredCount {
		t.Fatalf("retry with the same client token: %+v, %v", got, err)
	}

	// A deleted service blocks its name while DRAINING and frees it once INACTIVE.
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.CreateService(ctx, in); errorCode(err) != "InvalidParameterException" {
		t.Fatalf("create over a DRAINING service: %v", err)
	}
	setServiceStatus(t, env, "c", "web", ecs.ServiceInactive)
	revived, err := env.ECS.CreateService(ctx, in)
	if err != nil || aws.ToString(revived.Service.Status) != "ACTIVE" ||
		aws.ToString(revived.Service.Deployments[0].Id) == aws.ToString(first.Service.Deployments[0].Id) {
		t.Fatalf("create over an INACTIVE service: %+v, %v", revived, err)
	}
}

func setServiceStatus(t *testing.T, env *apitest.Env, cluster, name string, status ecs.ServiceStatus) {
	t.Helper()
	if _, err := env.Store.Services.Update(apitest.Context(t), store.ServiceID(cluster, name), func(s *ecs.Service) error {
		s.Status = status
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestServiceListenerErrors checks fargo's own member of a service, the load balancer's error
// answers for its target groups: absent until there is one, then by status, and an
// aws-sdk-go-v2 client still reads the service.
func TestServiceListenerErrors(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	createService(t, env, "web", 0)
	member := func() string {
		t.Helper()
		resp, body := env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeServices", []byte(`{"cluster":"c","services":["web"]}`))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var out struct {
			Services []map[string]json.RawMessage `json:"services"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return string(out.Services[0]["fargoListenerErrors"])
	}
	if got := member(); got != "" {
		t.Fatalf("fargoListenerErrors = %s before any error", got)
	}
	if _, err := env.Store.Services.Update(apitest.Context(t), store.ServiceID("c", "web"), func(s *ecs.Service) error {
		s.ListenerErrors = ecs.ListenerErrors{NoTarget: 159, BadGateway: 2}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := member(), `{"503":159,"502":2,"504":0}`; got != want {
		t.Fatalf("fargoListenerErrors = %s, want %s", got, want)
	}
	if s := describeService(t, env, "web"); aws.ToString(s.ServiceName) != "web" {
		t.Fatalf("the SDK read %+v", s)
	}
}
