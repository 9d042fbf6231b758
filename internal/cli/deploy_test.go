package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/runtime/fake"
	"github.com/fargohq/fargo/internal/store"
)

// deployFixture is a real server (embedded etcd, scheduler, agent) on the fake driver with a
// service "web" of one task definition revision.
func deployFixture(t *testing.T) *ecssdk.Client {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	drv := fake.New(fake.Config{Scripts: map[string]fake.Script{"broken:v3": {StartError: "exec: no such file"}}})
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Runtime: drv}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = srv.Wait()
	})
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	client := ecssdk.NewFromConfig(apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
	c := apitest.Context(t)
	if _, err := client.CreateCluster(c, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	td, err := readTaskDefinition(writeTaskDef(t, "app:v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(c, td); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateService(c, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(2),
		DeploymentConfiguration: &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
	}); err != nil {
		t.Fatal(err)
	}
	o := deployOptions{cluster: "demo", service: "web", timeout: time.Minute, interval: 50 * time.Millisecond}
	if err := waitDeployment(c, client, o, primaryOf(t, client), newProgress(&bytes.Buffer{})); err != nil {
		t.Fatalf("first deployment: %v", err)
	}
	return client
}

func primaryOf(t *testing.T, client *ecssdk.Client) string {
	t.Helper()
	svc, err := describeService(apitest.Context(t), client, "demo", "web")
	if err != nil {
		t.Fatal(err)
	}
	return primaryID(&svc)
}

// writeTaskDef writes a task definition file in YAML, as users may keep it.
func writeTaskDef(t *testing.T, image string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "task-definition.yaml")
	yamlDoc := `family: app
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: 256
memory: 512
taskDefinitionArn: arn:aws:ecs:us-east-1:000000000000:task-definition/app:9
containerDefinitions:
  - name: web
    image: ` + image + `
    portMappings: [{containerPort: 8080}]
    environment: [{name: VERSION, value: v1}]
`
	if err := os.WriteFile(path, []byte(yamlDoc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeployCompletes(t *testing.T) {
	t.Parallel()
	client := deployFixture(t)
	var out bytes.Buffer
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "placeholder"), image: "app:v2",
		env: []string{"VERSION=v2"}, wait: true, timeout: time.Minute, interval: 50 * time.Millisecond}
	if err := runDeploy(apitest.Context(t), o, client, nil, newProgress(&out)); err != nil {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	for _, want := range []string{"registered arn:aws:ecs:us-east-1:000000000000:task-definition/app:2", "deployment completed", "PRIMARY"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	desc, err := client.DescribeTaskDefinition(apitest.Context(t), &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app:2")})
	if err != nil {
		t.Fatal(err)
	}
	c := desc.TaskDefinition.ContainerDefinitions[0]
	if aws.ToString(c.Image) != "app:v2" || aws.ToString(c.Environment[0].Value) != "v2" {
		t.Fatalf("registered container %+v", c)
	}
}

func TestDeployReportsRollback(t *testing.T) {
	t.Parallel()
	client := deployFixture(t)
	var out bytes.Buffer
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "broken:v3"), wait: true,
		timeout: 2 * time.Minute, interval: 50 * time.Millisecond}
	err := runDeploy(apitest.Context(t), o, client, nil, newProgress(&out))
	if err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("deploy of a broken image: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "deployment failed: tasks failed to start") {
		t.Errorf("output lacks the circuit breaker event:\n%s", out.String())
	}
}

func TestReadTaskDefinitionRejectsGarbage(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte("{not: [valid"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readTaskDefinition(path); err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestTrafficSummary(t *testing.T) {
	t.Parallel()
	before := trafficSnapshot{tasks: map[string]lbCounts{"a": {revision: "web:1", requests: 100, errors: 1}}, listener: listenerErrors{NoTarget: 4}}
	after := trafficSnapshot{tasks: map[string]lbCounts{
		"a": {revision: "web:1", requests: 150, errors: 1},
		"b": {revision: "web:2", requests: 70, errors: 0},
		"c": {revision: "web:2", requests: 30, errors: 2},
	}, listener: listenerErrors{NoTarget: 4}}
	// What the soak of issue 12 saw: old tasks gone, new targets in their first checks, and
	// the listener answering 503 itself while the tasks served 3 requests.
	outage := trafficSnapshot{tasks: map[string]lbCounts{"b": {revision: "hello:2", requests: 3}}, listener: listenerErrors{NoTarget: 159, BadGateway: 2}}
	tests := []struct {
		name          string
		before, after trafficSnapshot
		want          string
	}{
		{"per revision", before, after, "load balancer during the deployment: web:1 50 requests, 0 failed; web:2 100 requests, 2 failed"},
		{"nothing happened", after, after, ""},
		{"listener's own errors", trafficSnapshot{}, outage,
			"load balancer during the deployment: hello:2 3 requests, 0 failed; listener's own error answers 161 (159×503 nothing to route to, 2×502)"},
		{"listener's own errors only", trafficSnapshot{listener: listenerErrors{GatewayTimeout: 1}}, trafficSnapshot{listener: listenerErrors{GatewayTimeout: 3}},
			"load balancer during the deployment: listener's own error answers 2 (2×504)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := trafficSummary(tt.before, tt.after); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestServiceListenerErrors checks that deploy reads the load balancer's own error answers for
// a service, which the server sends as a member of its own that the SDK does not decode.
func TestServiceListenerErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	td, err := readTaskDefinition(writeTaskDef(t, "app:v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.RegisterTaskDefinition(ctx, td); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	if got, err := serviceListenerErrors(ctx, env.ECS, "demo", "web"); err != nil || got != (listenerErrors{}) {
		t.Fatalf("before any error: %+v, %v", got, err)
	}
	if _, err := env.Store.Services.Update(ctx, store.ServiceID("demo", "web"), func(s *ecs.Service) error {
		s.ListenerErrors = ecs.ListenerErrors{NoTarget: 159, BadGateway: 2, GatewayTimeout: 1}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	snap, err := serviceTraffic(ctx, env.ECS, "demo", "web")
	if err != nil {
		t.Fatal(err)
	}
	if want := (listenerErrors{NoTarget: 159, BadGateway: 2, GatewayTimeout: 1}); snap.listener != want {
		t.Fatalf("listener errors %+v, want %+v", snap.listener, want)
	}
}
