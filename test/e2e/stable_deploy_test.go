package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestDeployRightAfterStable starts a rolling deployment the moment the services-stable waiter
// succeeds, while the old tasks' targets are still in their first health checks (issue 12,
// item 8). The app needs 1.5 s to start. The old tasks must stay until a new task is healthy
// (DESIGN.md, invariant 8): their stop events come after the first new target passed, and load
// sent from the moment the listener first answered sees no failed request.
func TestDeployRightAfterStable(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	ecsc, elbc := s.sdkClients(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	url, tgARN := createBalancedService(t, ctx, ecsc, elbc, "STARTUP_DELAY", "1500ms")

	waiter := ecssdk.NewServicesStableWaiter(ecsc, func(o *ecssdk.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := waiter.Wait(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	old := registeredTargets(t, ctx, elbc, tgARN, 3)
	rev := registerVersion(t, ctx, ecsc, "v1", "STARTUP_DELAY", "1500ms")
	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(rev)}); err != nil {
		t.Fatal(err)
	}
	deployed := time.Now()
	if n := countState(old, elbtypes.TargetHealthStateEnumHealthy); n == len(old) {
		t.Fatalf("all %d old targets passed before the deployment began: the test did not deploy during their first checks", n)
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	firstNew := watchFirstNewHealthy(watchCtx, elbc, tgARN, old)
	loadCtx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	if err := waitServing(ctx, url); err != nil {
		t.Fatal(err)
	}
	load := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 4, NewConnectionClients: 1, Rate: 150})

	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	stopLoad()
	stopWatch()
	res := <-load
	newHealthy := firstNew()
	t.Logf("load from the first answer to the end of the deployment:\n%s", res)
	if newHealthy.IsZero() {
		t.Fatal("no new target was seen healthy")
	}
	svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	stops := stopEvents(svc.Services[0])
	if len(stops) == 0 {
		t.Fatalf("no stop events: %+v", svc.Services[0].Events)
	}
	// The poll that saw the first new target healthy may come a moment after the scheduler
	// saw it; stopping old tasks seconds early is what the test is after.
	const pollSlack = time.Second
	earliest := slices.MinFunc(stops, time.Time.Compare)
	for _, at := range stops {
		if at.Before(newHealthy.Add(-pollSlack)) {
			t.Errorf("old tasks stopped %s after the deployment began, %s before the first new target was healthy",
				at.Sub(deployed).Round(10*time.Millisecond), newHealthy.Sub(at).Round(10*time.Millisecond))
		}
	}
	fmt.Printf("deploy right after stable: old tasks stopped %s after the deployment began, first new target healthy after %s; %d requests, %d failed\n",
		earliest.Sub(deployed).Round(10*time.Millisecond), newHealthy.Sub(deployed).Round(10*time.Millisecond), res.Requests(), res.Failed())
	if res.Failed() != 0 || res.Requests() == 0 {
		t.Fatalf("%d of %d requests failed during a deployment right after the service became stable", res.Failed(), res.Requests())
	}
}

// createBalancedService creates a cluster, a target group (checks every 5 s), a load balancer
// with a listener and a 3-task service of revision v0 behind it (grace period 10 s); it does not
// wait for the tasks. extraEnv goes to the app.
func createBalancedService(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, elbc *elbsdk.Client, extraEnv ...string) (url, tgARN string) {
	t.Helper()
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	tg, err := elbc.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{
		Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		VpcId: aws.String("vpc-local"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2),
	})
	if err != nil {
		t.Fatal(err)
	}
	tgARN = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	alb, err := elbc.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
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
	rev := registerVersion(t, ctx, ecsc, "v0", extraEnv...)
	if _, err := ecsc.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(rev), DesiredCount: aws.Int32(3),
		HealthCheckGracePeriodSeconds: aws.Int32(10),
		LoadBalancers:                 []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d/", port), tgARN
}

// registeredTargets waits until the group has n targets and returns them.
func registeredTargets(t *testing.T, ctx context.Context, elbc *elbsdk.Client, tgARN string, n int) []elbtypes.TargetHealthDescription {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		th, err := elbc.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
		if err != nil {
			t.Fatal(err)
		}
		if len(th.TargetHealthDescriptions) == n {
			return th.TargetHealthDescriptions
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d targets registered, want %d", len(th.TargetHealthDescriptions), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countState(ds []elbtypes.TargetHealthDescription, state elbtypes.TargetHealthStateEnum) int {
	n := 0
	for _, d := range ds {
		if d.TargetHealth != nil && d.TargetHealth.State == state {
			n++
		}
	}
	return n
}

// watchFirstNewHealthy polls the group until ctx ends and returns a function that tells when a
// target other than old was first seen healthy (zero: never).
func watchFirstNewHealthy(ctx context.Context, elbc *elbsdk.Client, tgARN string, old []elbtypes.TargetHealthDescription) func() time.Time {
	key := func(d elbtypes.TargetHealthDescription) string {
		return fmt.Sprintf("%s:%d", aws.ToString(d.Target.Id), aws.ToInt32(d.Target.Port))
	}
	known := map[string]bool{}
	for _, d := range old {
		known[key(d)] = true
	}
	var mu sync.Mutex
	var first time.Time
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			th, err := elbc.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
			seen := time.Now()
			if err == nil {
				for _, d := range th.TargetHealthDescriptions {
					if !known[key(d)] && d.TargetHealth != nil && d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
						mu.Lock()
						if first.IsZero() {
							first = seen
						}
						mu.Unlock()
					}
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return func() time.Time {
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return first
	}
}

// waitServing waits until the listener answers 200.
func waitServing(ctx context.Context, url string) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s never answered 200", url)
}

// stopEvents returns when the service recorded that it stopped tasks.
func stopEvents(s ecstypes.Service) []time.Time {
	var out []time.Time
	for _, e := range s.Events {
		if strings.Contains(aws.ToString(e.Message), "has stopped") {
			out = append(out, aws.ToTime(e.CreatedAt))
		}
	}
	return out
}
