package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/loadtest"
)

// killSoakFlags are the server's flags in TestKillNineDuringDeployments: a canary minute
// lasts 10 s.
var killSoakFlags = []string{"--time-scale", "6"}

// TestKillNineDuringDeployments kills the server with SIGKILL at random moments of rolling
// deployments (service roll, ECS controller) and CodeDeploy canary deployments (service web,
// CODE_DEPLOY controller, 10% for a scaled minute), each behind its own production listener
// under constant load, and restarts it on the same data directory. Every deployment must end
// in exactly one outcome (succeeded, or failed and rolled back) that stays, with no orphan or
// duplicate task, task set or app process, the canary listener's weights only ever those of a
// phase (0%, 10% or 100% to the replacement; 100% to the surviving task set at the end), no
// acknowledged API write lost, and not one failed request on either listener.
//
// It kills 3 times by default (once in a rolling deployment, twice in a canary one);
// FARGO_KILL_SOAK=100 makes it a soak of 100 kills over as many deployments as they need.
func TestKillNineDuringDeployments(t *testing.T) {
	t.Parallel()
	kills := 3
	if v := os.Getenv("FARGO_KILL_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("FARGO_KILL_SOAK=%q: want a number of kills", v)
		}
		kills = n
	}
	dir := t.TempDir()
	runID := fmt.Sprintf("killsoak-%d", rand.Int64())
	t.Cleanup(func() { killProcessesWithEnv("RUN_ID=" + runID) })
	k := &killSoak{t: t, dir: dir, runID: runID}
	k.s = startServer(t, dir, killSoakFlags...)
	k.clients()
	ctx := context.Background()

	// The CodeDeploy service: 2 tasks behind blue, a canary config of 10% for a minute.
	bg := k.s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	k.bg = bg
	k.canaryRev = registerVersion(t, ctx, k.ecs(), "c0", "RUN_ID", runID)
	k.s.codeDeployService(t, k.canaryRev, bg.blueTG)
	k.s.codeDeployGroup(t, bg.listenerARN)
	k.s.awsJSON(t, "deploy", "create-deployment-config", "--deployment-config-name", "Canary10Percent1Minute", "--compute-platform", "ECS",
		"--traffic-routing-config", `{"type":"TimeBasedCanary","timeBasedCanary":{"canaryPercentage":10,"canaryInterval":1}}`)
	k.serving = bg.blueTG
	k.setPhase(bg.greenTG, 0)
	// The rolling service: 3 tasks behind its own listener.
	k.rollURL, k.rollTG = k.setupRolling(ctx)

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	canaryLoad := startLoadtest(loadCtx, loadtest.Config{URL: bg.url, KeepAliveClients: 2, NewConnectionClients: 1, PostPercent: 20, PostPath: "/echo", Rate: 60})
	rollLoad := startLoadtest(loadCtx, loadtest.Config{URL: k.rollURL, KeepAliveClients: 2, NewConnectionClients: 1, PostPercent: 20, PostPath: "/echo", Rate: 60})
	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { defer close(watched); k.watchWeights(watchCtx) }()

	start := time.Now()
	var outcomes []string
	for d := 0; k.kills < kills; d++ {
		// The first deployments are one rolling (1 kill) and one canary (the rest, 2 by
		// default); then they alternate, with 1 to 3 kills each.
		n := 1 + rand.IntN(3)
		switch d {
		case 0:
			n = 1
		case 1:
			n = max(1, kills-1)
			if kills > 3 {
				n = 2
			}
		}
		n = min(n, kills-k.kills)
		if d%2 == 0 {
			outcomes = append(outcomes, k.rollingDeployment(ctx, d, n))
		} else {
			outcomes = append(outcomes, k.canaryDeployment(ctx, d, n))
		}
		k.checkTasks()
		t.Logf("deployment %d: %s (%d kills so far, %s)", d, outcomes[d], k.kills, time.Since(start).Round(time.Second))
	}
	// Every outcome stays what it was: none changes after it was observed.
	for id, status := range k.ended {
		if got := k.deploymentStatus(id); got != status {
			t.Errorf("deployment %s ended %s, now says %s", id, status, got)
		}
	}
	stopWatch()
	<-watched
	stopLoad()
	for name, load := range map[string]<-chan loadtest.Result{"canary": canaryLoad, "rolling": rollLoad} {
		res := <-load
		t.Logf("load on the %s service's listener:\n%s", name, res)
		checkNoFailures(t, res, 100)
	}
	if bad := k.badWeights.Load(); bad != nil {
		t.Errorf("seen while the deployments ran: %s", *bad)
	}
	fmt.Printf("kill -9 during deployments: %d kills over %d deployments (%s) in %s, %d weight readings\n",
		k.kills, len(outcomes), strings.Join(outcomes, ", "), time.Since(start).Round(time.Second), k.readings.Load())
}

