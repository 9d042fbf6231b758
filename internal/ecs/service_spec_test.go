package ecs

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
)

const testTargetGroup = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/0123456789abcdef"

// webTaskDefinition is a registered Fargate task definition with one container mapping port 80.
func webTaskDefinition() TaskDefinition {
	return TaskDefinition{
		ARN: TaskDefinitionARN(testScope, "web", 1), Family: "web", Revision: 1, Status: TaskDefinitionStatusActive,
		NetworkMode: NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []Compatibility{CompatibilityFargate},
		Compatibilities:         []Compatibility{CompatibilityEC2, CompatibilityFargate},
		ContainerDefinitions: []ContainerDefinition{{
			Name: "web", Image: "nginx", PortMappings: []PortMapping{{ContainerPort: 80, HostPort: 80, Protocol: TransportProtocolTCP}},
		}},
	}
}

// bridgeTaskDefinition is a registered task definition that only EC2 (and EXTERNAL) can run.
func bridgeTaskDefinition() TaskDefinition {
	return TaskDefinition{
		ARN: TaskDefinitionARN(testScope, "batch", 1), Family: "batch", Revision: 1, Status: TaskDefinitionStatusActive,
		Compatibilities:      []Compatibility{CompatibilityExternal, CompatibilityEC2},
		ContainerDefinitions: []ContainerDefinition{{Name: "job", Image: "busybox", Memory: 128}},
	}
}

func baseService(td TaskDefinition) Service {
	return Service{
		Name: "web", ClusterName: "default", TaskDefinitionARN: td.ARN, DesiredCount: 2,
		DeploymentConfiguration: DefaultDeploymentConfiguration(SchedulingReplica, ControllerECS),
	}
}

func TestValidateServiceDefaults(t *testing.T) {
	t.Parallel()
	td := webTaskDefinition()
	got, err := ValidateService(baseService(td), td)
	if err != nil {
		t.Fatal(err)
	}
	want := baseService(td)
	want.SchedulingStrategy, want.DeploymentController, want.PropagateTags = "REPLICA", "ECS", "NONE"
	want.LaunchType, want.PlatformVersion = "FARGATE", "LATEST"
	want.DeploymentConfiguration = DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100, Strategy: "ROLLING"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ValidateService (-want +got):\n%s", diff)
	}
	daemon := baseService(td)
	daemon.SchedulingStrategy, daemon.DesiredCount = SchedulingDaemon, 0
	daemon.DeploymentConfiguration = DefaultDeploymentConfiguration(SchedulingDaemon, ControllerECS)
	if got, err := ValidateService(daemon, td); err != nil || got.LaunchType != "EC2" || got.PlatformVersion != "" {
		t.Fatalf("daemon service: launch %q platform %q, %v", got.LaunchType, got.PlatformVersion, err)
	}
	ec2, err := ValidateService(baseService(bridgeTaskDefinition()), bridgeTaskDefinition())
	if err != nil || ec2.LaunchType != "EC2" || ec2.PlatformVersion != "" {
		t.Fatalf("bridge task definition: launch %q platform %q, %v", ec2.LaunchType, ec2.PlatformVersion, err)
	}
}

