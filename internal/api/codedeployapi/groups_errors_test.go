package codedeployapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
)

func TestCreateDeploymentGroupErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "taken")
	pair := func(in *cdsdk.CreateDeploymentGroupInput) *types.TargetGroupPairInfo {
		return &in.LoadBalancerInfo.TargetGroupPairInfoList[0]
	}
	tests := []struct {
		name   string
		code   string
		change func(*cdsdk.CreateDeploymentGroupInput)
	}{
		{"missing application", "ApplicationDoesNotExistException", func(in *cdsdk.CreateDeploymentGroupInput) { in.ApplicationName = aws.String("ghost") }},
		{"no application name", "ApplicationNameRequiredException", func(in *cdsdk.CreateDeploymentGroupInput) { in.ApplicationName = aws.String("") }},
		{"no group name", "DeploymentGroupNameRequiredException", func(in *cdsdk.CreateDeploymentGroupInput) { in.DeploymentGroupName = aws.String("") }},
		{"long group name", "InvalidDeploymentGroupNameException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.DeploymentGroupName = aws.String(strings.Repeat("g", 101))
		}},
		{"exists", "DeploymentGroupAlreadyExistsException", func(in *cdsdk.CreateDeploymentGroupInput) { in.DeploymentGroupName = aws.String("taken") }},
		{"no role", "RoleRequiredException", func(in *cdsdk.CreateDeploymentGroupInput) { in.ServiceRoleArn = aws.String("") }},
		{"no style", "InvalidDeploymentStyleException", func(in *cdsdk.CreateDeploymentGroupInput) { in.DeploymentStyle = nil }},
		{"in place", "InvalidDeploymentStyleException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.DeploymentStyle.DeploymentType = types.DeploymentTypeInPlace
		}},
		{"no service", "InvalidECSServiceException", func(in *cdsdk.CreateDeploymentGroupInput) { in.EcsServices = nil }},
		{"two services", "InvalidECSServiceException", func(in *cdsdk.CreateDeploymentGroupInput) { in.EcsServices = append(in.EcsServices, in.EcsServices[0]) }},
		{"no load balancer", "InvalidLoadBalancerInfoException", func(in *cdsdk.CreateDeploymentGroupInput) { in.LoadBalancerInfo = nil }},
		{"classic load balancer", "InvalidLoadBalancerInfoException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.LoadBalancerInfo.ElbInfoList = []types.ELBInfo{{Name: aws.String("clb")}}
		}},
		{"two pairs", "InvalidLoadBalancerInfoException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.LoadBalancerInfo.TargetGroupPairInfoList = append(in.LoadBalancerInfo.TargetGroupPairInfoList, *pair(in))
		}},
		{"one target group", "InvalidTargetGroupPairException", func(in *cdsdk.CreateDeploymentGroupInput) { pair(in).TargetGroups = pair(in).TargetGroups[:1] }},
		{"no prod listener", "InvalidTargetGroupPairException", func(in *cdsdk.CreateDeploymentGroupInput) { pair(in).ProdTrafficRoute = nil }},
		{"two prod listeners", "InvalidTargetGroupPairException", func(in *cdsdk.CreateDeploymentGroupInput) {
			pair(in).ProdTrafficRoute.ListenerArns = []string{prodListener, testListener}
		}},
		{"two test listeners", "InvalidTargetGroupPairException", func(in *cdsdk.CreateDeploymentGroupInput) {
			pair(in).TestTrafficRoute.ListenerArns = []string{prodListener, testListener}
		}},
		{"long termination wait", "InvalidBlueGreenDeploymentConfigurationException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.BlueGreenDeploymentConfiguration = &types.BlueGreenDeploymentConfiguration{
				TerminateBlueInstancesOnDeploymentSuccess: &types.BlueInstanceTerminationOption{TerminationWaitTimeInMinutes: 3000}}
		}},
		{"missing config", "DeploymentConfigDoesNotExistException", func(in *cdsdk.CreateDeploymentGroupInput) { in.DeploymentConfigName = aws.String("ghost") }},
		{"rollback without events", "InvalidAutoRollbackConfigException", func(in *cdsdk.CreateDeploymentGroupInput) {
			in.AutoRollbackConfiguration = &types.AutoRollbackConfiguration{Enabled: true}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := groupInput("app", "g")
			tt.change(in)
			e.expectError(t, tt.code, func() error { _, err := e.cd.CreateDeploymentGroup(e.ctx, in); return err })
		})
	}
}

func TestDeploymentGroupErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	e.createGroup(t, "app", "other")
	tests := []struct {
		name string
		code string
		call func() error
	}{
		{"get missing", "DeploymentGroupDoesNotExistException", func() error {
			_, err := e.cd.GetDeploymentGroup(e.ctx, &cdsdk.GetDeploymentGroupInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("ghost")})
			return err
		}},
		{"get of a missing application", "ApplicationDoesNotExistException", func() error {
			_, err := e.cd.GetDeploymentGroup(e.ctx, &cdsdk.GetDeploymentGroupInput{ApplicationName: aws.String("ghost"), DeploymentGroupName: aws.String("g")})
			return err
		}},
		{"update missing", "DeploymentGroupDoesNotExistException", func() error {
			_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"), CurrentDeploymentGroupName: aws.String("ghost")})
			return err
		}},
		{"rename onto another", "DeploymentGroupAlreadyExistsException", func() error {
			_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"),
				CurrentDeploymentGroupName: aws.String("g"), NewDeploymentGroupName: aws.String("other")})
			return err
		}},
		{"update to a missing config", "DeploymentConfigDoesNotExistException", func() error {
			_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"),
				CurrentDeploymentGroupName: aws.String("g"), DeploymentConfigName: aws.String("ghost")})
			return err
		}},
		{"update to no services", "InvalidECSServiceException", func() error {
			_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"),
				CurrentDeploymentGroupName: aws.String("g"), EcsServices: []types.ECSService{}})
			return err
		}},
		{"list of a missing application", "ApplicationDoesNotExistException", func() error {
			_, err := e.cd.ListDeploymentGroups(e.ctx, &cdsdk.ListDeploymentGroupsInput{ApplicationName: aws.String("ghost")})
			return err
		}},
		{"list with a bad token", "InvalidNextTokenException", func() error {
			_, err := e.cd.ListDeploymentGroups(e.ctx, &cdsdk.ListDeploymentGroupsInput{ApplicationName: aws.String("app"), NextToken: aws.String("*")})
			return err
		}},
		{"batch get nothing", "DeploymentGroupNameRequiredException", func() error {
			_, err := e.cd.BatchGetDeploymentGroups(e.ctx, &cdsdk.BatchGetDeploymentGroupsInput{ApplicationName: aws.String("app"), DeploymentGroupNames: []string{}})
			return err
		}},
		{"delete without a name", "DeploymentGroupNameRequiredException", func() error {
			_, err := e.cd.DeleteDeploymentGroup(e.ctx, &cdsdk.DeleteDeploymentGroupInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.expectError(t, tt.code, tt.call) })
	}
}
