package codedeployapi

import (
	"context"
	"errors"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createDeploymentGroup(ctx context.Context, in *createDeploymentGroupInput) (*createDeploymentGroupOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	g, err := in.apply(codedeploy.DeploymentGroup{
		ApplicationName: app.Value.Name, Name: awsproto.Deref(in.DeploymentGroupName),
		ComputePlatform: app.Value.ComputePlatform, Tags: tagsFromWire(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	if g, err = a.storeNewGroup(ctx, g); err != nil {
		return nil, err
	}
	return &createDeploymentGroupOutput{DeploymentGroupID: ptr(g.ID)}, nil
}

// CreateDeploymentGroup is CreateDeploymentGroup over domain values: g names its application,
// which must exist, and gives the group's settings.
func (a *API) CreateDeploymentGroup(ctx context.Context, g codedeploy.DeploymentGroup) (codedeploy.DeploymentGroup, error) {
	app, err := a.application(ctx, g.ApplicationName)
	if err != nil {
		return codedeploy.DeploymentGroup{}, err
	}
	g.ComputePlatform = app.Value.ComputePlatform
	return a.storeNewGroup(ctx, g)
}

// storeNewGroup validates g and stores it under a new id.
func (a *API) storeNewGroup(ctx context.Context, g codedeploy.DeploymentGroup) (codedeploy.DeploymentGroup, error) {
	g, err := a.validGroup(ctx, g)
	if err != nil {
		return codedeploy.DeploymentGroup{}, err
	}
	if g.ID, err = a.newUUID(); err != nil {
		return codedeploy.DeploymentGroup{}, err
	}
	if _, err := a.store.DeploymentGroups.Create(ctx, store.DeploymentGroupID(g.ApplicationName, g.Name), g); errors.Is(err, errdefs.ErrAlreadyExists) {
		return codedeploy.DeploymentGroup{}, codedeploy.ErrDeploymentGroupExists
	} else if err != nil {
		return codedeploy.DeploymentGroup{}, err
	}
	return g, nil
}

// validGroup checks g and that its deployment configuration exists. The ECS service, target
// groups and listeners are the deployer's to check: this package may not read them.
func (a *API) validGroup(ctx context.Context, g codedeploy.DeploymentGroup) (codedeploy.DeploymentGroup, error) {
	g, err := codedeploy.ValidateDeploymentGroup(g)
	if err != nil {
		return g, err
	}
	_, err = a.deploymentConfig(ctx, g.DeploymentConfigName)
	return g, err
}

// group returns the deployment group name of application app, which must exist.
func (a *API) group(ctx context.Context, app, name string) (store.Item[codedeploy.DeploymentGroup], error) {
	var it store.Item[codedeploy.DeploymentGroup]
	if _, err := a.application(ctx, app); err != nil {
		return it, err
	}
	if err := codedeploy.CheckDeploymentGroupName(name); err != nil {
		return it, err
	}
	it, err := a.store.DeploymentGroups.Get(ctx, store.DeploymentGroupID(app, name))
	// Names may hold '/', so the key alone could name another application's group.
	if errors.Is(err, errdefs.ErrNotFound) || err == nil && (it.Value.ApplicationName != app || it.Value.Name != name) {
		return it, errdefs.Detail(codedeploy.ErrDeploymentGroupNotFound, "The deployment group %s of application %s does not exist.", name, app)
	}
	return it, err
}

// groupsOf returns the deployment groups of application app, by name.
func (a *API) groupsOf(ctx context.Context, app string) ([]store.Item[codedeploy.DeploymentGroup], error) {
	items, _, err := a.store.DeploymentGroups.List(ctx, store.DeploymentGroupID(app, ""))
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if it.Value.ApplicationName == app {
			out = append(out, it)
		}
	}
	return out, nil
}

func (a *API) getDeploymentGroup(ctx context.Context, in *groupNameInput) (*getDeploymentGroupOutput, error) {
	it, err := a.group(ctx, awsproto.Deref(in.ApplicationName), awsproto.Deref(in.DeploymentGroupName))
	if err != nil {
		return nil, err
	}
	info, err := a.groupInfo(ctx, it.Value)
	if err != nil {
		return nil, err
	}
	return &getDeploymentGroupOutput{DeploymentGroupInfo: &info}, nil
}

// groupInfo is g on the wire with its last attempted and last successful deployments.
func (a *API) groupInfo(ctx context.Context, g codedeploy.DeploymentGroup) (wireDeploymentGroupInfo, error) {
	last, err := a.optionalDeployment(ctx, g.LastAttempted)
	if err != nil {
		return wireDeploymentGroupInfo{}, err
	}
	lastOK, err := a.optionalDeployment(ctx, g.LastSuccessful)
	if err != nil {
		return wireDeploymentGroupInfo{}, err
	}
	return groupToWire(g, last, lastOK), nil
}

func (a *API) updateDeploymentGroup(ctx context.Context, in *updateDeploymentGroupInput) (*hooksOutput, error) {
	app, current := awsproto.Deref(in.ApplicationName), awsproto.Deref(in.CurrentDeploymentGroupName)
	return store.Retry(func() (*hooksOutput, error) {
		cur, err := a.group(ctx, app, current)
		if err != nil {
			return nil, err
		}
		g, err := in.apply(cur.Value)
		if err != nil {
			return nil, err
		}
		if in.NewDeploymentGroupName != nil {
			g.Name = *in.NewDeploymentGroupName
		}
		if g, err = a.validGroup(ctx, g); err != nil {
			return nil, err
		}
		if err := a.replaceGroup(ctx, cur, g); err != nil {
			return nil, err
		}
		return &hooksOutput{HooksNotCleanedUp: []wireAutoScalingGroup{}}, nil
	})
}

// replaceGroup writes g over cur, under its new key if it was renamed.
func (a *API) replaceGroup(ctx context.Context, cur store.Item[codedeploy.DeploymentGroup], g codedeploy.DeploymentGroup) error {
	id := store.DeploymentGroupID(g.ApplicationName, g.Name)
	var txn store.Txn
	if id == cur.ID {
		if err := a.store.DeploymentGroups.Put(&txn, id, g, cur.Revision); err != nil {
			return err
		}
		_, err := a.store.Commit(ctx, &txn)
		return err
	}
	if _, err := a.store.DeploymentGroups.Get(ctx, id); err == nil {
		return codedeploy.ErrDeploymentGroupExists
	} else if !errors.Is(err, errdefs.ErrNotFound) {
		return err
	}
	a.store.DeploymentGroups.Remove(&txn, cur.ID, cur.Revision)
	if err := a.store.DeploymentGroups.Put(&txn, id, g, 0); err != nil {
		return err
	}
	_, err := a.store.Commit(ctx, &txn)
	return err
}

func (a *API) listDeploymentGroups(ctx context.Context, in *listDeploymentGroupsInput) (*listDeploymentGroupsOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	items, err := a.groupsOf(ctx, app.Value.Name)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(items))
	for _, it := range items {
		names = append(names, it.Value.Name)
	}
	page, next, err := a.page(names, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listDeploymentGroupsOutput{ApplicationName: ptr(app.Value.Name), DeploymentGroups: page, NextToken: next}, nil
}

// batchGetDeploymentGroups returns the groups that exist; the others it names in errorMessage.
func (a *API) batchGetDeploymentGroups(ctx context.Context, in *batchGetDeploymentGroupsInput) (*batchGetDeploymentGroupsOutput, error) {
	app := awsproto.Deref(in.ApplicationName)
	if _, err := a.application(ctx, app); err != nil {
		return nil, err
	}
	if len(in.DeploymentGroupNames) == 0 {
		return nil, codedeploy.ErrDeploymentGroupNameRequired
	}
	if len(in.DeploymentGroupNames) > maxBatch {
		return nil, errBatchLimit
	}
	out := &batchGetDeploymentGroupsOutput{DeploymentGroupsInfo: []wireDeploymentGroupInfo{}}
	var missing []string
	for _, name := range in.DeploymentGroupNames {
		it, err := a.group(ctx, app, name)
		if errors.Is(err, codedeploy.ErrDeploymentGroupNotFound) {
			missing = append(missing, name)
			continue
		}
		if err != nil {
			return nil, err
		}
		info, err := a.groupInfo(ctx, it.Value)
		if err != nil {
			return nil, err
		}
		out.DeploymentGroupsInfo = append(out.DeploymentGroupsInfo, info)
	}
	if len(missing) > 0 {
		out.ErrorMessage = ptr("Deployment groups do not exist: " + strings.Join(missing, ", "))
	}
	return out, nil
}

// deleteDeploymentGroup deletes the group; one that does not exist is already deleted.
func (a *API) deleteDeploymentGroup(ctx context.Context, in *groupNameInput) (*hooksOutput, error) {
	it, err := a.group(ctx, awsproto.Deref(in.ApplicationName), awsproto.Deref(in.DeploymentGroupName))
	switch {
	case errors.Is(err, codedeploy.ErrDeploymentGroupNotFound):
	case err != nil:
		return nil, err
	default:
		if err := a.store.DeploymentGroups.Delete(ctx, it.ID); err != nil {
			return nil, err
		}
	}
	return &hooksOutput{HooksNotCleanedUp: []wireAutoScalingGroup{}}, nil
}
