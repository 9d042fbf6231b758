package deployer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// serviceOfChild returns the service ID of a service deployment's ID (cluster/service/id).
func serviceOfChild(id string) string {
	if i := strings.LastIndexByte(id, '/'); i > 0 {
		return id[:i]
	}
	return id
}

// reconcileService records the service deployment and revision of each deployment of an
// ECS-controller service the API did not record (those the scheduler starts) and takes the
// next step of those in progress: it observes, plans with PlanServiceDeployment, applies the step's actions and writes the service deployment
// at the revision read (a StopServiceDeployment or ContinueServiceDeployment written meanwhile
// makes it conflict, and the next step sees the request).
func (c *Controller) reconcileService(ctx context.Context, id string) (reconcile.Result, error) {
	// The service deployments are read before the service. UpdateService writes a service
	// deployment in the transaction that adds its deployment to the service, so the service
	// read after it has that deployment unless a newer one has replaced it since. Read the
	// other way round, an UpdateService between the two reads gives a PENDING service
	// deployment with a service that does not have its deployment yet.
	items, _, err := c.st.ServiceDeployments.List(ctx, id+"/")
	if err != nil {
		return reconcile.Result{}, err
	}
	cur, err := c.st.Services.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return reconcile.Result{Gone: true}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	svc := cur.Value
	if svc.DeploymentController != ecs.ControllerECS {
		return reconcile.Result{}, nil
	}
	// What this writes is not in items: its write brings the service back to the queue.
	if err := c.recordDeployments(ctx, svc); err != nil {
		return reconcile.Result{}, err
	}
	tasks, err := c.tasksOf(ctx, svc.ClusterName, svc.Name)
	if err != nil {
		return reconcile.Result{}, err
	}
	var wait time.Duration
	for _, it := range items {
		if it.Value.Status.Done() {
			continue
		}
		w, err := c.stepServiceDeployment(ctx, it, svc, tasks)
		if err != nil {
			return reconcile.Result{}, err
		}
		if wait == 0 || w < wait {
			wait = w
		}
	}
	return reconcile.Result{RequeueAfter: wait}, nil
}

// stepServiceDeployment takes one step of service deployment it and returns when to look again.
func (c *Controller) stepServiceDeployment(ctx context.Context, it store.Item[ecs.ServiceDeployment], svc ecs.Service, tasks []ecs.Task) (time.Duration, error) {
	o, err := c.observeNative(ctx, it.Value, svc, tasks)
	if err != nil {
		return 0, err
	}
	step := PlanServiceDeployment(c.cfg, o)
	if err := c.applyNative(ctx, svc, step.Actions); err != nil {
		if !errors.Is(err, errdefs.ErrFailedPrecondition) {
			return 0, err
		}
		// The service cannot be rolled back (nothing to roll back to): say so.
		step.Deployment.Status, step.Deployment.StatusReason = ecs.SDRollbackFailed, errdefs.Message(err)
		step.Deployment.FinishedAt, step.Deployment.StoppedAt, step.Deployment.UpdatedAt = o.Now, o.Now, o.Now
	}
	if !reflect.DeepEqual(step.Deployment, it.Value) {
		var txn store.Txn
		if err := c.st.ServiceDeployments.Put(&txn, it.ID, step.Deployment, it.Revision); err != nil {
			return 0, err
		}
		if _, err := c.st.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			return c.cfg.Poll / 5, nil // a request came first: decide again on it
		} else if err != nil {
			return 0, err
		}
		if step.Deployment.Status.Done() {
			c.log.Info("service deployment ended", "deployment", step.Deployment.ARN, "status", step.Deployment.Status, "reason", step.Deployment.StatusReason)
		}
	}
	return step.Wait, nil
}

// recordDeployments writes the service deployment of the service's PRIMARY deployment (unless
// it rolls another back, and so belongs to that one's) and the revision of each deployment,
// when they are missing. CreateService and UpdateService write them with the deployment;
// this records those the scheduler starts (circuit breaker rollbacks) and any a request of
// an older fargo left unrecorded.
func (c *Controller) recordDeployments(ctx context.Context, svc ecs.Service) error {
	scope, now := svc.Scope(), c.cfg.Now()
	for _, d := range svc.Deployments {
		revID := store.ServiceChildID(svc.ClusterName, svc.Name, ecs.ServiceRevisionID(d.ID))
		var txn store.Txn
		writes := 0
		if _, err := c.st.ServiceRevisions.Get(ctx, revID); errors.Is(err, errdefs.ErrNotFound) {
			if err := c.st.ServiceRevisions.Put(&txn, revID, ecs.NewServiceRevision(scope, svc, d), 0); err != nil {
				return err
			}
			writes++
		} else if err != nil {
			return err
		}
		sdID := store.ServiceChildID(svc.ClusterName, svc.Name, ecs.ServiceDeploymentID(d.ID))
		if d.Status == ecs.DeploymentPrimary && d.RollbackOf == "" {
			if _, err := c.st.ServiceDeployments.Get(ctx, sdID); errors.Is(err, errdefs.ErrNotFound) {
				if err := c.st.ServiceDeployments.Put(&txn, sdID, ecs.NewServiceDeployment(scope, svc, d, now), 0); err != nil {
					return err
				}
				writes++
			} else if err != nil {
				return err
			}
		}
		if writes == 0 {
			continue
		}
		if _, err := c.st.Commit(ctx, &txn); err != nil && !errors.Is(err, errdefs.ErrConflict) {
			return fmt.Errorf("record deployment %s of service %s: %w", d.ID, svc.Name, err)
		}
	}
	return nil
}

