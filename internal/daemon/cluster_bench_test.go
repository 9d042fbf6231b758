package daemon_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/benchtest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// The cluster of BenchmarkClusterOfWorkers. Its services' placement constraint keeps their tasks
// on the workers (the members run agents of their own nodes too).
const (
	benchCluster    = "fleet"
	workerAttribute = "role"
	workerRole      = "worker"
	workerIDAttr    = "bench.worker"
)

// BenchmarkClusterOfWorkers runs the control plane of docs/production.md in one process: three
// members on one etcd cluster (their embedded members on loopback) and FARGO_BENCH_WORKERS
// workers (default 20; daemon.RunWorker with the fake driver) joined through the members'
// client URLs. It creates FARGO_BENCH_SERVICES services (default 20) of FARGO_BENCH_TASKS tasks
// (default 20) constrained to the workers and reports
//
//   - tasks-placed/s: tasks RUNNING per second of wall time, from the first CreateService to
//     the last task running (the API, the elected scheduler placing each task on a worker, the
//     workers' agents starting it);
//   - s-to-replace-lost: from the moment the busiest worker stops (its agent gone, as when its
//     machine dies) until every one of its tasks is replaced on the other workers, with the
//     members' --agent-timeout and --lost-instance-grace set to 2 s and 1 s (the instance's
//     silence is counted from its last heartbeat, up to a heartbeat interval before the stop,
//     so about 2.5 to 3 s of it is waiting on purpose).
//
// Run it with
//
//	go test -run '^$' -bench ClusterOfWorkers -benchtime 1x -timeout 30m ./internal/daemon
func BenchmarkClusterOfWorkers(b *testing.B) {
	workers := envInt("FARGO_BENCH_WORKERS", 20)
	services := envInt("FARGO_BENCH_SERVICES", 20)
	tasks := envInt("FARGO_BENCH_TASKS", 20)
	const agentTimeout, grace = 2 * time.Second, time.Second
	var medians benchtest.Medians
	for b.Loop() {
		clientURLs := make([]url.URL, 3)
		for i := range clientURLs {
			clientURLs[i] = freeURL(b)
		}
		members := startClusterWith(b, 3, func(i int, cfg *daemon.Config) {
			cfg.EtcdCluster.ListenClientURLs = []url.URL{clientURLs[i]}
			cfg.AgentTimeout, cfg.LostInstanceGrace = agentTimeout, grace
		})
		waitLeader(b, members)
		endpoints := make([]string, len(clientURLs))
		for i, u := range clientURLs {
			endpoints[i] = u.String()
		}
		client := retryingClient(b, members[0])
		ctx := b.Context()
		if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(benchCluster)}); err != nil {
			b.Fatal(err)
		}
		stops := startWorkers(b, workers, endpoints)
		waitWorkers(b, client, workers)
		registerBenchTask(b, client)

		start := time.Now()
		createWorkerServices(b, client, services, tasks)
		waitRunningOnWorkers(b, client, services*tasks, "")
		placed := time.Since(start)
		medians.Add("tasks-placed/s", float64(services*tasks)/placed.Seconds())

		victim, arn := busiestWorker(b, client)
		lost := time.Now()
		stops[victim]()
		waitRunningOnWorkers(b, client, services*tasks, arn)
		replaced := time.Since(lost)
		medians.Add("s-to-replace-lost", replaced.Seconds())
		b.Logf("3 members, %d workers, %d services × %d tasks: all running after %v (%.0f tasks/s); worker %d lost, its tasks replaced after %v",
			workers, services, tasks, placed.Round(time.Millisecond), float64(services*tasks)/placed.Seconds(), victim, replaced.Round(time.Millisecond))

		for _, stop := range stops {
			stop()
		}
		for _, m := range members {
			m.stop(b)
		}
	}
	medians.Report(b)
}

// startWorkers runs n workers on the fake driver and returns a function per worker that stops
// it (once) and waits for it to end.
func startWorkers(b *testing.B, n int, endpoints []string) []func() {
	stops := make([]func(), n)
	for i := range n {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- daemon.RunWorker(ctx, daemon.WorkerConfig{
				DataDir: b.TempDir(), EtcdEndpoints: endpoints, NodeID: fmt.Sprintf("worker-%02d", i),
				NodeAddr: fmt.Sprintf("127.0.1.%d", i+1), Runtime: fake.New(fake.Config{}), CPU: 4096, Memory: 8192,
				Attributes:        []string{workerAttribute + "=" + workerRole, fmt.Sprintf("%s=%d", workerIDAttr, i)},
				HeartbeatInterval: 500 * time.Millisecond,
			}, nil)
		}()
		var stopped bool
		stops[i] = func() {
			if stopped {
				return
			}
			stopped = true
			cancel()
			if err := <-done; err != nil {
				b.Errorf("worker %d: %v", i, err)
			}
		}
	}
	return stops
}

