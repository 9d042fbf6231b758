package codedeployapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxBatch is how many names or ids a BatchGet call takes.
const maxBatch = 100

type createApplicationInput struct {
	ApplicationName *string   `json:"applicationName"`
	ComputePlatform *string   `json:"computePlatform"`
	Tags            []wireTag `json:"tags"`
}

type createApplicationOutput struct {
	ApplicationID *string `json:"applicationId,omitempty"`
}

type applicationNameInput struct {
	ApplicationName *string `json:"applicationName"`
}

type getApplicationOutput struct {
	Application *wireApplicationInfo `json:"application,omitempty"`
}

type listApplicationsInput struct {
	NextToken *string `json:"nextToken"`
}

type listApplicationsOutput struct {
	Applications []string `json:"applications"`
	NextToken    *string  `json:"nextToken,omitempty"`
}

type batchGetApplicationsInput struct {
	ApplicationNames []string `json:"applicationNames"`
}

type batchGetApplicationsOutput struct {
	ApplicationsInfo []wireApplicationInfo `json:"applicationsInfo"`
}

// wireApplicationInfo is the model's ApplicationInfo.
type wireApplicationInfo struct {
	ApplicationID   *string       `json:"applicationId,omitempty"`
	ApplicationName *string       `json:"applicationName,omitempty"`
	CreateTime      *epochSeconds `json:"createTime,omitempty"`
	LinkedToGitHub  bool          `json:"linkedToGitHub"`
	ComputePlatform *string       `json:"computePlatform,omitempty"`
}

func applicationToWire(app codedeploy.Application) wireApplicationInfo {
	return wireApplicationInfo{
		ApplicationID: ptr(app.ID), ApplicationName: ptr(app.Name), CreateTime: awsproto.Epoch(app.CreateTime),
		ComputePlatform: ptr(app.ComputePlatform),
	}
}

func (a *API) createApplication(ctx context.Context, in *createApplicationInput) (*createApplicationOutput, error) {
	app, err := a.newApplication(ctx, awsproto.Deref(in.ApplicationName), awsproto.Deref(in.ComputePlatform), tagsFromWire(in.Tags))
	if err != nil {
		return nil, err
	}
	return &createApplicationOutput{ApplicationID: ptr(app.ID)}, nil
}

// CreateApplication is CreateApplication over domain values, without tags.
func (a *API) CreateApplication(ctx context.Context, name, computePlatform string) (codedeploy.Application, error) {
	return a.newApplication(ctx, name, computePlatform, nil)
}

func (a *API) newApplication(ctx context.Context, name, platform string, tags []codedeploy.Tag) (codedeploy.Application, error) {
	id, err := a.newUUID()
	if err != nil {
		return codedeploy.Application{}, err
	}
	app, err := codedeploy.NewApplication(name, platform, id, a.now(), tags)
	if err != nil {
		return codedeploy.Application{}, err
	}
	if _, err := a.store.Applications.Create(ctx, app.Name, app); errors.Is(err, errdefs.ErrAlreadyExists) {
		return codedeploy.Application{}, codedeploy.ErrApplicationExists
	} else if err != nil {
		return codedeploy.Application{}, err
	}
	return app, nil
}

// application returns the application of that name.
func (a *API) application(ctx context.Context, name string) (store.Item[codedeploy.Application], error) {
	if err := codedeploy.CheckApplicationName(name); err != nil {
		return store.Item[codedeploy.Application]{}, err
	}
	it, err := a.store.Applications.Get(ctx, name)
	if errors.Is(err, errdefs.ErrNotFound) {
		return it, codedeploy.ErrApplicationNotFound
	}
	return it, err
}

func (a *API) getApplication(ctx context.Context, in *applicationNameInput) (*getApplicationOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	return &getApplicationOutput{Application: ptr(applicationToWire(app.Value))}, nil
}

func (a *API) listApplications(ctx context.Context, in *listApplicationsInput) (*listApplicationsOutput, error) {
	items, _, err := a.store.Applications.List(ctx, "")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(items))
	for _, it := range items {
		names = append(names, it.ID)
	}
	page, next, err := a.page(names, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listApplicationsOutput{Applications: page, NextToken: next}, nil
}

func (a *API) batchGetApplications(ctx context.Context, in *batchGetApplicationsInput) (*batchGetApplicationsOutput, error) {
	if len(in.ApplicationNames) == 0 {
		return nil, codedeploy.ErrApplicationNameRequired
	}
	if len(in.ApplicationNames) > maxBatch {
		return nil, errBatchLimit
	}
	out := &batchGetApplicationsOutput{ApplicationsInfo: []wireApplicationInfo{}}
	for _, name := range in.ApplicationNames {
		app, err := a.application(ctx, name)
		if err != nil {
			return nil, err
		}
		out.ApplicationsInfo = append(out.ApplicationsInfo, applicationToWire(app.Value))
	}
	return out, nil
}

// deleteApplication deletes the application, its deployment groups and its revisions in one
// transaction.
// Deleting one that does not exist succeeds, as in CodeDeploy. Deployments stay, for history.
func (a *API) deleteApplication(ctx context.Context, in *applicationNameInput) (*emptyOutput, error) {
	name := awsproto.Deref(in.ApplicationName)
	if err := codedeploy.CheckApplicationName(name); err != nil {
		return nil, err
	}
	groups, err := a.groupsOf(ctx, name)
	if err != nil {
		return nil, err
	}
	revisions, err := a.revisionItems(ctx, name)
	if err != nil {
		return nil, err
	}
	var txn store.Txn
	a.store.Applications.Remove(&txn, name, -1)
	for _, g := range groups {
		a.store.DeploymentGroups.Remove(&txn, g.ID, -1)
	}
	for _, r := range revisions {
		a.store.Revisions.Remove(&txn, r.ID, -1)
	}
	if _, err := a.store.Commit(ctx, &txn); err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}
