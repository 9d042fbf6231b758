package ecsapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// placementEnv is a cluster c with two connected EC2 instances of 2 cores and 4 GiB: inst1 in
// zone a, inst2 in zone b with the custom attribute stack=prod; and task definitions for EC2:
// small (256 CPU, 512 MiB), bridge (a static host port 8080) and huge (more than any
// instance has).
func placementEnv(t *testing.T) *apitest.Env {
	t.Helper()
	env := serviceEnv(t)
	putConnectedInstance(t, env, inst1, ecs.Attribute{Name: "ecs.availability-zone", Value: "us-east-1a"})
	putConnectedInstance(t, env, inst2, ecs.Attribute{Name: "ecs.availability-zone", Value: "us-east-1b"}, ecs.Attribute{Name: "stack", Value: "prod"})
	ec2 := func(family string, cpu, memory int32, ports ...types.PortMapping) {
		register(t, env, &ecssdk.RegisterTaskDefinitionInput{
			Family: aws.String(family), NetworkMode: types.NetworkModeBridge, RequiresCompatibilities: []types.Compatibility{types.CompatibilityEc2},
			ContainerDefinitions: []types.ContainerDefinition{{
				Name: aws.String("app"), Image: aws.String("app:1"), Cpu: cpu, Memory: aws.Int32(memory * 2), MemoryReservation: aws.Int32(memory), PortMappings: ports,
			}},
		})
	}
	ec2("small", 256, 512)
	ec2("bridge", 256, 256, types.PortMapping{ContainerPort: aws.Int32(80), HostPort: aws.Int32(8080)})
	ec2("huge", 256, 8192)
	ec2("busy", 4096, 256)
	return env
}

func putConnectedInstance(t *testing.T, env *apitest.Env, id string, attrs ...ecs.Attribute) {
	t.Helper()
	inst := ecs.ContainerInstance{
		ID: id, ARN: instanceARN + "c/" + id, ClusterName: "c", NodeID: "node-" + id[:4], Address: "127.0.0.1",
		Status: ecs.InstanceActive, AgentConnected: true, LastHeartbeat: time.Now(), RegisteredAt: time.Now(),
		CPU: 2048, Memory: 4096, AgentVersion: "fargo-dev", Version: 1, Attributes: attrs,
	}
	if _, err := env.Store.ContainerInstances.Create(apitest.Context(t), store.ContainerInstanceID("c", id), inst); err != nil {
		t.Fatal(err)
	}
}

// runPlaced runs in on cluster c and returns the instance id of each task and the failures.
func runPlaced(t *testing.T, env *apitest.Env, in *ecssdk.RunTaskInput) ([]string, []types.Failure) {
	t.Helper()
	in.Cluster = aws.String("c")
	out, err := env.ECS.RunTask(apitest.Context(t), in)
	if err != nil {
		t.Fatalf("RunTask: %v", err)
	}
	var placed []string
	for _, task := range out.Tasks {
		arn := aws.ToString(task.ContainerInstanceArn)
		placed = append(placed, arn[strings.LastIndex(arn, "/")+1:])
	}
	return placed, out.Failures
}

func memberOf(expr string) types.PlacementConstraint {
	return types.PlacementConstraint{Type: types.PlacementConstraintTypeMemberOf, Expression: aws.String(expr)}
}

