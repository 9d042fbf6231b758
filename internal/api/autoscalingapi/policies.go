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

// putScalingPolicy creates a policy of a registered target, or replaces one: a configuration
// or type the request leaves out stays as it was.
func (a *API) putScalingPolicy(ctx context.Context, in *putScalingPolicyInput) (*putScalingPolicyOutput, error) {
	name, err := required("policyName", in.PolicyName)
	if err != nil {
		return nil, err
	}
	if err := autoscaling.CheckPolicyName(name); err != nil {
		return nil, err
	}
	key, _, _, err := keyArgs(in.ServiceNamespace, in.ResourceID, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	var out autoscaling.Policy
	err = retry(func() error {
		target, err := a.store.ScalableTargets.Get(ctx, store.ScalableTargetID(key))
		if errors.Is(err, errdefs.ErrNotFound) {
			return errdefs.Detail(autoscaling.ErrTargetNotFound, "No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s", key.Namespace, key.ResourceID, key.Dimension)
		}
		if err != nil {
			return err
		}
		id := store.ScalingPolicyID(key, name)
		cur, err := a.store.ScalingPolicies.Get(ctx, id)
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return err
		}
		if out, err = a.nextPolicy(key, name, in, cur, err == nil); err != nil {
			return err
		}
		// The target is written again at the revision read, so that a DeregisterScalableTarget
		// that listed its policies before this one conflicts instead of leaving it behind.
		var txn store.Txn
		if err := a.store.ScalableTargets.Put(&txn, target.ID, target.Value, target.Revision); err != nil {
			return err
		}
		if err := a.store.ScalingPolicies.Put(&txn, id, out, cur.Revision); err != nil {
			return err
		}
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &putScalingPolicyOutput{PolicyARN: out.ARN, Alarms: []wireAlarm{}}, nil
}

// nextPolicy returns the policy the request makes of cur (a new one when !exists), checked.
func (a *API) nextPolicy(key autoscaling.TargetKey, name string, in *putScalingPolicyInput, cur store.Item[autoscaling.Policy], exists bool) (autoscaling.Policy, error) {
	p := cur.Value
	if !exists {
		uuid, err := a.newUUID()
		if err != nil {
			return p, err
		}
		p = autoscaling.Policy{
			Name: name, Target: key, CreatedAt: a.now(),
			ARN: "arn:" + a.scope.Partition + ":autoscaling:" + a.scope.Region + ":" + a.scope.AccountID + ":scalingPolicy:" + uuid +
				":resource/" + key.Namespace + "/" + key.ResourceID + ":policyName/" + name,
		}
	}
	if in.PolicyType != nil {
		p.Type = *in.PolicyType
	}
	if c := in.StepScalingPolicyConfiguration; c != nil {
		p.Step = stepScaling(c)
	}
	if c := in.TargetTrackingScalingPolicyConfiguration; c != nil {
		p.TargetTracking = targetTracking(c)
	}
	switch {
	case p.Type == autoscaling.PolicyStepScaling && in.StepScalingPolicyConfiguration == nil && (!exists || cur.Value.Type != p.Type):
		return p, errdefs.InvalidArgument("StepScalingPolicyConfiguration is required for a policy of type StepScaling.")
	case p.Type == autoscaling.PolicyTargetTracking && in.TargetTrackingScalingPolicyConfiguration == nil && (!exists || cur.Value.Type != p.Type):
		return p, errdefs.InvalidArgument("TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling.")
	}
	// Only the configuration of the policy's type is kept.
	switch p.Type {
	case autoscaling.PolicyStepScaling:
		p.TargetTracking = autoscaling.TargetTracking{}
	case autoscaling.PolicyTargetTracking:
		p.Step = autoscaling.StepScaling{}
	}
	return p, p.Check()
}

func (a *API) describeScalingPolicies(ctx context.Context, in *describeScalingPoliciesInput) (*describeScalingPoliciesOutput, error) {
	ns, err := namespaceArg(in.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	dim, err := dimensionFilter(in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	if len(in.PolicyNames) > 50 {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value at 'policyNames' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	items, _, err := a.store.ScalingPolicies.List(ctx, ns+"/")
	if err != nil {
		return nil, fmt.Errorf("list scaling policies: %w", err)
	}
	items = slices.DeleteFunc(items, func(it store.Item[autoscaling.Policy]) bool {
		p := it.Value
		return dim != "" && p.Target.Dimension != dim || in.ResourceID != nil && p.Target.ResourceID != *in.ResourceID ||
			len(in.PolicyNames) > 0 && !slices.Contains(in.PolicyNames, p.Name)
	})
	got, next, err := awsproto.Paginate(pages(10), items, awsproto.ByKey(itemID[autoscaling.Policy]), in.NextToken, in.MaxResults, 10)
	if err != nil {
		return nil, err
	}
	out := &describeScalingPoliciesOutput{ScalingPolicies: []wireScalingPolicy{}, NextToken: next}
	for _, it := range got {
		out.ScalingPolicies = append(out.ScalingPolicies, wirePolicy(it.Value))
	}
	return out, nil
}

func wirePolicy(p autoscaling.Policy) wireScalingPolicy {
	w := wireScalingPolicy{
		PolicyARN: p.ARN, PolicyName: p.Name, ServiceNamespace: p.Target.Namespace, ResourceID: p.Target.ResourceID,
		ScalableDimension: p.Target.Dimension, PolicyType: p.Type, Alarms: []wireAlarm{}, CreationTime: awsproto.EpochSeconds(p.CreatedAt),
	}
	switch p.Type {
	case autoscaling.PolicyStepScaling:
		w.StepScalingPolicyConfiguration = wireStep(p.Step)
	case autoscaling.PolicyTargetTracking:
		w.TargetTrackingScalingPolicyConfiguration = wireTracking(p.TargetTracking)
	}
	return w
}

func (a *API) deleteScalingPolicy(ctx context.Context, in *deleteScalingPolicyInput) (*empty, error) {
	name, err := required("policyName", in.PolicyName)
	if err != nil {
		return nil, err
	}
	key, _, _, err := keyArgs(in.ServiceNamespace, in.ResourceID, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	id := store.ScalingPolicyID(key, name)
	err = retry(func() error {
		cur, err := a.store.ScalingPolicies.Get(ctx, id)
		if errors.Is(err, errdefs.ErrNotFound) {
			return errdefs.Detail(autoscaling.ErrPolicyNotFound, "No scaling policy found for service namespace: %s, resource ID: %s, scalable dimension: %s, policy name: %s",
				key.Namespace, key.ResourceID, key.Dimension, name)
		}
		if err != nil {
			return err
		}
		var txn store.Txn
		a.store.ScalingPolicies.Remove(&txn, id, cur.Revision)
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
