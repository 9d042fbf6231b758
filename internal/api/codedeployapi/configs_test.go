package codedeployapi_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/codedeployapi"
)

func canaryConfig(name string, pct, interval int32) *cdsdk.CreateDeploymentConfigInput {
	return &cdsdk.CreateDeploymentConfigInput{
		DeploymentConfigName: aws.String(name), ComputePlatform: types.ComputePlatformEcs,
		TrafficRoutingConfig: &types.TrafficRoutingConfig{
			Type:            types.TrafficRoutingTypeTimeBasedCanary,
			TimeBasedCanary: &types.TimeBasedCanary{CanaryPercentage: pct, CanaryInterval: interval},
		},
	}
}

func TestDeploymentConfigs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pre, err := e.cd.GetDeploymentConfig(e.ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String("CodeDeployDefault.ECSLinear10PercentEvery3Minutes")})
	if err != nil {
		t.Fatal(err)
	}
	r := pre.DeploymentConfigInfo.TrafficRoutingConfig
	if r.Type != types.TrafficRoutingTypeTimeBasedLinear || r.TimeBasedLinear.LinearPercentage != 10 || r.TimeBasedLinear.LinearInterval != 3 ||
		pre.DeploymentConfigInfo.ComputePlatform != types.ComputePlatformEcs {
		t.Fatalf("predefined %+v", pre.DeploymentConfigInfo)
	}
	created, err := e.cd.CreateDeploymentConfig(e.ctx, canaryConfig("Canary20", 20, 2))
	if err != nil || aws.ToString(created.DeploymentConfigId) == "" {
		t.Fatalf("%+v %v", created, err)
	}
	got, err := e.cd.GetDeploymentConfig(e.ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20")})
	if err != nil {
		t.Fatal(err)
	}
	if c := got.DeploymentConfigInfo.TrafficRoutingConfig.TimeBasedCanary; c.CanaryPercentage != 20 || c.CanaryInterval != 2 || got.DeploymentConfigInfo.CreateTime == nil {
		t.Fatalf("created %+v", got.DeploymentConfigInfo)
	}
	list, err := e.cd.ListDeploymentConfigs(e.ctx, &cdsdk.ListDeploymentConfigsInput{})
	if err != nil || len(list.DeploymentConfigsList) != 6 || !slices.Contains(list.DeploymentConfigsList, "Canary20") ||
		!slices.Contains(list.DeploymentConfigsList, "CodeDeployDefault.ECSAllAtOnce") {
		t.Fatalf("%+v %v", list, err)
	}
	if _, err := e.cd.DeleteDeploymentConfig(e.ctx, &cdsdk.DeleteDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20")}); err != nil {
		t.Fatal(err)
	}
	e.expectError(t, "DeploymentConfigDoesNotExistException", func() error {
		_, err := e.cd.GetDeploymentConfig(e.ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20")})
		return err
	})
}

func TestListDeploymentConfigsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, codedeployapi.WithPageSize(4))
	var names []string
	var token *string
	for range 3 {
		out, err := e.cd.ListDeploymentConfigs(e.ctx, &cdsdk.ListDeploymentConfigsInput{NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, out.DeploymentConfigsList...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(names) != 5 || !slices.IsSorted(names) {
		t.Fatalf("names %v", names)
	}
}

func TestDeploymentConfigErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.cd.CreateDeploymentConfig(e.ctx, canaryConfig("InUse", 10, 1)); err != nil {
		t.Fatal(err)
	}
	in := groupInput("app", "g")
	in.DeploymentConfigName = aws.String("InUse")
	e.createApp(t, "app")
	if _, err := e.cd.CreateDeploymentGroup(e.ctx, in); err != nil {
		t.Fatal(err)
	}
	linear := func(pct, interval int32) *cdsdk.CreateDeploymentConfigInput {
		return &cdsdk.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("L"), ComputePlatform: types.ComputePlatformEcs,
			TrafficRoutingConfig: &types.TrafficRoutingConfig{Type: types.TrafficRoutingTypeTimeBasedLinear,
				TimeBasedLinear: &types.TimeBasedLinear{LinearPercentage: pct, LinearInterval: interval}}}
	}
	tests := []struct {
		name string
		code string
		in   *cdsdk.CreateDeploymentConfigInput
	}{
		{"reserved prefix", "InvalidDeploymentConfigNameException", canaryConfig("CodeDeployDefault.Mine", 10, 1)},
		{"no name", "DeploymentConfigNameRequiredException", canaryConfig("", 10, 1)},
		{"exists", "DeploymentConfigAlreadyExistsException", canaryConfig("InUse", 10, 1)},
		{"percentage 0", "InvalidTrafficRoutingConfigurationException", canaryConfig("C", 0, 1)},
		{"percentage 100", "InvalidTrafficRoutingConfigurationException", linear(100, 1)},
		{"interval 0", "InvalidTrafficRoutingConfigurationException", linear(10, 0)},
		{"canary without numbers", "InvalidTrafficRoutingConfigurationException", &cdsdk.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("C"),
			TrafficRoutingConfig: &types.TrafficRoutingConfig{Type: types.TrafficRoutingTypeTimeBasedCanary}}},
		{"Server platform", "InvalidComputePlatformException", &cdsdk.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("S"), ComputePlatform: types.ComputePlatformServer}},
		{"minimum healthy hosts", "InvalidMinimumHealthyHostValueException", &cdsdk.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("M"),
			MinimumHealthyHosts: &types.MinimumHealthyHosts{Type: types.MinimumHealthyHostsTypeHostCount, Value: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.expectError(t, tt.code, func() error { _, err := e.cd.CreateDeploymentConfig(e.ctx, tt.in); return err })
		})
	}
	del := map[string]string{
		"CodeDeployDefault.ECSAllAtOnce": "InvalidOperationException",
		"InUse":                          "DeploymentConfigInUseException",
		"":                               "DeploymentConfigNameRequiredException",
	}
	for name, code := range del {
		e.expectError(t, code, func() error {
			_, err := e.cd.DeleteDeploymentConfig(e.ctx, &cdsdk.DeleteDeploymentConfigInput{DeploymentConfigName: aws.String(name)})
			return err
		})
	}
	e.expectError(t, "DeploymentConfigDoesNotExistException", func() error {
		_, err := e.cd.GetDeploymentConfig(e.ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String("ghost")})
		return err
	})
}