func TestRunTaskPlacement(t *testing.T) {
	t.Parallel()
	distinct := types.PlacementConstraint{Type: types.PlacementConstraintTypeDistinctInstance}
	tests := []struct {
		name       string
		in         *ecssdk.RunTaskInput
		wantPlaced []string
		wantFail   string // the failure's reason, on inst1 unless wantFailOn says
		wantFailOn string
	}{
		{name: "memberOf a custom attribute", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), Count: aws.Int32(2),
			PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == prod")}}, wantPlaced: []string{inst2, inst2}},
		{name: "memberOf in a list of zones", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"),
			PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:ecs.availability-zone in [us-east-1a, us-east-1c]")}}, wantPlaced: []string{inst1}},
		{name: "memberOf no instance", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"),
			PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == dev")}}, wantFail: "MemberOf placement constraint unsatisfied."},
		{name: "distinctInstance", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), Count: aws.Int32(3), Group: aws.String("g"),
			PlacementConstraints: []types.PlacementConstraint{distinct}}, wantPlaced: []string{inst1, inst2}, wantFail: "DistinctInstance placement constraint unsatisfied."},
		{name: "static host port", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge"), Count: aws.Int32(3)},
			wantPlaced: []string{inst1, inst2}, wantFail: "RESOURCE:PORTS"},
		{name: "memory", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("huge"), Count: aws.Int32(2)}, wantFail: "RESOURCE:MEMORY"},
		{name: "cpu", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("busy")}, wantFail: "RESOURCE:CPU"},
		{name: "resources before constraints", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("huge"),
			PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == dev")}}, wantFail: "RESOURCE:MEMORY"},
		{name: "override to fit", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("huge"),
			Overrides: &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("app"), MemoryReservation: aws.Int32(1024)}}}},
			wantPlaced: []string{inst1}},
		{name: "spread over zones", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), Count: aws.Int32(4),
			PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("attribute:ecs.availability-zone")}}},
			wantPlaced: []string{inst1, inst2, inst1, inst2}},
		{name: "binpack memory", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), Count: aws.Int32(3),
			PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeBinpack, Field: aws.String("memory")}}},
			wantPlaced: []string{inst1, inst1, inst1}},
		{name: "random", in: &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), Count: aws.Int32(2),
			PlacementStrategy:    []types.PlacementStrategy{{Type: types.PlacementStrategyTypeRandom}},
			PlacementConstraints: []types.PlacementConstraint{memberOf("ec2InstanceId == node-2222")}}, wantPlaced: []string{inst2, inst2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := placementEnv(t)
			placed, failures := runPlaced(t, env, tt.in)
			if strings.Join(placed, ",") != strings.Join(tt.wantPlaced, ",") {
				t.Errorf("placed on %v, want %v", placed, tt.wantPlaced)
			}
			if tt.wantFail == "" {
				if len(failures) != 0 {
					t.Errorf("failures %+v", failures)
				}
				return
			}
			on := tt.wantFailOn
			if on == "" {
				on = inst1
			}
			if len(failures) != 1 || aws.ToString(failures[0].Reason) != tt.wantFail || aws.ToString(failures[0].Arn) != instanceARN+"c/"+on {
				t.Errorf("failures %s, want one %s on %s", describeFailures(failures), tt.wantFail, on)
			}
			if got := len(storedTasks(t, env)); got != len(tt.wantPlaced) {
				t.Errorf("%d tasks stored, want only the %d placed", got, len(tt.wantPlaced))
			}
		})
	}
}

func describeFailures(fs []types.Failure) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, aws.ToString(f.Reason)+" on "+aws.ToString(f.Arn))
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

func TestRunTaskPlacementRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *ecssdk.RunTaskInput
		want string
	}{
		{"bad expression", &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack === prod")}},
			"Invalid expression 'attribute:stack === prod' in placement constraint: expected an operator after attribute:stack."},
		{"unknown subject", &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), PlacementConstraints: []types.PlacementConstraint{memberOf("color == red")}},
			`Invalid expression 'color == red' in placement constraint: unknown subject "color"`},
		{"distinctInstance with expression", &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"),
			PlacementConstraints: []types.PlacementConstraint{{Type: types.PlacementConstraintTypeDistinctInstance, Expression: aws.String("x")}}},
			"distinctInstance expression should not be specified."},
		{"binpack by instance", &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"),
			PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeBinpack, Field: aws.String("instanceId")}}},
			"Invalid field 'instanceId' for the binpack placement strategy: use cpu or memory."},
		{"strategy on Fargate", &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
			PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeRandom}}},
			"Placement strategies are not supported with FARGATE launch type."},
		{"constraint on Fargate", &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
			PlacementConstraints: []types.PlacementConstraint{{Type: types.PlacementConstraintTypeDistinctInstance}}},
			"Placement constraints are not supported with FARGATE launch type."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := placementEnv(t)
			tt.in.Cluster = aws.String("c")
			_, err := env.ECS.RunTask(apitest.Context(t), tt.in)
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameterException" || !strings.HasPrefix(apiErr.ErrorMessage(), tt.want) {
				t.Fatalf("RunTask = %v, want InvalidParameterException %q", err, tt.want)
			}
			if n := len(storedTasks(t, env)); n != 0 {
				t.Fatalf("%d tasks stored after a refused RunTask", n)
			}
		})
	}
}