// workerInstances lists the connected, ACTIVE container instances of workers in the cluster.
func workerInstances(b *testing.B, client *ecssdk.Client) []ecstypes.ContainerInstance {
	ctx := b.Context()
	var arns []string
	p := ecssdk.NewListContainerInstancesPaginator(client, &ecssdk.ListContainerInstancesInput{Cluster: aws.String(benchCluster)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		arns = append(arns, page.ContainerInstanceArns...)
	}
	var out []ecstypes.ContainerInstance
	for len(arns) > 0 {
		batch := arns[:min(len(arns), 100)]
		arns = arns[len(batch):]
		desc, err := client.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String(benchCluster), ContainerInstances: batch})
		if err != nil {
			b.Fatal(err)
		}
		for _, ci := range desc.ContainerInstances {
			if hasAttribute(ci, workerAttribute, workerRole) && ci.AgentConnected && aws.ToString(ci.Status) == "ACTIVE" {
				out = append(out, ci)
			}
		}
	}
	return out
}

func waitWorkers(b *testing.B, client *ecssdk.Client, n int) {
	deadline := time.Now().Add(2 * time.Minute)
	for len(workerInstances(b, client)) < n {
		if time.Now().After(deadline) {
			b.Fatalf("fewer than %d workers registered", n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func registerBenchTask(b *testing.B, client *ecssdk.Client) {
	if _, err := client.RegisterTaskDefinition(b.Context(), &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("batch"), RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("app"), Memory: aws.Int32(64), Cpu: 32}},
	}); err != nil {
		b.Fatal(err)
	}
}

func createWorkerServices(b *testing.B, client *ecssdk.Client, services, tasks int) {
	createServicesWith(b, client, services, func(i int) *ecssdk.CreateServiceInput {
		return &ecssdk.CreateServiceInput{
			Cluster: aws.String(benchCluster), ServiceName: aws.String(fmt.Sprintf("svc-%03d", i)),
			TaskDefinition: aws.String("batch"), DesiredCount: aws.Int32(int32(tasks)), LaunchType: ecstypes.LaunchTypeEc2,
			PlacementConstraints: []ecstypes.PlacementConstraint{{Type: ecstypes.PlacementConstraintTypeMemberOf,
				Expression: aws.String("attribute:" + workerAttribute + " == " + workerRole)}},
			PlacementStrategy: []ecstypes.PlacementStrategy{{Type: ecstypes.PlacementStrategyTypeSpread, Field: aws.String("instanceId")}},
		}
	})
}

// runningTasks lists the RUNNING tasks of the cluster, by container instance ARN.
func runningTasks(b *testing.B, client *ecssdk.Client) map[string]int {
	ctx := b.Context()
	var arns []string
	p := ecssdk.NewListTasksPaginator(client, &ecssdk.ListTasksInput{Cluster: aws.String(benchCluster), DesiredStatus: ecstypes.DesiredStatusRunning})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		arns = append(arns, page.TaskArns...)
	}
	on := map[string]int{}
	for len(arns) > 0 {
		batch := arns[:min(len(arns), 100)]
		arns = arns[len(batch):]
		desc, err := client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String(benchCluster), Tasks: batch})
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range desc.Tasks {
			if aws.ToString(t.LastStatus) == "RUNNING" {
				on[aws.ToString(t.ContainerInstanceArn)]++
			}
		}
	}
	return on
}

// waitRunningOnWorkers polls until want tasks run, none of them on the instance lost (when
// given). It reads the cluster's running count first, which costs one call.
func waitRunningOnWorkers(b *testing.B, client *ecssdk.Client, want int, lost string) {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := client.DescribeClusters(b.Context(), &ecssdk.DescribeClustersInput{Clusters: []string{benchCluster}})
		if err == nil && len(out.Clusters) == 1 && int(out.Clusters[0].RunningTasksCount) >= want {
			on := runningTasks(b, client)
			total := 0
			for _, n := range on {
				total += n
			}
			if total == want && on[lost] == 0 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("%d tasks not running on the workers", want)
}

// busiestWorker is the worker with the most running tasks: its index and instance ARN.
func busiestWorker(b *testing.B, client *ecssdk.Client) (int, string) {
	on := runningTasks(b, client)
	best, arn := -1, ""
	for _, ci := range workerInstances(b, client) {
		a := aws.ToString(ci.ContainerInstanceArn)
		if best < 0 || on[a] > on[arn] {
			arn = a
			for _, attr := range ci.Attributes {
				if aws.ToString(attr.Name) == workerIDAttr {
					_, _ = fmt.Sscan(aws.ToString(attr.Value), &best)
				}
			}
		}
	}
	if best < 0 {
		b.Fatal("no worker runs tasks")
	}
	return best, arn
}

// retryingClient is a client of member m with the SDK's standard retries, unlike the tests'
// clients: one transient connection error must not end a measurement of minutes.
func retryingClient(b *testing.B, m *member) *ecssdk.Client {
	creds, err := credentials.Load(m.dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := apitest.Config(m.srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey)
	cfg.Retryer = nil
	return ecssdk.NewFromConfig(cfg)
}
