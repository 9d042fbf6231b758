package autoscalingapi

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// registerScalableTarget creates a target or changes the members the request gives. The
// service must exist and be ACTIVE; its desired count stays as it is.
func (a *API) registerScalableTarget(ctx context.Context, in *registerScalableTargetInput) (*registerScalableTargetOutput, error) {
	key, cluster, service, err := keyArgs(in.ServiceNamespace, in.ResourceID, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	if err := a.checkService(ctx, key, cluster, service); err != nil {
		return nil, err
	}
	update := targetInput(in)
	id := store.ScalableTargetID(key)
	var out autoscaling.Target
	err = retry(func() error {
		cur, err := a.store.ScalableTargets.Get(ctx, id)
		var rev int64
		switch {
		case err == nil:
			out, err = cur.Value.Update(update)
			rev = cur.Revision
		case errors.Is(err, errdefs.ErrNotFound):
			out, err = a.newTarget(key, update)
		}
		if err != nil {
			return err
		}
		var txn store.Txn
		if err := a.store.ScalableTargets.Put(&txn, id, out, rev); err != nil {
			return err
		}
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &registerScalableTargetOutput{ScalableTargetARN: out.ARN}, nil
}

func (a *API) newTarget(key autoscaling.TargetKey, in autoscaling.TargetInput) (autoscaling.Target, error) {
	suffix, err := a.randomHex(18)
	if err != nil {
		return autoscaling.Target{}, err
	}
	arn := a.scope.New("application-autoscaling", "scalable-target/"+suffix).String()
	// ECS services scale through Application Auto Scaling's service-linked role.
	role := "arn:" + a.scope.Partition + ":iam::" + a.scope.AccountID +
		":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
	return autoscaling.NewTarget(key, in, arn, role, a.now())
}

// checkService fails with AWS's ValidationException unless the service of key is ACTIVE.
func (a *API) checkService(ctx context.Context, key autoscaling.TargetKey, cluster, service string) error {
	it, err := a.store.Services.Get(ctx, store.ServiceID(cluster, service))
	if errors.Is(err, errdefs.ErrNotFound) || err == nil && !it.Value.Active() {
		return errdefs.InvalidArgument("ECS service doesn't exist: %s", key.ResourceID)
	}
	if err != nil {
		return fmt.Errorf("read service %s: %w", key.ResourceID, err)
	}
	return nil
}

func targetInput(in *registerScalableTargetInput) autoscaling.TargetInput {
	var t autoscaling.TargetInput
	if in.MinCapacity != nil {
		t.HasMin, t.Min = true, int(*in.MinCapacity)
	}
	if in.MaxCapacity != nil {
		t.HasMax, t.Max = true, int(*in.MaxCapacity)
	}
	if in.RoleARN != nil {
		t.RoleARN = *in.RoleARN
	}
	if s := in.SuspendedState; s != nil {
		t.HasSuspended = true
		t.Suspended = autoscaling.Suspended{
			DynamicScalingIn:  awsproto.Deref(s.DynamicScalingInSuspended),
			DynamicScalingOut: awsproto.Deref(s.DynamicScalingOutSuspended),
			Scheduled:         awsproto.Deref(s.ScheduledScalingSuspended),
		}
	}
	t.Tags = in.Tags
	return t
}

func (a *API) describeScalableTargets(ctx context.Context, in *describeScalableTargetsInput) (*describeScalableTargetsOutput, error) {
	ns, err := namespaceArg(in.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	dim, err := dimensionFilter(in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	if len(in.ResourceIDs) > 50 {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value at 'resourceIds' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	items, _, err := a.store.ScalableTargets.List(ctx, ns+"/")
	if err != nil {
		return nil, fmt.Errorf("list scalable targets: %w", err)
	}
	items = slices.DeleteFunc(items, func(it store.Item[autoscaling.Target]) bool {
		k := it.Value.Key
		return dim != "" && k.Dimension != dim || len(in.ResourceIDs) > 0 && !slices.Contains(in.ResourceIDs, k.ResourceID)
	})
	got, next, err := awsproto.Paginate(pages(50), items, awsproto.ByKey(itemID[autoscaling.Target]), in.NextToken, in.MaxResults, 50)
	if err != nil {
		return nil, err
	}
	out := &describeScalableTargetsOutput{ScalableTargets: []wireScalableTarget{}, NextToken: next}
	for _, it := range got {
		out.ScalableTargets = append(out.ScalableTargets, wireTarget(it.Value))
	}
	return out, nil
}

func wireTarget(t autoscaling.Target) wireScalableTarget {
	return wireScalableTarget{
		ServiceNamespace:  t.Key.Namespace,
		ResourceID:        t.Key.ResourceID,
		ScalableDimension: t.Key.Dimension,
		MinCapacity:       new(int32(t.MinCapacity)),
		MaxCapacity:       new(int32(t.MaxCapacity)),
		RoleARN:           t.RoleARN,
		CreationTime:      awsproto.EpochSeconds(t.CreatedAt),
		SuspendedState: &wireSuspendedState{
			DynamicScalingInSuspended:  &t.Suspended.DynamicScalingIn,
			DynamicScalingOutSuspended: &t.Suspended.DynamicScalingOut,
			ScheduledScalingSuspended:  &t.Suspended.Scheduled,
		},
		ScalableTargetARN: t.ARN,
	}
}

// deregisterScalableTarget removes a target and its policies, as AWS does.
func (a *API) deregisterScalableTarget(ctx context.Context, in *targetKeyInput) (*empty, error) {
	key, _, _, err := keyArgs(in.ServiceNamespace, in.ResourceID, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	id := store.ScalableTargetID(key)
	err = retry(func() error {
		cur, err := a.store.ScalableTargets.Get(ctx, id)
		if errors.Is(err, errdefs.ErrNotFound) {
			return errdefs.Detail(autoscaling.ErrTargetNotFound, "No scalable target found for service namespace: %s, resource ID: %s, scalable dimension: %s", key.Namespace, key.ResourceID, key.Dimension)
		}
		if err != nil {
			return err
		}
		policies, _, err := a.store.ScalingPolicies.List(ctx, store.ScalableTargetPrefix(key))
		if err != nil {
			return err
		}
		var txn store.Txn
		a.store.ScalableTargets.Remove(&txn, id, cur.Revision)
		for _, p := range policies {
			a.store.ScalingPolicies.Remove(&txn, p.ID, p.Revision)
		}
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// itemID is the store id of an item, the key its page tokens name.
func itemID[T any](it store.Item[T]) string { return it.ID }