func TestCreateServicePlacementRefused(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	ctx := apitest.Context(t)
	tests := []struct {
		name string
		in   *ecssdk.CreateServiceInput
		want string
	}{
		{"bad expression", &ecssdk.CreateServiceInput{TaskDefinition: aws.String("small"),
			PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:ecs.availability-zone in us-east-1a")}},
			"Invalid expression 'attribute:ecs.availability-zone in us-east-1a' in placement constraint: expected a list such as [a, b] after the operator of attribute:ecs.availability-zone."},
		{"unclosed parenthesis", &ecssdk.CreateServiceInput{TaskDefinition: aws.String("small"),
			PlacementConstraints: []types.PlacementConstraint{memberOf("not(task:group == service:db")}},
			"Invalid expression 'not(task:group == service:db' in placement constraint: missing ) to close the ( at position 3."},
		{"strategy on Fargate", &ecssdk.CreateServiceInput{TaskDefinition: aws.String("web:1"), LaunchType: types.LaunchTypeFargate,
			PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("instanceId")}}},
			"Placement strategies are not supported with FARGATE launch type."},
	}
	for _, tt := range tests {
		tt.in.Cluster, tt.in.ServiceName, tt.in.DesiredCount = aws.String("c"), aws.String("svc"), aws.Int32(1)
		_, err := env.ECS.CreateService(ctx, tt.in)
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameterException" || apiErr.ErrorMessage() != tt.want {
			t.Errorf("%s: CreateService = %v, want InvalidParameterException %q", tt.name, err, tt.want)
		}
	}
	out, err := env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
	if err != nil || len(out.Services) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("DescribeServices after refused creates = %+v, %v", out, err)
	}
	// A good one is kept as given, and its tasks run on EC2: placement is for EC2 tasks.
	created, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"), TaskDefinition: aws.String("web:1"),
		PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == prod or not(task:group == service:db)")},
		PlacementStrategy:    []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("attribute:ecs.availability-zone")}, {Type: types.PlacementStrategyTypeBinpack, Field: aws.String("cpu")}}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Service.LaunchType != types.LaunchTypeEc2 || len(created.Service.PlacementConstraints) != 1 || len(created.Service.PlacementStrategy) != 2 {
		t.Fatalf("created %+v", created.Service)
	}
}

func TestDescribeContainerInstancesResources(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	ctx := apitest.Context(t)
	placed, _ := runPlaced(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge"),
		PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack exists")}})
	runPlaced(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("small"), PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack exists")}})
	if len(placed) != 1 || placed[0] != inst2 {
		t.Fatalf("placed on %v", placed)
	}
	out, err := env.ECS.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: []string{inst1, inst2}})
	if err != nil || len(out.ContainerInstances) != 2 {
		t.Fatalf("DescribeContainerInstances = %+v, %v", out, err)
	}
	for _, ci := range out.ContainerInstances {
		busy := strings.HasSuffix(aws.ToString(ci.ContainerInstanceArn), inst2)
		cpu, mem, ports := int32(2048), int32(4096), []string(nil)
		if busy {
			cpu, mem, ports = 2048-256-256, 4096-256-512, []string{"8080"}
		}
		if r := resource(ci.RegisteredResources, "CPU"); r.IntegerValue != 2048 {
			t.Errorf("registered CPU %+v", r)
		}
		if r := resource(ci.RegisteredResources, "MEMORY"); r.IntegerValue != 4096 {
			t.Errorf("registered MEMORY %+v", r)
		}
		if r := resource(ci.RemainingResources, "CPU"); r.IntegerValue != cpu || aws.ToString(r.Type) != "INTEGER" {
			t.Errorf("%s: remaining CPU %d, want %d", aws.ToString(ci.ContainerInstanceArn), r.IntegerValue, cpu)
		}
		if r := resource(ci.RemainingResources, "MEMORY"); r.IntegerValue != mem {
			t.Errorf("%s: remaining MEMORY %d, want %d", aws.ToString(ci.ContainerInstanceArn), r.IntegerValue, mem)
		}
		if r := resource(ci.RemainingResources, "PORTS"); strings.Join(r.StringSetValue, ",") != strings.Join(ports, ",") || aws.ToString(r.Type) != "STRINGSET" {
			t.Errorf("%s: remaining PORTS in use %v, want %v", aws.ToString(ci.ContainerInstanceArn), r.StringSetValue, ports)
		}
		if r := resource(ci.RemainingResources, "PORTS_UDP"); len(r.StringSetValue) != 0 || aws.ToString(r.Name) != "PORTS_UDP" {
			t.Errorf("remaining PORTS_UDP %+v", r)
		}
	}
}

