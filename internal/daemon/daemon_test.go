package daemon_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/benchtest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/errdefs"
)

// startServer starts a server on a free port in dir and returns it with an ECS client.
func startServer(t testing.TB, ctx context.Context, dir string) (*daemon.Server, *ecssdk.Client) {
	t.Helper()
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return srv, clientFor(t, srv, dir)
}

// clientFor returns an ECS client for the server of dir.
func clientFor(t testing.TB, srv *daemon.Server, dir string) *ecssdk.Client {
	t.Helper()
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ecssdk.NewFromConfig(apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
}

func TestServerKeepsStateAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	srv, client := startServer(t, ctx, dir)
	if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
	state, err := daemon.ReadState(dir)
	if err != nil || state.Endpoint != srv.Endpoint() || state.Region != "us-east-1" {
		t.Fatalf("state %+v, %v", state, err)
	}
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	t.Cleanup(cancel2)
	srv2, client2 := startServer(t, ctx2, dir)
	out, err := client2.DescribeClusters(ctx2, &ecssdk.DescribeClustersInput{Clusters: []string{"kept"}})
	if err != nil || len(out.Clusters) != 1 {
		t.Fatalf("after restart: %+v, %v", out, err)
	}
	cancel2()
	if err := srv2.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestDataDirIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	srv, _ := startServer(t, ctx, dir)
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, credentials.Path(dir): 0o600, credentials.SecretsKeyPath(dir): 0o600} {
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, st.Mode().Perm(), err, want)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  daemon.Config
	}{
		{"no data dir", daemon.Config{}},
		{"bad address", daemon.Config{DataDir: "x", APIAddr: "nonsense"}},
		{"bad region", daemon.Config{DataDir: "x", Region: "Mars"}},
		{"bad account", daemon.Config{DataDir: "x", AccountID: "123"}},
		{"bad driver", daemon.Config{DataDir: "x", Driver: "podman"}},
		{"bad region among regions", daemon.Config{DataDir: "x", Regions: []string{"us-east-1", "Mars"}}},
		{"regions without the home region", daemon.Config{DataDir: "x", Regions: []string{"ap-northeast-2"}}},
		{"time running backwards", daemon.Config{DataDir: "x", TimeScale: -1}},
		{"minutes shorter than a millisecond", daemon.Config{DataDir: "x", TimeScale: daemon.MaxTimeScale + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := daemon.Start(context.Background(), tt.cfg, nil); err == nil {
				t.Fatal("Start accepted an invalid config")
			}
		})
	}
}

// TestTimeScale checks the length of a deployment minute that the deployer gets: a real one
// unless the time is scaled.
func TestTimeScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scale int
		want  time.Duration
	}{
		{0, time.Minute},
		{1, time.Minute},
		{12, 5 * time.Second},
		{60, time.Second},
		{daemon.MaxTimeScale, time.Millisecond},
	}
	for _, tt := range tests {
		if got := (daemon.Config{TimeScale: tt.scale}).Minute(); got != tt.want {
			t.Errorf("time scale %d: a minute lasts %s, want %s", tt.scale, got, tt.want)
		}
	}
}

func TestReadStateWithoutServer(t *testing.T) {
	t.Parallel()
	if _, err := daemon.ReadState(t.TempDir()); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkStartToFirstCall measures how long a server on a fresh data directory takes from
// Start to the first answered API call (embedded etcd included), then stops it; it reports the
// median over the starts.
func BenchmarkStartToFirstCall(b *testing.B) {
	var medians benchtest.Medians
	for b.Loop() {
		dir := b.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		srv, client := startServer(b, ctx, dir)
		if _, err := client.ListClusters(ctx, &ecssdk.ListClustersInput{}); err != nil {
			b.Fatal(err)
		}
		medians.Add("ms-to-first-call", float64(time.Since(start).Milliseconds()))
		cancel()
		if err := srv.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	medians.Report(b)
}

// TestDockerWithoutEngine runs a server with --driver docker where no engine answers: it
// serves, and a task stops with a reason that says why.
func TestDockerWithoutEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "docker.sock"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := filepath.Join(t.TempDir(), "data")
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Driver: daemon.DriverDocker}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := clientFor(t, srv, dir)
	if _, err := client.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("127.0.0.1:4566/demo:latest"), Memory: aws.Int32(64),
		}},
	}); err != nil {
		t.Fatal(err)
	}
	var run *ecssdk.RunTaskOutput
	deadline := time.Now().Add(30 * time.Second)
	for run == nil || len(run.Tasks) == 0 { // until the agent registered its container instance
		if run, err = client.RunTask(ctx, &ecssdk.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("app")}); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no task placed: %+v", run.Failures)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		out, err := client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{aws.ToString(run.Tasks[0].TaskArn)}})
		if err != nil {
			t.Fatal(err)
		}
		task := out.Tasks[0]
		if aws.ToString(task.LastStatus) == "STOPPED" {
			if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.Contains(aws.ToString(task.StoppedReason), "no Docker engine answers") {
				t.Fatalf("stopped %s: %q; want TaskFailedToStart saying that no engine answers", task.StopCode, aws.ToString(task.StoppedReason))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the task is %s after 30 s", aws.ToString(task.LastStatus))
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatal(err)
	}
}
