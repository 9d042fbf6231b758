package codedeployapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

type registerApplicationRevisionInput struct {
	ApplicationName *string               `json:"applicationName"`
	Description     *string               `json:"description"`
	Revision        *wireRevisionLocation `json:"revision"`
}

type getApplicationRevisionInput struct {
	ApplicationName *string               `json:"applicationName"`
	Revision        *wireRevisionLocation `json:"revision"`
}

type getApplicationRevisionOutput struct {
	ApplicationName *string                  `json:"applicationName,omitempty"`
	Revision        *wireRevisionLocation    `json:"revision,omitempty"`
	RevisionInfo    *wireGenericRevisionInfo `json:"revisionInfo,omitempty"`
}

// wireGenericRevisionInfo is the model's GenericRevisionInfo.
type wireGenericRevisionInfo struct {
	Description      *string       `json:"description,omitempty"`
	DeploymentGroups []string      `json:"deploymentGroups"`
	FirstUsedTime    *epochSeconds `json:"firstUsedTime,omitempty"`
	LastUsedTime     *epochSeconds `json:"lastUsedTime,omitempty"`
	RegisterTime     *epochSeconds `json:"registerTime,omitempty"`
}

type listApplicationRevisionsInput struct {
	ApplicationName *string `json:"applicationName"`
	SortBy          *string `json:"sortBy"`
	SortOrder       *string `json:"sortOrder"`
	S3Bucket        *string `json:"s3Bucket"`
	S3KeyPrefix     *string `json:"s3KeyPrefix"`
	Deployed        *string `json:"deployed"`
	NextToken       *string `json:"nextToken"`
}

type listApplicationRevisionsOutput struct {
	Revisions []wireRevisionLocation `json:"revisions"`
	NextToken *string                `json:"nextToken,omitempty"`
}

// registerApplicationRevision registers an AppSpec given inline with an application, or
// renews its registration, in one transaction that requires the application as read.
func (a *API) registerApplicationRevision(ctx context.Context, in *registerApplicationRevisionInput) (*emptyOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	if in.Revision == nil {
		return nil, codedeploy.ErrRevisionRequired
	}
	rev := revisionFromWire(in.Revision)
	return store.Retry(func() (*emptyOutput, error) {
		cur, id, err := a.storedRevision(ctx, app.ID, rev)
		if err != nil {
			return nil, err
		}
		var prev *codedeploy.ApplicationRevision
		if cur.Revision > 0 {
			prev = &cur.Value
		}
		next, err := codedeploy.RegisterRevision(prev, app.ID, rev, awsproto.Deref(in.Description), a.now())
		if err != nil {
			return nil, err
		}
		var txn store.Txn
		a.store.Applications.Require(&txn, app.ID, app.Revision)
		if err := a.store.Revisions.Put(&txn, id, next, cur.Revision); err != nil {
			return nil, err
		}
		if _, err := a.store.Commit(ctx, &txn); err != nil {
			return nil, err
		}
		return &emptyOutput{}, nil
	})
}

// storedRevision returns the registration of the revision rev names with app, with revision
// 0 when there is none, and its store id.
func (a *API) storedRevision(ctx context.Context, app string, rev codedeploy.Revision) (store.Item[codedeploy.ApplicationRevision], string, error) {
	key, err := codedeploy.RevisionKey(rev)
	if err != nil {
		return store.Item[codedeploy.ApplicationRevision]{}, "", err
	}
	id := store.RevisionID(app, key)
	it, err := a.store.Revisions.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return store.Item[codedeploy.ApplicationRevision]{}, id, nil
	}
	return it, id, err
}

