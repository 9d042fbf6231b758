package codedeployapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/store"
)

const (
	prodListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/0123456789abcdef/0123456789abcdef"
	testListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/0123456789abcdef/fedcba9876543210"
	roleARN      = "arn:aws:iam::000000000000:role/codedeploy"
	taskDef      = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"
)

// yamlAppSpec is an AppSpec as people write it; YAML reads version 0.0 as the number 0.
const yamlAppSpec = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "` + taskDef + `"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
`

// env is a front door with the CodeDeploy API only, its store and a client.
type env struct {
	cd    *cdsdk.Client
	store *store.Store
	ctx   context.Context
	srv   *apitest.Server
}

func newEnv(t *testing.T, opts ...codedeployapi.Option) *env {
	t.Helper()
	return newEnvAt(t, time.Now, opts...)
}

// newEnvAt is newEnv with the API's clock now.
func newEnvAt(t *testing.T, now func() time.Time, opts ...codedeployapi.Option) *env {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	srv := apitest.Start(t, func(st *store.Store) awsproto.Service {
		return codedeployapi.New(st, scope, now, opts...).Service()
	})
	return &env{cd: cdsdk.NewFromConfig(srv.AWS), store: srv.Store, ctx: apitest.Context(t), srv: srv}
}

// raw calls operation op with body as it is, without the checks of required members that the
// SDK makes before it sends anything, and returns the error CodeDeploy answered, if any.
func (e *env) raw(t *testing.T, op, body string) error {
	t.Helper()
	resp, out := (&apitest.Env{Server: e.srv}).RawJSON(t, "codedeploy", codedeployapi.TargetPrefix+"."+op, []byte(body))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var answer struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		t.Fatalf("%s answered %d: %s", op, resp.StatusCode, out)
	}
	return &smithy.GenericAPIError{Code: answer.Type, Message: answer.Message}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// revision is the store's revision: it moves with every write.
func (e *env) revision(t *testing.T) int64 {
	t.Helper()
	_, rev, err := e.store.Applications.List(e.ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// expectError checks that call fails with code and writes nothing.
func (e *env) expectError(t *testing.T, code string, call func() error) {
	t.Helper()
	before := e.revision(t)
	err := call()
	if got := errorCode(err); got != code {
		t.Fatalf("error %q (%v), want %s", got, err, code)
	}
	if after := e.revision(t); after != before {
		t.Fatalf("a failed call wrote to the store (revision %d → %d)", before, after)
	}
}

func (e *env) createApp(t *testing.T, name string) {
	t.Helper()
	_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String(name), ComputePlatform: types.ComputePlatformEcs})
	if err != nil {
		t.Fatal(err)
	}
}

// groupInput is a valid ECS deployment group of app.
func groupInput(app, name string) *cdsdk.CreateDeploymentGroupInput {
	return &cdsdk.CreateDeploymentGroupInput{
		ApplicationName: aws.String(app), DeploymentGroupName: aws.String(name), ServiceRoleArn: aws.String(roleARN),
		DeploymentStyle: &types.DeploymentStyle{DeploymentType: types.DeploymentTypeBlueGreen, DeploymentOption: types.DeploymentOptionWithTrafficControl},
		EcsServices:     []types.ECSService{{ClusterName: aws.String("prod"), ServiceName: aws.String("web")}},
		LoadBalancerInfo: &types.LoadBalancerInfo{TargetGroupPairInfoList: []types.TargetGroupPairInfo{{
			TargetGroups:     []types.TargetGroupInfo{{Name: aws.String("web-blue")}, {Name: aws.String("web-green")}},
			ProdTrafficRoute: &types.TrafficRoute{ListenerArns: []string{prodListener}},
			TestTrafficRoute: &types.TrafficRoute{ListenerArns: []string{testListener}},
		}}},
	}
}

// createGroup creates application app (if needed) and its deployment group.
func (e *env) createGroup(t *testing.T, app, name string) {
	t.Helper()
	if _, err := e.cd.GetApplication(e.ctx, &cdsdk.GetApplicationInput{ApplicationName: aws.String(app)}); err != nil {
		e.createApp(t, app)
	}
	if _, err := e.cd.CreateDeploymentGroup(e.ctx, groupInput(app, name)); err != nil {
		t.Fatal(err)
	}
}

// deploy creates a deployment of content to group of app and returns its id.
func (e *env) deploy(t *testing.T, app, group, content string) string {
	t.Helper()
	out, err := e.cd.CreateDeployment(e.ctx, deploymentInput(app, group, content))
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.DeploymentId)
}

func deploymentInput(app, group, content string) *cdsdk.CreateDeploymentInput {
	return &cdsdk.CreateDeploymentInput{
		ApplicationName: aws.String(app), DeploymentGroupName: aws.String(group),
		Revision: &types.RevisionLocation{RevisionType: types.RevisionLocationTypeAppSpecContent, AppSpecContent: &types.AppSpecContent{Content: aws.String(content)}},
	}
}

// setDeployment changes a stored deployment as the deployer would.
func (e *env) setDeployment(t *testing.T, id string, fn func(*codedeploy.Deployment)) {
	t.Helper()
	if _, err := e.store.Deployments.Update(e.ctx, id, func(d *codedeploy.Deployment) error { fn(d); return nil }); err != nil {
		t.Fatal(err)
	}
}
