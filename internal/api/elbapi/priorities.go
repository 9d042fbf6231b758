package elbapi

import (
	"context"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// setRulePriorities changes the priorities of several rules in one transaction: either every
// rule gets its new priority or none does.
func (a *API) setRulePriorities(ctx context.Context, in *setRulePrioritiesInput) (*rulesOutput, error) {
	if err := requireList(in.RulePriorities, "rulePriorities"); err != nil {
		return nil, err
	}
	changes := make([]elb.PriorityChange, 0, len(in.RulePriorities))
	for _, p := range in.RulePriorities {
		arn, err := required(p.RuleArn, "rulePriorities.member.ruleArn")
		if err != nil {
			return nil, err
		}
		if p.Priority == nil {
			return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'rulePriorities.member.priority' failed to satisfy constraint: Member must not be null")
		}
		if _, err := elb.ParseRuleARN(arn); err != nil {
			return nil, err
		}
		changes = append(changes, elb.PriorityChange{RuleARN: arn, Priority: given(p.Priority)})
	}
	changed, err := retry(func() ([]elb.Rule, error) { return a.setRulePrioritiesOnce(ctx, changes) })
	if err != nil {
		return nil, err
	}
	out := &rulesOutput{Rules: list[wireRule]{}}
	for _, r := range changed {
		out.Rules = append(out.Rules, ruleToWire(r))
	}
	return out, nil
}

func (a *API) setRulePrioritiesOnce(ctx context.Context, changes []elb.PriorityChange) ([]elb.Rule, error) {
	var txn store.Txn
	var rules []store.Item[elb.Rule]
	listeners := map[string]bool{}
	for _, c := range changes {
		r, err := a.rule(ctx, c.RuleARN)
		if err != nil {
			return nil, err
		}
		if listeners[r.Value.ListenerARN] {
			continue
		}
		listeners[r.Value.ListenerARN] = true
		l, err := a.listener(ctx, r.Value.ListenerARN)
		if err != nil {
			return nil, notFoundAs(err, elb.ErrRuleNotFound, "Rule '%s' not found", c.RuleARN)
		}
		if err := a.store.Listeners.Put(&txn, l.ID, l.Value, l.Revision); err != nil {
			return nil, err
		}
		siblings, err := a.listenerRules(ctx, l.Value)
		if err != nil {
			return nil, err
		}
		rules = append(rules, siblings...)
	}
	changed, err := elb.SetPriorities(values(rules), changes)
	if err != nil {
		return nil, err
	}
	for _, r := range changed {
		for _, it := range rules {
			if it.Value.ARN == r.ARN {
				if err := a.store.Rules.Put(&txn, it.ID, r, it.Revision); err != nil {
					return nil, err
				}
			}
		}
	}
	if _, err := a.store.Commit(ctx, &txn); err != nil {
		return nil, err
	}
	return changed, nil
}
