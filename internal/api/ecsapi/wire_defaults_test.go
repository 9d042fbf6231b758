package ecsapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/wiretest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// The rules of this file are docs/wire-defaults.md's: which members ECS sends, and with which
// values, for a service, task definition and task made with the least input a client can give.

const (
	ecsTarget = "AmazonEC2ContainerServiceV20141113."
	// minimalTaskDefinition is a Fargate task definition with what RegisterTaskDefinition
	// requires for Fargate and nothing more.
	minimalTaskDefinition = `{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"web","image":"nginx","portMappings":[{"containerPort":80}]}]}`
	minimalNetwork = `{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"DISABLED"}}`
	linkedRole     = `"arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"`
)

// rawECS sends an ECS request and returns the answer's members; it fails the test on any
// status but 200.
func rawECS(t *testing.T, env *apitest.Env, op, body string) map[string]json.RawMessage {
	t.Helper()
	resp, b := env.RawJSON(t, "ecs", ecsTarget+op, []byte(body))
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d: %s", op, resp.StatusCode, b)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return out
}

// first returns the first element of a JSON list.
func first(t *testing.T, list json.RawMessage) json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil || len(items) == 0 {
		t.Fatalf("want a list with an element, got %s (%v)", list, err)
	}
	return items[0]
}

// minimalServiceEnv is a server with cluster c and the minimal task definition web:1.
func minimalServiceEnv(t *testing.T) *apitest.Env {
	t.Helper()
	env := apitest.New(t)
	rawECS(t, env, "CreateCluster", `{"clusterName":"c"}`)
	rawECS(t, env, "RegisterTaskDefinition", minimalTaskDefinition)
	return env
}

// TestServiceDefaultsAsECSReportsThem creates a Fargate service with the least input (aws ecs
// create-service --cluster c --service-name web --task-definition web --desired-count 1
// --launch-type FARGATE --network-configuration ...) and checks every member of what
// CreateService and DescribeServices answer.
func TestServiceDefaultsAsECSReportsThem(t *testing.T) {
	t.Parallel()
	env := minimalServiceEnv(t)
	created := rawECS(t, env, "CreateService", `{"cluster":"c","serviceName":"web","taskDefinition":"web","desiredCount":1,
		"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`)
	described := rawECS(t, env, "DescribeServices", `{"cluster":"c","services":["web"]}`)
	for name, svc := range map[string]json.RawMessage{"CreateService": created["service"], "DescribeServices": first(t, described["services"])} {
		wiretest.Defaults(t, name+" service", svc, map[string]string{
			"serviceArn":        `"arn:aws:ecs:us-east-1:000000000000:service/c/web"`,
			"serviceName":       `"web"`,
			"clusterArn":        `"arn:aws:ecs:us-east-1:000000000000:cluster/c"`,
			"loadBalancers":     `[]`,
			"serviceRegistries": `[]`,
			"status":            `"ACTIVE"`,
			"desiredCount":      `1`,
			"runningCount":      `0`,
			"pendingCount":      `0`,
			"launchType":        `"FARGATE"`,
			"platformVersion":   `"LATEST"`,
			"platformFamily":    `"Linux"`,
			"taskDefinition":    `"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"`,
			"deploymentConfiguration": `{"deploymentCircuitBreaker":{"enable":false,"rollback":false},
				"maximumPercent":200,"minimumHealthyPercent":100,"strategy":"ROLLING","bakeTimeInMinutes":0}`,
			"deployments": wiretest.Any,
			// An ECS-controller service has a service deployment and revision from the start.
			"currentServiceDeployment":      wiretest.Any,
			"currentServiceRevisions":       wiretest.Any,
			"roleArn":                       linkedRole,
			"events":                        wiretest.Any, // [] at first; the scheduler adds events
			"createdAt":                     wiretest.Any,
			"placementConstraints":          `[]`,
			"placementStrategy":             `[]`,
			"networkConfiguration":          minimalNetwork,
			"healthCheckGracePeriodSeconds": `0`,
			"schedulingStrategy":            `"REPLICA"`,
			"deploymentController":          `{"type":"ECS"}`,
			"createdBy":                     `"arn:aws:iam::000000000000:root"`,
			"enableECSManagedTags":          `false`,
			"propagateTags":                 `"NONE"`,
			"enableExecuteCommand":          `false`,
			"availabilityZoneRebalancing":   `"ENABLED"`,
			"resourceManagementType":        `"CUSTOMER"`,
		})
		var members struct{ Deployments []json.RawMessage }
		if err := json.Unmarshal(svc, &members); err != nil || len(members.Deployments) != 1 {
			t.Fatalf("deployments of %s: %v", svc, err)
		}
		wiretest.Defaults(t, name+" deployment", members.Deployments[0], map[string]string{
			"id": wiretest.Any, "status": `"PRIMARY"`, "taskDefinition": `"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"`,
			"desiredCount": `1`, "pendingCount": `0`, "runningCount": `0`, "failedTasks": `0`,
			"createdAt": wiretest.Any, "updatedAt": wiretest.Any, "launchType": `"FARGATE"`,
			"platformVersion": `"1.4.0"`, "platformFamily": `"Linux"`, "networkConfiguration": minimalNetwork,
			"rolloutState": `"IN_PROGRESS"`, "rolloutStateReason": wiretest.Any,
		})
	}
}

