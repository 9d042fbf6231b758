package elbapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

// listenerView is a listener with its default rule, which holds its default actions.
type listenerView struct {
	listener elb.Listener
	def      elb.Rule
}

func (a *API) modifyListener(ctx context.Context, in *modifyListenerInput) (*listenersOutput, error) {
	lARN, err := required(in.ListenerArn, "listenerArn")
	if err != nil {
		return nil, err
	}
	ch, err := in.change()
	if err != nil {
		return nil, err
	}
	got, err := retry(func() (listenerView, error) { return a.modifyListenerOnce(ctx, lARN, ch) })
	if err != nil {
		return nil, err
	}
	return &listenersOutput{Listeners: list[wireListener]{listenerToWire(got.listener, got.def)}}, nil
}

func (a *API) modifyListenerOnce(ctx context.Context, lARN string, ch elb.ListenerChange) (listenerView, error) {
	cur, err := a.listener(ctx, lARN)
	if err != nil {
		return listenerView{}, err
	}
	next, actions, err := cur.Value.Modify(ch)
	if err != nil {
		return listenerView{}, err
	}
	if ch.Certificates != nil {
		if err := a.checkCertificates(next); err != nil {
			return listenerView{}, err
		}
	}
	rules, err := a.listenerRules(ctx, cur.Value)
	if err != nil {
		return listenerView{}, err
	}
	def, err := defaultRule(rules)
	if err != nil {
		return listenerView{}, err
	}
	newDef := def.Value
	if actions != nil {
		newDef.Actions = actions
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return listenerView{}, err
	}
	if err := rt.check(actionsToCheck(rules, newDef, actions != nil, next.Protocol != cur.Value.Protocol), next.Protocol, next.LoadBalancerARN); err != nil {
		return listenerView{}, err
	}
	var txn store.Txn
	errs := []error{a.store.Listeners.Put(&txn, cur.ID, next, cur.Revision)}
	if next.Port != cur.Value.Port {
		errs = append(errs, a.releasePort(ctx, &txn, cur.Value), a.claimPort(ctx, &txn, next))
	}
	if actions != nil {
		errs = append(errs, a.store.Rules.Put(&txn, def.ID, newDef, def.Revision), rt.touch(&txn, a.store.TargetGroups, actions))
	}
	if err := errors.Join(errs...); err != nil {
		return listenerView{}, err
	}
	if _, err := a.store.Commit(ctx, &txn); err != nil {
		return listenerView{}, err
	}
	return listenerView{next, newDef}, nil
}

// actionsToCheck returns the forward actions a listener change must check: the new default
// actions, and every rule's when the protocol changed (HTTP/2 target groups need HTTPS).
func actionsToCheck(rules []store.Item[elb.Rule], newDef elb.Rule, newDefault, protocolChanged bool) []elb.Action {
	var out []elb.Action
	if newDefault || protocolChanged {
		out = append(out, newDef.Actions...)
	}
	if protocolChanged {
		for _, r := range rules {
			if !r.Value.IsDefault {
				out = append(out, r.Value.Actions...)
			}
		}
	}
	return out
}

func (a *API) deleteListener(ctx context.Context, in *listenerARNInput) (*emptyOutput, error) {
	lARN, err := required(in.ListenerArn, "listenerArn")
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) {
		cur, err := a.listener(ctx, lARN)
		if err != nil {
			return struct{}{}, err
		}
		rules, err := a.listenerRules(ctx, cur.Value)
		if err != nil {
			return struct{}{}, err
		}
		var txn store.Txn
		a.store.Listeners.Remove(&txn, cur.ID, cur.Revision)
		for _, r := range rules {
			a.store.Rules.Remove(&txn, r.ID, r.Revision)
		}
		if err := a.releasePort(ctx, &txn, cur.Value); err != nil {
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
