package deployer

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// startRollback makes the rollback deployment of the deployment, as CodeDeploy does: a new
// deployment of the original task set's revision that the reconcile writes in one transaction
// with this deployment's end, so that a restart finds both or neither.
func (r *run) startRollback(ctx context.Context) error {
	svc, err := r.service(ctx)
	if err != nil && !errors.Is(err, errBadService) {
		return err
	}
	if err == nil {
		// Green may exist unrecorded: created just before a stop request won the write.
		if green, ok := r.greenTaskSet(svc.Value); ok {
			r.d.Progress.GreenTaskSetID = green.ID
		}
	}
	rev, err := r.rollbackRevision(svc.Value)
	if err != nil {
		r.d.RollbackMessage = "The deployment could not be rolled back: " + errdefs.Message(err)
		return nil
	}
	rb, err := codedeploy.NewRollback(&r.d, r.c.newDeploymentID(), rev, r.now)
	if err != nil {
		r.d.RollbackMessage = "The deployment could not be rolled back: " + errdefs.Message(err)
		return nil
	}
	r.rollback = &rb
	return nil
}

// rollbackRevision is the revision a rollback deploys: the last known good one, the revision
// of the group's last successful deployment, or, when none succeeded yet (the original task set
// is the one ECS created with the service), the AppSpec of the original task set.
func (r *run) rollbackRevision(svc ecs.Service) (codedeploy.Revision, error) {
	if prev := r.d.PreviousRevision; prev != nil {
		return *prev, nil
	}
	blue, ok := svc.TaskSet(r.d.Progress.BlueTaskSetID)
	if !ok || len(blue.LoadBalancers) == 0 {
		return codedeploy.Revision{}, fmt.Errorf("%w: the original task set %s is gone", errBadService, r.d.Progress.BlueTaskSetID)
	}
	lb := blue.LoadBalancers[0]
	return codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent,
		Content: codedeploy.AppSpecOf(blue.TaskDefinitionARN, lb.ContainerName, lb.ContainerPort)}, nil
}

// rollBack carries out a rollback deployment in one idempotent step: the test and production
// listeners forward to the task set it restores (its green: the original of the deployment it
// rolls back, which ran all along), that task set becomes PRIMARY, and the other one (its blue)
// is deleted; its tasks drain before they stop. Nothing is installed: the lifecycle events
// before AllowTraffic succeed at once.
func (r *run) rollBack(ctx context.Context) error {
	p := r.d.Progress
	if r.d.Status == codedeploy.StatusCreated {
		r.d.Status, r.d.StartTime = codedeploy.StatusInProgress, r.now
	}
	svc, err := r.service(ctx)
	if err != nil {
		return err
	}
	if ts, ok := svc.Value.TaskSet(p.GreenTaskSetID); !ok || ts.Status == ecs.TaskSetDraining {
		return fmt.Errorf("%w: the original task set %s is gone and cannot serve again", errBadService, p.GreenTaskSetID)
	}
	drop := p.BlueTaskSetID
	for _, ts := range svc.Value.TaskSets {
		if drop == "" && ts.ExternalID == r.d.RollbackTriggeringDeploymentID {
			drop = ts.ID // the replacement, created but not recorded when its deployment ended
		}
	}
	r.hookEvent("BeforeInstall")
	r.event("Install", codedeploy.EventSucceeded)
	r.hookEvent("AfterInstall")
	r.event("AllowTestTraffic", codedeploy.EventSucceeded)
	r.hookEvent("AfterAllowTestTraffic")
	r.hookEvent("BeforeAllowTraffic")
	r.event("AllowTraffic", codedeploy.EventInProgress)
	if err := r.restore(ctx, p.GreenTaskSetID, p.GreenTargetGroup, drop); err != nil {
		return err
	}
	r.d.Progress.BlueTaskSetID, r.d.Progress.GreenWeight = drop, 100
	r.message("All production traffic was returned to the original task set " + p.GreenTaskSetID + ".")
	r.event("AllowTraffic", codedeploy.EventSucceeded)
	r.hookEvent("AfterAllowTraffic")
	r.d.Status, r.d.CompleteTime = codedeploy.StatusSucceeded, r.now
	return nil
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
