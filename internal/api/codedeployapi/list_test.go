package codedeployapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/codedeploy"
)

// deployments makes n finished deployments in group g of app, one a second apart, and returns
// their ids, oldest first.
func (e *env) deployments(t *testing.T, app, g string, n int) []string {
	t.Helper()
	var ids []string
	base := time.Now().Add(-time.Hour)
	for i := range n {
		id := e.deploy(t, app, g, yamlAppSpec)
		e.setDeployment(t, id, func(d *codedeploy.Deployment) {
			d.Status, d.CreateTime = codedeploy.StatusSucceeded, base.Add(time.Duration(i)*time.Second)
		})
		ids = append(ids, id)
	}
	return ids
}

func TestListDeployments(t *testing.T) {
	t.Parallel()
	e := newEnv(t, codedeployapi.WithPageSize(2))
	e.createGroup(t, "app", "g")
	e.createGroup(t, "app", "other")
	ids := e.deployments(t, "app", "g", 5)
	otherID := e.deploy(t, "app", "other", yamlAppSpec)
	var got []string
	var token *string
	for range 4 {
		out, err := e.cd.ListDeployments(e.ctx, &cdsdk.ListDeploymentsInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("g"), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.Deployments...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want newest first %v", got, want)
	}
	created, err := e.cd.ListDeployments(e.ctx, &cdsdk.ListDeploymentsInput{IncludeOnlyStatuses: []types.DeploymentStatus{types.DeploymentStatusCreated}})
	if err != nil || !slices.Equal(created.Deployments, []string{otherID}) {
		t.Fatalf("%+v %v", created, err)
	}
	d1, _ := e.store.Deployments.Get(e.ctx, ids[1])
	d3, _ := e.store.Deployments.Get(e.ctx, ids[3])
	ranged, err := e.cd.ListDeployments(e.ctx, &cdsdk.ListDeploymentsInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("g"),
		CreateTimeRange: &types.TimeRange{Start: aws.Time(d1.Value.CreateTime), End: aws.Time(d3.Value.CreateTime)}})
	if err != nil || !slices.Equal(ranged.Deployments, []string{ids[3], ids[2]}) || ranged.NextToken == nil { // two to a page
		t.Fatalf("%+v %v", ranged, err)
	}
	batch, err := e.cd.BatchGetDeployments(e.ctx, &cdsdk.BatchGetDeploymentsInput{DeploymentIds: []string{ids[0], "d-AAAAAAAAA", otherID}})
	if err != nil || len(batch.DeploymentsInfo) != 2 || aws.ToString(batch.DeploymentsInfo[1].DeploymentId) != otherID {
		t.Fatalf("%+v %v", batch, err)
	}
}

func TestListAndTargetErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	list := func(in *cdsdk.ListDeploymentsInput) func() error {
		return func() error { _, err := e.cd.ListDeployments(e.ctx, in); return err }
	}
	now := time.Now()
	tests := []struct {
		name string
		code string
		call func() error
	}{
		{"group without application", "ApplicationNameRequiredException", list(&cdsdk.ListDeploymentsInput{DeploymentGroupName: aws.String("g")})},
		{"application without group", "DeploymentGroupNameRequiredException", list(&cdsdk.ListDeploymentsInput{ApplicationName: aws.String("app")})},
		{"missing group", "DeploymentGroupDoesNotExistException", list(&cdsdk.ListDeploymentsInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("x")})},
		{"bad status", "InvalidDeploymentStatusException", list(&cdsdk.ListDeploymentsInput{IncludeOnlyStatuses: []types.DeploymentStatus{"Done"}})},
		{"backwards range", "InvalidTimeRangeException", list(&cdsdk.ListDeploymentsInput{CreateTimeRange: &types.TimeRange{Start: aws.Time(now), End: aws.Time(now.Add(-time.Hour))}})},
		{"bad token", "InvalidNextTokenException", list(&cdsdk.ListDeploymentsInput{NextToken: aws.String("%")})},
		{"get missing", "DeploymentDoesNotExistException", func() error {
			_, err := e.cd.GetDeployment(e.ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String("d-AAAAAAAAA")})
			return err
		}},
		{"get malformed", "InvalidDeploymentIdException", func() error {
			_, err := e.cd.GetDeployment(e.ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String("deployment")})
			return err
		}},
		{"batch get nothing", "DeploymentIdRequiredException", func() error {
			_, err := e.cd.BatchGetDeployments(e.ctx, &cdsdk.BatchGetDeploymentsInput{DeploymentIds: []string{}})
			return err
		}},
		{"batch get 101", "BatchLimitExceededException", func() error {
			_, err := e.cd.BatchGetDeployments(e.ctx, &cdsdk.BatchGetDeploymentsInput{DeploymentIds: make([]string, 101)})
			return err
		}},
		{"target of another service", "DeploymentTargetDoesNotExistException", func() error {
			_, err := e.cd.GetDeploymentTarget(e.ctx, &cdsdk.GetDeploymentTargetInput{DeploymentId: aws.String(id), TargetId: aws.String("prod:api")})
			return err
		}},
		{"no target ids", "DeploymentTargetIdRequiredException", func() error {
			_, err := e.cd.BatchGetDeploymentTargets(e.ctx, &cdsdk.BatchGetDeploymentTargetsInput{DeploymentId: aws.String(id), TargetIds: []string{}})
			return err
		}},
		{"too many target ids", "DeploymentTargetListSizeExceededException", func() error {
			_, err := e.cd.BatchGetDeploymentTargets(e.ctx, &cdsdk.BatchGetDeploymentTargetsInput{DeploymentId: aws.String(id), TargetIds: make([]string, 26)})
			return err
		}},
		{"targets of a missing deployment", "DeploymentDoesNotExistException", func() error {
			_, err := e.cd.ListDeploymentTargets(e.ctx, &cdsdk.ListDeploymentTargetsInput{DeploymentId: aws.String("d-AAAAAAAAA")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.expectError(t, tt.code, tt.call) })
	}
}

func TestDeploymentTargets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	list, err := e.cd.ListDeploymentTargets(e.ctx, &cdsdk.ListDeploymentTargetsInput{DeploymentId: aws.String(id)})
	if err != nil || !slices.Equal(list.TargetIds, []string{"prod:web"}) {
		t.Fatalf("%+v %v", list, err)
	}
	batch, err := e.cd.BatchGetDeploymentTargets(e.ctx, &cdsdk.BatchGetDeploymentTargetsInput{DeploymentId: aws.String(id), TargetIds: list.TargetIds})
	if err != nil || len(batch.DeploymentTargets) != 1 {
		t.Fatalf("%+v %v", batch, err)
	}
	target := batch.DeploymentTargets[0].EcsTarget
	if target.Status != types.TargetStatusPending || aws.ToString(target.DeploymentId) != id || len(target.TaskSetsInfo) != 0 ||
		target.LifecycleEvents[7].Status != types.LifecycleEventStatusPending || aws.ToString(target.LifecycleEvents[7].LifecycleEventName) != "AfterAllowTraffic" {
		t.Fatalf("target %+v", target)
	}
}
