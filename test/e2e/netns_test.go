package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Health checks of the test's target groups. A dead target leaves routing after at most
// unhealthyChecks failed checks, healthCheckInterval apart.
const (
	healthCheckInterval = 5 * time.Second
	unhealthyChecks     = 2
)

// TestNetnsCluster is a multi-machine fargo proven on one machine: every machine is a network
// namespace of its own on a private bridge (netns_harness_test.go): three control-plane members
// (m1, m2, m3), two workers (w1, w2), a data-plane node (lb) and a client that sends constant
// load through the listener on lb and makes every AWS call with the aws CLI. Phase by phase,
// with the failed requests of each counted:
//
//  1. a service of 4 tasks spreads 2 and 2 over the workers;
//  2. a rolling deployment: 0 failed;
//  3. a CodeDeploy blue/green deployment of a second service: 0 failed;
//  4. a rolling deployment during which the leader member is killed with SIGKILL: another
//     member leads, the deployment completes, 0 failed;
//  5. w1 drained: its tasks move to w2, 0 failed; w1 ACTIVE again takes 2 more tasks;
//  6. w2 killed, its agent and every task process: failures only in the moment its 4 targets
//     died (bounded by the load's clients and the dead targets), counted and reported; its
//     tasks are replaced on w1.
func TestNetnsCluster(t *testing.T) {
	t.Parallel()
	f := newFabric(t)
	c := newNetnsCluster(t, f)
	leader := c.waitLeader(t, "m1", "m2", "m3")
	api := c.members[follower(leader)] // the aws CLI's member; phase 4 moves it off the leader
	t.Logf("%s leads; the aws CLI talks to %s at %s", leader, follower(leader), api.endpoint())

	// 1. A service of 4 tasks on the workers, behind a listener on the data-plane node.
	api.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	for _, w := range []string{"w1", "w2"} {
		c.waitInstance(t, api, w, func(ci map[string]any) bool { return ci["agentConnected"] == true })
	}
	tg := netnsTargetGroup(t, api, "web")
	albARN, _ := get(api.awsJSON(t, "elbv2", "create-load-balancer", "--name", "edge", "--subnets", "subnet-a", "subnet-b"), "LoadBalancers", 0, "LoadBalancerArn").(string)
	netnsListener(t, api, albARN, 80, tg)
	url := c.listenerURL(80)
	rev := netnsTaskDefinition(t, api, "web", "v1")
	api.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", rev,
		"--desired-count", "4", "--launch-type", "EC2", "--health-check-grace-period-seconds", "10",
		"--placement-strategy", "type=spread,field=instanceId",
		"--load-balancers", "targetGroupArn="+tg+",containerName=web,containerPort=8080")
	c.waitRolledOut(t, api, "web", rev, tg, 4)
	if spread := c.tasksByMachine(t, api, "web"); spread["w1"] != 2 || spread["w2"] != 2 {
		t.Fatalf("the service's 4 tasks run %v, want 2 on w1 and 2 on w2", spread)
	}
	if body, err := c.fetch(url); err != nil || !strings.HasPrefix(body, "hello from v1") {
		t.Fatalf("GET %s from the client: %q, %v", url, body, err)
	}
	load := c.startLoad(t, url)
	mark := load.mark(t)
	phase := func(name string) {
		t.Helper()
		now := load.mark(t)
		d := now.minus(mark)
		mark = now
		t.Logf("%s: %d requests, %d failed %v", name, d.Requests, d.Failed, d.ByKind)
		if d.Failed != 0 || d.Requests == 0 {
			t.Errorf("%s: %d of %d requests failed, want 0: %+v", name, d.Failed, d.Requests, d.Errors)
		}
	}
	time.Sleep(2 * time.Second)
	phase("1. 4 tasks on w1 and w2")

	// 2. A rolling deployment.
	rev = netnsTaskDefinition(t, api, "web", "v2")
	api.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--task-definition", rev)
	c.waitRolledOut(t, api, "web", rev, tg, 4)
	phase("2. rolling deployment")

	// 3. A CodeDeploy blue/green deployment of a second service, under load of its own too.
	c.codeDeployPhase(t, api, albARN)
	phase("3. CodeDeploy blue/green deployment")

	// 4. The leader killed with SIGKILL in the middle of a rolling deployment.
	rev = netnsTaskDefinition(t, api, "web", "v3")
	api.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--task-definition", rev)
	waitLong(t, "a task of "+rev, func() bool { return c.serviceRevisionTasks(t, api, "web", rev) > 0 })
	if leader = c.waitLeader(t, "m1", "m2", "m3"); api == c.members[leader] {
		api = c.members[follower(leader)] // leadership moved meanwhile: the aws CLI goes elsewhere
	}
	// A new task is healthy only seconds after it starts: the deployment is under way.
	if deps, _ := get(api.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web"), "services", 0, "deployments").([]any); len(deps) != 2 {
		t.Fatalf("the deployment is not under way before the kill: %d deployments", len(deps))
	}
	c.running[leader].kill()
	killed := time.Now()
	rest := []string{}
	for _, m := range []string{"m1", "m2", "m3"} {
		if m != leader {
			rest = append(rest, m)
		}
	}
	next := c.waitLeader(t, rest...)
	t.Logf("killed the leader %s in the middle of the deployment; %s leads %s later", leader, next, time.Since(killed).Round(time.Millisecond))
	c.waitRolledOut(t, api, "web", rev, tg, 4)
	phase("4. rolling deployment, leader killed")

	// 5. w1 drained: its tasks move to w2. ACTIVE again, it takes the 2 tasks of a scale-up.
	w1 := c.waitInstance(t, api, "w1", func(map[string]any) bool { return true })
	w1ARN, _ := w1["containerInstanceArn"].(string)
	api.awsJSON(t, "ecs", "update-container-instances-state", "--cluster", "demo", "--container-instances", w1ARN, "--status", "DRAINING")
	waitLong(t, "w1's tasks to move to w2", func() bool {
		spread := c.tasksByMachine(t, api, "web")
		return spread["w1"] == 0 && spread["w2"] == 4
	})
	c.waitRolledOut(t, api, "web", rev, tg, 4)
	phase("5. w1 drained")
	api.awsJSON(t, "ecs", "update-container-instances-state", "--cluster", "demo", "--container-instances", w1ARN, "--status", "ACTIVE")
	api.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--desired-count", "6")
	c.waitRolledOut(t, api, "web", rev, tg, 6)
	if spread := c.tasksByMachine(t, api, "web"); spread["w1"] != 2 || spread["w2"] != 4 {
		t.Fatalf("after the scale-up to 6 the tasks run %v, want 2 on w1 and 4 on w2", spread)
	}
	phase("5. w1 active again, 6 tasks")

	// 6. w2 killed: its agent and every process of its machine.
	killed = time.Now()
	c.running["w2"].kill()
	n := c.killNamespace(c.ns("w2"))
	t.Logf("killed w2's agent and the %d processes of its tasks", n)
	c.waitInstance(t, api, "w2", func(ci map[string]any) bool { return ci["agentConnected"] == false })
	waitLong(t, "w2's tasks replaced on w1", func() bool {
		spread := c.tasksByMachine(t, api, "web")
		return spread["w1"] == 6 && spread["w2"] == 0
	})
	c.waitRolledOut(t, api, "web", rev, tg, 6)
	time.Sleep(2 * time.Second)
	final := load.stop(t)
	d := final.minus(mark)
	total := final.minus(loadLine{})
	t.Logf("6. w2 killed: %d requests, %d failed %v", d.Requests, d.Failed, d.ByKind)
	t.Logf("the whole run: %d requests, %d failed %v", total.Requests, total.Failed, total.ByKind)
	checkKilledWorkerFailures(t, d, killed, 4)
}

