package ecs

import (
	"errors"
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

var (
	t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 = t0.Add(time.Minute)
)

func TestDeploymentID(t *testing.T) {
	t.Parallel()
	pattern := regexp.MustCompile(`^ecs-svc/[1-9][0-9]{18}$`)
	for _, n := range []uint64{0, 1, 42, math.MaxUint64, 9_000_000_000_000_000_000} {
		if id := DeploymentID(n); !pattern.MatchString(id) {
			t.Errorf("DeploymentID(%d) = %q", n, id)
		}
	}
}

// activeService is a validated, created service of webTaskDefinition.
func activeService(t *testing.T) Service {
	t.Helper()
	td := webTaskDefinition()
	s, err := ValidateService(baseService(td), td)
	if err != nil {
		t.Fatal(err)
	}
	return NewService(s, "ecs-svc/1000000000000000001", t0)
}

func TestNewService(t *testing.T) {
	t.Parallel()
	s := activeService(t)
	if s.Status != ServiceActive || !s.CreatedAt.Equal(t0) || len(s.Deployments) != 1 {
		t.Fatalf("service %+v", s)
	}
	d := s.Deployments[0]
	want := Deployment{
		ID: "ecs-svc/1000000000000000001", Status: DeploymentPrimary, TaskDefinitionARN: s.TaskDefinitionARN, DesiredCount: 2,
		CreatedAt: t0, UpdatedAt: t0, LaunchType: "FARGATE", PlatformVersion: "1.4.0",
		RolloutState: RolloutInProgress, RolloutStateReason: "ECS deployment ecs-svc/1000000000000000001 in progress.",
	}
	if d.ID != want.ID || d.Status != want.Status || d.TaskDefinitionARN != want.TaskDefinitionARN || d.DesiredCount != want.DesiredCount ||
		d.PlatformVersion != want.PlatformVersion || d.RolloutState != want.RolloutState || d.RolloutStateReason != want.RolloutStateReason {
		t.Fatalf("deployment %+v, want %+v", d, want)
	}
	external := baseService(TaskDefinition{})
	external.DeploymentController = ControllerExternal
	if got := NewService(external, "ecs-svc/1", t0); len(got.Deployments) != 0 {
		t.Fatalf("EXTERNAL service has deployments %+v", got.Deployments)
	}
}

func TestUpdateService(t *testing.T) {
	t.Parallel()
	const newID = "ecs-svc/2000000000000000002"
	tests := []struct {
		name        string
		change      func(*Service)
		force       bool
		deployments int
		primaryID   string
		primaryWant int
	}{
		{"desired count only", func(s *Service) { s.DesiredCount = 5 }, false, 1, "ecs-svc/1000000000000000001", 5},
		{"new task definition", func(s *Service) { s.TaskDefinitionARN = TaskDefinitionARN(testScope, "web", 2) }, false, 2, newID, 2},
		{"force", func(*Service) {}, true, 2, newID, 2},
		{"network", func(s *Service) { s.NetworkConfiguration = NetworkConfiguration{Subnets: []string{"subnet-2"}} }, false, 2, newID, 2},
		{"grace period only", func(s *Service) { s.HealthCheckGracePeriodSeconds = 30 }, false, 1, "ecs-svc/1000000000000000001", 2},
		{"new task definition and count", func(s *Service) {
			s.TaskDefinitionARN, s.DesiredCount = TaskDefinitionARN(testScope, "web", 2), 4
		}, false, 2, newID, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cur := activeService(t)
			next := cur
			tc.change(&next)
			got, err := UpdateService(cur, next, tc.force, newID, t1)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Deployments) != tc.deployments {
				t.Fatalf("deployments %+v", got.Deployments)
			}
			p := got.Deployments[0]
			if p.Status != DeploymentPrimary || p.ID != tc.primaryID || p.DesiredCount != tc.primaryWant {
				t.Fatalf("first deployment %+v, want PRIMARY %s desired %d", p, tc.primaryID, tc.primaryWant)
			}
			if tc.deployments == 2 {
				old := got.Deployments[1]
				if old.Status != DeploymentActive || old.DesiredCount != 2 || old.ID != cur.Deployments[0].ID {
					t.Fatalf("previous deployment %+v", old)
				}
			}
			if cur.Deployments[0].Status != DeploymentPrimary || cur.Deployments[0].DesiredCount != 2 {
				t.Fatalf("UpdateService changed its input: %+v", cur.Deployments[0])
			}
		})
	}
}