// killSoak is the state of TestKillNineDuringDeployments across server restarts.
type killSoak struct {
	t     *testing.T
	dir   string
	runID string
	s     *server
	cur   atomic.Pointer[[2]any] // the ECS and ELB clients of the running server
	kills int

	bg               blueGreen
	canaryRev        string // the revision the canary service serves
	serving          string // the target group the canary listener sends all traffic to
	rollURL, rollTG  string
	version          int
	ended            map[string]string // CodeDeploy deployment id → its outcome
	readings         atomic.Int64
	badWeights       atomic.Pointer[string]
	mu               sync.Mutex
	phase            int          // counts the changes of allowed and replacementGroup
	allowed          map[int]bool // the replacement's shares the current phase allows
	replacementGroup string
}

// setPhase says which shares of group the canary listener may send from now on.
func (k *killSoak) setPhase(group string, shares ...int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.phase++
	k.replacementGroup, k.allowed = group, map[int]bool{}
	for _, s := range shares {
		k.allowed[s] = true
	}
}

func (k *killSoak) clients() {
	ecsc, elbc := k.s.sdkClients(k.t)
	k.cur.Store(&[2]any{ecsc, elbc})
}

func (k *killSoak) ecs() *ecssdk.Client  { return k.cur.Load()[0].(*ecssdk.Client) }
func (k *killSoak) elb() *elbsdk.Client  { return k.cur.Load()[1].(*elbsdk.Client) }
func (k *killSoak) ctx() context.Context { return context.Background() }

func (k *killSoak) fatalf(f string, args ...any) {
	k.t.Helper()
	k.t.Fatalf(f, args...)
}

// setupRolling creates service roll of cluster demo, 3 tasks behind target group roll and a
// listener of its own, and waits until it has rolled out.
func (k *killSoak) setupRolling(ctx context.Context) (url, tgARN string) {
	t := k.t
	ecsc, elbc := k.ecs(), k.elb()
	tg, err := elbc.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{
		Name: aws.String("roll"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		VpcId: aws.String("vpc-local"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2),
	})
	if err != nil {
		t.Fatal(err)
	}
	tgARN = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	k.rollTG = tgARN
	alb, err := elbc.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("roll"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	if _, err := elbc.CreateListener(ctx, &elbsdk.CreateListenerInput{
		LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(port)),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}},
	}); err != nil {
		t.Fatal(err)
	}
	rev := registerVersion(t, ctx, ecsc, "r0", "RUN_ID", k.runID)
	if _, err := ecsc.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("roll"), TaskDefinition: aws.String(rev), DesiredCount: aws.Int32(3),
		HealthCheckGracePeriodSeconds: aws.Int32(10),
		LoadBalancers:                 []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}); err != nil {
		t.Fatal(err)
	}
	k.waitRolled(rev)
	return fmt.Sprintf("http://127.0.0.1:%d/", port), tgARN
}

// killAndRestart kills the server with SIGKILL after a random moment of up to maxDelay while a
// client creates clusters, restarts it on the same data directory, and checks that every
// cluster whose creation was acknowledged exists.
func (k *killSoak) killAndRestart(maxDelay time.Duration) {
	t := k.t
	ctx, cancel := context.WithCancel(context.Background())
	acked := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ecsc := k.ecs()
	kill := k.kills
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			name := fmt.Sprintf("k%d-c%d", kill, i)
			if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err == nil {
				mu.Lock()
				acked[name] = true
				mu.Unlock()
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	delay := time.Duration(rand.Int64N(int64(maxDelay)))
	time.Sleep(delay)
	if err := k.s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = k.s.cmd.Wait()
	cancel()
	wg.Wait()
	k.kills++
	down := time.Duration(rand.IntN(2000)) * time.Millisecond
	time.Sleep(down)
	k.s = startServer(t, k.dir, killSoakFlags...)
	k.clients()
	checkAcked(t, k.ecs(), acked)
	k.t.Logf("kill %d after %s, down %s: %d acknowledged clusters kept", k.kills, delay.Round(time.Millisecond), down.Round(time.Millisecond), len(acked))
}

// rollingDeployment deploys a new revision to service roll, kills the server kills times
// during it, and waits until it rolled out.
func (k *killSoak) rollingDeployment(ctx context.Context, d, kills int) string {
	k.version++
	rev := registerVersion(k.t, ctx, k.ecs(), fmt.Sprintf("r%d", k.version), "RUN_ID", k.runID)
	if _, err := k.ecs().UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("roll"), TaskDefinition: aws.String(rev)}); err != nil {
		k.fatalf("update-service: %v", err)
	}
	for range kills {
		k.killAndRestart(8 * time.Second)
	}
	k.waitRolled(rev)
	return fmt.Sprintf("rolling %d to %s: succeeded after %d kills", d, rev[strings.LastIndex(rev, ":")+1:], kills)
}

