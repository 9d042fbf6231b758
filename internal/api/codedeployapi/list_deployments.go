package codedeployapi

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
)

// deploymentStatuses are the statuses includeOnlyStatuses may name.
var deploymentStatuses = []codedeploy.DeploymentStatus{
	codedeploy.StatusCreated, codedeploy.StatusQueued, codedeploy.StatusInProgress, "Baking",
	codedeploy.StatusSucceeded, codedeploy.StatusFailed, codedeploy.StatusStopped, codedeploy.StatusReady,
}

// deploymentFilter is what ListDeployments selects by.
type deploymentFilter struct {
	app, group string
	statuses   []codedeploy.DeploymentStatus
	start, end time.Time
}

// match tells whether f selects d. Times compare in milliseconds, the precision of the wire.
func (f deploymentFilter) match(d codedeploy.Deployment) bool {
	created := d.CreateTime.Truncate(time.Millisecond)
	switch {
	case f.app != "" && (d.ApplicationName != f.app || d.DeploymentGroupName != f.group):
		return false
	case len(f.statuses) > 0 && !slices.Contains(f.statuses, d.Status):
		return false
	case !f.start.IsZero() && created.Before(f.start):
		return false
	case !f.end.IsZero() && created.After(f.end):
		return false
	}
	return true
}

// deploymentFilter checks the selection of a ListDeployments call: an application and a
// group, both or neither, that exist; known statuses; a time range that starts before it ends.
func (a *API) deploymentFilter(ctx context.Context, in *listDeploymentsInput) (deploymentFilter, error) {
	f := deploymentFilter{app: awsproto.Deref(in.ApplicationName), group: awsproto.Deref(in.DeploymentGroupName)}
	switch {
	case f.app == "" && f.group != "":
		return f, codedeploy.ErrApplicationNameRequired
	case f.app != "":
		if _, err := a.group(ctx, f.app, f.group); err != nil {
			return f, err
		}
	}
	for _, s := range in.IncludeOnlyStatuses {
		if !slices.Contains(deploymentStatuses, codedeploy.DeploymentStatus(s)) {
			return f, errdefs.Detail(codedeploy.ErrInvalidDeploymentStatus, "The deployment status %q is invalid.", s)
		}
		f.statuses = append(f.statuses, codedeploy.DeploymentStatus(s))
	}
	if r := in.CreateTimeRange; r != nil {
		f.start, f.end = timeOf(r.Start), timeOf(r.End)
	}
	if !f.start.IsZero() && !f.end.IsZero() && f.start.After(f.end) {
		return f, codedeploy.ErrInvalidTimeRange
	}
	return f, nil
}

func timeOf(e *epochSeconds) time.Time {
	if e == nil {
		return time.Time{}
	}
	return time.Time(*e)
}

// listDeployments lists the ids of the deployments selected, newest first.
func (a *API) listDeployments(ctx context.Context, in *listDeploymentsInput) (*listDeploymentsOutput, error) {
	f, err := a.deploymentFilter(ctx, in)
	if err != nil {
		return nil, err
	}
	items, _, err := a.store.Deployments.List(ctx, "")
	if err != nil {
		return nil, err
	}
	var keys []string
	ids := map[string]string{}
	for _, it := range items {
		if f.match(it.Value) {
			// The key sorts newest first and stays stable between pages.
			key := fmt.Sprintf("%020d/%s", math.MaxInt64-it.Value.CreateTime.UnixNano(), it.ID)
			keys = append(keys, key)
			ids[key] = it.ID
		}
	}
	slices.Sort(keys)
	page, next, err := a.page(keys, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &listDeploymentsOutput{Deployments: make([]string, 0, len(page)), NextToken: next}
	for _, k := range page {
		out.Deployments = append(out.Deployments, ids[k])
	}
	return out, nil
}
