package codedeployapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/codedeployapi"
)

func TestApplications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	created, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{
		ApplicationName: aws.String("AppECS-prod-web"), ComputePlatform: types.ComputePlatformEcs,
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})
	if err != nil || len(aws.ToString(created.ApplicationId)) != 36 {
		t.Fatalf("%+v %v", created, err)
	}
	got, err := e.cd.GetApplication(e.ctx, &cdsdk.GetApplicationInput{ApplicationName: aws.String("AppECS-prod-web")})
	if err != nil {
		t.Fatal(err)
	}
	app := got.Application
	if aws.ToString(app.ApplicationId) != aws.ToString(created.ApplicationId) || app.ComputePlatform != types.ComputePlatformEcs || app.CreateTime == nil {
		t.Fatalf("application %+v", app)
	}
	// Without computePlatform, fargo makes an ECS application: it deploys nothing else.
	if _, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("plain")}); err != nil {
		t.Fatal(err)
	}
	batch, err := e.cd.BatchGetApplications(e.ctx, &cdsdk.BatchGetApplicationsInput{ApplicationNames: []string{"plain", "AppECS-prod-web"}})
	if err != nil || len(batch.ApplicationsInfo) != 2 || batch.ApplicationsInfo[0].ComputePlatform != types.ComputePlatformEcs {
		t.Fatalf("%+v %v", batch, err)
	}
	list, err := e.cd.ListApplications(e.ctx, &cdsdk.ListApplicationsInput{})
	if err != nil || strings.Join(list.Applications, ",") != "AppECS-prod-web,plain" || list.NextToken != nil {
		t.Fatalf("%+v %v", list, err)
	}
}

func TestApplicationErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createApp(t, "app")
	tests := []struct {
		name string
		code string
		call func() error
	}{
		{"create without a name", "ApplicationNameRequiredException", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("")})
			return err
		}},
		{"create with a long name", "InvalidApplicationNameException", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String(strings.Repeat("a", 101))})
			return err
		}},
		{"create twice", "ApplicationAlreadyExistsException", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("app")})
			return err
		}},
		{"create for Server", "InvalidComputePlatformException", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("s"), ComputePlatform: types.ComputePlatformServer})
			return err
		}},
		{"create for Lambda", "InvalidComputePlatformException", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("l"), ComputePlatform: types.ComputePlatformLambda})
			return err
		}},
		{"get a missing one", "ApplicationDoesNotExistException", func() error {
			_, err := e.cd.GetApplication(e.ctx, &cdsdk.GetApplicationInput{ApplicationName: aws.String("ghost")})
			return err
		}},
		{"batch get with a missing one", "ApplicationDoesNotExistException", func() error {
			_, err := e.cd.BatchGetApplications(e.ctx, &cdsdk.BatchGetApplicationsInput{ApplicationNames: []string{"app", "ghost"}})
			return err
		}},
		{"batch get nothing", "ApplicationNameRequiredException", func() error {
			_, err := e.cd.BatchGetApplications(e.ctx, &cdsdk.BatchGetApplicationsInput{ApplicationNames: []string{}})
			return err
		}},
		{"batch get 101", "BatchLimitExceededException", func() error {
			_, err := e.cd.BatchGetApplications(e.ctx, &cdsdk.BatchGetApplicationsInput{ApplicationNames: make([]string, 101)})
			return err
		}},
		{"list with a bad token", "InvalidNextTokenException", func() error {
			_, err := e.cd.ListApplications(e.ctx, &cdsdk.ListApplicationsInput{NextToken: aws.String("!!")})
			return err
		}},
		{"delete without a name", "ApplicationNameRequiredException", func() error {
			_, err := e.cd.DeleteApplication(e.ctx, &cdsdk.DeleteApplicationInput{ApplicationName: aws.String("")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.expectError(t, tt.code, tt.call) })
	}
}

func TestListApplicationsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, codedeployapi.WithPageSize(2))
	for i := range 5 {
		e.createApp(t, fmt.Sprintf("app-%d", i))
	}
	var names []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := e.cd.ListApplications(e.ctx, &cdsdk.ListApplicationsInput{NextToken: token})
		if err != nil || pages > 3 {
			t.Fatalf("%v after %d pages", err, pages)
		}
		names = append(names, out.Applications...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if got := strings.Join(names, ","); got != "app-0,app-1,app-2,app-3,app-4" {
		t.Fatalf("names %s", got)
	}
}

func TestDeleteApplicationDeletesGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g1")
	e.createGroup(t, "app", "g2")
	e.createGroup(t, "app2", "g1")
	if _, err := e.cd.DeleteApplication(e.ctx, &cdsdk.DeleteApplicationInput{ApplicationName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	groups, _, err := e.store.DeploymentGroups.List(e.ctx, "")
	if err != nil || len(groups) != 1 || groups[0].Value.ApplicationName != "app2" {
		t.Fatalf("groups left %+v %v", groups, err)
	}
	// Deleting what is gone succeeds, as in CodeDeploy.
	if _, err := e.cd.DeleteApplication(e.ctx, &cdsdk.DeleteApplicationInput{ApplicationName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
}
