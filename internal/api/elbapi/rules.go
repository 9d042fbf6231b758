package elbapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createRule(ctx context.Context, in *createRuleInput) (*rulesOutput, error) {
	lARN, err := required(in.ListenerArn, "listenerArn")
	if err != nil {
		return nil, err
	}
	err = errors.Join(requireList(in.Conditions, "conditions"), requireList(in.Actions, "actions"), noTransforms(in.Transforms))
	if err != nil {
		return nil, err
	}
	if in.Priority == nil {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'priority' failed to satisfy constraint: Member must not be null")
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	spec := elb.RuleSpec{Priority: given(in.Priority), Conditions: conditionsFromWire(in.Conditions), Actions: actionsFromWire(in.Actions), Tags: tags}
	id, err := a.newID()
	if err != nil {
		return nil, err
	}
	r, err := retry(func() (elb.Rule, error) { return a.createRuleOnce(ctx, lARN, spec, id) })
	if err != nil {
		return nil, err
	}
	return &rulesOutput{Rules: list[wireRule]{ruleToWire(r)}}, nil
}

func (a *API) createRuleOnce(ctx context.Context, lARN string, spec elb.RuleSpec, id string) (elb.Rule, error) {
	l, err := a.listener(ctx, lARN)
	if err != nil {
		return elb.Rule{}, err
	}
	siblings, err := a.listenerRules(ctx, l.Value)
	if err != nil {
		return elb.Rule{}, err
	}
	lbRef, _ := elb.ParseLoadBalancerARN(l.Value.LoadBalancerARN)
	lbRules, _, err := a.store.Rules.List(ctx, store.LoadBalancerPrefix(lbRef))
	if err != nil {
		return elb.Rule{}, err
	}
	n := len(slices.DeleteFunc(values(lbRules), func(r elb.Rule) bool { return r.IsDefault }))
	r, err := elb.NewRule(a.scope, l.Value, spec, id, values(siblings), n)
	if err != nil {
		return elb.Rule{}, err
	}
	return r, a.writeRule(ctx, l, r, 0)
}

// writeRule writes r at revision rev (0: new) after checking its forward actions, and rewrites
// its listener at the revision read: every change to a listener's rules does, so that two calls
// that both checked the listener's priorities cannot both commit.
func (a *API) writeRule(ctx context.Context, l store.Item[elb.Listener], r elb.Rule, rev int64) error {
	rt, err := a.readRouting(ctx)
	if err != nil {
		return err
	}
	if err := rt.check(r.Actions, l.Value.Protocol, l.Value.LoadBalancerARN); err != nil {
		return err
	}
	ref, _ := elb.ParseRuleARN(r.ARN)
	var txn store.Txn
	err = errors.Join(
		a.store.Listeners.Put(&txn, l.ID, l.Value, l.Revision),
		a.store.Rules.Put(&txn, store.RuleID(ref), r, rev),
		rt.touch(&txn, a.store.TargetGroups, r.Actions),
	)
	if err != nil {
		return err
	}
	_, err = a.store.Commit(ctx, &txn)
	return err
}

func (a *API) describeRules(ctx context.Context, in *describeRulesInput) (*rulesOutput, error) {
	if (in.ListenerArn != nil) == (len(in.RuleArns) > 0) {
		return nil, errdefs.InvalidArgument("You must specify either a listener ARN or rule ARNs, and not both")
	}
	var rules []elb.Rule
	if in.ListenerArn != nil {
		l, err := a.listener(ctx, *in.ListenerArn)
		if err != nil {
			return nil, err
		}
		items, err := a.listenerRules(ctx, l.Value)
		if err != nil {
			return nil, err
		}
		rules = values(items)
	}
	for _, arn := range in.RuleArns {
		it, err := a.rule(ctx, arn)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(rules, func(r elb.Rule) bool { return r.ARN == arn }) {
			rules = append(rules, it.Value)
		}
	}
	slices.SortFunc(rules, func(x, y elb.Rule) int { return strings.Compare(ruleKey(x), ruleKey(y)) })
	page, next, err := awsproto.Paginate(pages, rules, awsproto.ByKey(ruleKey), in.Marker, in.PageSize, maxPageSize)
	if err != nil {
		return nil, err
	}
	out := &rulesOutput{Rules: list[wireRule]{}, NextMarker: next}
	for _, r := range page {
		out.Rules = append(out.Rules, ruleToWire(r))
	}
	return out, nil
}

// ruleKey orders rules by listener, then as they are evaluated: by priority, the default last.
func ruleKey(r elb.Rule) string {
	p := r.Priority
	if r.IsDefault {
		p = elb.MaxPriority + 1
	}
	return fmt.Sprintf("%s/%05d", r.ListenerARN, p)
}

func (a *API) modifyRule(ctx context.Context, in *modifyRuleInput) (*rulesOutput, error) {
	rARN, err := required(in.RuleArn, "ruleArn")
	if err != nil {
		return nil, err
	}
	if err := noTransforms(in.Transforms); err != nil {
		return nil, err
	}
	conds, actions := conditionsFromWire(in.Conditions), actionsFromWire(in.Actions)
	r, err := retry(func() (elb.Rule, error) {
		cur, err := a.rule(ctx, rARN)
		if err != nil {
			return elb.Rule{}, err
		}
		next, err := cur.Value.Modify(conds, actions)
		if err != nil {
			return elb.Rule{}, err
		}
		l, err := a.listener(ctx, cur.Value.ListenerARN)
		if err != nil {
			return elb.Rule{}, notFoundAs(err, elb.ErrRuleNotFound, "Rule '%s' not found", rARN)
		}
		return next, a.writeRule(ctx, l, next, cur.Revision)
	})
	if err != nil {
		return nil, err
	}
	return &rulesOutput{Rules: list[wireRule]{ruleToWire(r)}}, nil
}

func (a *API) deleteRule(ctx context.Context, in *ruleARNInput) (*emptyOutput, error) {
	rARN, err := required(in.RuleArn, "ruleArn")
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) {
		cur, err := a.rule(ctx, rARN)
		if err != nil {
			return struct{}{}, err
		}
		if cur.Value.IsDefault {
			return struct{}{}, errdefs.Detail(elb.ErrOperationNotPermitted, "The default rule of a listener cannot be deleted")
		}
		l, err := a.listener(ctx, cur.Value.ListenerARN)
		if err != nil {
			return struct{}{}, notFoundAs(err, elb.ErrRuleNotFound, "Rule '%s' not found", rARN)
		}
		var txn store.Txn
		a.store.Rules.Remove(&txn, cur.ID, cur.Revision)
		if err := a.store.Listeners.Put(&txn, l.ID, l.Value, l.Revision); err != nil {
			return struct{}{}, err
		}
		_, err = a.store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}
