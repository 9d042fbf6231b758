package cli

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	taskA = "aaaaaaaa111111111111111111111111"
	taskB = "bbbbbbbb222222222222222222222222"
	taskC = "cccccccc333333333333333333333333"
	taskD = "dddddddd444444444444444444444444"
)

// demo is a server with cluster "demo" running service "web" (task A running and healthy on
// host port 32768, task B stopped; containers "web", which logs with awslogs, and "sidecar")
// and cluster "other" running task C of family "batch".
func demo(t *testing.T) *testServer {
	t.Helper()
	srv := newTestServer(t)
	srv.PutCluster(t, "demo", t0)
	srv.PutCluster(t, "other", t0)
	web := srv.PutTaskDefinition(t, "web", 1,
		ecs.ContainerDefinition{Name: "web", Image: "web", Essential: true, LogConfiguration: logsapitest.Awslogs("/ecs/web", "ecs")},
		ecs.ContainerDefinition{Name: "sidecar", Image: "sidecar"},
	)
	batch := srv.PutTaskDefinition(t, "batch", 1, ecs.ContainerDefinition{Name: "job", Image: "job", Essential: true})
	svc := ecs.Service{
		Name: "web", ARN: "arn:aws:ecs:us-east-1:000000000000:service/demo/web",
		ClusterName: "demo", ClusterARN: "arn:aws:ecs:us-east-1:000000000000:cluster/demo",
		Status: ecs.ServiceActive, TaskDefinitionARN: web.ARN, DesiredCount: 2, LaunchType: "FARGATE",
		SchedulingStrategy: "REPLICA", CreatedAt: t0,
		Deployments: []ecs.Deployment{{
			ID: "ecs-svc/1", Status: ecs.DeploymentPrimary, TaskDefinitionARN: web.ARN, DesiredCount: 2,
			CreatedAt: t0, UpdatedAt: t0, RolloutState: ecs.RolloutInProgress,
		}},
	}
	if _, err := srv.Store.Services.Create(logsapitest.Context(t), store.ServiceID("demo", "web"), svc); err != nil {
		t.Fatal(err)
	}
	a := serviceTask("demo", taskA, web, t0)
	a.HealthStatus = ecs.HealthHealthy
	a.Containers[0].NetworkBindings = []ecs.NetworkBinding{{BindIP: "127.0.0.1", ContainerPort: 80, HostPort: 32768, Protocol: ecs.TransportProtocolTCP}}
	srv.putTask(t, a)
	srv.putTask(t, serviceTask("demo", taskB, web, t0.Add(-time.Hour)))
	srv.StopTask(t, "demo", taskB, t0.Add(-time.Minute))
	srv.PutTask(t, "other", taskC, batch, "family:batch", t0.Add(-3*time.Hour))
	return srv
}

func serviceTask(cluster, id string, td ecs.TaskDefinition, created time.Time) ecs.Task {
	task := logsapitest.Task(cluster, id, td, "service:web", created)
	task.DeploymentID = "ecs-svc/1"
	return task
}

func (s *testServer) putTask(t *testing.T, task ecs.Task) {
	t.Helper()
	if _, err := s.Store.Tasks.Create(logsapitest.Context(t), store.TaskID(task.ClusterName, task.ID), task); err != nil {
		t.Fatal(err)
	}
}
