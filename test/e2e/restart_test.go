package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
)

// TestKillNineAtRandomMoments kills the server with SIGKILL at random moments while clients
// write, restarts it, and checks after every restart that no acknowledged write is lost, that
// the service's tasks kept running (same tasks, same processes) or were replaced, that no
// process runs that fargo does not track, and that the service converges to its desired count.
func TestKillNineAtRandomMoments(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	runID := fmt.Sprintf("restart-%d", rand.Int64())
	t.Cleanup(func() { killProcessesWithEnv("RUN_ID=" + runID) })
	s := startServer(t, dataDir)
	client := s.ecsClient(t)
	ctx := apitest.Context(t)
	mustCreateCluster(t, client, "demo")
	registerHello(t, client, runID)
	if _, err := client.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("hello"), DesiredCount: aws.Int32(3),
	}); err != nil {
		t.Fatal(err)
	}
	waitConverged(t, client, 3, runID)
	acked := map[string]bool{}
	desired := int32(3)
	for round := range 5 {
		before := runningTasks(t, client)
		newDesired := desired
		if round%2 == 1 {
			newDesired = int32(2 + rand.IntN(3))
		}
		acked = writeUntilKilled(t, s, client, round, newDesired, acked, &desired)
		s = startServer(t, dataDir)
		client = s.ecsClient(t)
		checkAcked(t, client, acked)
		waitConverged(t, client, int(desired), runID)
		if desired == int32(len(before)) {
			after := runningTasks(t, client)
			for id := range before {
				if !after[id] {
					t.Logf("round %d: task %s was replaced", round, id)
				}
			}
		}
	}
}

// writeUntilKilled creates clusters and changes the desired count while the server gets
// SIGKILL after a random delay; it returns the clusters whose creation was acknowledged.
func writeUntilKilled(t *testing.T, s *server, client *ecssdk.Client, round int, newDesired int32, acked map[string]bool, desired *int32) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			name := fmt.Sprintf("r%d-c%d", round, i)
			if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err == nil {
				mu.Lock()
				acked[name] = true
				mu.Unlock()
			}
		}
	})
	wg.Go(func() {
		if _, err := client.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int32(newDesired)}); err == nil {
			mu.Lock()
			*desired = newDesired
			mu.Unlock()
		}
	})
	time.Sleep(time.Duration(rand.IntN(1500)) * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
	cancel()
	wg.Wait()
	return acked
}

func checkAcked(t *testing.T, client *ecssdk.Client, acked map[string]bool) {
	t.Helper()
	var names []string
	for n := range acked {
		names = append(names, n)
	}
	for len(names) > 0 {
		batch := names[:min(100, len(names))]
		names = names[len(batch):]
		out, err := client.DescribeClusters(apitest.Context(t), &ecssdk.DescribeClustersInput{Clusters: batch})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range out.Failures {
			t.Errorf("acknowledged cluster lost: %s", aws.ToString(f.Arn))
		}
	}
}

// waitConverged waits until the service runs exactly n tasks and exactly n app processes of
// this test run exist on the machine.
func waitConverged(t *testing.T, client *ecssdk.Client, n int, runID string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		svc, err := client.DescribeServices(apitest.Context(t), &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		procs := processesWithEnv("RUN_ID="+runID, false)
		if err == nil && len(svc.Services) == 1 {
			s := svc.Services[0]
			if int(s.RunningCount) == n && s.PendingCount == 0 && len(s.Deployments) == 1 && len(procs) == n && len(runningTasks(t, client)) == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("not converged to %d: running %d pending %d deployments %d, %d processes %v", n, s.RunningCount, s.PendingCount, len(s.Deployments), len(procs), procs)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("not converged: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func runningTasks(t *testing.T, client *ecssdk.Client) map[string]bool {
	t.Helper()
	out, err := client.ListTasks(apitest.Context(t), &ecssdk.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range out.TaskArns {
		ids[a[strings.LastIndex(a, "/")+1:]] = true
	}
	return ids
}

// killProcessesWithEnvPrefix ends, by PID, every process with an environment entry that
// starts with prefix.
func killProcessesWithEnvPrefix(prefix string) {
	for _, pid := range processesWithEnv(prefix, true) {
		if n, err := strconv.Atoi(pid); err == nil {
			_ = syscall.Kill(n, syscall.SIGKILL)
		}
	}
}

// processesWithEnv lists the PIDs of example app processes whose environment contains kv (or,
// with prefix, an entry starting with kv, and any process name).
func processesWithEnv(kv string, prefix bool) []string {
	entries, _ := os.ReadDir("/proc")
	var pids []string
	for _, e := range entries {
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || !prefix && strings.TrimSpace(string(comm)) != "hello" {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		for _, v := range bytes.Split(env, []byte{0}) {
			if string(v) == kv || prefix && bytes.HasPrefix(v, []byte(kv)) {
				pids = append(pids, e.Name())
				break
			}
		}
	}
	return pids
}

func (s *server) ecsClient(t *testing.T) *ecssdk.Client {
	t.Helper()
	creds, err := credentials.Load(s.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return ecssdk.NewFromConfig(apitest.Config(s.endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
}

func mustCreateCluster(t *testing.T, client *ecssdk.Client, name string) {
	t.Helper()
	if _, err := client.CreateCluster(apitest.Context(t), &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

// registerHello registers the example app with a RUN_ID that marks its processes.
func registerHello(t *testing.T, client *ecssdk.Client, runID string) {
	t.Helper()
	_, err := client.RegisterTaskDefinition(apitest.Context(t), &ecssdk.RegisterTaskDefinitionInput{
		Family:                  aws.String("hello"),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("web"),
			Image:        aws.String("hello:latest"),
			Command:      []string{"hello"},
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
			Environment:  []types.KeyValuePair{{Name: aws.String("RUN_ID"), Value: aws.String(runID)}},
			StopTimeout:  aws.Int32(5),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// killProcessesWithEnv ends, by PID, the app processes a test started, whatever happened.
func killProcessesWithEnv(kv string) {
	for _, pid := range processesWithEnv(kv, false) {
		if n, err := strconv.Atoi(pid); err == nil {
			_ = syscall.Kill(n, syscall.SIGKILL)
		}
	}
}