func (a *API) getApplicationRevision(ctx context.Context, in *getApplicationRevisionInput) (*getApplicationRevisionOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	if in.Revision == nil {
		return nil, codedeploy.ErrRevisionRequired
	}
	rev := revisionFromWire(in.Revision)
	it, _, err := a.storedRevision(ctx, app.ID, rev)
	if err != nil {
		return nil, err
	}
	if it.Revision == 0 {
		key, _ := codedeploy.RevisionKey(rev)
		return nil, errdefs.Detail(codedeploy.ErrRevisionNotFound, "Application %s has no revision with sha256 %s.", app.ID, key)
	}
	targets, err := a.targetRevisions(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	r := it.Value
	return &getApplicationRevisionOutput{
		ApplicationName: ptr(app.ID), Revision: revisionToWire(&r.Revision),
		RevisionInfo: &wireGenericRevisionInfo{
			Description: optional(r.Description), DeploymentGroups: append([]string{}, targets[r.Revision.SHA256]...),
			FirstUsedTime: awsproto.Epoch(r.FirstUsedTime), LastUsedTime: awsproto.Epoch(r.LastUsedTime), RegisterTime: awsproto.Epoch(r.RegisterTime),
		},
	}, nil
}

// listApplicationRevisions lists an application's revisions. fargo keeps no revision in
// Amazon S3, so a bucket filter names a bucket that does not exist here. Pages are named by
// offset: the times revisions sort by change as deployments use them.
func (a *API) listApplicationRevisions(ctx context.Context, in *listApplicationRevisionsInput) (*listApplicationRevisionsOutput, error) {
	app, err := a.application(ctx, awsproto.Deref(in.ApplicationName))
	if err != nil {
		return nil, err
	}
	switch bucket := awsproto.Deref(in.S3Bucket); {
	case bucket != "":
		return nil, errdefs.Detail(codedeploy.ErrInvalidBucketNameFilter, "The bucket %q does not exist here: fargo keeps revisions inline (AppSpecContent and String), never in Amazon S3.", bucket)
	case awsproto.Deref(in.S3KeyPrefix) != "":
		return nil, codedeploy.ErrBucketNameFilterRequired
	}
	q := codedeploy.RevisionQuery{SortBy: awsproto.Deref(in.SortBy), SortOrder: awsproto.Deref(in.SortOrder), Deployed: awsproto.Deref(in.Deployed)}
	if err := q.Check(); err != nil {
		return nil, err
	}
	revs, err := a.revisionsOf(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	targets, err := a.targetRevisions(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	deployed := map[string]bool{}
	for sha := range targets {
		deployed[sha] = true
	}
	page, next, err := awsproto.Paginate(pages, q.Select(revs, deployed), awsproto.ByOffset[codedeploy.ApplicationRevision](), in.NextToken, nil, a.pageSize)
	if err != nil {
		return nil, err
	}
	out := &listApplicationRevisionsOutput{Revisions: make([]wireRevisionLocation, 0, len(page)), NextToken: next}
	for _, r := range page {
		out.Revisions = append(out.Revisions, *revisionToWire(&r.Revision))
	}
	return out, nil
}

// revisionsOf returns the revisions registered with app, with their store items.
func (a *API) revisionsOf(ctx context.Context, app string) ([]codedeploy.ApplicationRevision, error) {
	items, err := a.revisionItems(ctx, app)
	if err != nil {
		return nil, err
	}
	out := make([]codedeploy.ApplicationRevision, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out, nil
}

// revisionItems returns the store items of the revisions registered with app (the prefix also
// holds those of applications whose names begin with app and a '/').
func (a *API) revisionItems(ctx context.Context, app string) ([]store.Item[codedeploy.ApplicationRevision], error) {
	items, _, err := a.store.Revisions.List(ctx, store.ApplicationPrefix(app))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(items, func(it store.Item[codedeploy.ApplicationRevision]) bool { return it.Value.ApplicationName != app }), nil
}

// targetRevisions maps the sha256 of each revision that is the target of one of app's
// deployment groups (the revision of its newest deployment) to those groups, sorted.
func (a *API) targetRevisions(ctx context.Context, app string) (map[string][]string, error) {
	groups, err := a.groupsOf(ctx, app)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, g := range groups {
		d, err := a.optionalDeployment(ctx, g.Value.LastAttempted)
		if err != nil {
			return nil, err
		}
		if d != nil {
			sha := codedeploy.ContentSHA256(d.Revision.Content)
			out[sha] = append(out[sha], g.Value.Name)
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out, nil
}

// useRevision adds to txn the registration of d's revision with its application, renewed as
// used now, as CodeDeploy registers the revision of every deployment.
func (a *API) useRevision(ctx context.Context, txn *store.Txn, d codedeploy.Deployment) error {
	cur, id, err := a.storedRevision(ctx, d.ApplicationName, d.Revision)
	if err != nil {
		return err
	}
	var prev *codedeploy.ApplicationRevision
	if cur.Revision > 0 {
		prev = &cur.Value
	}
	return a.store.Revisions.Put(txn, id, codedeploy.UseRevision(prev, d.ApplicationName, d.Revision, d.CreateTime), cur.Revision)
}