func TestValidateServiceRejects(t *testing.T) {
	t.Parallel()
	td := webTaskDefinition()
	tests := []struct {
		name   string
		change func(*Service)
		td     TaskDefinition
		want   string
	}{
		{"bad name", func(s *Service) { s.Name = "web app" }, td, "Service name must be 1-255 characters long and can contain letters, numbers, hyphens and underscores."},
		{"negative desired", func(s *Service) { s.DesiredCount = -1 }, td, "Invalid desiredCount: -1. The desired count must be 0 or more."},
		{"no task definition", func(s *Service) { s.TaskDefinitionARN = "" }, TaskDefinition{}, "TaskDefinition can not be blank."},
		{"launch type", func(s *Service) { s.LaunchType = "FARGATE" }, bridgeTaskDefinition(), "Task definition does not support launch_type FARGATE."},
		{"platform on EC2", func(s *Service) { s.LaunchType, s.PlatformVersion = "EC2", "LATEST" }, td, "The platform version must be null when specifying an EC2 launch type."},
		{"unknown platform", func(s *Service) { s.PlatformVersion = "9.9.9" }, td, "The specified platform does not exist."},
		{"max percent", func(s *Service) { s.DeploymentConfiguration.MaximumPercent = 50 }, td, "maximumPercent must be between 100 and 2000."},
		{"min percent", func(s *Service) { s.DeploymentConfiguration.MinimumHealthyPercent = 101 }, td, "minimumHealthyPercent must be between 0 and 100."},
		{"breaker with CodeDeploy", func(s *Service) {
			s.DeploymentController, s.DeploymentConfiguration.Strategy, s.DeploymentConfiguration.CircuitBreakerEnable = ControllerCodeDeploy, "", true
		}, td, "The deployment circuit breaker is only supported with the ECS deployment controller."},
		{"unknown container", func(s *Service) {
			s.LoadBalancers = []LoadBalancer{{TargetGroupARN: testTargetGroup, ContainerName: "api", ContainerPort: 80}}
		}, td, "The container api does not exist in the task definition."},
		{"unmapped port", func(s *Service) {
			s.LoadBalancers = []LoadBalancer{{TargetGroupARN: testTargetGroup, ContainerName: "web", ContainerPort: 8080}}
		}, td, "The container web did not have a container port 8080 defined."},
		{"bad target group", func(s *Service) {
			s.LoadBalancers = []LoadBalancer{{TargetGroupARN: "tg", ContainerName: "web", ContainerPort: 80}}
		}, td, "The target group ARN tg is not valid."},
		{"network on bridge", func(s *Service) {
			s.TaskDefinitionARN, s.NetworkConfiguration = bridgeTaskDefinition().ARN, NetworkConfiguration{Subnets: []string{"subnet-1"}}
		}, bridgeTaskDefinition(), "Network Configuration is not valid for the given networkMode of this task definition."},
		{"no subnets", func(s *Service) { s.NetworkConfiguration = NetworkConfiguration{SecurityGroups: []string{"sg-1"}} }, td, "subnets can not be empty."},
		{"daemon with CodeDeploy", func(s *Service) {
			s.SchedulingStrategy, s.DeploymentController, s.DesiredCount = SchedulingDaemon, ControllerCodeDeploy, 0
		}, td, "The daemon scheduling strategy is only supported with the ECS deployment controller."},
		{"memberOf without expression", func(s *Service) { s.PlacementConstraints = []PlacementConstraint{{Type: PlacementMemberOf}} }, td, "A memberOf placement constraint requires an expression."},
		{"reserved tag", func(s *Service) { s.Tags = []Tag{{Key: "aws:x", Value: "1"}} }, td, "Tag keys with the aws: prefix are reserved for AWS use."},
		{"grace period", func(s *Service) { s.HealthCheckGracePeriodSeconds = -1 }, td, "healthCheckGracePeriodSeconds must be 0 or more."},
		{"daemon on Fargate", func(s *Service) {
			s.SchedulingStrategy, s.DesiredCount, s.LaunchType = SchedulingDaemon, 0, "FARGATE"
			s.DeploymentConfiguration = DefaultDeploymentConfiguration(SchedulingDaemon, ControllerECS)
		}, td, "The daemon scheduling strategy is not supported with the FARGATE launch type."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := baseService(tc.td)
			tc.change(&s)
			_, err := ValidateService(s, tc.td)
			if err == nil || errdefs.Message(err) != tc.want {
				t.Fatalf("ValidateService = %v, want %q", err, tc.want)
			}
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("error kind of %v is not invalid argument", err)
			}
		})
	}
}

func TestResolveDesiredCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		strategy string
		given    bool
		n        int
		want     int
		wantErr  bool
	}{
		{"replica default", SchedulingReplica, false, 0, 1, false},
		{"replica given zero", SchedulingReplica, true, 0, 0, false},
		{"replica given", SchedulingReplica, true, 3, 3, false},
		{"replica negative", SchedulingReplica, true, -2, 0, true},
		{"daemon", SchedulingDaemon, false, 0, 0, false},
		{"daemon given", SchedulingDaemon, true, 1, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ResolveDesiredCount(tc.strategy, tc.given, tc.n)
			if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
				t.Fatalf("ResolveDesiredCount = %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestDefaultDeploymentConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		strategy, controller string
		want                 DeploymentConfiguration
	}{
		{SchedulingReplica, ControllerECS, DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100, Strategy: "ROLLING"}},
		{SchedulingDaemon, ControllerECS, DeploymentConfiguration{MaximumPercent: 100, MinimumHealthyPercent: 0, Strategy: "ROLLING"}},
		{SchedulingReplica, ControllerCodeDeploy, DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100}},
	}
	for _, tc := range tests {
		t.Run(tc.strategy+"/"+tc.controller, func(t *testing.T) {
			t.Parallel()
			got := DefaultDeploymentConfiguration(tc.strategy, tc.controller)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			if err := ValidateDeploymentConfiguration(got, tc.strategy, tc.controller); err != nil {
				t.Fatalf("the default does not validate: %v", err)
			}
		})
	}
}

func TestLaunchTypeForStrategy(t *testing.T) {
	t.Parallel()
	spot := []CapacityProviderStrategyItem{{CapacityProvider: "FARGATE_SPOT", Weight: 1}}
	if lt, err := LaunchTypeForStrategy("", spot); err != nil || lt != "FARGATE" {
		t.Fatalf("FARGATE_SPOT strategy: %q, %v", lt, err)
	}
	if lt, err := LaunchTypeForStrategy("EC2", nil); err != nil || lt != "EC2" {
		t.Fatalf("no strategy: %q, %v", lt, err)
	}
	if _, err := LaunchTypeForStrategy("FARGATE", spot); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("both: %v", err)
	}
	if _, err := LaunchTypeForStrategy("", []CapacityProviderStrategyItem{{CapacityProvider: "mine"}}); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("unknown provider: %v", err)
	}
}
