package logsapitest

import (
	"context"
	"strings"
	"testing"
	"time"

	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/store"
)

// Region and AccountID of every test server.
const (
	Region    = apitest.Region
	AccountID = apitest.AccountID
)

// Env is a running front door with its store, its log source and a CloudWatch Logs client.
type Env struct {
	*apitest.Server
	// Source is what the API reads containers' output from; tests Append to it.
	Source *Source
	// Events keeps the events clients write, in a temporary directory.
	Events *logstore.Store
	// Logs uses Server.AWS.
	Logs *logssdk.Client
}

// New starts a front door serving CloudWatch Logs and the services extra builds over the same
// store; it stops when the test ends.
func New(t testing.TB, extra ...func(*store.Store) awsproto.Service) *Env {
	t.Helper()
	return NewWithClock(t, time.Now, extra...)
}

// NewWithClock is New with the API's clock.
func NewWithClock(t testing.TB, now func() time.Time, extra ...func(*store.Store) awsproto.Service) *Env {
	t.Helper()
	src := NewSource()
	events, err := logstore.Open(logstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	logs := func(st *store.Store) awsproto.Service { return logsapi.New(st, src, events, now).Service() }
	srv := apitest.Start(t, append([]func(*store.Store) awsproto.Service{logs}, extra...)...)
	return &Env{Server: srv, Source: src, Events: events, Logs: logssdk.NewFromConfig(srv.AWS)}
}

// Context returns a context for API calls that ends with the test.
func Context(t testing.TB) context.Context {
	t.Helper()
	return apitest.Context(t)
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
