package codedeployapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
)

func getGroup(t *testing.T, e *env, app, name string) *types.DeploymentGroupInfo {
	t.Helper()
	out, err := e.cd.GetDeploymentGroup(e.ctx, &cdsdk.GetDeploymentGroupInput{ApplicationName: aws.String(app), DeploymentGroupName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.DeploymentGroupInfo
}

func TestCreateDeploymentGroupDefaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createApp(t, "AppECS-prod-web")
	in := groupInput("AppECS-prod-web", "DgpECS-prod-web")
	in.AutoRollbackConfiguration = &types.AutoRollbackConfiguration{Enabled: true, Events: []types.AutoRollbackEvent{types.AutoRollbackEventDeploymentFailure}}
	out, err := e.cd.CreateDeploymentGroup(e.ctx, in)
	if err != nil || len(aws.ToString(out.DeploymentGroupId)) != 36 {
		t.Fatalf("%+v %v", out, err)
	}
	g := getGroup(t, e, "AppECS-prod-web", "DgpECS-prod-web")
	bg := g.BlueGreenDeploymentConfiguration
	switch {
	case aws.ToString(g.DeploymentConfigName) != "CodeDeployDefault.ECSAllAtOnce", g.ComputePlatform != types.ComputePlatformEcs,
		aws.ToString(g.ServiceRoleArn) != roleARN, g.DeploymentStyle.DeploymentType != types.DeploymentTypeBlueGreen:
		t.Fatalf("group %+v", g)
	case bg.TerminateBlueInstancesOnDeploymentSuccess.Action != types.InstanceActionTerminate,
		bg.DeploymentReadyOption.ActionOnTimeout != types.DeploymentReadyActionContinueDeployment:
		t.Fatalf("blue/green defaults %+v %+v", bg.TerminateBlueInstancesOnDeploymentSuccess, bg.DeploymentReadyOption)
	case !g.AutoRollbackConfiguration.Enabled, len(g.EcsServices) != 1, aws.ToString(g.EcsServices[0].ClusterName) != "prod":
		t.Fatalf("group %+v", g)
	}
	pair := g.LoadBalancerInfo.TargetGroupPairInfoList[0]
	if aws.ToString(pair.TargetGroups[1].Name) != "web-green" || pair.ProdTrafficRoute.ListenerArns[0] != prodListener || pair.TestTrafficRoute.ListenerArns[0] != testListener {
		t.Fatalf("pair %+v", pair)
	}
}

// TestGetDeploymentGroupAlwaysSendsWaits checks the raw response: the deploy action adds both
// waits to its timeout and crashes when either is missing.
func TestGetDeploymentGroupAlwaysSendsWaits(t *testing.T) {
	t.Parallel()
	e := apitest.New(t)
	ctx := apitest.Context(t)
	if _, err := e.CodeDeploy.CreateApplication(ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CodeDeploy.CreateDeploymentGroup(ctx, groupInput("app", "g")); err != nil {
		t.Fatal(err)
	}
	_, body := e.RawJSON(t, "codedeploy", codedeployapi.TargetPrefix+".GetDeploymentGroup", []byte(`{"applicationName":"app","deploymentGroupName":"g"}`))
	var out struct {
		DeploymentGroupInfo struct {
			BlueGreenDeploymentConfiguration struct {
				TerminateBlueInstancesOnDeploymentSuccess map[string]any
				DeploymentReadyOption                     map[string]any
			}
		}
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	bg := out.DeploymentGroupInfo.BlueGreenDeploymentConfiguration
	if bg.TerminateBlueInstancesOnDeploymentSuccess["terminationWaitTimeInMinutes"] != 0.0 || bg.DeploymentReadyOption["waitTimeInMinutes"] != 0.0 {
		t.Fatalf("waits missing: %s", body)
	}
}

func TestUpdateDeploymentGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	before := getGroup(t, e, "app", "g")
	_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{
		ApplicationName: aws.String("app"), CurrentDeploymentGroupName: aws.String("g"), NewDeploymentGroupName: aws.String("g2"),
		DeploymentConfigName: aws.String("CodeDeployDefault.ECSCanary10Percent5Minutes"),
		BlueGreenDeploymentConfiguration: &types.BlueGreenDeploymentConfiguration{
			TerminateBlueInstancesOnDeploymentSuccess: &types.BlueInstanceTerminationOption{Action: types.InstanceActionTerminate, TerminationWaitTimeInMinutes: 5},
			DeploymentReadyOption:                     &types.DeploymentReadyOption{ActionOnTimeout: types.DeploymentReadyActionStopDeployment, WaitTimeInMinutes: 30},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	g := getGroup(t, e, "app", "g2")
	bg := g.BlueGreenDeploymentConfiguration
	if aws.ToString(g.DeploymentGroupId) != aws.ToString(before.DeploymentGroupId) || aws.ToString(g.DeploymentConfigName) != "CodeDeployDefault.ECSCanary10Percent5Minutes" ||
		bg.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes != 5 || bg.DeploymentReadyOption.WaitTimeInMinutes != 30 ||
		len(g.EcsServices) != 1 || aws.ToString(g.ServiceRoleArn) != roleARN {
		t.Fatalf("updated %+v", g)
	}
	e.expectError(t, "DeploymentGroupDoesNotExistException", func() error {
		_, err := e.cd.GetDeploymentGroup(e.ctx, &cdsdk.GetDeploymentGroupInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("g")})
		return err
	})
}

func TestListBatchGetAndDeleteDeploymentGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t, codedeployapi.WithPageSize(2))
	for i := range 3 {
		e.createGroup(t, "app", fmt.Sprintf("g%d", i))
	}
	e.createGroup(t, "app-other", "x")
	var names []string
	var token *string
	for range 3 {
		out, err := e.cd.ListDeploymentGroups(e.ctx, &cdsdk.ListDeploymentGroupsInput{ApplicationName: aws.String("app"), NextToken: token})
		if err != nil || aws.ToString(out.ApplicationName) != "app" {
			t.Fatalf("%+v %v", out, err)
		}
		names = append(names, out.DeploymentGroups...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if strings.Join(names, ",") != "g0,g1,g2" {
		t.Fatalf("names %v", names)
	}
	batch, err := e.cd.BatchGetDeploymentGroups(e.ctx, &cdsdk.BatchGetDeploymentGroupsInput{ApplicationName: aws.String("app"), DeploymentGroupNames: []string{"g2", "ghost", "g0"}})
	if err != nil || len(batch.DeploymentGroupsInfo) != 2 || !strings.Contains(aws.ToString(batch.ErrorMessage), "ghost") {
		t.Fatalf("%+v %v", batch, err)
	}
	for range 2 { // deleting what is gone succeeds
		out, err := e.cd.DeleteDeploymentGroup(e.ctx, &cdsdk.DeleteDeploymentGroupInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("g1")})
		if err != nil || out.HooksNotCleanedUp == nil {
			t.Fatalf("%+v %v", out, err)
		}
	}
	out, err := e.cd.ListDeploymentGroups(e.ctx, &cdsdk.ListDeploymentGroupsInput{ApplicationName: aws.String("app")})
	if err != nil || strings.Join(out.DeploymentGroups, ",") != "g0,g2" {
		t.Fatalf("%+v %v", out, err)
	}
}