func TestStartTaskChecksTheChosenInstances(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	ctx := apitest.Context(t)
	start := func(td string, instances ...string) ([]string, []types.Failure) {
		t.Helper()
		out, err := env.ECS.StartTask(ctx, &ecssdk.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(td), ContainerInstances: instances})
		if err != nil {
			t.Fatalf("StartTask: %v", err)
		}
		var placed []string
		for _, task := range out.Tasks {
			arn := aws.ToString(task.ContainerInstanceArn)
			placed = append(placed, arn[strings.LastIndex(arn, "/")+1:])
		}
		return placed, out.Failures
	}
	placed, failures := start("bridge", inst1, inst1, inst2)
	if strings.Join(placed, ",") != inst1+","+inst2 || len(failures) != 1 || aws.ToString(failures[0].Reason) != "RESOURCE:PORTS" || aws.ToString(failures[0].Arn) != instanceARN+"c/"+inst1 {
		t.Fatalf("bridge twice on one instance: placed %v, failures %s", placed, describeFailures(failures))
	}
	placed, failures = start("huge", inst2)
	if len(placed) != 0 || len(failures) != 1 || aws.ToString(failures[0].Reason) != "RESOURCE:MEMORY" || aws.ToString(failures[0].Arn) != instanceARN+"c/"+inst2 {
		t.Fatalf("huge: placed %v, failures %s", placed, describeFailures(failures))
	}
	if n := len(storedTasks(t, env)); n != 2 {
		t.Fatalf("%d tasks stored, want the 2 that fit", n)
	}
}

func TestRegisterTaskDefinitionRefusesBadExpression(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	in := fargateInput("bad")
	in.RequiresCompatibilities = []types.Compatibility{types.CompatibilityEc2}
	in.PlacementConstraints = []types.TaskDefinitionPlacementConstraint{{Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:stack ==")}}
	_, err := env.ECS.RegisterTaskDefinition(apitest.Context(t), in)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorMessage() != "Invalid expression 'attribute:stack ==' in placement constraint: expected a value after the operator of attribute:stack." {
		t.Fatalf("RegisterTaskDefinition = %v", err)
	}
	if _, err := env.ECS.DescribeTaskDefinition(apitest.Context(t), &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("bad")}); err == nil {
		t.Fatal("the refused task definition was registered")
	}
}

func TestUpdateServicePlacement(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	ctx := apitest.Context(t)
	if _, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"),
		TaskDefinition: aws.String("small"), DesiredCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	_, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("svc"),
		PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == prod and")}})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameterException" ||
		apiErr.ErrorMessage() != "Invalid expression 'attribute:stack == prod and' in placement constraint: the expression ends where a condition was expected." {
		t.Fatalf("UpdateService with a bad expression = %v", err)
	}
	if got := describeService(t, env, "svc"); len(got.PlacementConstraints) != 0 {
		t.Fatalf("the refused update changed the service: %+v", got.PlacementConstraints)
	}
	if _, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("svc"),
		PlacementConstraints: []types.PlacementConstraint{memberOf("attribute:stack == prod")},
		PlacementStrategy:    []types.PlacementStrategy{{Type: types.PlacementStrategyTypeBinpack, Field: aws.String("memory")}}}); err != nil {
		t.Fatal(err)
	}
	got := describeService(t, env, "svc")
	if len(got.PlacementConstraints) != 1 || aws.ToString(got.PlacementConstraints[0].Expression) != "attribute:stack == prod" ||
		len(got.PlacementStrategy) != 1 || aws.ToString(got.PlacementStrategy[0].Field) != "memory" {
		t.Fatalf("updated placement %+v %+v", got.PlacementConstraints, got.PlacementStrategy)
	}
}

func TestRunTaskRetryAfterPartialPlacement(t *testing.T) {
	t.Parallel()
	env := placementEnv(t)
	in := func() *ecssdk.RunTaskInput {
		return &ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge"), Count: aws.Int32(3), ClientToken: aws.String("once")}
	}
	first, failures := runPlaced(t, env, in())
	if len(first) != 2 || len(failures) != 1 {
		t.Fatalf("first call: placed %v, failures %s", first, describeFailures(failures))
	}
	again, failures := runPlaced(t, env, in())
	if strings.Join(again, ",") != strings.Join(first, ",") || len(failures) != 0 {
		t.Fatalf("retry: placed %v, failures %s; want the first call's tasks", again, describeFailures(failures))
	}
	if n := len(storedTasks(t, env)); n != 2 {
		t.Fatalf("%d tasks stored, want 2", n)
	}
}
