package codedeployapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
)

type putLifecycleEventHookExecutionStatusInput struct {
	DeploymentID                  *string `json:"deploymentId"`
	LifecycleEventHookExecutionID *string `json:"lifecycleEventHookExecutionId"`
	Status                        *string `json:"status"`
}

type putLifecycleEventHookExecutionStatusOutput struct {
	LifecycleEventHookExecutionID *string `json:"lifecycleEventHookExecutionId,omitempty"`
}

// putLifecycleEventHookExecutionStatus records the verdict of a hook's target on its
// execution (hooks.Execution); the deployer, which waits on it, moves the deployment on.
func (a *API) putLifecycleEventHookExecutionStatus(ctx context.Context, in *putLifecycleEventHookExecutionStatusInput) (*putLifecycleEventHookExecutionStatusOutput, error) {
	id, hookID := awsproto.Deref(in.DeploymentID), awsproto.Deref(in.LifecycleEventHookExecutionID)
	if err := codedeploy.CheckDeploymentID(id); err != nil {
		return nil, err
	}
	execID, ok := hooks.ParseCodeDeployHookID(hookID)
	if !ok {
		return nil, errdefs.Detail(codedeploy.ErrInvalidHookExecutionID, "The lifecycle event hook execution ID %q is invalid.", hookID)
	}
	status := hooks.Status(awsproto.Deref(in.Status))
	if status != hooks.StatusSucceeded && status != hooks.StatusFailed {
		return nil, codedeploy.ErrInvalidHookStatus
	}
	d, err := a.store.Deployments.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, errdefs.Detail(codedeploy.ErrDeploymentNotFound, "The deployment %s does not exist.", id)
	}
	if err != nil {
		return nil, err
	}
	if d.Value.Status.Done() {
		return nil, codedeploy.ErrLifecycleEventCompleted
	}
	now := a.now()
	_, err = a.store.HookExecutions.Update(ctx, execID, func(x *hooks.Execution) error {
		switch {
		case x.Kind != hooks.KindCodeDeploy || x.Owner != id:
			return errdefs.Detail(codedeploy.ErrInvalidHookExecutionID, "The lifecycle event hook execution %s does not belong to deployment %s.", hookID, id)
		case x.Status.Done():
			return codedeploy.ErrLifecycleEventCompleted
		}
		x.Status, x.UpdatedAt = status, now
		x.Message = "The hook reported " + string(status) + "."
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, errdefs.Detail(codedeploy.ErrInvalidHookExecutionID, "The lifecycle event hook execution %s does not exist.", hookID)
	}
	if err != nil {
		return nil, err
	}
	return &putLifecycleEventHookExecutionStatusOutput{LifecycleEventHookExecutionID: &hookID}, nil
}
