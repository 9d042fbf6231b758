package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// TestDefaultsAsECSReportsThem registers a task definition and creates a Fargate service with
// the aws CLI and the least input a client gives, waits for the service to be stable, and
// checks what describe-services, describe-task-definition and describe-tasks print against
// the rules of docs/wire-defaults.md: the members ECS fills in are there with ECS's values,
// and those it leaves out are left out, so that a tool that diffs the service against its
// local definition sees no change.
func TestDefaultsAsECSReportsThem(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSON(t, "ecs", "register-task-definition", "--family", "web", "--network-mode", "awsvpc",
		"--requires-compatibilities", "FARGATE", "--cpu", "256", "--memory", "512",
		"--container-definitions", `[{"name":"web","image":"hello:latest","command":["hello"],"portMappings":[{"containerPort":8080}]}]`)
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "web",
		"--desired-count", "1", "--launch-type", "FARGATE", "--network-configuration", "awsvpcConfiguration={subnets=[subnet-1]}")
	s.awsOK(t, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")

	const network = `{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"DISABLED"}}`
	svc := s.awsMember(t, []string{"ecs", "describe-services", "--cluster", "demo", "--services", "web"}, "services", 0)
	got := wiretest.Has(t, "service", svc, map[string]string{
		"launchType":      `"FARGATE"`,
		"platformVersion": `"LATEST"`,
		"platformFamily":  `"Linux"`,
		"deploymentConfiguration": `{"deploymentCircuitBreaker":{"enable":false,"rollback":false},"maximumPercent":200,
			"minimumHealthyPercent":100,"strategy":"ROLLING","bakeTimeInMinutes":0}`,
		"networkConfiguration":          network,
		"healthCheckGracePeriodSeconds": `0`,
		"schedulingStrategy":            `"REPLICA"`,
		"deploymentController":          `{"type":"ECS"}`,
		"propagateTags":                 `"NONE"`,
		"enableECSManagedTags":          `false`,
		"enableExecuteCommand":          `false`,
		"availabilityZoneRebalancing":   `"ENABLED"`,
		"resourceManagementType":        `"CUSTOMER"`,
		"roleArn":                       `"arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"`,
		"loadBalancers":                 `[]`,
		"serviceRegistries":             `[]`,
		"placementConstraints":          `[]`,
		"placementStrategy":             `[]`,
		"createdBy":                     wiretest.Any,
	})
	if tags, ok := got["tags"]; ok {
		t.Errorf("describe-services without --include TAGS printed tags %s", tags)
	}
	var deployments []json.RawMessage
	if err := json.Unmarshal(got["deployments"], &deployments); err != nil || len(deployments) != 1 {
		t.Fatalf("deployments %s (%v)", got["deployments"], err)
	}
	wiretest.Has(t, "deployment", deployments[0], map[string]string{
		"platformVersion": `"1.4.0"`, "platformFamily": `"Linux"`, "launchType": `"FARGATE"`,
		"networkConfiguration": network, "rolloutState": `"COMPLETED"`, "failedTasks": `0`,
	})

	td := s.awsMember(t, []string{"ecs", "describe-task-definition", "--task-definition", "web"}, "taskDefinition")
	tdMembers := wiretest.Has(t, "task definition", td, map[string]string{
		"status": `"ACTIVE"`, "compatibilities": `["EC2","FARGATE"]`, "requiresCompatibilities": `["FARGATE"]`,
		"cpu": `"256"`, "memory": `"512"`, "volumes": `[]`, "placementConstraints": `[]`,
		"registeredAt": wiretest.Any, "registeredBy": wiretest.Any, "enableFaultInjection": `false`,
	})
	wiretest.Defaults(t, "container definition", element(t, tdMembers["containerDefinitions"], 0), map[string]string{
		"name": `"web"`, "image": `"hello:latest"`, "cpu": `0`, "command": `["hello"]`,
		"portMappings": `[{"containerPort":8080,"hostPort":8080,"protocol":"tcp"}]`,
		"essential":    `true`, "environment": `[]`, "mountPoints": `[]`, "volumesFrom": `[]`, "systemControls": `[]`,
	})

	list := s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--service-name", "web")
	taskARN, _ := get(list, "taskArns", 0).(string)
	task := s.awsMember(t, []string{"ecs", "describe-tasks", "--cluster", "demo", "--tasks", taskARN}, "tasks", 0)
	taskMembers := wiretest.Has(t, "task", task, map[string]string{
		"lastStatus": `"RUNNING"`, "launchType": `"FARGATE"`, "platformVersion": `"1.4.0"`, "platformFamily": `"Linux"`,
		"connectivity": `"CONNECTED"`, "availabilityZone": `"us-east-1a"`, "ephemeralStorage": `{"sizeInGiB":20}`,
		"group": `"service:web"`, "overrides": `{"containerOverrides":[{"name":"web"}],"inferenceAcceleratorOverrides":[]}`,
		"enableExecuteCommand": `false`, "version": wiretest.Any, "attributes": wiretest.Any,
	})
	eni := element(t, taskMembers["attachments"], 0)
	wiretest.Has(t, "attachment", eni, map[string]string{"type": `"ElasticNetworkInterface"`, "status": `"ATTACHED"`})
	if details := string(eni); !strings.Contains(details, `"subnet-1"`) || !strings.Contains(details, `"privateIPv4Address"`) {
		t.Errorf("attachment details %s: want the subnet and the task's address", details)
	}
}

// awsMember runs the aws CLI, fails the test on error, and returns the member of its JSON
// output at path (member names and list indexes) as it was printed.
func (s *server) awsMember(t *testing.T, args []string, path ...any) json.RawMessage {
	t.Helper()
	r := s.aws(t, nil, args...)
	if r.err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), r.err, r.stderr)
	}
	v := json.RawMessage(r.stdout)
	for _, p := range path {
		switch k := p.(type) {
		case string:
			var m map[string]json.RawMessage
			if err := json.Unmarshal(v, &m); err != nil {
				t.Fatalf("aws %s: %v in %s", strings.Join(args, " "), err, v)
			}
			v = m[k]
		case int:
			v = element(t, v, k)
		}
	}
	return v
}

// element returns element i of a JSON list.
func element(t *testing.T, list json.RawMessage, i int) json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil || i >= len(items) {
		t.Fatalf("want a list with element %d, got %s (%v)", i, list, err)
	}
	return items[i]
}
