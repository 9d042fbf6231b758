package codedeployapi

import (
	"context"

	"github.com/fargohq/fargo/internal/codedeploy"
)

// The exported methods of API are its operations over domain values, for callers in the same
// process (the web console): they run the operation's own code, so both answer alike, and no
// wire shape leaves this package.

// CreateDeployment is CreateDeployment of rev with the group's configuration and rollback
// settings; it returns the deployment's id.
func (a *API) CreateDeployment(ctx context.Context, application, group string, rev codedeploy.Revision, description string) (string, error) {
	out, err := a.createDeployment(ctx, &createDeploymentInput{
		ApplicationName: &application, DeploymentGroupName: &group, Revision: revisionToWire(&rev), Description: &description,
	})
	if err != nil {
		return "", err
	}
	return *out.DeploymentID, nil
}

// ContinueDeployment is ContinueDeployment: waitType is READY_WAIT or TERMINATION_WAIT.
func (a *API) ContinueDeployment(ctx context.Context, id, waitType string) error {
	_, err := a.continueDeployment(ctx, &continueDeploymentInput{DeploymentID: &id, DeploymentWaitType: &waitType})
	return err
}

// StopDeployment is StopDeployment, rolling back when rollback is set.
func (a *API) StopDeployment(ctx context.Context, id string, rollback bool) error {
	_, err := a.stopDeployment(ctx, &stopDeploymentInput{DeploymentID: &id, AutoRollbackEnabled: &rollback})
	return err
}
