package codedeploy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/codedeploy"
)

const (
	prodListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/1/2"
	testListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/1/3"
)

func validGroup() codedeploy.DeploymentGroup {
	return codedeploy.DeploymentGroup{
		ApplicationName: "app", Name: "group", ServiceRoleARN: "arn:aws:iam::000000000000:role/cd",
		DeploymentType: codedeploy.StyleBlueGreen, DeploymentOption: codedeploy.OptionWithTraffic,
		ECSServices:      []codedeploy.ECSService{{ClusterName: "prod", ServiceName: "web"}},
		TargetGroupPairs: []codedeploy.TargetGroupPair{{TargetGroups: []string{"blue", "green"}, ProdListenerARNs: []string{prodListener}}},
	}
}

func TestValidateDeploymentGroupDefaults(t *testing.T) {
	t.Parallel()
	g, err := codedeploy.ValidateDeploymentGroup(validGroup())
	if err != nil {
		t.Fatal(err)
	}
	want := codedeploy.BlueGreenConfiguration{TerminationAction: "TERMINATE", ReadyActionOnTimeout: "CONTINUE_DEPLOYMENT"}
	if g.DeploymentConfigName != codedeploy.DefaultECSConfig || g.BlueGreen != want {
		t.Fatalf("defaults: %q %+v", g.DeploymentConfigName, g.BlueGreen)
	}
}

func TestValidateDeploymentGroupRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*codedeploy.DeploymentGroup)
		want   error
	}{
		{"no application", func(g *codedeploy.DeploymentGroup) { g.ApplicationName = "" }, codedeploy.ErrApplicationNameRequired},
		{"no name", func(g *codedeploy.DeploymentGroup) { g.Name = "" }, codedeploy.ErrDeploymentGroupNameRequired},
		{"long name", func(g *codedeploy.DeploymentGroup) { g.Name = strings.Repeat("g", 101) }, codedeploy.ErrInvalidDeploymentGroupName},
		{"no role", func(g *codedeploy.DeploymentGroup) { g.ServiceRoleARN = "" }, codedeploy.ErrRoleRequired},
		{"in place", func(g *codedeploy.DeploymentGroup) { g.DeploymentType = codedeploy.StyleInPlace }, codedeploy.ErrInvalidDeploymentStyle},
		{"no style", func(g *codedeploy.DeploymentGroup) { g.DeploymentType, g.DeploymentOption = "", "" }, codedeploy.ErrInvalidDeploymentStyle},
		{"no service", func(g *codedeploy.DeploymentGroup) { g.ECSServices = nil }, codedeploy.ErrInvalidECSService},
		{"two services", func(g *codedeploy.DeploymentGroup) { g.ECSServices = append(g.ECSServices, g.ECSServices[0]) }, codedeploy.ErrInvalidECSService},
		{"service without cluster", func(g *codedeploy.DeploymentGroup) { g.ECSServices[0].ClusterName = "" }, codedeploy.ErrInvalidECSService},
		{"no pair", func(g *codedeploy.DeploymentGroup) { g.TargetGroupPairs = nil }, codedeploy.ErrInvalidLoadBalancerInfo},
		{"one target group", func(g *codedeploy.DeploymentGroup) { g.TargetGroupPairs[0].TargetGroups = []string{"blue"} }, codedeploy.ErrInvalidTargetGroupPair},
		{"same target group twice", func(g *codedeploy.DeploymentGroup) { g.TargetGroupPairs[0].TargetGroups = []string{"b", "b"} }, codedeploy.ErrInvalidTargetGroupPair},
		{"no prod listener", func(g *codedeploy.DeploymentGroup) { g.TargetGroupPairs[0].ProdListenerARNs = nil }, codedeploy.ErrInvalidTargetGroupPair},
		{"two test listeners", func(g *codedeploy.DeploymentGroup) {
			g.TargetGroupPairs[0].TestListenerARNs = []string{testListener, testListener}
		}, codedeploy.ErrInvalidTargetGroupPair},
		{"listener not an ARN", func(g *codedeploy.DeploymentGroup) { g.TargetGroupPairs[0].ProdListenerARNs = []string{"web"} }, codedeploy.ErrInvalidTargetGroupPair},
		{"bad termination action", func(g *codedeploy.DeploymentGroup) { g.BlueGreen.TerminationAction = "DESTROY" }, codedeploy.ErrInvalidBlueGreenConfig},
		{"bad ready action", func(g *codedeploy.DeploymentGroup) { g.BlueGreen.ReadyActionOnTimeout = "WAIT" }, codedeploy.ErrInvalidBlueGreenConfig},
		{"long termination wait", func(g *codedeploy.DeploymentGroup) { g.BlueGreen.TerminationWaitMinutes = 2881 }, codedeploy.ErrInvalidBlueGreenConfig},
		{"negative ready wait", func(g *codedeploy.DeploymentGroup) { g.BlueGreen.ReadyWaitMinutes = -1 }, codedeploy.ErrInvalidBlueGreenConfig},
		{"rollback without events", func(g *codedeploy.DeploymentGroup) { g.AutoRollback.Enabled = true }, codedeploy.ErrInvalidAutoRollbackConfig},
		{"unknown rollback event", func(g *codedeploy.DeploymentGroup) { g.AutoRollback.Events = []string{"SOMETIMES"} }, codedeploy.ErrInvalidAutoRollbackConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := validGroup()
			tt.change(&g)
			if _, err := codedeploy.ValidateDeploymentGroup(g); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewApplicationAndConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"ECS application", func() error { _, err := codedeploy.NewApplication("a", "ECS", "id", now, nil); return err }, nil},
		{"default platform", func() error {
			app, err := codedeploy.NewApplication("a", "", "id", now, nil)
			if err == nil && app.ComputePlatform != "ECS" {
				return errors.New("platform " + app.ComputePlatform)
			}
			return err
		}, nil},
		{"Server application", func() error { _, err := codedeploy.NewApplication("a", "Server", "id", now, nil); return err }, codedeploy.ErrInvalidComputePlatform},
		{"unknown platform", func() error { _, err := codedeploy.NewApplication("a", "Mainframe", "id", now, nil); return err }, codedeploy.ErrInvalidComputePlatform},
		{"no application name", func() error { _, err := codedeploy.NewApplication("", "ECS", "id", now, nil); return err }, codedeploy.ErrApplicationNameRequired},
		{"control character", func() error { _, err := codedeploy.NewApplication("a\n", "ECS", "id", now, nil); return err }, codedeploy.ErrInvalidApplicationName},
		{"canary config", func() error {
			return newConfig("c", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 20, IntervalMinutes: 2})
		}, nil},
		{"default routing", func() error { return newConfig("c", codedeploy.TrafficRouting{}) }, nil},
		{"reserved name", func() error { return newConfig("CodeDeployDefault.Mine", codedeploy.TrafficRouting{}) }, codedeploy.ErrInvalidDeploymentConfigName},
		{"no config name", func() error { return newConfig("", codedeploy.TrafficRouting{}) }, codedeploy.ErrDeploymentConfigNameRequired},
		{"percentage 100", func() error {
			return newConfig("c", codedeploy.TrafficRouting{Type: codedeploy.RoutingLinear, Percentage: 100, IntervalMinutes: 1})
		}, codedeploy.ErrInvalidTrafficRouting},
		{"percentage 0", func() error {
			return newConfig("c", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, IntervalMinutes: 1})
		}, codedeploy.ErrInvalidTrafficRouting},
		{"interval 0", func() error {
			return newConfig("c", codedeploy.TrafficRouting{Type: codedeploy.RoutingLinear, Percentage: 10})
		}, codedeploy.ErrInvalidTrafficRouting},
		{"unknown type", func() error { return newConfig("c", codedeploy.TrafficRouting{Type: "Sometimes"}) }, codedeploy.ErrInvalidTrafficRouting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.run(); !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func newConfig(name string, r codedeploy.TrafficRouting) error {
	_, err := codedeploy.NewDeploymentConfig(name, "ECS", "id", now, r)
	return err
}
