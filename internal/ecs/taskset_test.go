package ecs

import (
	"errors"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// externalService is an ACTIVE EXTERNAL service as CreateService stores it.
func externalService(t *testing.T, desired int) Service {
	t.Helper()
	s := Service{Name: "web", ClusterName: "default", DesiredCount: desired, DeploymentController: ControllerExternal,
		NetworkConfiguration:    NetworkConfiguration{Subnets: []string{"subnet-1"}},
		DeploymentConfiguration: DefaultDeploymentConfiguration(SchedulingReplica, ControllerExternal)}
	s, err := ValidateService(s, TaskDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return NewService(s, "ecs-svc/1", t0)
}

func TestComputedDesiredCount(t *testing.T) {
	for _, tc := range []struct {
		desired int
		scale   float64
		want    int
	}{{3, 100, 3}, {3, 0, 0}, {3, 10, 1}, {10, 15, 2}, {3, 100.0 / 3, 1}, {0, 100, 0}, {7, 50, 4}} {
		if got := ComputedDesiredCount(tc.desired, tc.scale); got != tc.want {
			t.Errorf("ComputedDesiredCount(%d, %v) = %d, want %d", tc.desired, tc.scale, got, tc.want)
		}
	}
}

func TestTaskSetLifecycle(t *testing.T) {
	td := webTaskDefinition()
	s := externalService(t, 4)
	lb := []LoadBalancer{{TargetGroupARN: testTargetGroup, ContainerName: "web", ContainerPort: 80}}
	s, blue, err := CreateTaskSet(s, TaskSet{ID: "ecs-svc/blue", Scale: 100, LoadBalancers: lb, ClientToken: "tok"}, td, t0)
	if err != nil {
		t.Fatal(err)
	}
	if blue.Status != TaskSetActive || blue.LaunchType != "FARGATE" || blue.NetworkConfiguration.Subnets[0] != "subnet-1" ||
		blue.TaskDefinitionARN != td.ARN || blue.StabilityStatus != StabilityStabilizing {
		t.Fatalf("created %+v", blue)
	}
	if again, retry, err := CreateTaskSet(s, TaskSet{ID: "ecs-svc/other", Scale: 50, ClientToken: "tok"}, td, t0); err != nil || retry.ID != blue.ID || len(again.TaskSets) != 1 {
		t.Fatalf("retry with the client token: %+v, %v", retry, err)
	}
	s, green, err := CreateTaskSet(s, TaskSet{ID: "ecs-svc/green", Scale: 0, LoadBalancers: lb}, td, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.TaskSetDesiredCount(green); got != 0 {
		t.Fatalf("green at 0%%: %d tasks", got)
	}
	if s, _, err = UpdateTaskSetScale(s, green.ID, 50, "PERCENT", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	green, _ = s.TaskSet(green.ID)
	if s.TaskSetDesiredCount(green) != 2 || !green.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("green at 50%%: %+v", green)
	}
	if s, _, err = SetPrimaryTaskSet(s, blue.ID, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SetPrimaryTaskSet(s, "ecs-svc/none", t0); !errors.Is(err, ErrTaskSetNotFound) {
		t.Fatalf("unknown task set made primary: %v", err)
	}
	if s, _, err = SetPrimaryTaskSet(s, green.ID, t0); err != nil {
		t.Fatal(err)
	}
	blue, _ = s.TaskSet(blue.ID)
	green, _ = s.TaskSet(green.ID)
	if blue.Status != TaskSetActive || green.Status != TaskSetPrimary {
		t.Fatalf("after switching: blue %s, green %s", blue.Status, green.Status)
	}
	if s.TaskDefinitionARN != green.TaskDefinitionARN || len(s.LoadBalancers) != 1 || s.LaunchType != green.LaunchType {
		t.Fatalf("the service does not report its primary task set: %+v", s)
	}
	if _, _, err := DeleteTaskSet(s, blue.ID, false, t0); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("deleting a scaled-up task set without force: %v", err)
	}
	s, blue, err = DeleteTaskSet(s, blue.ID, true, t0)
	if err != nil || blue.Status != TaskSetDraining || s.TaskSetDesiredCount(blue) != 0 {
		t.Fatalf("forced delete: %+v, %v", blue, err)
	}
	if _, _, err := UpdateTaskSetScale(s, blue.ID, 10, "", t0); err == nil {
		t.Fatal("a draining task set was scaled")
	}
}

func TestTaskSetRefusals(t *testing.T) {
	td := webTaskDefinition()
	ecsService := NewService(baseService(td), "ecs-svc/1", t0)
	ecsService.DeploymentController = ControllerECS
	if _, _, err := CreateTaskSet(ecsService, TaskSet{ID: "x", Scale: 100}, td, t0); !errors.Is(err, ErrNotExternal) {
		t.Errorf("task set on an ECS service: %v", err)
	}
	s := externalService(t, 1)
	for _, scale := range []float64{-1, 100.5} {
		if _, _, err := CreateTaskSet(s, TaskSet{ID: "x", Scale: scale}, td, t0); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("scale %v: %v", scale, err)
		}
	}
	if _, _, err := UpdateTaskSetScale(s, "x", 10, "COUNT", t0); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("unit COUNT: %v", err)
	}
	bad := []LoadBalancer{{TargetGroupARN: testTargetGroup, ContainerName: "web", ContainerPort: 81}}
	if _, _, err := CreateTaskSet(s, TaskSet{ID: "x", Scale: 1, LoadBalancers: bad}, td, t0); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("unmapped container port: %v", err)
	}
	for i := range MaxTaskSets {
		var err error
		if s, _, err = CreateTaskSet(s, TaskSet{ID: string(rune('a' + i)), Scale: 0}, td, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := CreateTaskSet(s, TaskSet{ID: "z", Scale: 0}, td, t0); !errors.Is(err, ErrTooManyTaskSets) {
		t.Errorf("task set %d: %v", MaxTaskSets+1, err)
	}
	draining, err := DeleteService(s, true, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := SetPrimaryTaskSet(draining, "a", t0); !errors.Is(err, ErrServiceNotActive) {
		t.Errorf("task set of a draining service: %v", err)
	}
}

// TestCodeDeployServiceStartsWithATaskSet checks that a CODE_DEPLOY service is created as ECS
// creates it: no deployments, one PRIMARY task set with the service's parameters.
func TestCodeDeployServiceStartsWithATaskSet(t *testing.T) {
	td := webTaskDefinition()
	s := baseService(td)
	s.DeploymentController = ControllerCodeDeploy
	s.DeploymentConfiguration = DefaultDeploymentConfiguration(SchedulingReplica, ControllerCodeDeploy)
	s.ARN = ServiceARN(testScope, "default", "web")
	s.LoadBalancers = []LoadBalancer{{TargetGroupARN: testTargetGroup, ContainerName: "web", ContainerPort: 80}}
	s.NetworkConfiguration = NetworkConfiguration{Subnets: []string{"subnet-1"}}
	s, err := ValidateService(s, td)
	if err != nil {
		t.Fatal(err)
	}
	s = NewService(s, "ecs-svc/1234567890123456789", t0)
	if len(s.Deployments) != 0 || len(s.TaskSets) != 1 {
		t.Fatalf("deployments %v, task sets %v", s.Deployments, s.TaskSets)
	}
	ts := s.TaskSets[0]
	wantARN := TaskSetARN(testScope, "default", "web", "ecs-svc/1234567890123456789")
	if ts.ARN != wantARN || ts.Status != TaskSetPrimary || ts.TaskDefinitionARN != td.ARN || ts.Scale != 100 ||
		len(ts.LoadBalancers) != 1 || ts.PlatformVersion != FargatePlatformVersion || s.TaskSetDesiredCount(ts) != 2 {
		t.Fatalf("task set %+v (want ARN %s)", ts, wantARN)
	}
}
