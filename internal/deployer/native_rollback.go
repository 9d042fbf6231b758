package deployer

import (
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

// startRollback begins rolling a native deployment back, for reason.
func (p *nativePlanner) startRollback(reason string) {
	p.sd.Status, p.sd.StatusReason, p.sd.UpdatedAt = ecs.SDRollbackInProgress, reason, p.o.Now
	p.sd.Rollback = ecs.DeploymentRollback{Reason: reason, StartedAt: p.o.Now, ServiceRevisionARN: firstSource(p.sd)}
	p.rollBack()
}

// rollBack returns a native deployment's traffic to the source revision, which ran at full
// count behind blue the whole time: first all production (and test) traffic back to blue in
// one atomic swap each, then the Lambda hooks ECS runs in a rollback, then the source
// deployment is PRIMARY again and the target's tasks drain from green and stop; once they are
// gone, blue is alone in the rules' forwards.
func (p *nativePlanner) rollBack() {
	if p.sd.Status == ecs.SDRollbackRequested {
		p.sd.Status, p.sd.UpdatedAt = ecs.SDRollbackInProgress, p.o.Now
		if p.sd.Rollback.StartedAt.IsZero() {
			p.sd.Rollback.StartedAt = p.o.Now
		}
		p.sd.Rollback.ServiceRevisionARN = firstSource(p.sd)
	}
	if len(p.sd.SourceDeploymentIDs) == 0 {
		p.finish(ecs.SDRollbackFailed, "There is no previous revision to roll back to.")
		return
	}
	source := p.sd.SourceDeploymentIDs[0]
	if _, ok := p.deployment(source); !ok {
		p.finish(ecs.SDRollbackFailed, "The previous revision is gone: it cannot take traffic back.")
		return
	}
	t := p.sd.Traffic
	p.sd.Target.ProductionTrafficWeight, p.sd.Target.TestTrafficWeight = 0, 0
	p.setSourceWeights(100, 100)
	if target, present := p.deployment(p.sd.DeploymentID); present {
		before := len(p.step.Actions)
		p.setRule(t.ProductionRule, weighted(t.Green, t.Blue, 0))
		p.setRule(t.TestRule, weighted(t.Green, t.Blue, 0))
		// The hooks ECS runs in a rollback see traffic back on the source: they start once
		// the swap is applied, and green's tasks stay until they end.
		if p.hasRollbackHooks() && (len(p.step.Actions) > before || !p.rollbackHooksDone()) {
			return
		}
		if target.Status != ecs.DeploymentInactive {
			p.step.Actions = append(p.step.Actions, Action{Kind: ActRestoreDeployment, DeploymentIDs: []string{source},
				Target: target.ID, Reason: "ECS deployment " + target.ID + " rolled back: " + p.sd.Rollback.Reason})
		}
		return // its tasks drain from green and stop
	}
	alone := []elb.WeightedTargetGroup{{ARN: t.Blue, Weight: 100}}
	p.setRule(t.ProductionRule, alone)
	p.setRule(t.TestRule, alone)
	if len(p.step.Actions) > 0 {
		return
	}
	if failure := p.rollbackHookFailure(); failure != "" {
		p.finish(ecs.SDRollbackFailed, failure)
		return
	}
	p.finish(ecs.SDRollbackSuccessful, "")
}
