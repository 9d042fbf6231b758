package deployer

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// observe reads what PlanDeployment decides on for deployment d.
func (c *Controller) observe(ctx context.Context, d codedeploy.Deployment) (Observation, error) {
	o := Observation{Deployment: d, Now: c.cfg.Now(), Scope: c.scope,
		NewTaskSetID: ecs.DeploymentID(c.cfg.Random()), NewDeploymentID: c.newDeploymentID(),
		TargetGroups: map[string]string{}, Forwards: map[string]map[string]int{}}
	s := d.ECSService
	svc, err := c.st.Services.Get(ctx, store.ServiceID(s.ClusterName, s.ServiceName))
	switch {
	case err == nil:
		o.Service, o.ServiceFound = svc.Value, true
		if o.Tasks, err = c.serviceTasks(ctx, s); err != nil {
			return o, err
		}
	case !errors.Is(err, errdefs.ErrNotFound):
		return o, err
	}
	for _, name := range d.Pair.TargetGroups {
		it, err := c.targetGroupByName(ctx, name)
		switch {
		case err == nil:
			o.TargetGroups[name] = it.Value.ARN
		case !errors.Is(err, errELB):
			return o, err
		}
	}
	for _, l := range append(append([]string(nil), d.Pair.ProdListenerARNs...), d.Pair.TestListenerARNs...) {
		r, err := c.readRoute(ctx, l)
		switch {
		case err == nil:
			o.Forwards[l] = r.weights()
		case !errors.Is(err, errELB):
			return o, err
		}
	}
	if o.Hooks, err = c.hookExecutions(ctx, d); err != nil {
		return o, err
	}
	if d.Alarms.Enabled {
		if o.Alarms, err = c.readAlarms(ctx, d.Alarms.Alarms); err != nil {
			return o, err
		}
	}
	if d.Progress.Phase != phaseInstall {
		return o, nil
	}
	o.TaskDefinition, o.TaskDefinitionFound, err = c.taskDefinition(ctx, d.AppSpec.TaskDefinition)
	return o, err
}

// hookExecutions reads the executions of d's hooks that exist, by lifecycle event.
func (c *Controller) hookExecutions(ctx context.Context, d codedeploy.Deployment) (map[string]hooks.Execution, error) {
	out := map[string]hooks.Execution{}
	if d.IsRollback() {
		return out, nil // a rollback runs no hooks
	}
	for event := range d.AppSpec.Hooks {
		it, err := c.st.HookExecutions.Get(ctx, hooks.ExecutionID(d.ID, event, 0))
		switch {
		case err == nil:
			out[event] = it.Value
		case !errors.Is(err, errdefs.ErrNotFound):
			return nil, err
		}
	}
	return out, nil
}

// serviceTasks reads the tasks of service s, stopped ones included.
func (c *Controller) serviceTasks(ctx context.Context, s codedeploy.ECSService) ([]ecs.Task, error) {
	items, _, err := c.st.Tasks.List(ctx, s.ClusterName+"/")
	if err != nil {
		return nil, err
	}
	out := make([]ecs.Task, 0, len(items))
	for _, it := range items {
		if it.Value.ServiceName == s.ServiceName {
			out = append(out, it.Value)
		}
	}
	return out, nil
}

// taskDefinition reads the task definition name; a name that does not parse or a task
// definition that does not exist is not found, which the plan explains.
func (c *Controller) taskDefinition(ctx context.Context, name string) (ecs.TaskDefinition, bool, error) {
	ref, err := ecs.ParseTaskDefinitionRef(name)
	if err != nil {
		return ecs.TaskDefinition{}, false, nil
	}
	td, err := c.st.FindTaskDefinition(ctx, ref.Family, ref.Revision)
	if errors.Is(err, errdefs.ErrNotFound) {
		return td, false, nil
	}
	return td, err == nil, err
}

// apply carries out the step's actions in order. One that fails for a reason of the
// deployment's setup (a forward ELB refuses, a service that changed meanwhile) ends the
// deployment as PlanFailure decides on what is there now; an end that cannot restore the
// original task set says so. Other errors are returned, for the reconcile to try again.
func (c *Controller) apply(ctx context.Context, o Observation, step *Step) error {
	err := c.applyActions(ctx, o, step.Actions)
	code, setup := failureCode(err)
	switch {
	case err == nil:
		return nil
	case !setup:
		return err
	case step.Deployment.Status == codedeploy.StatusFailed || step.Deployment.Status == codedeploy.StatusStopped:
		step.Deployment.RollbackMessage = couldNotRestore(err)
		return nil
	}
	now, rerr := c.observe(ctx, o.Deployment)
	if rerr != nil {
		return rerr
	}
	*step = PlanFailure(c.cfg, now, code, errdefs.Message(err))
	return c.apply(ctx, now, step)
}

