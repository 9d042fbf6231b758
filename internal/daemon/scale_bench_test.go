package daemon_test

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/benchtest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// BenchmarkConverge creates FARGO_BENCH_SERVICES services (default 1000) of
// FARGO_BENCH_TASKS tasks each (default 10) on one server with the fake driver and embedded
// etcd, and reports the time until every task runs and the server's heap (medians, when it
// runs more than once). Run it with
//
//	go test -run '^$' -bench Converge -benchtime 1x -timeout 30m ./internal/daemon
func BenchmarkConverge(b *testing.B) {
	services := envInt("FARGO_BENCH_SERVICES", 1000)
	tasks := envInt("FARGO_BENCH_TASKS", 10)
	var medians benchtest.Medians
	for b.Loop() {
		dir := b.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Runtime: fake.New(fake.Config{})}, nil)
		if err != nil {
			b.Fatal(err)
		}
		creds, err := credentials.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		client := ecssdk.NewFromConfig(apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
		setupScale(b, client)
		start := time.Now()
		createServices(b, client, services, tasks)
		created := time.Since(start)
		waitAllRunning(b, client, services*tasks)
		elapsed := time.Since(start)
		var ms goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&ms)
		medians.Add("s-to-create", created.Seconds())
		medians.Add("s-to-converge", elapsed.Seconds())
		medians.Add("MiB-heap", float64(ms.HeapInuse)/(1<<20))
		medians.Add("MiB-sys", float64(ms.Sys)/(1<<20))
		b.Logf("%d services × %d tasks: created in %v, all running after %v, heap %.0f MiB, sys %.0f MiB",
			services, tasks, created.Round(time.Millisecond), elapsed.Round(time.Millisecond), float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20))
		cancel()
		if err := srv.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	medians.Report(b)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func setupScale(b *testing.B, client *ecssdk.Client) {
	ctx := context.Background()
	if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("scale")}); err != nil {
		b.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("app"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}}},
	}); err != nil {
		b.Fatal(err)
	}
}

func createServices(b *testing.B, client *ecssdk.Client, services, tasks int) {
	createServicesWith(b, client, services, func(i int) *ecssdk.CreateServiceInput {
		return &ecssdk.CreateServiceInput{
			Cluster: aws.String("scale"), ServiceName: aws.String(fmt.Sprintf("svc-%04d", i)),
			TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(int32(tasks)),
		}
	})
}

// createServicesWith creates services services, service i as input(i) says, 8 clients at a
// time.
func createServicesWith(b *testing.B, client *ecssdk.Client, services int, input func(i int) *ecssdk.CreateServiceInput) {
	var g errgroup.Group
	g.SetLimit(8)
	for i := range services {
		g.Go(func() error {
			_, err := client.CreateService(context.Background(), input(i))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
}

func waitAllRunning(b *testing.B, client *ecssdk.Client, want int) {
	deadline := time.Now().Add(30 * time.Minute)
	for {
		out, err := client.DescribeClusters(context.Background(), &ecssdk.DescribeClustersInput{Clusters: []string{"scale"}})
		if err == nil && len(out.Clusters) == 1 && int(out.Clusters[0].RunningTasksCount) == want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("not converged: %+v %v", out, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
