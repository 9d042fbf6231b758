package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/loadtest"
)

// TestRollingDeploysUnderLoad deploys a 3-task service behind the load balancer again and
// again (FARGO_E2E_DEPLOYS times, 30 by default) while clients send constant load: keep-alive
// and new-connection clients, GETs and POSTs, and 2-second requests that are in flight at
// every switch. The app needs 3 s before it passes health checks and exits at once on SIGTERM.
// Not one request may fail.
func TestRollingDeploysUnderLoad(t *testing.T) {
	t.Parallel()
	deploys := 30
	if n, err := strconv.Atoi(os.Getenv("FARGO_E2E_DEPLOYS")); err == nil && n > 0 {
		deploys = n
	}
	s := startServer(t, t.TempDir())
	ecsc, elbc := s.sdkClients(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc)

	loadCtx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	main := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 4, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 150})
	slow := startLoadtest(loadCtx, loadtest.Config{URL: url + "slow?ms=2000", KeepAliveClients: 4, NewConnectionClients: 1, Timeout: 30 * time.Second})

	start := time.Now()
	for i := 1; i <= deploys; i++ {
		rev := registerVersion(t, ctx, ecsc, fmt.Sprintf("v%d", i))
		if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(rev)}); err != nil {
			t.Fatal(err)
		}
		waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	}
	elapsed := time.Since(start)
	stopLoad()
	mainRes, slowRes := <-main, <-slow
	t.Logf("%d rolling deploys in %s (%.1f s each)", deploys, elapsed.Round(time.Second), elapsed.Seconds()/float64(deploys))
	t.Logf("load:\n%s", mainRes)
	t.Logf("2-second requests:\n%s", slowRes)
	fmt.Printf("rolling deploys under load: %d deploys, %d requests, %d failed; %d two-second requests, %d failed\n",
		deploys, mainRes.Requests(), mainRes.Failed(), slowRes.Requests(), slowRes.Failed())
	if mainRes.Failed() != 0 || slowRes.Failed() != 0 || mainRes.Requests() == 0 || slowRes.Requests() == 0 {
		t.Fatalf("requests failed during rolling deploys: %d of %d, slow %d of %d", mainRes.Failed(), mainRes.Requests(), slowRes.Failed(), slowRes.Requests())
	}
}

func startLoadtest(ctx context.Context, cfg loadtest.Config) <-chan loadtest.Result {
	out := make(chan loadtest.Result, 1)
	go func() {
		res, _ := loadtest.Run(ctx, cfg)
		out <- res
	}()
	return out
}

func (s *server) sdkClients(t testing.TB) (*ecssdk.Client, *elbsdk.Client) {
	t.Helper()
	creds, err := credentials.Load(s.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	// These clients poll while the server is busy; like real users' clients they retry.
	cfg := apitest.Config(s.endpoint(), creds.AccessKeyID, creds.SecretAccessKey)
	cfg.Retryer = func() aws.Retryer { return retry.NewStandard() }
	return ecssdk.NewFromConfig(cfg), elbsdk.NewFromConfig(cfg)
}

// setupBalancedService creates a cluster, a target group, a load balancer with a listener and
// a 3-task service of revision v0 behind it, and waits until all 3 targets are healthy.
func setupBalancedService(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, elbc *elbsdk.Client, tags ...ecstypes.Tag) (url, tgARN string) {
	t.Helper()
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	tg, err := elbc.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{
		Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		VpcId: aws.String("vpc-local"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2),
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
	rev := registerVersion(t, ctx, ecsc, "v0")
	if _, err := ecsc.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(rev), DesiredCount: aws.Int32(3),
		HealthCheckGracePeriodSeconds: aws.Int32(10), Tags: tags,
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}); err != nil {
		t.Fatal(err)
	}
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	return fmt.Sprintf("http://127.0.0.1:%d/", port), tgARN
}

// registerVersion registers the example app as revision version: it listens only 3 s after it
// starts and exits at once on SIGTERM.
func registerVersion(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, version string, extraEnv ...string) string {
	t.Helper()
	env := map[string]string{"VERSION": version, "STARTUP_DELAY": "3s", "EXIT_IMMEDIATELY_ON_SIGTERM": "true"}
	for i := 0; i+1 < len(extraEnv); i += 2 {
		env[extraEnv[i]] = extraEnv[i+1]
	}
	var kvs []ecstypes.KeyValuePair
	for k, v := range env {
		kvs = append(kvs, ecstypes.KeyValuePair{Name: aws.String(k), Value: aws.String(v)})
	}
	out, err := ecsc.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("hello"), Command: []string{"hello"}, Environment: kvs, StopTimeout: aws.Int32(5),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// waitRolledOut waits until the service runs only revision rev (one COMPLETED deployment, 3
// tasks) and the target group has exactly its 3 healthy targets.
func waitRolledOut(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, elbc *elbsdk.Client, tgARN, rev string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		th, err := elbc.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
		if err != nil {
			t.Fatal(err)
		}
		healthy := 0
		for _, d := range th.TargetHealthDescriptions {
			if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
				healthy++
			}
		}
		s := svc.Services[0]
		if len(s.Deployments) == 1 && aws.ToString(s.Deployments[0].TaskDefinition) == rev &&
			s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted && s.RunningCount == 3 &&
			len(th.TargetHealthDescriptions) == 3 && healthy == 3 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("revision %s did not roll out", rev)
}
