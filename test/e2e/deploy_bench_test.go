package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/benchtest"
)

// BenchmarkDeployLatency measures a rolling deployment of the example app behind the load
// balancer, from UpdateService until every target is the new revision and every old task has
// stopped, for services of 1 and 10 tasks, and reports the median over the deployments. Run it
// with
//
//	FARGO_E2E=1 go test -run '^$' -bench DeployLatency -benchtime 5x ./test/e2e
func BenchmarkDeployLatency(b *testing.B) {
	for _, tasks := range []int{1, 10} {
		b.Run(fmt.Sprintf("tasks=%d", tasks), func(b *testing.B) {
			s := startServer(b, b.TempDir())
			ecsc, elbc := s.sdkClients(b)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
			defer cancel()
			tgARN := benchService(b, ctx, ecsc, elbc, tasks)
			var medians benchtest.Medians
			i := 0
			for b.Loop() {
				i++
				rev := registerApp(b, ctx, ecsc, fmt.Sprintf("v%d", i))
				start := time.Now()
				if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(rev)}); err != nil {
					b.Fatal(err)
				}
				waitOnlyRevision(b, ctx, ecsc, elbc, tgARN, rev, tasks)
				medians.Add("s/deploy", time.Since(start).Seconds())
			}
			medians.Report(b)
		})
	}
}

// benchService creates a service of n tasks of the example app (instant start, health check
// every 5 s) behind a load balancer.
func benchService(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, elbc *elbsdk.Client, n int) string {
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		b.Fatal(err)
	}
	tg, err := elbc.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{
		Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		VpcId: aws.String("vpc-local"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5), HealthyThresholdCount: aws.Int32(2),
	})
	if err != nil {
		b.Fatal(err)
	}
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	alb, err := elbc.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := elbc.CreateListener(ctx, &elbsdk.CreateListenerInput{
		LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(freePort(b))),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}},
	}); err != nil {
		b.Fatal(err)
	}
	rev := registerApp(b, ctx, ecsc, "v0")
	if _, err := ecsc.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(rev), DesiredCount: aws.Int32(int32(n)),
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}); err != nil {
		b.Fatal(err)
	}
	waitOnlyRevision(b, ctx, ecsc, elbc, tgARN, rev, n)
	return tgARN
}

func registerApp(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, version string) string {
	out, err := ecsc.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("hello"), Command: []string{"hello"}, StopTimeout: aws.Int32(5),
			Environment:  []ecstypes.KeyValuePair{{Name: aws.String("VERSION"), Value: aws.String(version)}},
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}},
		}},
	})
	if err != nil {
		b.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// waitOnlyRevision polls until the target group has exactly n healthy targets, all of rev's
// tasks, and no task of another revision is left.
func waitOnlyRevision(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, elbc *elbsdk.Client, tgARN, rev string, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			b.Fatal(err)
		}
		th, err := elbc.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
		if err != nil {
			b.Fatal(err)
		}
		healthy := 0
		for _, d := range th.TargetHealthDescriptions {
			if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
				healthy++
			}
		}
		s := svc.Services[0]
		if len(s.Deployments) == 1 && aws.ToString(s.Deployments[0].TaskDefinition) == rev && int(s.RunningCount) == n &&
			len(th.TargetHealthDescriptions) == n && healthy == n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatalf("revision %s did not roll out", rev)
}
