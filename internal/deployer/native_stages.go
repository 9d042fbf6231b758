package deployer

import (
	"math"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

// planNative takes the next step of a native deployment: one stage at a time, in ECS's order.
// The target deployment's tasks run in the green group from the start (the scheduler starts
// them, and keeps the source's running in blue until CLEAN_UP releases them).
func (p *nativePlanner) planNative() {
	if p.sd.Traffic == (ecs.NativeTraffic{}) {
		p.sd.Traffic, _ = p.traffic()
	}
	if p.sd.Status.RollingBack() {
		p.rollBack()
		return
	}
	target, ok := p.deployment(p.sd.DeploymentID)
	if !ok {
		p.finish(ecs.SDStopped, "The revision of the service deployment is gone.")
		return
	}
	if p.breakerTripped(target) || p.nativeAlarmed() {
		return
	}
	switch p.sd.LifecycleStage {
	case "":
		p.reconcile()
	case ecs.StageReconcileService:
		p.afterHooks(ecs.StageReconcileService, ecs.StagePreScaleUp)
	case ecs.StagePreScaleUp:
		p.afterHooks(ecs.StagePreScaleUp, ecs.StageScaleUp)
	case ecs.StageScaleUp:
		p.scaleUp(target)
	case ecs.StagePostScaleUp:
		p.afterHooks(ecs.StagePostScaleUp, ecs.StageTestTrafficShift)
	case ecs.StageTestTrafficShift:
		p.testTraffic()
	case ecs.StagePostTestTrafficShift:
		if p.hooksDone(ecs.StagePostTestTrafficShift) && p.hooksDone(stagePreProductionTrafficShift) {
			p.enter(ecs.StageProductionTrafficShift)
		}
	case ecs.StageProductionTrafficShift:
		p.productionTraffic()
	case ecs.StagePostProductionTrafficShift:
		p.afterHooks(ecs.StagePostProductionTrafficShift, ecs.StageBakeTime)
	case ecs.StageBakeTime:
		p.bake()
	case ecs.StageCleanUp:
		p.cleanUp()
	}
}

// stagePreProductionTrafficShift is a hook stage without a lifecycle stage of its own: its
// hooks run before the first production traffic moves.
const stagePreProductionTrafficShift = "PRE_PRODUCTION_TRAFFIC_SHIFT"

// enter moves the deployment to stage.
func (p *nativePlanner) enter(stage string) {
	p.sd.LifecycleStage, p.sd.StageStartedAt, p.sd.UpdatedAt = stage, p.o.Now, p.o.Now
}

// afterHooks moves on to next once the hooks of stage succeeded.
func (p *nativePlanner) afterHooks(stage, next string) {
	if p.hooksDone(stage) {
		p.enter(next)
	}
}

// reconcile starts the deployment: all traffic is the source revision's.
func (p *nativePlanner) reconcile() {
	for i := range p.sd.Sources {
		p.sd.Sources[i].ProductionTrafficWeight, p.sd.Sources[i].TestTrafficWeight = 0, 0
	}
	if len(p.sd.Sources) > 0 {
		p.sd.Sources[0].ProductionTrafficWeight, p.sd.Sources[0].TestTrafficWeight = 100, 100
	}
	p.enter(ecs.StageReconcileService)
}

// scaleUp waits until the target deployment runs its desired count of healthy tasks. Green
// joins the production rule's forward at weight 0 first: ALB health-checks only groups a
// listener uses, so its targets pass their checks before they get a request.
func (p *nativePlanner) scaleUp(target ecs.Deployment) {
	t := p.sd.Traffic
	p.setRule(t.ProductionRule, weighted(t.Green, t.Blue, 0))
	healthy := 0
	for _, task := range p.o.Tasks {
		if task.DeploymentID == target.ID && !task.Terminating() && task.RunsHealthy() {
			healthy++
		}
	}
	if healthy >= target.DesiredCount {
		p.enter(ecs.StagePostScaleUp)
	}
}

// testTraffic sends the test listener rule's traffic, if there is one, to green.
func (p *nativePlanner) testTraffic() {
	t := p.sd.Traffic
	if t.TestRule != "" {
		p.setRule(t.TestRule, weighted(t.Green, t.Blue, 100))
		p.sd.Target.TestTrafficWeight = 100
		p.setSourceWeights(100-p.sd.Target.ProductionTrafficWeight, 0)
	}
	p.afterHooks(ecs.StageTestTrafficShift, ecs.StagePostTestTrafficShift)
}

// productionTraffic moves production traffic to green on the strategy's schedule, each step
// one atomic swap of the rule's forward; blue stays in it at weight 0 until CLEAN_UP, so that
// a rollback returns traffic to tasks that are running and health-checked. Each step follows
// the one recorded, so a step applied late (a busy machine, a restart) delays the next one
// instead of skipping it.
func (p *nativePlanner) productionTraffic() {
	t := p.sd.Traffic
	cur := p.sd.Target.ProductionTrafficWeight
	w := cur
	if p.sd.ShiftedAt.IsZero() {
		w = FirstShare(p.sd.DeploymentConfiguration)
	} else if cur < 100 {
		next, hold := NextShare(p.sd.DeploymentConfiguration, cur, p.cfg.Minute)
		if until := p.sd.ShiftedAt.Add(hold); p.o.Now.Before(until) {
			p.waitAtMost(until.Sub(p.o.Now))
		} else {
			w = next
		}
	}
	p.setRule(t.ProductionRule, weighted(t.Green, t.Blue, w))
	if w != cur || p.sd.ShiftedAt.IsZero() {
		p.sd.Target.ProductionTrafficWeight, p.sd.ShiftedAt, p.sd.UpdatedAt = w, p.o.Now, p.o.Now
		p.setSourceWeights(100-w, 100-p.sd.Target.TestTrafficWeight)
	}
	if w >= 100 {
		p.afterHooks(ecs.StageProductionTrafficShift, ecs.StagePostProductionTrafficShift)
	}
}

func (p *nativePlanner) setSourceWeights(production, test float64) {
	if len(p.sd.Sources) > 0 {
		p.sd.Sources[0].ProductionTrafficWeight, p.sd.Sources[0].TestTrafficWeight = production, test
	}
}

// FirstShare is the percent of production traffic the new revision gets first under
// configuration c: all of it for BLUE_GREEN, canaryPercent for CANARY, stepPercent for LINEAR.
func FirstShare(c ecs.DeploymentConfiguration) float64 {
	switch c.Strategy {
	case ecs.StrategyCanary:
		return min(c.Canary.CanaryPercent, 100)
	case ecs.StrategyLinear:
		return min(c.Linear.StepPercent, 100)
	}
	return 100
}

// NextShare returns the share that follows share cur under configuration c, and how long cur
// holds before it: the rest after canaryBakeTimeInMinutes for CANARY, stepPercent more after
// stepBakeTimeInMinutes for LINEAR.
func NextShare(c ecs.DeploymentConfiguration, cur float64, minute time.Duration) (float64, time.Duration) {
	switch c.Strategy {
	case ecs.StrategyCanary:
		return 100, time.Duration(c.Canary.CanaryBakeTimeInMinutes) * minute
	case ecs.StrategyLinear:
		return min(math.Round((cur+c.Linear.StepPercent)*10)/10, 100), time.Duration(c.Linear.StepBakeTimeInMinutes) * minute
	}
	return 100, 0
}

// bake keeps both revisions running for bakeTimeInMinutes after all production traffic moved.
func (p *nativePlanner) bake() {
	until := p.sd.StageStartedAt.Add(time.Duration(p.sd.DeploymentConfiguration.BakeTimeInMinutes) * p.cfg.Minute)
	if p.o.Now.Before(until) {
		p.waitAtMost(until.Sub(p.o.Now))
		return
	}
	p.enter(ecs.StageCleanUp)
}

// cleanUp releases the source deployments (their tasks drain from blue and stop), then, once
// they are gone, leaves green alone in the rules' forwards: the deployment succeeded.
func (p *nativePlanner) cleanUp() {
	var release, present []string
	for _, id := range p.sd.SourceDeploymentIDs {
		if d, ok := p.deployment(id); ok {
			present = append(present, id)
			if d.Status == ecs.DeploymentActive {
				release = append(release, id)
			}
		}
	}
	if len(release) > 0 {
		p.step.Actions = append(p.step.Actions, Action{Kind: ActReleaseDeployments, DeploymentIDs: release})
	}
	if len(present) > 0 {
		return
	}
	t := p.sd.Traffic
	alone := []elb.WeightedTargetGroup{{ARN: t.Green, Weight: 100}}
	p.setRule(t.ProductionRule, alone)
	p.setRule(t.TestRule, alone)
	if len(p.step.Actions) == 0 {
		p.setSourceWeights(0, 0)
		p.finish(ecs.SDSuccessful, "")
	}
}

// breakerTripped rolls the deployment back when its new tasks keep failing to start, by the
// circuit breaker's rule (the scheduler counts the failures on the deployment), until the
// source revision is released.
func (p *nativePlanner) breakerTripped(target ecs.Deployment) bool {
	c := p.sd.DeploymentConfiguration
	if !c.CircuitBreakerEnable || p.sd.LifecycleStage == ecs.StageCleanUp || target.FailedTasks < ecs.BreakerThreshold(target.DesiredCount) {
		return false
	}
	p.sd.CircuitBreaker.Status = ecs.MonitorTriggered
	p.startRollback("ECS deployment circuit breaker: tasks failed to start.")
	return true
}
