package logsapitest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// Region and AccountID of every test server.
const (
	Region    = "us-east-1"
	AccountID = "000000000000"
)

// Env is a running front door with its store, its log source and a CloudWatch Logs client.
type Env struct {
	URL   string
	Store *store.Store
	// Source is what the API reads containers' output from; tests Append to it.
	Source *Source
	// DataDir holds the server's credentials, as a real data directory does.
	DataDir     string
	Credentials credentials.Credentials
	// AWS is the SDK configuration of Logs: the test server's endpoint, its credentials, and
	// no retries (a test must see the first answer).
	AWS  aws.Config
	Logs *logssdk.Client
}

// New starts a front door serving CloudWatch Logs and the services extra builds over the same
// store; it stops when the test ends.
func New(t testing.TB, extra ...func(*store.Store) awsproto.Service) *Env {
	t.Helper()
	dir := t.TempDir()
	creds, err := credentials.Ensure(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := credentials.NewKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	src := NewSource()
	services := []awsproto.Service{logsapi.New(st, src, time.Now).Service()}
	for _, build := range extra {
		services = append(services, build(st))
	}
	front, err := api.New(api.Config{AccountID: AccountID}, api.Deps{Credentials: keys.Lookup}, services...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	cfg := aws.Config{
		Region:       Region,
		Credentials:  awscreds.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	return &Env{URL: srv.URL, Store: st, Source: src, DataDir: dir, Credentials: creds, AWS: cfg, Logs: logssdk.NewFromConfig(cfg)}
}

// Context returns a context for API calls that ends with the test.
func Context(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// PutCluster writes an ACTIVE cluster.
func (e *Env) PutCluster(t testing.TB, name string, created time.Time) {
	t.Helper()
	c := ecs.Cluster{
		Name: name, ARN: "arn:aws:ecs:" + Region + ":" + AccountID + ":cluster/" + name,
		Status: ecs.ClusterActive, CreatedAt: created,
	}
	if _, err := e.Store.Clusters.Create(Context(t), name, c); err != nil {
		t.Fatal(err)
	}
}

// PutTaskDefinition writes revision rev of family with containers and returns it.
func (e *Env) PutTaskDefinition(t testing.TB, family string, rev int, containers ...ecs.ContainerDefinition) ecs.TaskDefinition {
	t.Helper()
	td := ecs.TaskDefinition{
		ARN:    TaskDefinitionARN(family, rev),
		Family: family, Revision: rev, Status: ecs.TaskDefinitionStatusActive,
		ContainerDefinitions: containers,
	}
	if _, err := e.Store.TaskDefinitions.Create(Context(t), store.TaskDefinitionID(family, rev), td); err != nil {
		t.Fatal(err)
	}
	return td
}

// PutTask writes a RUNNING task of td in cluster with every container of td running, and
// returns it. group is "service:<name>" for a service's task, else "family:<family>".
func (e *Env) PutTask(t testing.TB, cluster, id string, td ecs.TaskDefinition, group string, created time.Time) ecs.Task {
	t.Helper()
	task := Task(cluster, id, td, group, created)
	if _, err := e.Store.Tasks.Create(Context(t), store.TaskID(cluster, id), task); err != nil {
		t.Fatal(err)
	}
	return task
}

// Task returns a RUNNING task of td in cluster with every container of td running.
func Task(cluster, id string, td ecs.TaskDefinition, group string, created time.Time) ecs.Task {
	scope := "arn:aws:ecs:" + Region + ":" + AccountID + ":"
	task := ecs.NewTask(td, ecs.TaskParams{
		ID: id, ClusterName: cluster, ClusterARN: scope + "cluster/" + cluster,
		ARN: scope + "task/" + cluster + "/" + id, Group: group, CreatedAt: created,
	})
	if name, ok := strings.CutPrefix(group, "service:"); ok {
		task.ServiceName = name
	}
	task.LastStatus, task.StartedAt = ecs.TaskRunning, created
	for i := range task.Containers {
		task.Containers[i].LastStatus = ecs.ContainerRunning
		task.Containers[i].RuntimeID = logsapi.ContainerID(id, task.Containers[i].Name)
	}
	return task
}

// StopTask marks the task stopped, as the agent leaves it.
func (e *Env) StopTask(t testing.TB, cluster, id string, at time.Time) {
	t.Helper()
	_, err := e.Store.Tasks.Update(Context(t), store.TaskID(cluster, id), func(task *ecs.Task) error {
		*task = task.RequestStop(ecs.StopUserInitiated, "Task stopped by user", at)
		task.LastStatus, task.StoppedAt = ecs.TaskStopped, at
		for i := range task.Containers {
			task.Containers[i].LastStatus = ecs.ContainerStopped
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TaskDefinitionARN is the ARN of revision rev of family on the test server.
func TaskDefinitionARN(family string, rev int) string {
	return ecs.TaskDefinitionARN(arnScope(), family, rev)
}

// Awslogs is a log configuration of the awslogs driver with group and stream prefix.
func Awslogs(group, prefix string) ecs.LogConfiguration {
	opts := map[string]string{"awslogs-group": group, "awslogs-region": Region}
	if prefix != "" {
		opts["awslogs-stream-prefix"] = prefix
	}
	return ecs.LogConfiguration{LogDriver: ecs.LogDriverAwslogs, Options: opts}
}

func arnScope() arn.Scope { return arn.Scope{Partition: "aws", Region: Region, AccountID: AccountID} }
