package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/runtime/docker/dockertest"
)

// buildFixture is a real server with both drivers (--driver auto) and service "web" of
// family "app", whose first revision runs a local image of examples/hello on Docker.
type buildFixture struct {
	ecs    *ecssdk.Client
	ecr    *ecrsdk.Client
	engine *client.Client
	hello  []byte // examples/hello, a static binary
}

func newBuildFixture(t *testing.T) buildFixture {
	t.Helper()
	engine := dockertest.Engine(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Driver: daemon.DriverAuto}, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	creds, err := credentials.Load(dir)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cfg := apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey)
	f := buildFixture{ecs: ecssdk.NewFromConfig(cfg), ecr: ecrsdk.NewFromConfig(cfg), engine: engine}
	t.Cleanup(func() {
		ids := taskIDs(f.ecs) // read before the server stops; its containers outlive it
		cancel()
		_ = srv.Wait()
		removeTaskContainers(engine, ids)
	})
	binary := dockertest.GoBinary(t, "../../examples/hello")
	if f.hello, err = os.ReadFile(binary); err != nil {
		t.Fatal(err)
	}
	first := dockertest.Image(t, engine, "fargo-cli-deploy-build", binary)
	c := apitest.Context(t)
	if _, err := f.ecs.CreateCluster(c, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ecs.RegisterTaskDefinition(c, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), NetworkMode: types.NetworkModeAwsvpc, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("web"), Image: aws.String(first),
			Essential: aws.Bool(true)}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ecs.CreateService(c, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(1),
	}); err != nil {
		t.Fatal(err)
	}
	o := deployOptions{cluster: "demo", service: "web", timeout: time.Minute, interval: 50 * time.Millisecond}
	if err := waitDeployment(c, f.ecs, o, primaryOf(t, f.ecs), newProgress(&bytes.Buffer{})); err != nil {
		t.Fatalf("first deployment: %v", err)
	}
	return f
}

// buildTaskDef writes the task definition that deploy --build gets: no entry point, so the
// image's runs.
func buildTaskDef(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "task-definition.json")
	doc := `{"family": "app", "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "web", "image": "placeholder", "essential": true,
  "portMappings": [{"containerPort": 8080}], "environment": [{"name": "LISTEN_ADDR", "value": "0.0.0.0:8080"}]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// buildContext writes a build context of files.
func buildContext(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDeployBuild(t *testing.T) {
	t.Parallel()
	f := newBuildFixture(t)
	dir := buildContext(t, map[string][]byte{
		// The build uses the engine's cache, as a user's does; its first layer is this test's
		// own, so that it cannot stand on a parallel test's layers, which their removal may prune.
		"Dockerfile": []byte("FROM scratch\nCOPY nonce /nonce\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n"),
		"nonce":      []byte(t.Name() + time.Now().String()),
		"hello":      f.hello,
	})
	var out bytes.Buffer
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: buildTaskDef(t), wait: true, timeout: 2 * time.Minute,
		interval: 50 * time.Millisecond, build: imageBuild{dir: dir, tag: "t1"}}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	bl := &builder{ecr: f.ecr, engine: f.engine, out: &out}
	if err := deploy(ctx, o, f.ecs, nil, bl, newProgress(&out)); err != nil {
		t.Fatalf("deploy --build: %v\n%s", err, out.String())
	}
	t.Log(out.String())
	var ref, digest string
	for _, line := range strings.Split(out.String(), "\n") {
		if _, r, ok := strings.Cut(line, " pushed "); ok { // after the progress's time
			ref, digest, _ = strings.Cut(r, "@")
		}
	}
	if !strings.HasSuffix(ref, "/app:t1") || !strings.HasPrefix(digest, "sha256:") {
		t.Fatalf("no pushed image in the output:\n%s", out.String())
	}
	t.Cleanup(func() { dockertest.RemoveImage(f.engine, ref) })
	for _, want := range []string{"created repository app", "t1: digest: " + digest, "deployment completed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	tasks := serviceTasks(t, f.ecs)
	if len(tasks) != 1 {
		t.Fatalf("%d running tasks, want 1", len(tasks))
	}
	c := tasks[0].Containers[0]
	if aws.ToString(c.Image) != ref || aws.ToString(c.ImageDigest) != digest {
		t.Errorf("task runs %s (%s), want %s (%s)", aws.ToString(c.Image), aws.ToString(c.ImageDigest), ref, digest)
	}
}

// serviceTasks returns the running tasks of service web.
func serviceTasks(t *testing.T, client *ecssdk.Client) []types.Task {
	t.Helper()
	c := apitest.Context(t)
	list, err := client.ListTasks(c, &ecssdk.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"), DesiredStatus: types.DesiredStatusRunning})
	if err != nil || len(list.TaskArns) == 0 {
		t.Fatalf("list tasks: %v, %v", list, err)
	}
	desc, err := client.DescribeTasks(c, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: list.TaskArns})
	if err != nil {
		t.Fatal(err)
	}
	return desc.Tasks
}

// TestDeployBuildErrors checks that a build that cannot start or fails changes nothing: no
// repository, no task definition revision, the service's deployment as it was.
func TestDeployBuildErrors(t *testing.T) {
	t.Parallel()
	f := newBuildFixture(t)
	tests := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"no Dockerfile", map[string][]byte{"main.go": []byte("package main")}, "no Dockerfile"},
		{"build fails", map[string][]byte{"Dockerfile": []byte("FROM scratch\nCOPY missing /missing\n")}, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			o := deployOptions{cluster: "demo", service: "web", taskDefFile: buildTaskDef(t), wait: true, timeout: time.Minute,
				interval: 50 * time.Millisecond, build: imageBuild{dir: buildContext(t, tt.files)}}
			bl := &builder{ecr: f.ecr, engine: f.engine, out: &out}
			err := deploy(apitest.Context(t), o, f.ecs, nil, bl, newProgress(&out))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("deploy: %v, want an error with %q\n%s", err, tt.want, out.String())
			}
			c := apitest.Context(t)
			tds, err := f.ecs.ListTaskDefinitions(c, &ecssdk.ListTaskDefinitionsInput{FamilyPrefix: aws.String("app")})
			if err != nil || len(tds.TaskDefinitionArns) != 1 {
				t.Errorf("task definitions %v (%v), want only the first", tds.TaskDefinitionArns, err)
			}
			_, err = f.ecr.DescribeRepositories(c, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"app"}})
			if notFound := (*ecrtypes.RepositoryNotFoundException)(nil); !errors.As(err, &notFound) {
				t.Errorf("describe repository app: %v, want RepositoryNotFoundException", err)
			}
			if got := aws.ToString(serviceTasks(t, f.ecs)[0].TaskDefinitionArn); !strings.HasSuffix(got, "task-definition/app:1") {
				t.Errorf("service runs %s, want app:1", got)
			}
		})
	}
}

// taskIDs returns the ids of every task of cluster demo, running or stopped.
func taskIDs(client *ecssdk.Client) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var ids []string
	for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		list, err := client.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String("demo"), DesiredStatus: status})
		if err != nil {
			continue
		}
		for _, arn := range list.TaskArns {
			ids = append(ids, arn[strings.LastIndexByte(arn, '/')+1:])
		}
	}
	return ids
}

// removeTaskContainers removes the containers of the tasks ids, which the Docker driver
// leaves running when the server stops (tasks outlive fargo, to be adopted by the next start).
func removeTaskContainers(engine *client.Client, ids []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range ids {
		list, err := engine.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "fargo.task-id="+id)})
		if err != nil {
			continue
		}
		for _, c := range list.Items {
			_, _ = engine.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
		}
	}
}
