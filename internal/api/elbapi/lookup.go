package elbapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// retry runs fn until it does not fail with a conflict (store.Retry).
func retry[T any](fn func() (T, error)) (T, error) { return store.Retry(fn) }

// notFoundAs turns the store's not-found into the domain sentinel notFound, with a message.
func notFoundAs(err, notFound error, format string, args ...any) error {
	if errors.Is(err, errdefs.ErrNotFound) {
		return errdefs.Detail(notFound, format, args...)
	}
	return err
}

func (a *API) loadBalancer(ctx context.Context, lbARN string) (store.Item[elb.LoadBalancer], error) {
	return a.loadBalancers().get(ctx, lbARN)
}

func (a *API) targetGroup(ctx context.Context, tgARN string) (store.Item[elb.TargetGroup], error) {
	return a.targetGroups().get(ctx, tgARN)
}

func (a *API) listener(ctx context.Context, lARN string) (store.Item[elb.Listener], error) {
	ref, err := elb.ParseListenerARN(lARN)
	if err != nil {
		return store.Item[elb.Listener]{}, err
	}
	it, err := a.store.Listeners.Get(ctx, store.ListenerID(ref))
	if err == nil && it.Value.ARN != lARN {
		err = errdefs.NotFound("stale ARN")
	}
	return it, notFoundAs(err, elb.ErrListenerNotFound, "Listener '%s' not found", lARN)
}

func (a *API) rule(ctx context.Context, rARN string) (store.Item[elb.Rule], error) {
	ref, err := elb.ParseRuleARN(rARN)
	if err != nil {
		return store.Item[elb.Rule]{}, err
	}
	it, err := a.store.Rules.Get(ctx, store.RuleID(ref))
	if err == nil && it.Value.ARN != rARN {
		err = errdefs.NotFound("stale ARN")
	}
	return it, notFoundAs(err, elb.ErrRuleNotFound, "Rule '%s' not found", rARN)
}

// listenerRules returns the rules of a listener, its default rule included.
func (a *API) listenerRules(ctx context.Context, l elb.Listener) ([]store.Item[elb.Rule], error) {
	ref, err := elb.ParseListenerARN(l.ARN)
	if err != nil {
		return nil, err
	}
	items, _, err := a.store.Rules.List(ctx, store.ListenerPrefix(ref))
	return items, err
}

// defaultRule returns a listener's default rule.
func defaultRule(rules []store.Item[elb.Rule]) (store.Item[elb.Rule], error) {
	for _, r := range rules {
		if r.Value.IsDefault {
			return r, nil
		}
	}
	return store.Item[elb.Rule]{}, errdefs.Unavailable("the listener has no default rule")
}

// routing is what the forward checks read: every target group by ARN and which load
// balancers use each.
type routing struct {
	groups map[string]store.Item[elb.TargetGroup]
	users  map[string][]string
}

func (a *API) readRouting(ctx context.Context) (routing, error) {
	tgs, _, err := a.store.TargetGroups.List(ctx, "")
	if err != nil {
		return routing{}, err
	}
	rules, _, err := a.store.Rules.List(ctx, "")
	if err != nil {
		return routing{}, err
	}
	r := routing{groups: make(map[string]store.Item[elb.TargetGroup], len(tgs)), users: elb.TargetGroupUsers(values(rules))}
	for _, tg := range tgs {
		r.groups[tg.Value.ARN] = tg
	}
	return r, nil
}

// check checks the forward actions of a listener with protocol on load balancer lbARN.
func (r routing) check(actions []elb.Action, protocol, lbARN string) error {
	groups := make(map[string]elb.TargetGroup, len(r.groups))
	for k, it := range r.groups {
		groups[k] = it.Value
	}
	return elb.CheckForwards(actions, protocol, lbARN, groups, r.users)
}

// touch adds to txn a rewrite of every target group actions forward to, at the revision read:
// a concurrent DeleteTargetGroup, which checks that no rule uses the group and deletes it at
// its revision, then conflicts with the write that starts using it.
func (r routing) touch(txn *store.Txn, tgs store.Collection[elb.TargetGroup], actions []elb.Action) error {
	seen := map[string]bool{}
	for _, act := range actions {
		for _, arn := range act.TargetGroupARNs() {
			it, ok := r.groups[arn]
			if !ok || seen[arn] {
				continue
			}
			seen[arn] = true
			if err := tgs.Put(txn, it.ID, it.Value, it.Revision); err != nil {
				return err
			}
		}
	}
	return nil
}

func values[T any](items []store.Item[T]) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}