// tasksOf reads the tasks of service name of cluster, stopped ones included.
func (c *Controller) tasksOf(ctx context.Context, cluster, name string) ([]ecs.Task, error) {
	items, _, err := c.st.Tasks.List(ctx, cluster+"/")
	if err != nil {
		return nil, err
	}
	var out []ecs.Task
	for _, it := range items {
		if it.Value.ServiceName == name {
			out = append(out, it.Value)
		}
	}
	return out, nil
}

// observeNative reads what PlanServiceDeployment decides on for sd.
func (c *Controller) observeNative(ctx context.Context, sd ecs.ServiceDeployment, svc ecs.Service, tasks []ecs.Task) (NativeObservation, error) {
	o := NativeObservation{Deployment: sd, Service: svc, Tasks: tasks, Now: c.cfg.Now(),
		Forwards: map[string]map[string]int{}, Executions: map[string]hooks.Execution{}}
	rules := []string{sd.Traffic.ProductionRule, sd.Traffic.TestRule}
	for _, lb := range svc.LoadBalancers {
		rules = append(rules, lb.Advanced.ProductionListenerRule, lb.Advanced.TestListenerRule)
	}
	for _, rule := range rules {
		if _, read := o.Forwards[rule]; rule == "" || read {
			continue
		}
		r, err := c.readRuleRoute(ctx, rule)
		switch {
		case err == nil:
			o.Forwards[rule] = r.weights()
		case !errors.Is(err, errELB):
			return o, err
		}
	}
	if sd.Alarms.Status == ecs.MonitorMonitoring {
		alarms, err := c.readAlarms(ctx, sd.Alarms.AlarmNames)
		if err != nil {
			return o, err
		}
		o.Alarms = alarms
	}
	if len(sd.DeploymentConfiguration.LifecycleHooks) == 0 {
		return o, nil
	}
	execs, _, err := c.st.HookExecutions.List(ctx, sd.ARN+"|")
	if err != nil {
		return o, err
	}
	for _, x := range execs {
		o.Executions[x.ID] = x.Value
	}
	return o, nil
}

// readAlarms reads the states of the alarms named; those that do not exist have none.
func (c *Controller) readAlarms(ctx context.Context, names []string) (map[string]AlarmState, error) {
	found := map[string]cloudwatch.Alarm{}
	for _, n := range names {
		it, err := c.st.Alarms.Get(ctx, n)
		switch {
		case err == nil:
			found[n] = it.Value
		case !errors.Is(err, errdefs.ErrNotFound):
			return nil, err
		}
	}
	return alarmStates(names, func(n string) (cloudwatch.Alarm, bool) { a, ok := found[n]; return a, ok }), nil
}

// applyNative carries out a native step's actions in order.
func (c *Controller) applyNative(ctx context.Context, svc ecs.Service, actions []Action) error {
	now := c.cfg.Now()
	for _, a := range actions {
		var err error
		switch a.Kind {
		case ActSetRuleForward:
			err = c.setRuleForward(ctx, a.Rule, a.Forward)
		case ActReleaseDeployments:
			err = c.changeServiceNamed(ctx, svc, func(s ecs.Service) (ecs.Service, error) {
				return ecs.ReleaseDeployments(s, a.DeploymentIDs, now), nil
			})
		case ActRestoreDeployment:
			err = c.changeServiceNamed(ctx, svc, func(s ecs.Service) (ecs.Service, error) {
				return ecs.RestoreDeployment(s, a.DeploymentIDs[0], a.Target, a.Reason, now)
			})
		case ActRollBackRolling:
			err = c.changeServiceNamed(ctx, svc, func(s ecs.Service) (ecs.Service, error) {
				return ecs.RollBackRolling(s, a.Target, a.Reason, a.RollbackID, now)
			})
		case ActServiceEvent:
			err = c.changeServiceNamed(ctx, svc, func(s ecs.Service) (ecs.Service, error) {
				return withEvent(s, a.Reason, now), nil
			})
		case ActFailRolling:
			err = c.changeServiceNamed(ctx, svc, func(s ecs.Service) (ecs.Service, error) {
				return ecs.FailRolling(s, a.Target, a.Reason, now), nil
			})
		case ActStartHook:
			_, err = c.st.HookExecutions.Create(ctx, a.Hook.ID, a.Hook)
			if errors.Is(err, errdefs.ErrAlreadyExists) {
				err = nil
			}
		default:
			err = fmt.Errorf("unknown action %d", a.Kind)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// changeServiceNamed applies change to the current version of service svc and writes it at
// the revision read; a conflict is returned, and the reconcile retries.
func (c *Controller) changeServiceNamed(ctx context.Context, svc ecs.Service, change func(ecs.Service) (ecs.Service, error)) error {
	cur, err := c.st.Services.Get(ctx, store.ServiceID(svc.ClusterName, svc.Name))
	if err != nil {
		return err
	}
	next, err := change(cur.Value)
	if err != nil {
		return err
	}
	if reflect.DeepEqual(next, cur.Value) {
		return nil
	}
	var txn store.Txn
	if err := c.st.Services.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	_, err = c.st.Commit(ctx, &txn)
	return err
}

// withEvent adds the service event msg at now, unless one of the newest events says it
// already (a step retried after its write conflicted).
func withEvent(s ecs.Service, msg string, now time.Time) ecs.Service {
	for _, e := range s.Events[:min(len(s.Events), 10)] {
		if e.Message == msg {
			return s
		}
	}
	sum := sha256.Sum256([]byte(now.UTC().Format(time.RFC3339Nano) + msg))
	h := hex.EncodeToString(sum[:16])
	s.Events = slices.Clone(s.Events)
	s.AddEvent(ecs.ServiceEvent{ID: h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], CreatedAt: now, Message: msg})
	return s
}
