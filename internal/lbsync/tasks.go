package lbsync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// reconcileTask registers a running service task's containers in the service's target groups,
// deregisters (drains) the targets of a task that stops, and sums up the targets' health and
// drain on the task.
func (c *Controller) reconcileTask(ctx context.Context, key string) (reconcile.Result, error) {
	st, leads := c.control()
	if !leads {
		return reconcile.Result{}, nil // the leader's work: a term's start requeues every task
	}
	it, ok := c.tasks.Get(key)
	if !ok {
		return reconcile.Result{Gone: true}, c.drainOwned(ctx, st, func(taskARN string) bool {
			k, _ := taskKeyOf(taskARN)
			return k == key
		})
	}
	t := it.Value
	if t.LoadBalanced && !t.Terminating() && !t.IsStopped() && t.LastStatus == ecs.TaskRunning {
		if svc, ok := c.services.Get(store.ServiceID(t.ClusterName, t.ServiceName)); ok {
			if err := c.registerTask(ctx, st, t, svc.Value); err != nil {
				return reconcile.Result{}, err
			}
		}
	}
	if t.Terminating() || t.IsStopped() {
		if err := c.drainOwned(ctx, st, func(taskARN string) bool { return taskARN == t.ARN }); err != nil {
			return reconcile.Result{}, err
		}
	}
	return reconcile.Result{}, c.summarize(ctx, st, it)
}

