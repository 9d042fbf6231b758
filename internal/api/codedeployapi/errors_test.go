package codedeployapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestErrorMessages pins what a client reads for each way an error is made: a domain sentinel
// alone (CodeDeploy's own words), with a detail from the domain or from the API, and an error
// only the API knows of.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("a", 101)
	tests := []struct {
		name    string
		call    func() error
		code    string
		message string
	}{
		{"sentinel", func() error {
			_, err := e.cd.GetApplication(e.ctx, &cdsdk.GetApplicationInput{ApplicationName: aws.String("ghost")})
			return err
		}, "ApplicationDoesNotExistException", "The application does not exist with the user or AWS account."},
		{"domain detail", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String(long)})
			return err
		}, "InvalidApplicationNameException", `The name "` + long + `" is longer than 100 characters.`},
		{"domain detail of another sentinel", func() error {
			_, err := e.cd.GetDeployment(e.ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String("deployment")})
			return err
		}, "InvalidDeploymentIdException", `The deployment ID "deployment" is invalid: deployment IDs are d- and 9 upper-case letters and digits.`},
		{"api detail", func() error {
			_, err := e.cd.GetDeploymentConfig(e.ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String("ghost")})
			return err
		}, "DeploymentConfigDoesNotExistException", "The deployment configuration ghost does not exist."},
		{"api sentinel", func() error {
			_, err := e.cd.ListApplications(e.ctx, &cdsdk.ListApplicationsInput{NextToken: aws.String("!!")})
			return err
		}, "InvalidNextTokenException", "The next token was specified in an invalid format."},
		{"compute platform", func() error {
			_, err := e.cd.CreateApplication(e.ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("l"), ComputePlatform: types.ComputePlatformLambda})
			return err
		}, "InvalidComputePlatformException", "fargo deploys ECS services only; computePlatform Lambda is not supported: use ECS."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.revision(t)
			apitest.WantError(t, tt.call(), tt.code, tt.message, http.StatusBadRequest)
			if after := e.revision(t); after != before {
				t.Fatalf("a failed call wrote to the store (revision %d → %d)", before, after)
			}
		})
	}
}