// TestServiceMembersSentWhenGiven checks the members ECS sends only when a request gave them,
// or whose value follows from what it gave.
func TestServiceMembersSentWhenGiven(t *testing.T) {
	t.Parallel()
	env := minimalServiceEnv(t)
	tests := []struct {
		name, input string
		want        map[string]string // members of the service, as wiretest.Has checks them
	}{
		{"alarms", `"deploymentConfiguration":{"alarms":{"alarmNames":[],"enable":false,"rollback":false}}`,
			map[string]string{"deploymentConfiguration": `{"deploymentCircuitBreaker":{"enable":false,"rollback":false},"maximumPercent":200,
				"minimumHealthyPercent":100,"strategy":"ROLLING","bakeTimeInMinutes":0,"alarms":{"alarmNames":[],"enable":false,"rollback":false}}`}},
		{"tags", `"tags":[{"key":"team","value":"a"}]`, map[string]string{"tags": `[{"key":"team","value":"a"}]`}},
		{"rebalancing disabled", `"availabilityZoneRebalancing":"DISABLED"`, map[string]string{"availabilityZoneRebalancing": `"DISABLED"`}},
		{"external controller", `"deploymentController":{"type":"EXTERNAL"}`,
			map[string]string{"deploymentConfiguration": `{"maximumPercent":200,"minimumHealthyPercent":100}`, "roleArn": linkedRole, "taskSets": `[]`}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("svc-%d", i)
			out := rawECS(t, env, "CreateService", `{"cluster":"c","serviceName":"`+name+`","taskDefinition":"web","desiredCount":0,
				"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}},`+tt.input+`}`)
			wiretest.Has(t, "service", out["service"], tt.want)
		})
	}
}

// TestServiceRoleAndRebalancing pins, with the SDK, the rules of role and
// availabilityZoneRebalancing: a role where the service-linked role is required and a value
// outside the enum are refused and change nothing; UpdateService keeps the setting unless it
// gives one.
func TestServiceRoleAndRebalancing(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	_, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), Role: aws.String("ecsServiceRole"),
		LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(targetGroup), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	})
	apitest.WantError(t, err, "InvalidParameterException", "You cannot specify an IAM role for services that require a service linked role.", http.StatusBadRequest)
	_, err = env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), AvailabilityZoneRebalancing: "SOMETIMES",
	})
	apitest.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'SOMETIMES' at 'availabilityZoneRebalancing' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]", http.StatusBadRequest)
	if items, _, err := env.Store.Services.List(ctx, ""); err != nil || len(items) != 0 {
		t.Fatalf("refused requests stored %d services (%v)", len(items), err)
	}

	createService(t, env, "web", 0)
	_, err = env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), AvailabilityZoneRebalancing: "SOMETIMES"})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("UpdateService with a bad value: %v", err)
	}
	steps := []struct {
		update *ecssdk.UpdateServiceInput
		want   types.AvailabilityZoneRebalancing
	}{
		{&ecssdk.UpdateServiceInput{DesiredCount: aws.Int32(1)}, types.AvailabilityZoneRebalancingEnabled},
		{&ecssdk.UpdateServiceInput{AvailabilityZoneRebalancing: types.AvailabilityZoneRebalancingDisabled}, types.AvailabilityZoneRebalancingDisabled},
		{&ecssdk.UpdateServiceInput{DesiredCount: aws.Int32(0)}, types.AvailabilityZoneRebalancingDisabled},
	}
	for _, s := range steps {
		s.update.Cluster, s.update.Service = aws.String("c"), aws.String("web")
		out, err := env.ECS.UpdateService(ctx, s.update)
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Service.AvailabilityZoneRebalancing; got != s.want {
			t.Errorf("after %+v: availabilityZoneRebalancing %s, want %s", s.update, got, s.want)
		}
		if got := describeService(t, env, "web").AvailabilityZoneRebalancing; got != s.want {
			t.Errorf("described after %+v: availabilityZoneRebalancing %s, want %s", s.update, got, s.want)
		}
	}
}

