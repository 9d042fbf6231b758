package deployer

import (
	"fmt"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// stop carries out StopDeployment: with rollback, a rollback deployment returns traffic to
// blue and removes green; without, the task sets and traffic stay as they are.
func (p *planner) stop() {
	how := endKeep
	if p.d.StopWithRollback {
		how = endRollBack
	}
	p.end(codedeploy.StatusStopped, codedeploy.ErrorManualStop, "The deployment was stopped by the user.", how)
}

// fail ends the deployment as Failed. A failed ECS deployment never leaves traffic on the
// replacement: a rollback deployment restores blue when automatic rollback is enabled for
// DEPLOYMENT_FAILURE, and the deployment itself does otherwise.
func (p *planner) fail(code, msg string) {
	p.end(codedeploy.StatusFailed, code, msg, p.onFailure())
}

// onFailure is how a deployment that cannot go on ends: rolled back by a rollback deployment
// when the deployment says so, restored within itself otherwise.
func (p *planner) onFailure() ending {
	if p.d.AutoRollback.On(codedeploy.RollbackOnFailure) {
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
func (p *planner) end(status codedeploy.DeploymentStatus, code, msg string, how ending) {
	// Whatever the step planned before it ended is not done.
	p.step.Actions, p.step.Wait = nil, p.cfg.Poll
	started := p.d.Progress.BlueTargetGroup != ""
	if p.d.IsRollback() {
		how = endKeep
	}
	switch {
	case how == endKeep:
	case !started:
		p.d.RollbackMessage = "The deployment ended before it changed the service: there was nothing to roll back."
	case how == endRollBack:
		p.startRollback()
	default:
		p.restoreWithin()
	}
	p.message(p.endMessage(status, msg, how, started))
	for i, e := range p.d.Events {
		switch e.Status {
		case codedeploy.EventInProgress:
			p.d.Events[i].Status, p.d.Events[i].End = codedeploy.EventFailed, p.o.Now
		case codedeploy.EventPending:
			p.d.Events[i].Status = codedeploy.EventSkipped
		}
	}
	p.d.Status, p.d.CompleteTime = status, p.o.Now
	p.d.ErrorCode, p.d.ErrorMessage = code, msg
}

// endMessage is the last status message of a deployment that failed or was stopped: what
// happened to it and where production traffic is now, so that no earlier "10% … shifted" is
// the last word after a rollback.
func (p *planner) endMessage(status codedeploy.DeploymentStatus, msg string, how ending, started bool) string {
	what := "The deployment failed: "
	if status == codedeploy.StatusStopped {
		what = "The deployment was stopped: "
	}
	green := p.d.Progress.GreenWeight
	switch {
	case !started:
		return what + msg
	case how == endRollBack && p.step.Rollback != nil:
		return what + msg + " Rollback deployment " + p.step.Rollback.ID + " returns 100% of production traffic to the original task set and deletes the replacement task set."
	case how == endRestore && green == 0:
		return what + msg + " It was rolled back: 100% of production traffic is on the original task set, and the replacement task set was deleted."
	case green > 0:
		return what + msg + fmt.Sprintf(" It was not rolled back: %d%% of production traffic stays on the replacement task set.", green)
	}
	return what + msg
}

// restoreWithin returns traffic to blue and removes green without a rollback deployment. A
// service or load balancer that is gone leaves nothing to restore: the deployment still ends.
func (p *planner) restoreWithin() {
	pr := p.d.Progress
	drop := pr.GreenTaskSetID
	if green, ok := greenTaskSet(*p.d, p.o.Service); ok {
		drop = green.ID
	}
	if err := p.restore(pr.BlueTaskSetID, pr.BlueTargetGroup, drop); err != nil {
		p.step.Actions = nil
		p.d.RollbackMessage = couldNotRestore(err)
		return
	}
	p.d.Progress.GreenWeight = 0
	p.d.RollbackMessage = "Automatic rollback is not enabled for DEPLOYMENT_FAILURE: production traffic was returned to the original task set and the replacement task set was deleted within deployment " + p.d.ID + "."
}

// couldNotRestore is the rollback message of a deployment whose original task set could not
// be restored.
func couldNotRestore(err error) string {
	return "The original task set could not be restored: " + errdefs.Message(err)
}

// restore plans to point the production and test listeners at keepGroup alone, to make task
// set keep PRIMARY and to delete task set drop; only what is not so already.
func (p *planner) restore(keep, keepGroup, drop string) error {
	if tests := p.d.Pair.TestListenerARNs; len(tests) > 0 {
		if err := p.forward(tests[0], only(keepGroup)); err != nil {
			return err
		}
	}
	if err := p.forward(p.d.Pair.ProdListenerARNs[0], only(keepGroup)); err != nil {
		return err
	}
	if _, err := p.service(); err != nil {
		return err
	}
	if ts, ok := p.o.Service.TaskSet(keep); ok && ts.Status != ecs.TaskSetPrimary {
		p.act(Action{Kind: ActSetPrimary, TaskSetID: keep})
	}
	if _, ok := p.taskSetLive(drop); ok && drop != keep {
		p.act(Action{Kind: ActDeleteTaskSet, TaskSetID: drop})
	}
	return nil
}

// startRollback makes the rollback deployment of the deployment, as CodeDeploy does: a new
// deployment of the original task set's revision that is written in one transaction with this
// deployment's end, so that a restart finds both or neither.
func (p *planner) startRollback() {
	if _, err := p.service(); err == nil {
		// Green may exist unrecorded: created just before a stop request won the write.
		if green, ok := greenTaskSet(*p.d, p.o.Service); ok {
			p.d.Progress.GreenTaskSetID = green.ID
		}
	}
	rev, err := p.rollbackRevision()
	if err == nil {
		var rb codedeploy.Deployment
		if rb, err = codedeploy.NewRollback(p.d, p.o.NewDeploymentID, rev, p.o.Now); err == nil {
			p.step.Rollback = &rb
			return
		}
	}
	p.d.RollbackMessage = "The deployment could not be rolled back: " + errdefs.Message(err)
}

// rollbackRevision is the revision a rollback deploys: the last known good one, the revision
// of the group's last successful deployment, or, when none succeeded yet (the original task set
// is the one ECS created with the service), the AppSpec of the original task set.
func (p *planner) rollbackRevision() (codedeploy.Revision, error) {
	if prev := p.d.PreviousRevision; prev != nil {
		return *prev, nil
	}
	blue, ok := p.o.Service.TaskSet(p.d.Progress.BlueTaskSetID)
	if !p.o.ServiceFound || !ok || len(blue.LoadBalancers) == 0 {
		return codedeploy.Revision{}, fmt.Errorf("%w: the original task set %s is gone", errBadService, p.d.Progress.BlueTaskSetID)
	}
	lb := blue.LoadBalancers[0]
	return codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent,
		Content: codedeploy.AppSpecOf(blue.TaskDefinitionARN, lb.ContainerName, lb.ContainerPort)}, nil
}

// rollBack carries out a rollback deployment in one step: the test and production listeners
// forward to the task set it restores (its green: the original of the deployment it rolls
// back, which ran all along), that task set becomes PRIMARY, and the other one (its blue) is
// deleted; its tasks drain before they stop. Nothing is installed: the lifecycle events
// before AllowTraffic succeed at once.
func (p *planner) rollBack() error {
	pr := p.d.Progress
	if p.d.Status == codedeploy.StatusCreated {
		p.d.Status, p.d.StartTime = codedeploy.StatusInProgress, p.o.Now
	}
	svc, err := p.service()
	if err != nil {
		return err
	}
	if _, ok := p.taskSetLive(pr.GreenTaskSetID); !ok {
		return fmt.Errorf("%w: the original task set %s is gone and cannot serve again", errBadService, pr.GreenTaskSetID)
	}
	drop := pr.BlueTaskSetID
	for _, ts := range svc.TaskSets {
		if drop == "" && ts.ExternalID == p.d.RollbackTriggeringDeploymentID {
			drop = ts.ID // the replacement, created but not recorded when its deployment ended
		}
	}
	p.skipHook("BeforeInstall")
	p.event("Install", codedeploy.EventSucceeded)
	p.skipHook("AfterInstall")
	p.event("AllowTestTraffic", codedeploy.EventSucceeded)
	p.skipHook("AfterAllowTestTraffic")
	p.skipHook("BeforeAllowTraffic")
	p.event("AllowTraffic", codedeploy.EventInProgress)
	if err := p.restore(pr.GreenTaskSetID, pr.GreenTargetGroup, drop); err != nil {
		return err
	}
	p.d.Progress.BlueTaskSetID, p.d.Progress.GreenWeight = drop, 100
	p.message("All production traffic was returned to the original task set " + pr.GreenTaskSetID + ".")
	p.event("AllowTraffic", codedeploy.EventSucceeded)
	p.skipHook("AfterAllowTraffic")
	p.d.Status, p.d.CompleteTime = codedeploy.StatusSucceeded, p.o.Now
	return nil
}
