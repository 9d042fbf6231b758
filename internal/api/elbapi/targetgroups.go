package elbapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createTargetGroup(ctx context.Context, in *createTargetGroupInput) (*targetGroupsOutput, error) {
	spec, err := in.spec()
	if err != nil {
		return nil, err
	}
	saved, err := a.CreateTargetGroup(ctx, spec)
	if err != nil {
		return nil, err
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return nil, err
	}
	return &targetGroupsOutput{TargetGroups: list[wireTargetGroup]{targetGroupToWire(saved, rt.users[saved.ARN])}}, nil
}

// CreateTargetGroup is CreateTargetGroup over domain values.
func (a *API) CreateTargetGroup(ctx context.Context, spec elb.TargetGroupSpec) (elb.TargetGroup, error) {
	id, err := a.newID()
	if err != nil {
		return elb.TargetGroup{}, err
	}
	tg, err := elb.NewTargetGroup(a.scope, spec, id)
	if err != nil {
		return elb.TargetGroup{}, err
	}
	return retry(func() (elb.TargetGroup, error) { return a.createOrReturnTargetGroup(ctx, tg) })
}

// createOrReturnTargetGroup stores tg, or returns the target group of that name when it has
// the same settings: CreateTargetGroup is idempotent.
func (a *API) createOrReturnTargetGroup(ctx context.Context, tg elb.TargetGroup) (elb.TargetGroup, error) {
	return createOrReturn(ctx, uniqueByName[elb.TargetGroup]{
		coll: a.store.TargetGroups,
		same: elb.SameTargetGroupSettings,
		duplicate: func() error {
			return errdefs.Detail(elb.ErrDuplicateTargetGroupName, "A target group with the same name '%s' exists, but with different settings", tg.Name)
		},
		tooMany: func() error {
			return errdefs.Detail(elb.ErrTooManyTargetGroups, "The maximum number of target groups (%d) has been reached", elb.MaxTargetGroups)
		},
		max: elb.MaxTargetGroups,
	}, tg.Name, tg)
}

func (a *API) describeTargetGroups(ctx context.Context, in *describeTargetGroupsInput) (*targetGroupsOutput, error) {
	filters := 0
	for _, given := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if given {
			filters++
		}
	}
	if filters > 1 {
		return nil, errdefs.InvalidArgument("You can specify only one of load balancer ARN, target group ARNs and names")
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return nil, err
	}
	tgs, err := a.selectTargetGroups(ctx, in, rt)
	if err != nil {
		return nil, err
	}
	page, next, err := describePage(tgs, targetGroupName, in.Marker, in.PageSize, func(tg elb.TargetGroup) wireTargetGroup {
		return targetGroupToWire(tg, rt.users[tg.ARN])
	})
	if err != nil {
		return nil, err
	}
	return &targetGroupsOutput{TargetGroups: page, NextMarker: next}, nil
}

// selectTargetGroups returns the target groups a describe call names, each once, those a load
// balancer uses, or all.
func (a *API) selectTargetGroups(ctx context.Context, in *describeTargetGroupsInput, rt routing) ([]elb.TargetGroup, error) {
	if len(in.TargetGroupArns) > 0 || len(in.Names) > 0 {
		return selectNamed(ctx, namedKind[elb.TargetGroup]{
			noun: "target groups", notFound: elb.ErrTargetGroupNotFound,
			byARN: a.targetGroup, byName: a.store.TargetGroups.Get,
			validName: elb.ValidateTargetGroupName, name: targetGroupName,
		}, in.TargetGroupArns, in.Names)
	}
	if in.LoadBalancerArn != nil {
		if _, err := a.loadBalancer(ctx, *in.LoadBalancerArn); err != nil {
			return nil, err
		}
	}
	var out []elb.TargetGroup
	for _, it := range rt.groups {
		if in.LoadBalancerArn == nil || slices.Contains(rt.users[it.Value.ARN], *in.LoadBalancerArn) {
			out = append(out, it.Value)
		}
	}
	return out, nil
}

func targetGroupName(tg elb.TargetGroup) string { return tg.Name }

func (a *API) modifyTargetGroup(ctx context.Context, in *modifyTargetGroupInput) (*targetGroupsOutput, error) {
	tgARN, err := required(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	spec, err := in.healthCheck().spec()
	if err != nil {
		return nil, err
	}
	saved, err := a.targetGroups().update(ctx, tgARN, func(tg elb.TargetGroup) (elb.TargetGroup, error) { return tg.WithHealthCheck(spec) })
	if err != nil {
		return nil, err
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return nil, err
	}
	return &targetGroupsOutput{TargetGroups: list[wireTargetGroup]{targetGroupToWire(saved, rt.users[tgARN])}}, nil
}

// deleteTargetGroup deletes a target group that no rule uses, with its registrations. Deleting
// one that does not exist succeeds, as on AWS.
func (a *API) deleteTargetGroup(ctx context.Context, in *targetGroupARNInput) (*emptyOutput, error) {
	tgARN, err := required(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) {
		cur, err := a.targetGroup(ctx, tgARN)
		if err != nil {
			return struct{}{}, err
		}
		rt, err := a.readRouting(ctx)
		if err != nil {
			return struct{}{}, err
		}
		if lbs := rt.users[tgARN]; len(lbs) > 0 {
			return struct{}{}, errdefs.Detail(elb.ErrResourceInUse, "Target group '%s' is currently in use by a listener or a rule of load balancer '%s'", tgARN, lbs[0])
		}
		regs, _, err := a.store.TargetRegistrations.List(ctx, store.TargetGroupPrefix(cur.Value.Name))
		if err != nil {
			return struct{}{}, err
		}
		var txn store.Txn
		a.store.TargetGroups.Remove(&txn, cur.ID, cur.Revision)
		for _, r := range regs {
			a.store.TargetRegistrations.Remove(&txn, r.ID, r.Revision)
		}
		_, err = a.store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	if err != nil && !errors.Is(err, elb.ErrTargetGroupNotFound) {
		return nil, err
	}
	return &emptyOutput{}, nil
}
