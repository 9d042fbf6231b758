package ecs_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// TestNativeDeploymentsAlternateGroups pins which target group a native deployment's tasks
// use: the one of the pair that the deployment it replaces does not, so that the live group
// alternates from deployment to deployment.
func TestNativeDeploymentsAlternateGroups(t *testing.T) {
	const blue, green = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/1", "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/2"
	lb := ecs.LoadBalancer{TargetGroupARN: blue, ContainerName: "web", ContainerPort: 8080,
		Advanced: ecs.AdvancedConfiguration{AlternateTargetGroupARN: green, ProductionListenerRule: "rule", RoleARN: "role"}}
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	s := ecs.NewService(ecs.Service{Name: "web", DesiredCount: 2, TaskDefinitionARN: "td:1", DeploymentController: ecs.ControllerECS,
		DeploymentConfiguration: ecs.DeploymentConfiguration{Strategy: ecs.StrategyBlueGreen}, LoadBalancers: []ecs.LoadBalancer{lb}}, "ecs-svc/1", at)
	var groups []string
	for i, td := range []string{"td:2", "td:3", "td:4"} {
		p, _ := s.Primary()
		groups = append(groups, p.LoadBalancers[0].TargetGroupARN)
		next := s
		next.TaskDefinitionARN = td
		var err error
		if s, err = ecs.UpdateService(s, next, false, "ecs-svc/"+string(rune('2'+i)), at); err != nil {
			t.Fatal(err)
		}
		if _, err := ecs.UpdateService(s, next, true, "ecs-svc/9", at); err == nil {
			t.Fatal("a second rollout during a native deployment was accepted")
		}
		s.Deployments = s.Deployments[:1] // the deployer released the old one and it left
	}
	p, _ := s.Primary()
	groups = append(groups, p.LoadBalancers[0].TargetGroupARN)
	want := []string{blue, green, blue, green}
	for i := range want {
		if groups[i] != want[i] {
			t.Fatalf("groups of successive deployments %v, want %v", groups, want)
		}
	}
}