// checkKilledWorkerFailures bounds the failures of the death of a worker that ran deadTargets
// of the service's targets. Requests in flight on its tasks when they died fail (a reset after
// the request was sent is never retried): at most one per client of the load generator, which
// waits for each answer. A request sent to a dead target afterwards is retried once on another
// target (invariant 4), and fails only when that one is dead too and had refused no connection
// yet: the data plane passes over a target that refused one until its health checks may have
// found it dead (internal/lb, refusalHold). Such a failure leaves both targets passed over, so
// it happens only while some dead target has refused nothing yet: in the first moments, at
// most once per client in flight then, and at most once per dead target. The bound counts
// both generously: 2 × clients + deadTargets (14 here, where the retry alone let 216 fail).
// Each must have started within the checks' time to find a dead target (unhealthyChecks
// failed checks, healthCheckInterval apart, plus an interval for the checks' phase and a
// second for clock reads) of the kill.
func checkKilledWorkerFailures(t *testing.T, d loadLine, killed time.Time, deadTargets int) {
	t.Helper()
	window := time.Duration(unhealthyChecks+1)*healthCheckInterval + time.Second
	if limit := int64(2*(loadKeepAlive+loadNewConn) + deadTargets); d.Failed > limit {
		t.Errorf("%d requests failed when the worker died, want at most %d (%d clients, %d dead targets)", d.Failed, limit, loadKeepAlive+loadNewConn, deadTargets)
	}
	if int64(len(d.Errors)) < d.Failed {
		t.Errorf("the load generator described %d of %d failures", len(d.Errors), d.Failed)
	}
	var last time.Duration
	for _, e := range d.Errors {
		after := e.At.Sub(killed)
		last = max(last, after)
		t.Logf("failed: a request that started %s after the kill, %s: %s", after.Round(time.Millisecond), e.Kind, e.Detail)
		if after < -time.Second || after > window {
			t.Errorf("a request that started %s after the kill failed (%s: %s); failures must be within %s of it", after.Round(time.Millisecond), e.Kind, e.Detail, window)
		}
	}
	if d.Failed > 0 {
		t.Logf("the %d failures started within %s after the kill", d.Failed, last.Round(time.Millisecond))
	}
}

