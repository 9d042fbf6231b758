package lbsync

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// reconcileConfig compiles the store's ELB objects, applies them to the proxy, and deletes the
// draining registrations the proxy no longer drains.
func (c *Controller) reconcileConfig(ctx context.Context, _ string) (reconcile.Result, error) {
	applied := c.regs.Revision() // before the snapshot: the routing reflects at least this
	snap := Snapshot{
		LoadBalancers: values(c.lbs),
		Listeners:     values(c.listeners),
		Rules:         values(c.rules),
		TargetGroups:  values(c.groups),
		Registrations: values(c.regs),
		Instances:     values(c.instances),
	}
	cfg, problems := Compile(snap, c.cfg.Settings)
	c.logProblems(problems)
	applyErr := c.proxy.Apply(cfg)
	if applyErr != nil {
		// A listener that cannot bind must not keep the others from working; the proxy applied
		// the rest. Log it once per distinct error.
		c.logProblems([]Problem{{Object: "proxy", Reason: applyErr.Error()}})
	}
	own := listenerFailures(problems, applyErr)
	var le *lb.ListenerError
	if errors.Is(applyErr, errdefs.ErrInvalidArgument) && !errors.As(applyErr, &le) {
		applied = -1 // an invalid config changed nothing: the routing reflects what it did
	}
	c.setApplied(applied, own)
	var res reconcile.Result
	if c.listenerFailing(own) {
		res.RequeueAfter = c.cfg.ListenerRetry // a port may come free
	}
	st, ok := c.control()
	if !ok {
		return res, nil
	}
	if _, err := c.recordListenerFailures(ctx, st, mergeFailures(own, c.peers())); err != nil {
		return reconcile.Result{}, err
	}
	return res, c.releaseDrained(ctx)
}

// releaseDrained deletes draining registrations the proxy does not report as draining: it
// released them (nothing in flight, or the deregistration delay passed) or never routed to
// them; with several data-plane nodes, every live one must have released them.
func (c *Controller) releaseDrained(ctx context.Context) error {
	st, ok := c.control()
	if !ok {
		return nil
	}
	peers := c.peers()
	draining := map[string]bool{}
	for _, h := range c.proxy.Health() {
		if h.State == lb.StateDraining {
			draining[h.GroupID+"|"+h.TargetID] = true
		}
	}
	for _, it := range c.regs.Filter(func(it store.Item[elb.Registration]) bool { return it.Value.Draining }) {
		key := TargetKey(it.Value.Target)
		if draining[it.Value.TargetGroupARN+"|"+key] || !c.appliedHere(it.Revision) ||
			!releasedEverywhere(peers, it.Revision, it.Value.TargetGroupARN, key) {
			continue
		}
		var txn store.Txn
		st.TargetRegistrations.Remove(&txn, it.ID, it.Revision)
		if _, err := st.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			continue
		} else if err != nil {
			return fmt.Errorf("release %s: %w", it.ID, err)
		}
		// The watch cannot say whose registration a delete was: forget it now and tell the
		// task here, so that it learns at once that its targets drained.
		c.regs.Forget(it.ID)
		if key, ok := taskKeyOf(it.Value.TaskARN); ok {
			c.taskQ.Add(key)
		}
	}
	return nil
}

func (c *Controller) logProblems(problems []Problem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range problems {
		if c.warned[p.Object] == p.Reason {
			continue
		}
		c.warned[p.Object] = p.Reason
		c.log.Warn("load balancer configuration problem", "object", p.Object, "reason", p.Reason)
	}
}

// reconcileRegistration writes what the proxy observed of a target into its registration.
func (c *Controller) reconcileRegistration(ctx context.Context, key string) (reconcile.Result, error) {
	it, ok := c.regs.Get(key)
	if !ok {
		return reconcile.Result{Gone: true}, nil
	}
	st, leads := c.control()
	if !leads {
		return reconcile.Result{}, nil // the leader writes health: a term's start requeues all
	}
	want, ok := c.observed(it.Value)
	if !ok || reflect.DeepEqual(want, it.Value.Health) {
		return reconcile.Result{}, nil
	}
	next := it.Value
	next.Health = want
	var txn store.Txn
	if err := st.TargetRegistrations.Put(&txn, key, next, it.Revision); err != nil {
		return reconcile.Result{}, err
	}
	if _, err := st.Commit(ctx, &txn); err != nil {
		return reconcile.Result{}, fmt.Errorf("record health of %s: %w", key, err)
	}
	return reconcile.Result{}, nil
}

// observed is the health the proxy reports for a registered target, worsened by what the
// other live data-plane nodes report of it (aggregateHealth); ok is false when the proxy does
// not know it (yet), and draining registrations keep what the API wrote.
func (c *Controller) observed(r elb.Registration) (elb.TargetHealth, bool) {
	if r.Draining {
		return elb.TargetHealth{}, false
	}
	c.mu.Lock()
	h, ok := c.health[r.TargetGroupARN+"|"+TargetKey(r.Target)]
	c.mu.Unlock()
	if !ok || h.State == lb.StateDraining || h.State == lb.StateUnused {
		return elb.TargetHealth{}, false
	}
	own := elb.TargetHealth{State: elb.TargetState(h.State), Reason: h.Reason, Description: h.Description}
	return aggregateHealth(own, c.peers(), r.TargetGroupARN, TargetKey(r.Target)), true
}