// waitRolled waits until service roll runs only revision rev: one COMPLETED deployment, 3
// running tasks and their 3 healthy targets. A failed rollout fails the test: nothing in
// these deployments may fail.
func (k *killSoak) waitRolled(rev string) {
	deadline := time.Now().Add(3 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		svc, err := k.ecs().DescribeServices(k.ctx(), &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"roll"}})
		if err != nil || len(svc.Services) != 1 {
			k.fatalf("describe-services roll: %v", err)
		}
		th, err := k.elb().DescribeTargetHealth(k.ctx(), &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(k.rollTG)})
		if err != nil {
			k.fatalf("describe-target-health: %v", err)
		}
		healthy := 0
		for _, d := range th.TargetHealthDescriptions {
			if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
				healthy++
			}
		}
		s := svc.Services[0]
		for _, d := range s.Deployments {
			if d.RolloutState == ecstypes.DeploymentRolloutStateFailed {
				k.fatalf("rolling deployment %s failed: %s", aws.ToString(d.Id), aws.ToString(d.RolloutStateReason))
			}
		}
		last = fmt.Sprintf("%d deployments, running %d, pending %d, %d targets (%d healthy)", len(s.Deployments), s.RunningCount, s.PendingCount,
			len(th.TargetHealthDescriptions), healthy)
		if len(s.Deployments) == 1 && aws.ToString(s.Deployments[0].TaskDefinition) == rev &&
			s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted && s.RunningCount == 3 && s.PendingCount == 0 &&
			len(th.TargetHealthDescriptions) == 3 && healthy == 3 {
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	k.fatalf("revision %s did not roll out: %s", rev, last)
}

// canaryDeployment deploys a new revision to service web with the canary config, kills the
// server kills times during it, and checks its one outcome: succeeded with all traffic on
// the replacement, or failed and rolled back with all traffic on the original.
func (k *killSoak) canaryDeployment(ctx context.Context, d, kills int) string {
	k.version++
	rev := registerVersion(k.t, ctx, k.ecs(), fmt.Sprintf("c%d", k.version), "RUN_ID", k.runID)
	original := k.serving
	replacement := k.bg.greenTG
	if original == k.bg.greenTG {
		replacement = k.bg.blueTG
	}
	k.setPhase(replacement, 0, 10, 100)
	id := k.s.createDeployment(k.t, rev, "Canary10Percent1Minute")
	for range kills {
		k.killAndRestart(12 * time.Second)
	}
	k.s.waitDeploymentEnded(k.t, id)
	status := k.deploymentStatus(id)
	surviving, survivingRev := replacement, rev
	switch status {
	case "Succeeded":
	case "Failed", "Stopped":
		info := k.s.awsJSON(k.t, "deploy", "get-deployment", "--deployment-id", id)
		if get(info, "deploymentInfo", "rollbackInfo") == nil {
			k.fatalf("deployment %s %s without a rollback: %v", id, status, info)
		}
		surviving, survivingRev = original, k.canaryRev
	default:
		k.fatalf("deployment %s ended %q", id, status)
	}
	if k.ended == nil {
		k.ended = map[string]string{}
	}
	k.ended[id] = status
	// At the end: all traffic to the surviving task set's group, one task set, its 2 tasks.
	waitProdShare(k.t, k.elb(), k.bg.listenerARN, surviving, 100, 0, 10, 90)
	if surviving == replacement {
		k.setPhase(replacement, 100)
	} else {
		k.setPhase(replacement, 0)
	}
	sets := k.s.waitTaskSetCount(k.t, 1)
	if td, _ := get(sets[0], "taskDefinition").(string); td != survivingRev || get(sets[0], "status") != "PRIMARY" ||
		get(sets[0], "loadBalancers", 0, "targetGroupArn") != surviving {
		k.fatalf("deployment %s %s: the task set left is %v, want %s behind %s", id, status, sets[0], survivingRev, surviving)
	}
	other := k.bg.blueTG
	if surviving == k.bg.blueTG {
		other = k.bg.greenTG
	}
	waitTargets(k.t, k.s, surviving, 2)
	waitTargets(k.t, k.s, other, 0)
	k.serving, k.canaryRev = surviving, survivingRev
	return fmt.Sprintf("canary %d %s: %s after %d kills", d, id, status, kills)
}

