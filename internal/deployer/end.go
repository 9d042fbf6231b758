package deployer

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// stop carries out StopDeployment: with rollback, a rollback deployment returns traffic to
// blue and removes green; without, the task sets and traffic stay as they are.
func (r *run) stop(ctx context.Context) error {
	how := endKeep
	if r.d.StopWithRollback {
		how = endRollBack
	}
	return r.end(ctx, codedeploy.StatusStopped, codedeploy.ErrorManualStop, "The deployment was stopped by the user.", how)
}

// fail ends the deployment as Failed. A failed ECS deployment never leaves traffic on the
// replacement: a rollback deployment restores blue when automatic rollback is enabled for
// DEPLOYMENT_FAILURE, and the deployment itself does otherwise.
func (r *run) fail(ctx context.Context, code, msg string) error {
	return r.end(ctx, codedeploy.StatusFailed, code, msg, r.onFailure())
}

// onFailure is how a deployment that cannot go on ends: rolled back by a rollback deployment
// when the deployment says so, restored within itself otherwise.
func (r *run) onFailure() ending {
	if r.d.AutoRollback.On(codedeploy.RollbackOnFailure) {
		return endRollBack
	}
	return endRestore
}

// ending is what becomes of the task sets and traffic when a deployment ends unsuccessfully.
type ending int

const (
	// endKeep leaves them as they are (a stop without rollback).
	endKeep ending = iota
	// endRestore returns traffic to blue and removes green within the deployment.
	endRestore
	// endRollBack leaves that to a new rollback deployment, written with this one's end.
	endRollBack
)

// end finishes the deployment with status, its lifecycle events in progress Failed and the
// others Skipped. A deployment that changed nothing yet has nothing to roll back. A rollback
// deployment that cannot go on leaves the task sets as they are: the one it could not restore
// is gone, and the other is the only one that serves.
func (r *run) end(ctx context.Context, status codedeploy.DeploymentStatus, code, msg string, how ending) error {
	started := r.d.Progress.BlueTargetGroup != ""
	if r.d.IsRollback() {
		how = endKeep
	}
	switch {
	case how == endKeep:
	case !started:
		r.d.RollbackMessage = "The deployment ended before it changed the service: there was nothing to roll back."
	case how == endRollBack:
		if err := r.startRollback(ctx); err != nil {
			return err
		}
	default:
		if err := r.restoreWithin(ctx); err != nil {
			return err
		}
	}
	for i, e := range r.d.Events {
		switch e.Status {
		case codedeploy.EventInProgress:
			r.d.Events[i].Status, r.d.Events[i].End = codedeploy.EventFailed, r.now
		case codedeploy.EventPending:
			r.d.Events[i].Status = codedeploy.EventSkipped
		}
	}
	r.d.Status, r.d.CompleteTime = status, r.now
	r.d.ErrorCode, r.d.ErrorMessage = code, msg
	return nil
}

// restoreWithin returns traffic to blue and removes green without a rollback deployment. A
// service or load balancer that is gone leaves nothing to restore: the deployment still ends.
func (r *run) restoreWithin(ctx context.Context) error {
	p := r.d.Progress
	drop := p.GreenTaskSetID
	if svc, err := r.service(ctx); err == nil {
		if green, ok := r.greenTaskSet(svc.Value); ok {
			drop = green.ID
		}
	}
	err := r.restore(ctx, p.BlueTaskSetID, p.BlueTargetGroup, drop)
	switch {
	case err == nil:
		r.d.RollbackMessage = "Automatic rollback is not enabled for DEPLOYMENT_FAILURE: production traffic was returned to the original task set and the replacement task set was deleted within deployment " + r.d.ID + "."
	case errors.Is(err, errELB), errors.Is(err, errBadService):
		r.d.RollbackMessage = "The original task set could not be restored: " + errdefs.Message(err)
	default:
		return err
	}
	return nil
}

// restore points the production and test listeners at keepGroup alone, makes task set keep
// PRIMARY and deletes task set drop. Each step looks before it writes, so that it can be
// taken again after a restart.
func (r *run) restore(ctx context.Context, keep, keepGroup, drop string) error {
	if tests := r.d.Pair.TestListenerARNs; len(tests) > 0 {
		if err := r.c.setForward(ctx, tests[0], only(keepGroup)); err != nil {
			return err
		}
	}
	if err := r.c.setForward(ctx, r.d.Pair.ProdListenerARNs[0], only(keepGroup)); err != nil {
		return err
	}
	svc, err := r.service(ctx)
	if err != nil {
		return err
	}
	if ts, ok := svc.Value.TaskSet(keep); ok && ts.Status != ecs.TaskSetPrimary {
		if err := r.changeService(ctx, func(s ecs.Service) (ecs.Service, error) {
			next, _, err := ecs.CodeDeploySetPrimaryTaskSet(s, keep, r.now)
			return next, err
		}); err != nil {
			return err
		}
	}
	if drop == "" || drop == keep {
		return nil
	}
	return r.deleteTaskSet(ctx, drop)
}
