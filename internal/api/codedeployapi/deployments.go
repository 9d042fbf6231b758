package codedeployapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// createDeployment stores a new deployment for the deployer, makes it the group's last
// attempted one and registers its revision with the application (or renews it as used), in one
// transaction on the group's revision: of two concurrent calls for a group, one sees the
// other's deployment and is refused.
func (a *API) createDeployment(ctx context.Context, in *createDeploymentInput) (*createDeploymentOutput, error) {
	app, name := awsproto.Deref(in.ApplicationName), awsproto.Deref(in.DeploymentGroupName)
	if err := codedeploy.CheckApplicationName(app); err != nil {
		return nil, err
	}
	if in.Revision == nil {
		return nil, codedeploy.ErrRevisionRequired
	}
	return store.Retry(func() (*createDeploymentOutput, error) {
		grp, err := a.group(ctx, app, name)
		if err != nil {
			return nil, err
		}
		d, err := a.newDeployment(ctx, grp.Value, in)
		if err != nil {
			return nil, err
		}
		grp.Value.LastAttempted = d.ID
		var txn store.Txn
		if err := a.store.Deployments.Put(&txn, d.ID, d, 0); err != nil {
			return nil, err
		}
		if err := a.store.DeploymentGroups.Put(&txn, grp.ID, grp.Value, grp.Revision); err != nil {
			return nil, err
		}
		if err := a.useRevision(ctx, &txn, d); err != nil {
			return nil, err
		}
		if _, err := a.store.Commit(ctx, &txn); err != nil {
			return nil, err
		}
		return &createDeploymentOutput{DeploymentID: ptr(d.ID)}, nil
	})
}

// newDeployment builds the deployment that in asks of group g, if g has none in progress.
func (a *API) newDeployment(ctx context.Context, g codedeploy.DeploymentGroup, in *createDeploymentInput) (codedeploy.Deployment, error) {
	cfgName := awsproto.Deref(in.DeploymentConfigName)
	if cfgName == "" {
		cfgName = g.DeploymentConfigName
	}
	cfg, err := a.deploymentConfig(ctx, cfgName)
	if err != nil {
		return codedeploy.Deployment{}, err
	}
	last, err := a.optionalDeployment(ctx, g.LastAttempted)
	if err != nil {
		return codedeploy.Deployment{}, err
	}
	if last != nil && !last.Status.Done() {
		return codedeploy.Deployment{}, errdefs.Detail(codedeploy.ErrDeploymentLimit,
			"The deployment group %s already has deployment %s in progress (%s): stop it or wait for it to end.", g.Name, last.ID, last.Status)
	}
	req := codedeploy.DeploymentRequest{
		Now: a.now(), Revision: revisionFromWire(in.Revision), Description: awsproto.Deref(in.Description),
		AutoRollback: rollbackFromWire(in.AutoRollbackConfiguration), OverrideAutoRollback: in.AutoRollbackConfiguration != nil,
	}
	if req.PreviousRevision, err = a.lastRevision(ctx, g); err != nil {
		return codedeploy.Deployment{}, err
	}
	if req.ID, err = a.newDeploymentID(); err != nil {
		return codedeploy.Deployment{}, err
	}
	return codedeploy.NewDeployment(g, cfg, req)
}

// lastRevision is the revision of the group's last successful deployment, if any.
func (a *API) lastRevision(ctx context.Context, g codedeploy.DeploymentGroup) (*codedeploy.Revision, error) {
	d, err := a.optionalDeployment(ctx, g.LastSuccessful)
	if d == nil || err != nil {
		return nil, err
	}
	return &d.Revision, nil
}

// optionalDeployment returns the deployment with id, or nil if id is empty or names none.
func (a *API) optionalDeployment(ctx context.Context, id string) (*codedeploy.Deployment, error) {
	if id == "" {
		return nil, nil
	}
	it, err := a.store.Deployments.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &it.Value, nil
}

// deployment returns the deployment with id, which must exist.
func (a *API) deployment(ctx context.Context, id string) (codedeploy.Deployment, error) {
	if err := codedeploy.CheckDeploymentID(id); err != nil {
		return codedeploy.Deployment{}, err
	}
	it, err := a.store.Deployments.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return codedeploy.Deployment{}, errdefs.Detail(codedeploy.ErrDeploymentNotFound, "The deployment %s does not exist.", id)
	}
	return it.Value, err
}

func (a *API) getDeployment(ctx context.Context, in *deploymentIDInput) (*getDeploymentOutput, error) {
	d, err := a.deployment(ctx, awsproto.Deref(in.DeploymentID))
	if err != nil {
		return nil, err
	}
	return &getDeploymentOutput{DeploymentInfo: ptr(deploymentToWire(d))}, nil
}

// batchGetDeployments returns the deployments that exist and leaves the others out.
func (a *API) batchGetDeployments(ctx context.Context, in *batchGetDeploymentsInput) (*batchGetDeploymentsOutput, error) {
	if len(in.DeploymentIDs) == 0 {
		return nil, codedeploy.ErrDeploymentIDRequired
	}
	if len(in.DeploymentIDs) > maxBatch {
		return nil, errBatchLimit
	}
	out := &batchGetDeploymentsOutput{DeploymentsInfo: []wireDeploymentInfo{}}
	for _, id := range in.DeploymentIDs {
		d, err := a.deployment(ctx, id)
		if errors.Is(err, codedeploy.ErrDeploymentNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.DeploymentsInfo = append(out.DeploymentsInfo, deploymentToWire(d))
	}
	return out, nil
}

// updateDeployment lets fn change the deployment with id; an error from fn writes nothing.
func (a *API) updateDeployment(ctx context.Context, id string, fn func(*codedeploy.Deployment) error) error {
	if err := codedeploy.CheckDeploymentID(id); err != nil {
		return err
	}
	_, err := a.store.Deployments.Update(ctx, id, fn)
	if errors.Is(err, errdefs.ErrNotFound) {
		return errdefs.Detail(codedeploy.ErrDeploymentNotFound, "The deployment %s does not exist.", id)
	}
	return err
}

// stopDeployment records the request; the deployer stops the deployment, rolling back when
// asked to or, if the request does not say, when the deployment rolls back automatically on
// DEPLOYMENT_STOP_ON_REQUEST.
func (a *API) stopDeployment(ctx context.Context, in *stopDeploymentInput) (*stopDeploymentOutput, error) {
	err := a.updateDeployment(ctx, awsproto.Deref(in.DeploymentID), func(d *codedeploy.Deployment) error {
		rollback := d.AutoRollback.On(codedeploy.RollbackOnStopRequested)
		if in.AutoRollbackEnabled != nil {
			rollback = *in.AutoRollbackEnabled
		}
		return d.RequestStop(rollback)
	})
	if err != nil {
		return nil, err
	}
	return &stopDeploymentOutput{Status: ptr("Pending"), StatusMessage: ptr("Stopping Pending. Stopping to be processed")}, nil
}

func (a *API) continueDeployment(ctx context.Context, in *continueDeploymentInput) (*emptyOutput, error) {
	err := a.updateDeployment(ctx, awsproto.Deref(in.DeploymentID), func(d *codedeploy.Deployment) error {
		return d.RequestContinue(awsproto.Deref(in.DeploymentWaitType))
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}