func (c *Controller) applyActions(ctx context.Context, o Observation, actions []Action) error {
	for _, a := range actions {
		var err error
		switch a.Kind {
		case ActCreateTaskSet:
			err = c.changeService(ctx, o.Deployment, func(s ecs.Service) (ecs.Service, error) {
				next, _, err := ecs.CodeDeployCreateTaskSet(s, a.TaskSet, o.TaskDefinition, o.Now)
				return next, err
			})
		case ActSetForward:
			err = c.setForward(ctx, a.Listener, a.Forward)
		case ActSetPrimary:
			err = c.changeService(ctx, o.Deployment, func(s ecs.Service) (ecs.Service, error) {
				next, _, err := ecs.CodeDeploySetPrimaryTaskSet(s, a.TaskSetID, o.Now)
				return next, err
			})
		case ActDeleteTaskSet:
			err = c.changeService(ctx, o.Deployment, func(s ecs.Service) (ecs.Service, error) {
				if _, ok := s.TaskSet(a.TaskSetID); !ok {
					return s, nil // deleted and drained already
				}
				next, _, err := ecs.CodeDeployDeleteTaskSet(s, a.TaskSetID, o.Now)
				return next, err
			})
		case ActStartHook:
			// Created already when a restart came between its creation and the deployment's write.
			if _, err = c.st.HookExecutions.Create(ctx, a.Hook.ID, a.Hook); errors.Is(err, errdefs.ErrAlreadyExists) {
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

// changeService applies change to the deployment's service and writes it at the revision
// read; a conflict is returned, and the reconcile retries. A service that is gone is an
// error of the deployment's setup.
func (c *Controller) changeService(ctx context.Context, d codedeploy.Deployment, change func(ecs.Service) (ecs.Service, error)) error {
	s := d.ECSService
	cur, err := c.st.Services.Get(ctx, store.ServiceID(s.ClusterName, s.ServiceName))
	if errors.Is(err, errdefs.ErrNotFound) {
		return fmt.Errorf("%w: the ECS service %s of cluster %s does not exist", errBadService, s.ServiceName, s.ClusterName)
	}
	if err != nil {
		return err
	}
	next, err := change(cur.Value)
	if err != nil {
		return err
	}
	var txn store.Txn
	if err := c.st.Services.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	_, err = c.st.Commit(ctx, &txn)
	return err
}

func randomUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// newDeploymentID returns a random deployment id for a rollback deployment.
func (c *Controller) newDeploymentID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], c.cfg.Random())
	binary.LittleEndian.PutUint64(b[8:], c.cfg.Random())
	return codedeploy.DeploymentIDFrom([9]byte(b[:9]))
}

// writeWithRollback writes the end of deployment cur (next) and its rollback deployment rb in
// one transaction: rb becomes the group's last attempted deployment (so no other starts while
// it runs) and its revision is registered with the application, as CreateDeployment does.
func (c *Controller) writeWithRollback(ctx context.Context, cur store.Item[codedeploy.Deployment], next, rb codedeploy.Deployment) error {
	var txn store.Txn
	errs := []error{
		c.st.Deployments.Put(&txn, cur.ID, next, cur.Revision),
		c.st.Deployments.Put(&txn, rb.ID, rb, 0),
	}
	g, err := c.st.DeploymentGroups.Get(ctx, store.DeploymentGroupID(rb.ApplicationName, rb.DeploymentGroupName))
	switch {
	case err == nil:
		g.Value.LastAttempted = rb.ID
		errs = append(errs, c.st.DeploymentGroups.Put(&txn, g.ID, g.Value, g.Revision))
	case !errors.Is(err, errdefs.ErrNotFound): // a group deleted meanwhile is left so
		return err
	}
	revID := store.RevisionID(rb.ApplicationName, rb.Revision.SHA256)
	var used *codedeploy.ApplicationRevision
	rev, err := c.st.Revisions.Get(ctx, revID)
	switch {
	case err == nil:
		used = &rev.Value
	case !errors.Is(err, errdefs.ErrNotFound):
		return err
	}
	errs = append(errs, c.st.Revisions.Put(&txn, revID, codedeploy.UseRevision(used, rb.ApplicationName, rb.Revision, rb.CreateTime), rev.Revision))
	if err := errors.Join(errs...); err != nil {
		return err
	}
	_, err = c.st.Commit(ctx, &txn)
	switch {
	case errors.Is(err, errdefs.ErrConflict):
		// A request or another writer came first: the next reconcile decides again.
		c.q.Add(cur.ID)
		return nil
	case err != nil:
		return err
	}
	c.log.Info("deployment rolls back", "deployment", cur.ID, "rollback", rb.ID)
	return nil
}
