package elbapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createListener(ctx context.Context, in *createListenerInput) (*listenersOutput, error) {
	lbARN, err := required(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	spec, err := in.spec()
	if err != nil {
		return nil, err
	}
	l, def, err := a.newListener(ctx, lbARN, spec)
	if err != nil {
		return nil, err
	}
	return &listenersOutput{Listeners: list[wireListener]{listenerToWire(l, def)}}, nil
}

// CreateListener is CreateListener over domain values.
func (a *API) CreateListener(ctx context.Context, loadBalancerARN string, spec elb.ListenerSpec) (elb.Listener, error) {
	l, _, err := a.newListener(ctx, loadBalancerARN, spec)
	return l, err
}

// newListener creates the listener spec asks of the load balancer, with its default rule.
func (a *API) newListener(ctx context.Context, lbARN string, spec elb.ListenerSpec) (elb.Listener, elb.Rule, error) {
	lb, err := a.loadBalancer(ctx, lbARN)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	id, err := a.newID()
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	ruleID, err := a.newID()
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	l, def, err := elb.NewListener(a.scope, lb.Value, spec, id, ruleID)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	if err := a.checkCertificates(l); err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	type created struct {
		l   elb.Listener
		def elb.Rule
	}
	got, err := retry(func() (created, error) {
		l, def, err := a.createListenerOnce(ctx, l, def)
		return created{l, def}, err
	})
	return got.l, got.def, err
}

// createListenerOnce stores l with its default rule and claims its port. A listener on that
// port of the same load balancer with the same settings is returned instead: CreateListener is
// idempotent.
func (a *API) createListenerOnce(ctx context.Context, l elb.Listener, def elb.Rule) (elb.Listener, elb.Rule, error) {
	lb, err := a.loadBalancer(ctx, l.LoadBalancerARN)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	siblings, _, err := a.store.Listeners.List(ctx, store.LoadBalancerPrefix(lb.Value.Ref()))
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	if same, sameDef, found, err := a.sameListener(ctx, siblings, l, def); found || err != nil {
		return same, sameDef, err
	}
	if len(siblings) >= elb.MaxListenersPerLoadBalancer {
		return elb.Listener{}, elb.Rule{}, errdefs.Detail(elb.ErrTooManyListeners, "A load balancer can have at most %d listeners", elb.MaxListenersPerLoadBalancer)
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	if err := rt.check(def.Actions, l.Protocol, lb.Value.ARN); err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	var txn store.Txn
	ref, _ := elb.ParseListenerARN(l.ARN)
	ruleRef, _ := elb.ParseRuleARN(def.ARN)
	err = errors.Join(
		a.store.LoadBalancers.Put(&txn, lb.ID, lb.Value, lb.Revision),
		a.store.Listeners.Put(&txn, store.ListenerID(ref), l, 0),
		a.store.Rules.Put(&txn, store.RuleID(ruleRef), def, 0),
		a.claimPort(ctx, &txn, l),
		rt.touch(&txn, a.store.TargetGroups, def.Actions),
	)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	if _, err := a.store.Commit(ctx, &txn); err != nil {
		return elb.Listener{}, elb.Rule{}, err
	}
	return l, def, nil
}

// sameListener looks for a listener of the load balancer on l's port: found with the same
// settings, it is returned; with other settings it is DuplicateListener.
func (a *API) sameListener(ctx context.Context, siblings []store.Item[elb.Listener], l elb.Listener, def elb.Rule) (elb.Listener, elb.Rule, bool, error) {
	i := slices.IndexFunc(siblings, func(it store.Item[elb.Listener]) bool { return it.Value.Port == l.Port })
	if i < 0 {
		return elb.Listener{}, elb.Rule{}, false, nil
	}
	cur := siblings[i].Value
	rules, err := a.listenerRules(ctx, cur)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, true, err
	}
	curDef, err := defaultRule(rules)
	if err != nil {
		return elb.Listener{}, elb.Rule{}, true, err
	}
	if elb.SameListenerSettings(cur, curDef.Value, l, def) {
		return cur, curDef.Value, true, nil
	}
	return elb.Listener{}, elb.Rule{}, true, errdefs.Detail(elb.ErrDuplicateListener, "A listener already exists on port %d of this load balancer", l.Port)
}

// claimPort adds to txn the claim of l's port, which must be free: fargo binds every load
// balancer's listeners on one address, and a port no listener claims yet must be one the data
// plane can bind (checkPort).
func (a *API) claimPort(ctx context.Context, txn *store.Txn, l elb.Listener) error {
	id := store.ListenerPortID(l.Port)
	cur, err := a.store.ListenerPorts.Get(ctx, id)
	switch {
	case err == nil && cur.Value.ListenerARN != l.ARN:
		return errdefs.Detail(elb.ErrDuplicateListener, "Port %d is in use by listener '%s': fargo serves the listeners of all load balancers on %s, so a port can serve one listener", l.Port, cur.Value.ListenerARN, a.cfg.ListenerHost)
	case err == nil:
		return nil
	case !errors.Is(err, errdefs.ErrNotFound):
		return err
	}
	if err := a.checkPort(l.Port); err != nil {
		return err
	}
	return a.store.ListenerPorts.Put(txn, id, elb.PortClaim{Port: l.Port, ListenerARN: l.ARN}, 0)
}

// releasePort adds to txn the removal of l's port claim, if l holds it.
func (a *API) releasePort(ctx context.Context, txn *store.Txn, l elb.Listener) error {
	id := store.ListenerPortID(l.Port)
	cur, err := a.store.ListenerPorts.Get(ctx, id)
	switch {
	case errors.Is(err, errdefs.ErrNotFound):
		return nil
	case err != nil:
		return err
	case cur.Value.ListenerARN == l.ARN:
		a.store.ListenerPorts.Remove(txn, id, cur.Revision)
	}
	return nil
}

// checkCertificates makes sure the files of an HTTPS listener's certificate exist, so that a
// mistyped name fails the call with CertificateNotFound, as ALB answers for an unknown ACM
// ARN, rather than leave a listener that never binds.
func (a *API) checkCertificates(l elb.Listener) error {
	for _, c := range l.Certificates {
		certFile, keyFile, err := elb.CertificateFiles(c.ARN, a.cfg.CertificateDir)
		if err != nil {
			return err
		}
		for _, f := range []string{certFile, keyFile} {
			if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() {
				return errdefs.Detail(elb.ErrCertificateNotFound, "Certificate '%s' not found: no readable file %s", c.ARN, f)
			}
		}
	}
	return nil
}

func (a *API) describeListeners(ctx context.Context, in *describeListenersInput) (*listenersOutput, error) {
	if (in.LoadBalancerArn != nil) == (len(in.ListenerArns) > 0) {
		return nil, errdefs.InvalidArgument("You must specify either a load balancer ARN or listener ARNs, and not both")
	}
	var listeners []elb.Listener
	if in.LoadBalancerArn != nil {
		lb, err := a.loadBalancer(ctx, *in.LoadBalancerArn)
		if err != nil {
			return nil, err
		}
		items, _, err := a.store.Listeners.List(ctx, store.LoadBalancerPrefix(lb.Value.Ref()))
		if err != nil {
			return nil, err
		}
		listeners = values(items)
	}
	for _, arn := range in.ListenerArns {
		it, err := a.listener(ctx, arn)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(listeners, func(l elb.Listener) bool { return l.ARN == arn }) {
			listeners = append(listeners, it.Value)
		}
	}
	key := func(l elb.Listener) string { return fmt.Sprintf("%s/%05d", l.LoadBalancerARN, l.Port) }
	slices.SortFunc(listeners, func(x, y elb.Listener) int { return strings.Compare(key(x), key(y)) })
	page, next, err := awsproto.Paginate(pages, listeners, awsproto.ByKey(key), in.Marker, in.PageSize, maxPageSize)
	if err != nil {
		return nil, err
	}
	out := &listenersOutput{Listeners: list[wireListener]{}, NextMarker: next}
	for _, l := range page {
		rules, err := a.listenerRules(ctx, l)
		if err != nil {
			return nil, err
		}
		def, err := defaultRule(rules)
		if err != nil {
			return nil, err
		}
		out.Listeners = append(out.Listeners, listenerToWire(l, def.Value))
	}
	return out, nil
}