// registerTask makes sure each of the task's load balancer entries has a registration for
// its container port. Tasks started before tasks recorded their own use the service's.
func (c *Controller) registerTask(ctx context.Context, st *store.Store, t ecs.Task, svc ecs.Service) error {
	lbs := t.LoadBalancers
	if len(lbs) == 0 {
		lbs = svc.LoadBalancers
	}
	for _, lbe := range lbs {
		group, ok := c.groupByARN(lbe.TargetGroupARN)
		if !ok {
			continue // the group is gone; ECS keeps running the task
		}
		target, ok := c.taskTarget(t, lbe, group)
		if !ok {
			continue
		}
		current := c.groupRegistrations(group.Name)
		fresh, err := elb.Register(group, current, []elb.Target{target}, c.cfg.Now())
		if err != nil {
			return fmt.Errorf("register task %s in %s: %w", t.ID, group.Name, err)
		}
		for _, r := range fresh {
			r.TaskARN = t.ARN
			if err := c.writeRegistration(ctx, st, group.Name, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// taskTarget is the target of a task's container port in group: the host address (ip groups)
// or container instance (instance groups) and the host port the port is mapped to.
func (c *Controller) taskTarget(t ecs.Task, lbe ecs.LoadBalancer, group elb.TargetGroup) (elb.Target, bool) {
	for _, ct := range t.Containers {
		if ct.Name != lbe.ContainerName {
			continue
		}
		for _, b := range ct.NetworkBindings {
			if b.ContainerPort != lbe.ContainerPort {
				continue
			}
			id := b.BindIP
			if group.TargetType == elb.TargetTypeInstance {
				id = t.ContainerInstanceID
			} else if id == "" || id == "0.0.0.0" {
				// Bound on every address: the instance's, which reaches it from every
				// data-plane node; this node's listener address only for lack of one.
				id = cmp.Or(c.instanceAddress(t), c.cfg.BindHost)
			}
			return elb.Target{ID: id, Port: b.HostPort}, true
		}
	}
	return elb.Target{}, false
}

// instanceAddress is where the tasks of t's container instance are reachable, if it says.
func (c *Controller) instanceAddress(t ecs.Task) string {
	it, ok := c.instances.Get(store.ContainerInstanceID(t.ClusterName, t.ContainerInstanceID))
	if !ok {
		return ""
	}
	return it.Value.Address
}

func (c *Controller) writeRegistration(ctx context.Context, st *store.Store, groupName string, r elb.Registration) error {
	id := store.TargetRegistrationID(groupName, r.Target)
	rev := int64(0)
	if cur, ok := c.regs.Get(id); ok {
		rev = cur.Revision
	}
	var txn store.Txn
	if err := st.TargetRegistrations.Put(&txn, id, r, rev); err != nil {
		return err
	}
	newRev, err := st.Commit(ctx, &txn)
	if err != nil {
		return fmt.Errorf("write registration %s: %w", id, err)
	}
	c.regs.Upsert(store.Item[elb.Registration]{ID: id, Value: r, Revision: newRev})
	return nil
}

// drainOwned deregisters the registrations of the tasks owner selects: they drain, and the
// proxy releases them once their requests finished.
func (c *Controller) drainOwned(ctx context.Context, st *store.Store, owner func(taskARN string) bool) error {
	for _, it := range c.regs.Filter(func(it store.Item[elb.Registration]) bool {
		return it.Value.TaskARN != "" && !it.Value.Draining && owner(it.Value.TaskARN)
	}) {
		group, ok := c.groupByARN(it.Value.TargetGroupARN)
		if !ok {
			continue
		}
		drain, remove, err := elb.Deregister(group, []elb.Registration{it.Value}, []elb.Target{it.Value.Target}, c.groupInUse(group.ARN), c.cfg.Now())
		if err != nil {
			return err
		}
		var txn store.Txn
		for _, r := range drain {
			if err := st.TargetRegistrations.Put(&txn, it.ID, r, it.Revision); err != nil {
				return err
			}
		}
		if len(remove) > 0 {
			st.TargetRegistrations.Remove(&txn, it.ID, it.Revision)
		}
		if _, err := st.Commit(ctx, &txn); err != nil && !errors.Is(err, errdefs.ErrConflict) {
			return fmt.Errorf("deregister %s: %w", it.ID, err)
		}
	}
	return nil
}

// summarize writes the task's target health and, for a stopping task, whether its targets
// have all drained.
func (c *Controller) summarize(ctx context.Context, st *store.Store, it store.Item[ecs.Task]) error {
	t := it.Value
	if !t.LoadBalanced || t.IsStopped() {
		return nil
	}
	owned := c.regs.Filter(func(r store.Item[elb.Registration]) bool { return r.Value.TaskARN == t.ARN })
	health, group := ecs.HealthUnknown, ""
	healthy := 0
	for _, r := range owned {
		switch r.Value.Health.State {
		case elb.TargetUnhealthy:
			health, group = ecs.HealthUnhealthy, r.Value.TargetGroupARN
		case elb.TargetHealthy, elb.TargetUnavailable:
			healthy++
		}
	}
	if health != ecs.HealthUnhealthy && healthy > 0 && healthy == len(owned) {
		health = ecs.HealthHealthy
	}
	drained := t.Terminating() && len(owned) == 0
	if t.TargetHealth == health && t.TargetHealthGroup == group && t.Drained == drained {
		return nil
	}
	_, err := st.Tasks.Update(ctx, it.ID, func(cur *ecs.Task) error {
		cur.TargetHealth, cur.TargetHealthGroup, cur.Drained = health, group, drained
		cur.Version++
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	return err
}

func (c *Controller) groupByARN(groupARN string) (elb.TargetGroup, bool) {
	ref, err := elb.ParseTargetGroupARN(groupARN)
	if err != nil {
		return elb.TargetGroup{}, false
	}
	it, ok := c.groups.Get(ref.Name)
	if !ok || it.Value.ARN != groupARN {
		return elb.TargetGroup{}, false
	}
	return it.Value, true
}

func (c *Controller) groupRegistrations(groupName string) []elb.Registration {
	prefix := store.TargetGroupPrefix(groupName)
	items := c.regs.Filter(func(it store.Item[elb.Registration]) bool {
		return strings.HasPrefix(it.ID, prefix)
	})
	out := make([]elb.Registration, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

// groupInUse reports whether a listener rule forwards to the group.
func (c *Controller) groupInUse(groupARN string) bool {
	return len(c.rules.Filter(func(it store.Item[elb.Rule]) bool {
		for _, a := range it.Value.Actions {
			for _, g := range a.Forward.TargetGroups {
				if g.ARN == groupARN {
					return true
				}
			}
		}
		return false
	})) > 0
}