// TestTaskDefinitionDefaultsAsECSReportsThem registers the minimal Fargate task definition and
// checks every member of what DescribeTaskDefinition answers, and of its container.
func TestTaskDefinitionDefaultsAsECSReportsThem(t *testing.T) {
	t.Parallel()
	env := minimalServiceEnv(t)
	described := rawECS(t, env, "DescribeTaskDefinition", `{"taskDefinition":"web"}`)
	if _, ok := described["tags"]; ok {
		t.Errorf("tags sent without include TAGS: %s", described["tags"])
	}
	td := described["taskDefinition"]
	wiretest.Defaults(t, "taskDefinition", td, map[string]string{
		"taskDefinitionArn":       `"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"`,
		"containerDefinitions":    wiretest.Any,
		"family":                  `"web"`,
		"networkMode":             `"awsvpc"`,
		"revision":                `1`,
		"volumes":                 `[]`,
		"status":                  `"ACTIVE"`,
		"requiresAttributes":      `[{"name":"ecs.capability.task-eni"}]`,
		"placementConstraints":    `[]`,
		"compatibilities":         `["EC2","FARGATE"]`,
		"requiresCompatibilities": `["FARGATE"]`,
		"cpu":                     `"256"`,
		"memory":                  `"512"`,
		"registeredAt":            wiretest.Any,
		"registeredBy":            `"arn:aws:iam::000000000000:root"`,
		"enableFaultInjection":    `false`,
	})
	var members struct{ ContainerDefinitions []json.RawMessage }
	if err := json.Unmarshal(td, &members); err != nil || len(members.ContainerDefinitions) != 1 {
		t.Fatalf("containerDefinitions of %s: %v", td, err)
	}
	wiretest.Defaults(t, "containerDefinitions[0]", members.ContainerDefinitions[0], map[string]string{
		"name":           `"web"`,
		"image":          `"nginx"`,
		"cpu":            `0`,
		"portMappings":   `[{"containerPort":80,"hostPort":80,"protocol":"tcp"}]`,
		"essential":      `true`,
		"environment":    `[]`,
		"mountPoints":    `[]`,
		"volumesFrom":    `[]`,
		"systemControls": `[]`,
	})
}

