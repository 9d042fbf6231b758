package deployer

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// rollbackStages are the stages whose Lambda hooks ECS runs again when a deployment rolls
// back, in the order traffic moves back: test traffic, then production traffic.
var rollbackStages = []string{ecs.StageTestTrafficShift, ecs.StageProductionTrafficShift}

// rollbackKey names the rollback run of a stage's hooks, so that its hook ids and executions
// are not the forward run's: "ROLLBACK_PRODUCTION_TRAFFIC_SHIFT", hook id
// "rollback-production-traffic-shift-0".
func rollbackKey(stage string) string { return "ROLLBACK_" + stage }

const rollbackHookPrefix = "rollback-"

// hasRollbackHooks reports whether a rollback runs hooks.
func (p *nativePlanner) hasRollbackHooks() bool {
	return slices.ContainsFunc(p.sd.DeploymentConfiguration.LifecycleHooks, func(h ecs.LifecycleHook) bool {
		return h.TargetType == ecs.HookTargetLambda && slices.ContainsFunc(rollbackStages, func(s string) bool { return slices.Contains(h.LifecycleStages, s) })
	})
}

// rollbackHooksDone runs the Lambda hooks of TEST_TRAFFIC_SHIFT, then those of
// PRODUCTION_TRAFFIC_SHIFT, as ECS does once a rollback moved traffic back (their payload
// shows the source revision with all traffic), and reports whether all of them ended. A hook
// that fails or times out does not hold the rollback up: traffic is back on the source
// already, so the rollback goes on and ends ROLLBACK_FAILED (rollbackHookFailure).
func (p *nativePlanner) rollbackHooksDone() bool {
	for _, stage := range rollbackStages {
		done := true
		for i, h := range p.sd.DeploymentConfiguration.LifecycleHooks {
			if h.TargetType == ecs.HookTargetLambda && slices.Contains(h.LifecycleStages, stage) && !p.rollbackHookDone(stage, i, h) {
				done = false
			}
		}
		if !done {
			return false
		}
	}
	return true
}

// rollbackHookDone starts the rollback run of hook number index at stage, or reports whether
// it ended.
func (p *nativePlanner) rollbackHookDone(stage string, index int, h ecs.LifecycleHook) bool {
	key := rollbackKey(stage)
	id := HookID(key, index)
	k := slices.IndexFunc(p.sd.Hooks, func(d ecs.HookDetail) bool { return d.HookID == id })
	if k < 0 {
		d := ecs.HookDetail{HookID: id, TargetType: h.TargetType, TargetARN: h.HookTargetARN, Stage: stage,
			TimeoutAction: cmp.Or(h.TimeoutAction, ecs.HookRollback), Status: ecs.HookInProgress,
			ExpiresAt: p.o.Now.Add(time.Duration(cmp.Or(h.TimeoutInMinutes, defaultLambdaHookTimeout)) * p.cfg.Minute)}
		p.sd.Hooks, p.sd.UpdatedAt = append(p.sd.Hooks, d), p.o.Now
		p.step.Actions = append(p.step.Actions, Action{Kind: ActStartHook, Hook: p.execution(key, stage, index, h, d)})
		return false
	}
	d := &p.sd.Hooks[k]
	if d.Status != ecs.HookInProgress {
		return true
	}
	verdict := p.verdictOf(*d, key, stage, index, h)
	if verdict == "" && !p.o.Now.Before(d.ExpiresAt) {
		verdict = ecs.HookTimedOut
	}
	if verdict == "" {
		p.waitAtMost(d.ExpiresAt.Sub(p.o.Now))
		return false
	}
	d.Status, p.sd.UpdatedAt = verdict, p.o.Now
	return true
}

// rollbackHookFailure says which rollback hook failed (or timed out with ROLLBACK), "" when
// none did.
func (p *nativePlanner) rollbackHookFailure() string {
	for _, d := range p.sd.Hooks {
		if !strings.HasPrefix(d.HookID, rollbackHookPrefix) {
			continue
		}
		switch {
		case d.Status == ecs.HookFailed:
			return "Lifecycle hook " + d.HookID + " failed at " + d.Stage + " during the rollback."
		case d.Status == ecs.HookTimedOut && d.TimeoutAction != ecs.HookContinue:
			return "Lifecycle hook " + d.HookID + " timed out at " + d.Stage + " during the rollback."
		}
	}
	return ""
}
