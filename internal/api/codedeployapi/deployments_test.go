package codedeployapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/store"
)

// actionAppSpec is what aws-actions/amazon-ecs-deploy-task-definition sends: JSON.stringify of
// the parsed YAML, so version is the number 0.
const actionAppSpec = `{"version":0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"` + taskDef +
	`","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}}}],"Hooks":[{"AfterAllowTestTraffic":"arn:aws:lambda:us-east-1:000000000000:function:smoke"}]}`

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func getDeployment(t *testing.T, e *env, id string) *types.DeploymentInfo {
	t.Helper()
	out, err := e.cd.GetDeployment(e.ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return out.DeploymentInfo
}

func TestCreateAndGetDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	in := deploymentInput("app", "g", actionAppSpec)
	in.Revision.AppSpecContent.Sha256 = aws.String(sha(actionAppSpec))
	in.Description = aws.String("from GitHub Actions")
	out, err := e.cd.CreateDeployment(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.DeploymentId)
	if codedeploy.CheckDeploymentID(id) != nil {
		t.Fatalf("id %q", id)
	}
	d := getDeployment(t, e, id)
	switch {
	case d.Status != types.DeploymentStatusCreated, d.Creator != types.DeploymentCreatorUser, aws.ToString(d.Description) != "from GitHub Actions",
		aws.ToString(d.DeploymentConfigName) != "CodeDeployDefault.ECSAllAtOnce", d.ComputePlatform != types.ComputePlatformEcs,
		d.CreateTime == nil, d.StartTime != nil, d.CompleteTime != nil, d.ErrorInformation != nil, d.PreviousRevision != nil:
		t.Fatalf("deployment %+v", d)
	case aws.ToString(d.Revision.AppSpecContent.Content) != actionAppSpec, d.Revision.RevisionType != types.RevisionLocationTypeAppSpecContent:
		t.Fatalf("revision %+v", d.Revision)
	case d.DeploymentOverview.Pending != 1, d.DeploymentStyle.DeploymentType != types.DeploymentTypeBlueGreen,
		d.BlueGreenDeploymentConfiguration.DeploymentReadyOption == nil, len(d.LoadBalancerInfo.TargetGroupPairInfoList) != 1:
		t.Fatalf("deployment %+v", d)
	}
	stored, err := e.store.Deployments.Get(e.ctx, id)
	if err != nil || stored.Value.AppSpec.Hooks["AfterAllowTestTraffic"] == "" || len(stored.Value.Events) != 8 {
		t.Fatalf("stored %+v %v", stored.Value, err)
	}
	g := getGroup(t, e, "app", "g")
	if aws.ToString(g.LastAttemptedDeployment.DeploymentId) != id || g.LastAttemptedDeployment.Status != types.DeploymentStatusCreated || g.LastSuccessfulDeployment != nil {
		t.Fatalf("group's last deployments %+v %+v", g.LastAttemptedDeployment, g.LastSuccessfulDeployment)
	}
}

func TestAppSpecForms(t *testing.T) {
	t.Parallel()
	props := `"Properties":{"TaskDefinition":"` + taskDef + `","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}`
	forms := map[string]string{
		"yaml with version 0.0":    yamlAppSpec,
		"json with version 0":      `{"version":0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service",` + props + `}}]}`,
		`json with version "0.0"`:  `{"version":"0.0","Resources":[{"TargetService":{"Type":"AWS::ECS::Service",` + props + `}}]}`,
		"the action's compact one": actionAppSpec,
		"keys in any case":         `{"Version":0,"resources":[{"svc":{"type":"AWS::ECS::Service","properties":{"taskDefinition":"` + taskDef + `","loadBalancerInfo":{"containerName":"web","containerPort":8080}}}}]}`,
	}
	e := newEnv(t)
	i := 0
	for name, content := range forms {
		t.Run(name, func(t *testing.T) {
			group := "g" + string(rune('a'+i))
			i++
			e.createGroup(t, "app", group)
			id := e.deploy(t, "app", group, content)
			d, err := e.store.Deployments.Get(e.ctx, id)
			if err != nil || d.Value.AppSpec.TaskDefinition != taskDef || d.Value.AppSpec.ContainerPort != 8080 || d.Value.AppSpec.ContainerName != "web" {
				t.Fatalf("%+v %v", d.Value.AppSpec, err)
			}
		})
	}
}

func TestCreateDeploymentErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	revision := func(change func(*types.RevisionLocation)) func(*cdsdk.CreateDeploymentInput) {
		return func(in *cdsdk.CreateDeploymentInput) { change(in.Revision) }
	}
	tests := []struct {
		name   string
		code   string
		change func(*cdsdk.CreateDeploymentInput)
	}{
		{"sha256 mismatch", "InvalidRevisionException", revision(func(r *types.RevisionLocation) { r.AppSpecContent.Sha256 = aws.String(sha("other")) })},
		{"S3 revision", "InvalidRevisionException", revision(func(r *types.RevisionLocation) {
			*r = types.RevisionLocation{RevisionType: types.RevisionLocationTypeS3, S3Location: &types.S3Location{Bucket: aws.String("b"), Key: aws.String("k")}}
		})},
		{"GitHub revision", "InvalidRevisionException", revision(func(r *types.RevisionLocation) {
			*r = types.RevisionLocation{RevisionType: types.RevisionLocationTypeGitHub}
		})},
		{"bad AppSpec", "InvalidRevisionException", revision(func(r *types.RevisionLocation) { r.AppSpecContent.Content = aws.String("version: 1") })},
		{"no revision", "RevisionRequiredException", func(in *cdsdk.CreateDeploymentInput) { in.Revision = nil }},
		{"long description", "DescriptionTooLongException", func(in *cdsdk.CreateDeploymentInput) { in.Description = aws.String(strings.Repeat("x", 513)) }},
		{"missing application", "ApplicationDoesNotExistException", func(in *cdsdk.CreateDeploymentInput) { in.ApplicationName = aws.String("ghost") }},
		{"no group name", "DeploymentGroupNameRequiredException", func(in *cdsdk.CreateDeploymentInput) { in.DeploymentGroupName = nil }},
		{"missing group", "DeploymentGroupDoesNotExistException", func(in *cdsdk.CreateDeploymentInput) { in.DeploymentGroupName = aws.String("ghost") }},
		{"missing config", "DeploymentConfigDoesNotExistException", func(in *cdsdk.CreateDeploymentInput) { in.DeploymentConfigName = aws.String("ghost") }},
		{"bad rollback", "InvalidAutoRollbackConfigException", func(in *cdsdk.CreateDeploymentInput) {
			in.AutoRollbackConfiguration = &types.AutoRollbackConfiguration{Enabled: true}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := deploymentInput("app", "g", yamlAppSpec)
			tt.change(in)
			e.expectError(t, tt.code, func() error { _, err := e.cd.CreateDeployment(e.ctx, in); return err })
		})
	}
}

func TestOneDeploymentAtATime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	first := e.deploy(t, "app", "g", yamlAppSpec)
	in := deploymentInput("app", "g", actionAppSpec)
	in.DeploymentConfigName = aws.String("CodeDeployDefault.ECSLinear10PercentEvery1Minutes")
	in.AutoRollbackConfiguration = &types.AutoRollbackConfiguration{Enabled: true, Events: []types.AutoRollbackEvent{types.AutoRollbackEventDeploymentStopOnRequest}}
	e.expectError(t, "DeploymentLimitExceededException", func() error { _, err := e.cd.CreateDeployment(e.ctx, in); return err })
	_, err := e.cd.CreateDeployment(e.ctx, in)
	if !strings.Contains(err.Error(), first) {
		t.Fatalf("the error must name the active deployment %s: %v", first, err)
	}
	// The deployer finishes the first one.
	e.setDeployment(t, first, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusSucceeded })
	if _, err := e.store.DeploymentGroups.Update(e.ctx, store.DeploymentGroupID("app", "g"), func(g *codedeploy.DeploymentGroup) error {
		g.LastSuccessful = first
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, err := e.cd.CreateDeployment(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.store.Deployments.Get(e.ctx, aws.ToString(out.DeploymentId))
	if err != nil {
		t.Fatal(err)
	}
	d := second.Value
	if d.PreviousRevision == nil || d.PreviousRevision.Content != yamlAppSpec || d.TrafficRouting.Type != codedeploy.RoutingLinear ||
		!d.AutoRollback.Enabled || d.DeploymentConfigName != "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" {
		t.Fatalf("second deployment %+v", d)
	}
	info := getDeployment(t, e, d.ID)
	if aws.ToString(info.PreviousRevision.AppSpecContent.Content) != yamlAppSpec || !info.AutoRollbackConfiguration.Enabled {
		t.Fatalf("info %+v", info)
	}
	g := getGroup(t, e, "app", "g")
	if aws.ToString(g.LastSuccessfulDeployment.DeploymentId) != first || aws.ToString(g.LastAttemptedDeployment.DeploymentId) != d.ID {
		t.Fatalf("group %+v %+v", g.LastSuccessfulDeployment, g.LastAttemptedDeployment)
	}
}