func TestUpdateServiceRefuses(t *testing.T) {
	t.Parallel()
	codeDeploy := activeService(t)
	codeDeploy.DeploymentController = ControllerCodeDeploy
	draining := activeService(t)
	draining.Status = ServiceDraining
	tests := []struct {
		name   string
		cur    Service
		change func(*Service)
		force  bool
		want   string
	}{
		{"draining", draining, func(s *Service) { s.DesiredCount = 1 }, false, "Service was not ACTIVE."},
		{"CodeDeploy task definition", codeDeploy, func(s *Service) { s.TaskDefinitionARN += "0" }, false,
			"Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."},
		{"CodeDeploy force", codeDeploy, func(*Service) {}, true,
			"Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."},
		{"CodeDeploy network", codeDeploy, func(s *Service) { s.NetworkConfiguration.Subnets = []string{"subnet-9"} }, false,
			"Unable to update network parameters on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."},
		{"controller", activeService(t), func(s *Service) { s.DeploymentController = ControllerExternal }, false,
			"Updating the deployment controller of a service is not supported."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			next := tc.cur
			tc.change(&next)
			if _, err := UpdateService(tc.cur, next, tc.force, "ecs-svc/3", t1); err == nil || errdefs.Message(err) != tc.want {
				t.Fatalf("UpdateService = %v, want %q", err, tc.want)
			}
		})
	}
	ok := codeDeploy
	ok.DesiredCount = 7
	if got, err := UpdateService(codeDeploy, ok, false, "ecs-svc/3", t1); err != nil || got.Deployments[0].DesiredCount != 7 {
		t.Fatalf("CODE_DEPLOY desired count change: %+v, %v", got.Deployments, err)
	}
}

func TestDeleteService(t *testing.T) {
	t.Parallel()
	scaledDown := activeService(t)
	scaledDown.DesiredCount = 0
	daemon := activeService(t)
	daemon.SchedulingStrategy = SchedulingDaemon
	inactive := activeService(t)
	inactive.Status = ServiceInactive
	tests := []struct {
		name       string
		s          Service
		force      bool
		wantErr    error
		wantStatus ServiceStatus
	}{
		{"scaled up", activeService(t), false, ErrServiceScaledUp, ""},
		{"forced", activeService(t), true, nil, ServiceDraining},
		{"scaled down", scaledDown, false, nil, ServiceDraining},
		{"daemon", daemon, false, nil, ServiceDraining},
		{"inactive", inactive, false, nil, ServiceInactive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DeleteService(tc.s, tc.force, t1)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("DeleteService = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if got.Status != tc.wantStatus {
				t.Fatalf("status %s, want %s", got.Status, tc.wantStatus)
			}
			if got.Status == ServiceDraining && (got.DesiredCount != 0 || got.Deployments[0].DesiredCount != 0) {
				t.Fatalf("draining service still wants tasks: %+v", got)
			}
		})
	}
}

func TestResolveCreate(t *testing.T) {
	t.Parallel()
	existing := activeService(t)
	existing.ClientToken = "token-1"
	same := existing
	same.Status, same.Deployments, same.CreatedAt, same.ClientToken = "", nil, t1, ""
	different := same
	different.DesiredCount = 9
	retryWithToken := different
	retryWithToken.ClientToken = "token-1"
	otherToken := same
	otherToken.ClientToken = "token-2"
	draining := existing
	draining.Status = ServiceDraining
	inactive := existing
	inactive.Status = ServiceInactive
	tests := []struct {
		name       string
		existing   Service
		exists     bool
		requested  Service
		wantCreate bool
		wantErr    bool
	}{
		{"new", Service{}, false, different, true, false},
		{"same parameters", existing, true, same, false, false},
		{"same token", existing, true, retryWithToken, false, false},
		{"other token", existing, true, otherToken, false, true},
		{"different parameters", existing, true, different, false, true},
		{"draining", draining, true, same, false, true},
		{"inactive is replaced", inactive, true, different, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, create, err := ResolveCreate(tc.existing, tc.exists, tc.requested)
			if tc.wantErr {
				if !errors.Is(err, ErrServiceNotIdempotent) || !errors.Is(err, errdefs.ErrAlreadyExists) {
					t.Fatalf("ResolveCreate = %v, want ErrServiceNotIdempotent", err)
				}
				return
			}
			if err != nil || create != tc.wantCreate {
				t.Fatalf("ResolveCreate = create %v, %v; want create %v", create, err, tc.wantCreate)
			}
			if !create && got.Status != ServiceActive {
				t.Fatalf("a retry must get the existing service, got %+v", got)
			}
		})
	}
}