// follower is a member other than leader.
func follower(leader string) string {
	if leader == "m1" {
		return "m2"
	}
	return "m1"
}

// netnsTaskDefinition registers hello as revision version of family for the workers: EC2, on
// instances with attribute role=worker only (the members' own instances have none), listening
// on all addresses since the data plane reaches it at the worker's address (hello alone listens
// on 127.0.0.1:$PORT). It needs 3 s to start and exits at once on SIGTERM.
func netnsTaskDefinition(t *testing.T, api *server, family, version string) string {
	t.Helper()
	td := map[string]any{
		"family": family, "networkMode": "awsvpc", "requiresCompatibilities": []string{"EC2"}, "cpu": "256", "memory": "256",
		"placementConstraints": []any{map[string]string{"type": "memberOf", "expression": "attribute:role == worker"}},
		"containerDefinitions": []any{map[string]any{
			"name": "web", "image": "hello", "entryPoint": []string{"sh", "-c"}, "command": []string{"LISTEN_ADDR=0.0.0.0:$PORT exec hello"},
			"stopTimeout": 5, "portMappings": []any{map[string]int{"containerPort": 8080}},
			"environment": []any{
				map[string]string{"name": "VERSION", "value": version},
				map[string]string{"name": "STARTUP_DELAY", "value": "3s"},
				map[string]string{"name": "EXIT_IMMEDIATELY_ON_SIGTERM", "value": "true"},
			},
		}},
	}
	data, _ := json.Marshal(td)
	file := filepath.Join(t.TempDir(), "td.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	arn, _ := get(api.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+file), "taskDefinition", "taskDefinitionArn").(string)
	if arn == "" {
		t.Fatal("register-task-definition returned no ARN")
	}
	return arn
}

func netnsTargetGroup(t *testing.T, api *server, name string) string {
	t.Helper()
	tg := api.awsJSON(t, "elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "80",
		"--target-type", "ip", "--vpc-id", "vpc-local", "--health-check-path", "/health",
		"--health-check-interval-seconds", fmt.Sprint(int(healthCheckInterval/time.Second)), "--health-check-timeout-seconds", "2",
		"--healthy-threshold-count", "2", "--unhealthy-threshold-count", fmt.Sprint(unhealthyChecks))
	arn, _ := get(tg, "TargetGroups", 0, "TargetGroupArn").(string)
	if arn == "" {
		t.Fatalf("create-target-group %s: %v", name, tg)
	}
	return arn
}

// listenerURL is the URL of the listener on port of the data-plane node.
func (c *netnsCluster) listenerURL(port int) string {
	return fmt.Sprintf("http://%s:%d/", c.addrs["lb"], port)
}

// netnsListener creates an HTTP listener on port that forwards to tg and returns its ARN.
func netnsListener(t *testing.T, api *server, albARN string, port int, tg string) string {
	t.Helper()
	out := api.awsJSON(t, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", "Type=forward,TargetGroupArn="+tg)
	arn, _ := get(out, "Listeners", 0, "ListenerArn").(string)
	if arn == "" {
		t.Fatalf("create-listener: %v", out)
	}
	return arn
}

// waitRolledOut waits until service runs only rev (one COMPLETED deployment, n running tasks)
// and tg has exactly n targets, all healthy.
func (c *netnsCluster) waitRolledOut(t *testing.T, api *server, service, rev, tg string, n int) {
	t.Helper()
	last := ""
	deadline := time.Now().Add(3 * time.Minute)
	for {
		svc := api.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", service)
		deps, _ := get(svc, "services", 0, "deployments").([]any)
		running, _ := get(svc, "services", 0, "runningCount").(float64)
		health := api.awsJSON(t, "elbv2", "describe-target-health", "--target-group-arn", tg)
		descs, _ := get(health, "TargetHealthDescriptions").([]any)
		healthy := 0
		for _, d := range descs {
			if get(d, "TargetHealth", "State") == "healthy" {
				healthy++
			}
		}
		if len(deps) == 1 && get(deps[0], "taskDefinition") == rev && get(deps[0], "rolloutState") == "COMPLETED" &&
			int(running) == n && len(descs) == n && healthy == n {
			return
		}
		last = fmt.Sprintf("%d deployments (%v %v), %d running, %d targets, %d healthy", len(deps), get(deps, 0, "taskDefinition"), get(deps, 0, "rolloutState"), int(running), len(descs), healthy)
		if time.Now().After(deadline) {
			t.Fatalf("%s did not roll out %s to %d healthy tasks within 3 minutes: %s", service, rev, n, last)
		}
		time.Sleep(time.Second)
	}
}

// serviceTaskDescriptions describes the tasks of service that should run.
func serviceTaskDescriptions(t *testing.T, api *server, service string) []any {
	t.Helper()
	list := api.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--service-name", service, "--desired-status", "RUNNING")
	arns, _ := get(list, "taskArns").([]any)
	if len(arns) == 0 {
		return nil
	}
	args := []string{"ecs", "describe-tasks", "--cluster", "demo", "--tasks"}
	for _, a := range arns {
		args = append(args, a.(string))
	}
	tasks, _ := get(api.awsJSON(t, args...), "tasks").([]any)
	return tasks
}

// serviceRevisionTasks counts service's tasks of revision rev that should run.
func (c *netnsCluster) serviceRevisionTasks(t *testing.T, api *server, service, rev string) int {
	t.Helper()
	n := 0
	for _, task := range serviceTaskDescriptions(t, api, service) {
		if get(task, "taskDefinitionArn") == rev {
			n++
		}
	}
	return n
}

// tasksByMachine counts service's RUNNING tasks by the machine of their container instance
// (DescribeTasks' containerInstanceArn, the instance's attribute machine).
func (c *netnsCluster) tasksByMachine(t *testing.T, api *server, service string) map[string]int {
	t.Helper()
	machines := c.instanceMachines(t, api)
	out := map[string]int{}
	for _, task := range serviceTaskDescriptions(t, api, service) {
		if get(task, "lastStatus") == "RUNNING" {
			ci, _ := get(task, "containerInstanceArn").(string)
			out[machines[ci]]++
		}
	}
	return out
}

// instanceMachines maps the cluster's container instances to their machine attribute ("" for
// the members' own instances).
func (c *netnsCluster) instanceMachines(t *testing.T, api *server) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, ci := range describeInstances(t, api) {
		arn, _ := get(ci, "containerInstanceArn").(string)
		out[arn] = instanceAttribute(ci, "machine")
	}
	return out
}

func describeInstances(t *testing.T, api *server) []any {
	t.Helper()
	arns, _ := get(api.awsJSON(t, "ecs", "list-container-instances", "--cluster", "demo"), "containerInstanceArns").([]any)
	if len(arns) == 0 {
		return nil
	}
	args := []string{"ecs", "describe-container-instances", "--cluster", "demo", "--container-instances"}
	for _, a := range arns {
		args = append(args, a.(string))
	}
	cis, _ := get(api.awsJSON(t, args...), "containerInstances").([]any)
	return cis
}

func instanceAttribute(ci any, name string) string {
	attrs, _ := get(ci, "attributes").([]any)
	for _, a := range attrs {
		if get(a, "name") == name {
			v, _ := get(a, "value").(string)
			return v
		}
	}
	return ""
}

// waitInstance waits until the container instance of machine satisfies ok, and returns it.
func (c *netnsCluster) waitInstance(t *testing.T, api *server, machine string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	var found map[string]any
	waitLong(t, machine+"'s container instance", func() bool {
		for _, ci := range describeInstances(t, api) {
			m, _ := ci.(map[string]any)
			if instanceAttribute(ci, "machine") == machine && ok(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// codeDeployPhase creates service cd with the CODE_DEPLOY controller behind target groups
// cd-blue and cd-green and a listener of its own on the data-plane node, deploys a new revision
// to it with an AppSpec (all at once) under load of its own, and deletes it again, so that the
// workers hold only service web's tasks afterwards.
func (c *netnsCluster) codeDeployPhase(t *testing.T, api *server, albARN string) {
	t.Helper()
	blue := netnsTargetGroup(t, api, "cd-blue")
	netnsTargetGroup(t, api, "cd-green") // the deployment group names it
	listener := netnsListener(t, api, albARN, 8081, blue)
	v1 := netnsTaskDefinition(t, api, "cd", "cd-v1")
	api.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "cd", "--task-definition", v1,
		"--desired-count", "2", "--launch-type", "EC2", "--deployment-controller", "type=CODE_DEPLOY", "--health-check-grace-period-seconds", "10",
		"--load-balancers", "targetGroupArn="+blue+",containerName=web,containerPort=8080")
	waitTargets(t, api, blue, 2)
	api.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", blue)
	api.awsJSON(t, "deploy", "create-application", "--application-name", "AppECS-demo-cd", "--compute-platform", "ECS")
	lbInfo, _ := json.Marshal(map[string]any{"targetGroupPairInfoList": []any{map[string]any{
		"targetGroups":     []any{map[string]string{"name": "cd-blue"}, map[string]string{"name": "cd-green"}},
		"prodTrafficRoute": map[string]any{"listenerArns": []string{listener}},
	}}})
	api.awsJSON(t, "deploy", "create-deployment-group", "--application-name", "AppECS-demo-cd",
		"--deployment-group-name", "DgpECS-demo-cd", "--service-role-arn", "arn:aws:iam::000000000000:role/ecsCodeDeployRole",
		"--deployment-style", "deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL",
		"--ecs-services", "clusterName=demo,serviceName=cd", "--load-balancer-info", string(lbInfo),
		"--blue-green-deployment-configuration",
		`{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":0},"deploymentReadyOption":{"actionOnTimeout":"CONTINUE_DEPLOYMENT"}}`,
		"--deployment-config-name", "CodeDeployDefault.ECSAllAtOnce")

	url := c.listenerURL(8081)
	load := c.startLoad(t, url)
	before := load.mark(t)
	v2 := netnsTaskDefinition(t, api, "cd", "cd-v2")
	appspec := "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n" +
		"        TaskDefinition: \"" + v2 + "\"\n        LoadBalancerInfo:\n          ContainerName: \"web\"\n          ContainerPort: 8080\n"
	revision, _ := json.Marshal(map[string]any{"revisionType": "AppSpecContent", "appSpecContent": map[string]string{"content": appspec}})
	id, _ := get(api.awsJSON(t, "deploy", "create-deployment", "--application-name", "AppECS-demo-cd", "--deployment-group-name", "DgpECS-demo-cd",
		"--revision", string(revision)), "deploymentId").(string)
	if id == "" {
		t.Fatal("create-deployment returned no id")
	}
	api.waitDeploymentEnded(t, id)
	if st := get(api.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id), "deploymentInfo", "status"); st != "Succeeded" {
		t.Fatalf("the CodeDeploy deployment ended %v", st)
	}
	if body, err := c.fetch(url); err != nil || !strings.HasPrefix(body, "hello from cd-v2") {
		t.Fatalf("after the CodeDeploy deployment: %q, %v", body, err)
	}
	time.Sleep(time.Second)
	d := load.stop(t).minus(before)
	t.Logf("3. CodeDeploy deployment, its own listener: %d requests, %d failed %v", d.Requests, d.Failed, d.ByKind)
	if d.Failed != 0 || d.Requests == 0 {
		t.Errorf("%d of %d requests to the CodeDeploy service failed, want 0: %+v", d.Failed, d.Requests, d.Errors)
	}
	api.awsJSON(t, "ecs", "delete-service", "--cluster", "demo", "--service", "cd", "--force")
	waitLong(t, "service cd's tasks to stop", func() bool { return len(serviceTaskDescriptions(t, api, "cd")) == 0 })
}
