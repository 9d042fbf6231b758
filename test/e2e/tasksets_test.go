package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestBlueGreenWithTaskSets is a blue/green deployment as an external deployer (or CodeDeploy)
// makes it, with the aws CLI: an EXTERNAL service, a blue task set behind one target group, a
// green task set behind a second one, the listener's traffic shifted from blue to green in
// weighted steps (10%, 50%, 100%), green made primary and blue deleted, all under keep-alive
// and new-connection load. No request may fail, and the share of v2 responses must follow the
// weights.
func TestBlueGreenWithTaskSets(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	// Both groups from the start, green at weight 0: ALB health-checks only groups that a
	// listener uses, and the green targets must be healthy before they get traffic.
	bg := s.blueGreenSetup(t, func(blue, green string) string { return weighted(blue, 100, green, 0) })
	tdBlue, tdGreen, blueTG, greenTG, listenerARN := bg.v1, bg.v2, bg.blueTG, bg.greenTG, bg.listenerARN
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--desired-count", "2",
		"--deployment-controller", "type=EXTERNAL")

	blue := s.createTaskSet(t, tdBlue, blueTG, 100)
	s.awsJSON(t, "ecs", "update-service-primary-task-set", "--cluster", "demo", "--service", "web", "--primary-task-set", blue)
	waitTargets(t, s, blueTG, 2)
	s.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", blueTG)
	url := bg.url
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v1") {
		t.Fatalf("blue through the listener: %q", body)
	}

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	cfg := loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100}
	load := startLoadtest(ctx, cfg)

	green := s.createTaskSet(t, tdGreen, greenTG, 100)
	waitTargets(t, s, greenTG, 2)
	s.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", greenTG)
	// Healthy, in the forward, at weight 0: green gets no request yet.
	checkShare(t, url, "v2", 0, shareSamples)
	for _, greenWeight := range []int{10, 50, 100} {
		s.awsJSON(t, "elbv2", "modify-listener", "--listener-arn", listenerARN, "--default-actions", weighted(blueTG, 100-greenWeight, greenTG, greenWeight))
		time.Sleep(routingSettle)
		checkShare(t, url, "v2", greenWeight, shareSamples)
	}
	s.awsJSON(t, "ecs", "update-service-primary-task-set", "--cluster", "demo", "--service", "web", "--primary-task-set", green)
	s.awsJSON(t, "ecs", "update-task-set", "--cluster", "demo", "--service", "web", "--task-set", blue, "--scale", "value=0,unit=PERCENT")
	s.awsJSON(t, "ecs", "delete-task-set", "--cluster", "demo", "--service", "web", "--task-set", blue)
	waitTargets(t, s, blueTG, 0)
	s.waitTaskSets(t, green)
	stopLoad()
	res := <-load
	t.Logf("load during the blue/green deployment:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during the blue/green deployment", res.Failed(), res.Requests())
	}
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v2") {
		t.Fatalf("after the deployment: %q", body)
	}
	svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web")
	if got, _ := get(svc, "services", 0, "taskSets", 0, "status").(string); got != "PRIMARY" {
		t.Fatalf("describe-services after the deployment: %v", svc)
	}
}

// blueGreen is a cluster "demo" with the example app registered as v1 and v2, target groups
// blue and green, and a load balancer with a listener whose default action is given.
type blueGreen struct {
	v1, v2, blueTG, greenTG, listenerARN, url string
}

func (s *server) blueGreenSetup(t *testing.T, defaultActions func(blueTG, greenTG string) string) blueGreen {
	t.Helper()
	v1, _ := filepath.Abs("../../examples/hello/task-definition.json")
	v2, _ := filepath.Abs("../../examples/hello/task-definition-v2.json")
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	var bg blueGreen
	bg.v1, _ = get(s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+v1), "taskDefinition", "taskDefinitionArn").(string)
	bg.v2, _ = get(s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+v2), "taskDefinition", "taskDefinitionArn").(string)
	bg.blueTG, bg.greenTG = s.targetGroup(t, "blue"), s.targetGroup(t, "green")
	alb := s.awsJSON(t, "elbv2", "create-load-balancer", "--name", "demo-alb", "--subnets", "subnet-a", "subnet-b")
	albARN, _ := get(alb, "LoadBalancers", 0, "LoadBalancerArn").(string)
	port := freePort(t)
	listener := s.awsJSON(t, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", defaultActions(bg.blueTG, bg.greenTG))
	bg.listenerARN, _ = get(listener, "Listeners", 0, "ListenerArn").(string)
	bg.url = fmt.Sprintf("http://127.0.0.1:%d/", port)
	return bg
}

func (s *server) targetGroup(t *testing.T, name string) string {
	t.Helper()
	tg := s.awsJSON(t, "elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "80",
		"--target-type", "ip", "--vpc-id", "vpc-local", "--health-check-path", "/health",
		"--health-check-interval-seconds", "5", "--healthy-threshold-count", "2")
	arn, _ := get(tg, "TargetGroups", 0, "TargetGroupArn").(string)
	if arn == "" {
		t.Fatalf("create-target-group %s: %v", name, tg)
	}
	return arn
}

// createTaskSet creates a task set of the web service behind tgARN and returns its id.
func (s *server) createTaskSet(t *testing.T, taskDefinition, tgARN string, scale int) string {
	t.Helper()
	out := s.awsJSON(t, "ecs", "create-task-set", "--cluster", "demo", "--service", "web", "--task-definition", taskDefinition,
		"--load-balancers", "targetGroupArn="+tgARN+",containerName=web,containerPort=8080",
		"--scale", fmt.Sprintf("value=%d,unit=PERCENT", scale))
	id, _ := get(out, "taskSet", "id").(string)
	if id == "" {
		t.Fatalf("create-task-set: %v", out)
	}
	return id
}

// weighted is a forward action over two target groups, in the CLI's JSON form.
func weighted(tgA string, weightA int, tgB string, weightB int) string {
	action := []map[string]any{{"Type": "forward", "ForwardConfig": map[string]any{"TargetGroups": []map[string]any{
		{"TargetGroupArn": tgA, "Weight": weightA}, {"TargetGroupArn": tgB, "Weight": weightB},
	}}}}
	b, _ := json.Marshal(action)
	return string(b)
}

// waitTaskSets waits until the service has exactly the task sets ids.
func (s *server) waitTaskSets(t *testing.T, ids ...string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out := s.awsJSON(t, "ecs", "describe-task-sets", "--cluster", "demo", "--service", "web")
		sets, _ := get(out, "taskSets").([]any)
		var got []string
		for i := range sets {
			id, _ := get(out, "taskSets", i, "id").(string)
			got = append(got, id)
		}
		if strings.Join(got, ",") == strings.Join(ids, ",") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("task sets %v, want %v", got, ids)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