func (k *killSoak) deploymentStatus(id string) string {
	info := k.s.awsJSON(k.t, "deploy", "get-deployment", "--deployment-id", id)
	st, _ := get(info, "deploymentInfo", "status").(string)
	return st
}

// watchWeights reads the canary listener's forward again and again while the test runs (the
// server may be down: a failed read is skipped) and records a share of the replacement group
// that no phase of the current deployment has, or a service with a task set or deployment too
// many.
func (k *killSoak) watchWeights(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		k.mu.Lock()
		phase, group, allowed := k.phase, k.replacementGroup, k.allowed
		k.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		out, err := k.elb().DescribeListeners(rctx, &elbsdk.DescribeListenersInput{ListenerArns: []string{k.bg.listenerARN}})
		cancel()
		if err != nil || len(out.Listeners) != 1 {
			continue
		}
		k.mu.Lock()
		changed := k.phase != phase
		k.mu.Unlock()
		if changed {
			continue // the reading may belong to either phase
		}
		// At no moment more than the two task sets of a deployment, nor more than the two
		// deployments (new and old) of a rolling one.
		rctx, cancel = context.WithTimeout(ctx, 5*time.Second)
		svcs, err := k.ecs().DescribeServices(rctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web", "roll"}})
		cancel()
		if err == nil && len(svcs.Services) == 2 {
			for _, svc := range svcs.Services {
				if len(svc.TaskSets) > 2 || len(svc.Deployments) > 2 {
					msg := fmt.Sprintf("service %s with %d task sets and %d deployments at once", aws.ToString(svc.ServiceName), len(svc.TaskSets), len(svc.Deployments))
					k.badWeights.CompareAndSwap(nil, &msg)
				}
			}
		}
		share, ok := forwardShare(out.Listeners[0].DefaultActions, group)
		k.readings.Add(1)
		if !ok || !allowed[share] {
			msg := fmt.Sprintf("the canary listener sent %d%% (readable %v) to %s while only %v were allowed: %+v", share, ok, group, allowed, out.Listeners[0].DefaultActions)
			k.badWeights.CompareAndSwap(nil, &msg)
		}
	}
}

// forwardShare returns the percent of a listener's default forward that goes to group.
func forwardShare(actions []elbtypes.Action, group string) (int, bool) {
	for _, a := range actions {
		if a.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if a.ForwardConfig == nil || len(a.ForwardConfig.TargetGroups) == 0 {
			if aws.ToString(a.TargetGroupArn) == group {
				return 100, true
			}
			return 0, true
		}
		var total, mine int32
		for _, g := range a.ForwardConfig.TargetGroups {
			total += aws.ToInt32(g.Weight)
			if aws.ToString(g.TargetGroupArn) == group {
				mine += aws.ToInt32(g.Weight)
			}
		}
		if total == 0 {
			return 0, false
		}
		return int(100 * mine / total), true
	}
	return 0, false
}

// checkTasks checks that the two services run exactly their 5 tasks between deployments: 3 of
// roll and 2 of web, each with one app process of this run, and no other app process of it.
func (k *killSoak) checkTasks() {
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := k.ecs().ListTasks(k.ctx(), &ecssdk.ListTasksInput{Cluster: aws.String("demo"), DesiredStatus: ecstypes.DesiredStatusRunning})
		if err != nil {
			k.fatalf("list-tasks: %v", err)
		}
		procs := processesWithEnv("RUN_ID="+k.runID, false)
		if len(out.TaskArns) == 5 && len(procs) == 5 {
			return
		}
		if time.Now().After(deadline) {
			k.fatalf("%d running tasks and %d app processes, want 5 each: tasks %v, processes %v", len(out.TaskArns), len(procs), out.TaskArns, procs)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
