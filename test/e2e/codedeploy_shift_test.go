package e2e

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// linearScale is the time scale of the linear deployment's server: a minute lasts 5 s, long
// enough to measure a share of traffic at each step, short enough for CI.
const (
	linearScale  = 12
	linearMinute = time.Minute / linearScale
)

// TestCodeDeployLinearUnderLoad runs a linear CodeDeploy deployment from a configuration made
// with the aws CLI (30% more every minute: 30%, 60%, 90%, then 100%, on a server whose minute
// lasts 5 s) under keep-alive and new-connection load. The production listener must take
// exactly these steps, a minute apart; at each one the share of requests that v2 answers must
// be within the binomial bounds of its weight, and all of them at 100%. Not one request may
// fail, and the configuration still reports the minute it was given.
func TestCodeDeployLinearUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(linearScale))
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)
	_, elbc := s.sdkClients(t)
	s.awsJSON(t, "deploy", "create-deployment-config", "--deployment-config-name", "Linear30PercentEvery1Minute", "--compute-platform", "ECS",
		"--traffic-routing-config", "type=TimeBasedLinear,timeBasedLinear={linearPercentage=30,linearInterval=1}")

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})
	id := s.createDeployment(t, bg.v2, "Linear30PercentEvery1Minute")
	prev, prevAt := 0, time.Time{}
	for _, weight := range []int{30, 60, 90, 100} {
		at := waitProdShare(t, elbc, bg.listenerARN, bg.greenTG, weight, prev)
		if !prevAt.IsZero() {
			// The steps are a scaled minute apart, seen by polling every 50 ms. A step written
			// late on a busy machine (the first, in the same moment as the replacement became
			// healthy, most of all) shortens the next gap by as much: the bounds take that,
			// and still tell a scaled minute from a real one or from none.
			gap := at.Sub(prevAt)
			t.Logf("%d%% → %d%% after %s", prev, weight, gap.Round(time.Millisecond))
			if gap < linearMinute/2 || gap > 2*linearMinute {
				t.Fatalf("%d%% → %d%% after %s, want a minute of %s", prev, weight, gap, linearMinute)
			}
		}
		checkStepShare(t, elbc, bg.listenerARN, bg.greenTG, bg.url, "v2", weight)
		prev, prevAt = weight, at
	}
	s.waitDeploymentEnded(t, id)
	stopLoad()
	res := <-load
	t.Logf("load during the linear deployment:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 || res.Revisions["v1"] == 0 || res.Revisions["v2"] == 0 {
		t.Fatalf("%d of %d requests failed during the linear deployment (by revision %v)", res.Failed(), res.Requests(), res.Revisions)
	}
	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id)
	if st, _ := get(info, "deploymentInfo", "status").(string); st != "Succeeded" ||
		get(info, "deploymentInfo", "deploymentConfigName") != "Linear30PercentEvery1Minute" {
		t.Fatalf("get-deployment: %v", info)
	}
	cfg := s.awsJSON(t, "deploy", "get-deployment-config", "--deployment-config-name", "Linear30PercentEvery1Minute")
	if linear := get(cfg, "deploymentConfigInfo", "trafficRoutingConfig", "timeBasedLinear"); get(linear, "linearInterval") != float64(1) || get(linear, "linearPercentage") != float64(30) {
		t.Fatalf("get-deployment-config reports other than 30%% every minute: %v", cfg)
	}
	checkShare(t, bg.url, "v2", 100, shareSamples)
	if sets := s.waitTaskSetCount(t, 1); get(sets[0], "taskDefinition") != bg.v2 || get(sets[0], "status") != "PRIMARY" {
		t.Fatalf("task sets after the deployment: %v", sets)
	}
}

// TestCodeDeployStopWithRollbackUnderLoad stops a canary deployment with `aws deploy
// stop-deployment --auto-rollback-enabled` while 10% of production traffic goes to the
// replacement, under keep-alive and new-connection load. The deployment must end Stopped
// (MANUAL_STOP, rolled back), the listener forward to the original group alone, every answer
// come from the original revision again, the replacement task set and its targets be gone,
// the original task set keep its tasks, and not one request fail. The canary is the
// predefined one of 5 real minutes: the stop must come long before it ends, so this test
// needs no scaled clock.
func TestCodeDeployStopWithRollbackUnderLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)
	_, elbc := s.sdkClients(t)
	original := s.taskSets(t)
	blueTasks := s.serviceTasks(t)
	if len(original) != 1 || len(blueTasks) != 2 {
		t.Fatalf("before the deployment: task sets %v, tasks %v", original, blueTasks)
	}

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})
	id := s.createDeployment(t, bg.v2, "CodeDeployDefault.ECSCanary10Percent5Minutes")
	waitProdShare(t, elbc, bg.listenerARN, bg.greenTG, 10, 0)
	checkStepShare(t, elbc, bg.listenerARN, bg.greenTG, bg.url, "v2", 10)
	stop := s.awsJSON(t, "deploy", "stop-deployment", "--deployment-id", id, "--auto-rollback-enabled")
	if get(stop, "status") != "Pending" {
		t.Fatalf("stop-deployment: %v", stop)
	}
	s.waitDeploymentEnded(t, id)
	waitProdShare(t, elbc, bg.listenerARN, bg.greenTG, 0)
	waitTargets(t, s, bg.greenTG, 0)
	stopLoad()
	res := <-load
	t.Logf("load during the canary and its rollback:\n%s", res)
	if res.Failed() != 0 || res.Requests() == 0 || res.Revisions["v2"] == 0 {
		t.Fatalf("%d of %d requests failed during the canary and its rollback (by revision %v)", res.Failed(), res.Requests(), res.Revisions)
	}

	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id)
	if get(info, "deploymentInfo", "status") != "Stopped" || get(info, "deploymentInfo", "errorInformation", "code") != "MANUAL_STOP" ||
		get(info, "deploymentInfo", "rollbackInfo", "rollbackMessage") == nil {
		t.Fatalf("get-deployment after the stop: %v", info)
	}
	time.Sleep(routingSettle)
	checkShare(t, bg.url, "v1", 100, shareSamples)
	sets := s.waitTaskSetCount(t, 1) // the replacement leaves the service with its last task
	if get(sets[0], "id") != get(original[0], "id") || get(sets[0], "status") != "PRIMARY" {
		t.Fatalf("task sets after the rollback: %v, want only the original %v", sets, original[0])
	}
	if after := s.serviceTasks(t); !slices.Equal(after, blueTasks) {
		t.Fatalf("the original tasks %v were replaced by %v", blueTasks, after)
	}
}

// taskSets returns the task sets of service web of cluster demo, as describe-services shows them.
func (s *server) taskSets(t *testing.T) []any {
	t.Helper()
	svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", "web")
	sets, _ := get(svc, "services", 0, "taskSets").([]any)
	return sets
}

// waitTaskSetCount waits until service web of cluster demo has n task sets and returns them.
func (s *server) waitTaskSetCount(t *testing.T, n int) []any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		sets := s.taskSets(t)
		if len(sets) == n {
			return sets
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d task sets, want %d: %v", len(sets), n, sets)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// serviceTasks returns the sorted ARNs of the running tasks of service web of cluster demo.
func (s *server) serviceTasks(t *testing.T) []string {
	t.Helper()
	out := s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--service-name", "web", "--desired-status", "RUNNING")
	var arns []string
	for _, a := range get(out, "taskArns").([]any) {
		arns = append(arns, a.(string))
	}
	slices.Sort(arns)
	return arns
}
