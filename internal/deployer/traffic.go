package deployer

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// errELB marks failures that the load balancer setup causes (a missing listener or group).
var errELB = errors.New("load balancer")

// route is a listener's default rule and the listener it belongs to, as read.
type route struct {
	listener store.Item[elb.Listener]
	rule     store.Item[elb.Rule]
}

// readRoute reads the listener of listenerARN and its default rule.
func (c *Controller) readRoute(ctx context.Context, listenerARN string) (route, error) {
	ref, err := elb.ParseListenerARN(listenerARN)
	if err != nil {
		return route{}, errors.Join(errELB, err)
	}
	l, err := c.st.Listeners.Get(ctx, store.ListenerID(ref))
	if errors.Is(err, errdefs.ErrNotFound) || (err == nil && l.Value.ARN != listenerARN) {
		return route{}, errors.Join(errELB, errdefs.NotFound("the listener %s does not exist", listenerARN))
	}
	if err != nil {
		return route{}, err
	}
	rules, _, err := c.st.Rules.List(ctx, store.ListenerPrefix(ref))
	if err != nil {
		return route{}, err
	}
	for _, r := range rules {
		if r.Value.IsDefault {
			return route{listener: l, rule: r}, nil
		}
	}
	return route{}, errors.Join(errELB, errdefs.NotFound("the listener %s has no default rule", listenerARN))
}

// weights returns the default rule's forward weights by target group ARN.
func (r route) weights() map[string]int {
	out := map[string]int{}
	for _, a := range r.rule.Value.Actions {
		if a.Type == elb.ActionForward {
			for _, g := range a.Forward.TargetGroups {
				out[g.ARN] = g.Weight
			}
		}
	}
	return out
}

// setForward makes the default rule of listenerARN forward to groups, atomically: the proxy
// swaps its routing table in one step (DESIGN.md, invariant 2). The listener and the groups are
// rewritten at the revisions read, as ModifyListener does, so that a concurrent change of any
// of them makes this write conflict instead of being lost.
func (c *Controller) setForward(ctx context.Context, listenerARN string, groups []elb.WeightedTargetGroup) error {
	r, err := c.readRoute(ctx, listenerARN)
	if err != nil {
		return err
	}
	return c.writeForward(ctx, r, groups)
}

// setRuleForward makes listener rule ruleARN forward to groups, atomically, as setForward
// does for a listener's default rule.
func (c *Controller) setRuleForward(ctx context.Context, ruleARN string, groups []elb.WeightedTargetGroup) error {
	r, err := c.readRuleRoute(ctx, ruleARN)
	if err != nil {
		return err
	}
	return c.writeForward(ctx, r, groups)
}

// readRuleRoute reads listener rule ruleARN (a default rule too) and its listener.
func (c *Controller) readRuleRoute(ctx context.Context, ruleARN string) (route, error) {
	ref, err := elb.ParseRuleARN(ruleARN)
	if err != nil {
		return route{}, errors.Join(errELB, err)
	}
	rule, err := c.st.Rules.Get(ctx, store.RuleID(ref))
	if errors.Is(err, errdefs.ErrNotFound) || (err == nil && rule.Value.ARN != ruleARN) {
		return route{}, errors.Join(errELB, errdefs.NotFound("the listener rule %s does not exist", ruleARN))
	}
	if err != nil {
		return route{}, err
	}
	l, err := c.st.Listeners.Get(ctx, store.ListenerID(ref.Listener))
	if errors.Is(err, errdefs.ErrNotFound) {
		return route{}, errors.Join(errELB, errdefs.NotFound("the listener of rule %s does not exist", ruleARN))
	}
	if err != nil {
		return route{}, err
	}
	return route{listener: l, rule: rule}, nil
}

// writeForward makes route r's rule forward to groups, unless it does already.
func (c *Controller) writeForward(ctx context.Context, r route, groups []elb.WeightedTargetGroup) error {
	if forwards(r.weights(), groups) {
		return nil
	}
	next := r.rule.Value
	next.Actions = []elb.Action{{Type: elb.ActionForward, Order: 1, Forward: elb.Forward{TargetGroups: slices.Clone(groups)}}}
	var txn store.Txn
	errs := []error{
		c.st.Rules.Put(&txn, r.rule.ID, next, r.rule.Revision),
		c.st.Listeners.Put(&txn, r.listener.ID, r.listener.Value, r.listener.Revision),
	}
	byARN := map[string]elb.TargetGroup{}
	for _, g := range groups {
		it, err := c.targetGroupByARN(ctx, g.ARN)
		if err != nil {
			return err
		}
		byARN[g.ARN] = it.Value
		errs = append(errs, c.st.TargetGroups.Put(&txn, it.ID, it.Value, it.Revision))
	}
	if err := c.checkForwards(ctx, r.listener.Value, next.Actions, byARN); err != nil {
		return err
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	_, err := c.st.Commit(ctx, &txn)
	return err
}

// checkForwards applies ModifyListener's checks to the new forward: above all, a target group
// serves one load balancer (TargetGroupAssociationLimit), so a pair group that another load
// balancer uses fails the deployment rather than being attached to a second one.
func (c *Controller) checkForwards(ctx context.Context, l elb.Listener, actions []elb.Action, groups map[string]elb.TargetGroup) error {
	items, _, err := c.st.Rules.List(ctx, "")
	if err != nil {
		return err
	}
	rules := make([]elb.Rule, len(items))
	for i, it := range items {
		rules[i] = it.Value
	}
	if err := elb.CheckForwards(actions, l.Protocol, l.LoadBalancerARN, groups, elb.TargetGroupUsers(rules)); err != nil {
		return errors.Join(errELB, err)
	}
	return nil
}

// targetGroupByName reads a target group by name.
func (c *Controller) targetGroupByName(ctx context.Context, name string) (store.Item[elb.TargetGroup], error) {
	it, err := c.st.TargetGroups.Get(ctx, name)
	if errors.Is(err, errdefs.ErrNotFound) {
		return it, errors.Join(errELB, errdefs.NotFound("the target group %s does not exist", name))
	}
	return it, err
}

func (c *Controller) targetGroupByARN(ctx context.Context, groupARN string) (store.Item[elb.TargetGroup], error) {
	ref, err := elb.ParseTargetGroupARN(groupARN)
	if err != nil {
		return store.Item[elb.TargetGroup]{}, errors.Join(errELB, err)
	}
	it, err := c.targetGroupByName(ctx, ref.Name)
	if err == nil && it.Value.ARN != groupARN {
		return it, errors.Join(errELB, errdefs.NotFound("the target group %s does not exist", groupARN))
	}
	return it, err
}