// TestTaskDefaultsAsECSReportsThem runs a task of the minimal task definition with the least
// input (aws ecs run-task --launch-type FARGATE --network-configuration ...) and checks every
// member of what DescribeTasks answers while it is provisioned, and the members that follow
// the task once the agent reported it running.
func TestTaskDefaultsAsECSReportsThem(t *testing.T) {
	t.Parallel()
	env := minimalServiceEnv(t)
	ctx := apitest.Context(t)
	run := rawECS(t, env, "RunTask", `{"cluster":"c","taskDefinition":"web","launchType":"FARGATE",
		"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`)
	var task struct {
		TaskArn    string
		Containers []json.RawMessage
	}
	if err := json.Unmarshal(first(t, run["tasks"]), &task); err != nil || len(task.Containers) != 1 {
		t.Fatalf("RunTask: %s (%v)", run["tasks"], err)
	}
	id := task.TaskArn[len(task.TaskArn)-32:]
	attachment := id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
	eni := `[{"id":"` + attachment + `","type":"ElasticNetworkInterface","status":"%s","details":[{"name":"subnetId","value":"subnet-1"},
		{"name":"networkInterfaceId","value":"eni-` + id[:17] + `"}%s]}]`
	arch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	describe := func() json.RawMessage {
		return first(t, rawECS(t, env, "DescribeTasks", `{"cluster":"c","tasks":["`+task.TaskArn+`"]}`)["tasks"])
	}
	wiretest.Defaults(t, "task", describe(), map[string]string{
		"attachments":          fmt.Sprintf(eni, "PRECREATED", ""),
		"attributes":           `[{"name":"ecs.cpu-architecture","value":"` + arch + `"}]`,
		"availabilityZone":     `"us-east-1a"`,
		"clusterArn":           `"arn:aws:ecs:us-east-1:000000000000:cluster/c"`,
		"containers":           wiretest.Any,
		"cpu":                  `"256"`,
		"createdAt":            wiretest.Any,
		"desiredStatus":        `"RUNNING"`,
		"enableExecuteCommand": `false`,
		"group":                `"family:web"`,
		"healthStatus":         `"UNKNOWN"`,
		"lastStatus":           `"PROVISIONING"`,
		"launchType":           `"FARGATE"`,
		"memory":               `"512"`,
		"overrides":            `{"containerOverrides":[{"name":"web"}],"inferenceAcceleratorOverrides":[]}`,
		"platformVersion":      `"1.4.0"`,
		"platformFamily":       `"Linux"`,
		"taskArn":              `"` + task.TaskArn + `"`,
		"taskDefinitionArn":    `"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"`,
		"version":              `1`,
		"ephemeralStorage":     `{"sizeInGiB":20}`,
	})
	wiretest.Defaults(t, "containers[0]", task.Containers[0], map[string]string{
		"containerArn": wiretest.Any, "taskArn": `"` + task.TaskArn + `"`, "name": `"web"`, "image": `"nginx"`,
		"lastStatus": `"PENDING"`, "networkBindings": `[]`, "networkInterfaces": `[{"attachmentId":"` + attachment + `"}]`,
		"healthStatus": `"UNKNOWN"`, "cpu": `"0"`,
	})

	if _, err := env.Store.Tasks.Update(ctx, store.TaskID("c", id), func(tk *ecs.Task) error {
		tk.LastStatus, tk.ConnectivityAt = ecs.TaskRunning, time.Now()
		tk.Containers[0].LastStatus = ecs.ContainerRunning
		tk.Containers[0].NetworkBindings = []ecs.NetworkBinding{{BindIP: "127.0.0.1", ContainerPort: 80, HostPort: 41234, Protocol: ecs.TransportProtocolTCP}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	running := wiretest.Has(t, "running task", describe(), map[string]string{
		"attachments":  fmt.Sprintf(eni, "ATTACHED", `,{"name":"privateIPv4Address","value":"127.0.0.1"}`),
		"connectivity": `"CONNECTED"`,
		"lastStatus":   `"RUNNING"`,
	})
	wiretest.Has(t, "running container", first(t, running["containers"]), map[string]string{
		"networkInterfaces": `[{"attachmentId":"` + attachment + `","privateIpv4Address":"127.0.0.1"}]`,
		"networkBindings":   `[{"bindIP":"127.0.0.1","containerPort":80,"hostPort":41234,"protocol":"tcp"}]`,
	})
}

// TestCapacityProviderStrategyAsECSReportsIt checks that a service created with a capacity
// provider strategy, or in a cluster with a default one, reports the strategy in place of a
// launch type (service and deployment), and that its tasks and RunTask's name their provider.
func TestCapacityProviderStrategyAsECSReportsIt(t *testing.T) {
	t.Parallel()
	env := minimalServiceEnv(t)
	rawECS(t, env, "CreateCluster", `{"clusterName":"spot","capacityProviders":["FARGATE","FARGATE_SPOT"],
		"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}]}`)
	const spot = `[{"capacityProvider":"FARGATE_SPOT","weight":1,"base":0}]`
	tests := []struct{ name, cluster, input, strategy string }{
		{"given", "c", `"capacityProviderStrategy":[{"capacityProvider":"FARGATE","base":1},{"capacityProvider":"FARGATE_SPOT","weight":3}],`,
			`[{"capacityProvider":"FARGATE","weight":0,"base":1},{"capacityProvider":"FARGATE_SPOT","weight":3,"base":0}]`},
		{"cluster default", "spot", ``, spot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := rawECS(t, env, "CreateService", `{"cluster":"`+tt.cluster+`","serviceName":"web","taskDefinition":"web","desiredCount":0,`+tt.input+`
				"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`)
			svc := wiretest.Has(t, "service", out["service"], map[string]string{"capacityProviderStrategy": tt.strategy, "platformVersion": `"LATEST"`})
			if lt, ok := svc["launchType"]; ok {
				t.Errorf("launchType %s sent with a capacity provider strategy", lt)
			}
			d := wiretest.Has(t, "deployment", first(t, svc["deployments"]), map[string]string{"capacityProviderStrategy": tt.strategy, "platformVersion": `"1.4.0"`})
			if lt, ok := d["launchType"]; ok {
				t.Errorf("deployment launchType %s sent with a capacity provider strategy", lt)
			}
		})
	}
	run := rawECS(t, env, "RunTask", `{"cluster":"spot","taskDefinition":"web","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`)
	wiretest.Has(t, "task", first(t, run["tasks"]), map[string]string{"capacityProviderName": `"FARGATE_SPOT"`, "launchType": `"FARGATE"`})
	run = rawECS(t, env, "RunTask", `{"cluster":"spot","taskDefinition":"web","launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`)
	if got := wiretest.Has(t, "task", first(t, run["tasks"]), map[string]string{"launchType": `"FARGATE"`}); got["capacityProviderName"] != nil {
		t.Errorf("a task of launch type FARGATE names capacity provider %s", got["capacityProviderName"])
	}
}
