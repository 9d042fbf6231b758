package deployer

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/hooks"
)

// defaultLambdaHookTimeout bounds a Lambda hook given no timeoutConfiguration, in minutes.
const defaultLambdaHookTimeout = 60

// hooksDone reports whether every lifecycle hook of stage succeeded (or timed out with
// CONTINUE). It starts those that have not run yet: a PAUSE hook waits for
// ContinueServiceDeployment, a Lambda hook is a hook execution that the hooks controller runs.
// A hook that fails, or times out with ROLLBACK, rolls the deployment back.
func (p *nativePlanner) hooksDone(stage string) bool {
	done := true
	for i, h := range p.sd.DeploymentConfiguration.LifecycleHooks {
		if !slices.Contains(h.LifecycleStages, stage) {
			continue
		}
		if !p.hookDone(stage, i, h) {
			done = false
		}
		if p.sd.Status.RollingBack() {
			return false
		}
	}
	return done
}

// HookID is the id of hook number index at stage, which ContinueServiceDeployment names.
func HookID(stage string, index int) string {
	return strings.ToLower(strings.ReplaceAll(stage, "_", "-")) + "-" + strconv.Itoa(index)
}

func (p *nativePlanner) hookDone(stage string, index int, h ecs.LifecycleHook) bool {
	id := HookID(stage, index)
	k := slices.IndexFunc(p.sd.Hooks, func(d ecs.HookDetail) bool { return d.HookID == id })
	if k < 0 {
		p.startHook(stage, index, h)
		return false
	}
	d := &p.sd.Hooks[k]
	switch d.Status {
	case ecs.HookSucceeded:
		return true
	case ecs.HookTimedOut:
		return d.TimeoutAction == ecs.HookContinue
	case ecs.HookFailed:
		return false
	}
	verdict := p.hookVerdict(*d, stage, index, h)
	if verdict == "" && !d.ExpiresAt.IsZero() && !p.o.Now.Before(d.ExpiresAt) {
		verdict = ecs.HookTimedOut
	}
	if verdict == "" {
		if !d.ExpiresAt.IsZero() {
			p.waitAtMost(d.ExpiresAt.Sub(p.o.Now))
		}
		return false
	}
	d.Status, p.sd.UpdatedAt = verdict, p.o.Now
	switch {
	case verdict == ecs.HookSucceeded, verdict == ecs.HookTimedOut && d.TimeoutAction == ecs.HookContinue:
		return true
	case verdict == ecs.HookTimedOut:
		p.startRollback("Lifecycle hook " + id + " timed out at " + stage + ".")
	default:
		p.startRollback("Lifecycle hook " + id + " failed at " + stage + ".")
	}
	return false
}

// startHook records a hook's run at stage and, for a Lambda hook, plans its execution.
func (p *nativePlanner) startHook(stage string, index int, h ecs.LifecycleHook) {
	d := ecs.HookDetail{HookID: HookID(stage, index), TargetType: h.TargetType, TargetARN: h.HookTargetARN, Stage: stage,
		TimeoutAction: cmp.Or(h.TimeoutAction, ecs.HookRollback), Status: ecs.HookAwaitingAction}
	timeout := h.TimeoutInMinutes
	if h.TargetType == ecs.HookTargetLambda {
		d.Status, timeout = ecs.HookInProgress, cmp.Or(timeout, defaultLambdaHookTimeout)
	}
	if timeout > 0 {
		d.ExpiresAt = p.o.Now.Add(time.Duration(timeout) * p.cfg.Minute)
	}
	p.sd.Hooks, p.sd.UpdatedAt = append(p.sd.Hooks, d), p.o.Now
	if h.TargetType == ecs.HookTargetLambda {
		p.step.Actions = append(p.step.Actions, Action{Kind: ActStartHook, Hook: p.execution(stage, stage, index, h, d)})
	}
}

// hookVerdict returns the status a running hook ended with, "" while it runs: what
// ContinueServiceDeployment asked of a PAUSE hook, or how the execution of a Lambda hook
// ended (created again if it is missing, as after a restart between the two writes).
func (p *nativePlanner) hookVerdict(d ecs.HookDetail, stage string, index int, h ecs.LifecycleHook) string {
	return p.verdictOf(d, stage, stage, index, h)
}

// verdictOf is hookVerdict for the hook whose execution is keyed by key (the stage, or the
// stage's rollback run).
func (p *nativePlanner) verdictOf(d ecs.HookDetail, key, stage string, index int, h ecs.LifecycleHook) string {
	if h.TargetType == ecs.HookTargetPause {
		switch d.Action {
		case ecs.HookContinue:
			return ecs.HookSucceeded
		case ecs.HookRollback:
			return ecs.HookFailed
		}
		return ""
	}
	x, ok := p.o.Executions[hooks.ExecutionID(p.sd.ARN, key, index)]
	if !ok {
		p.step.Actions = append(p.step.Actions, Action{Kind: ActStartHook, Hook: p.execution(key, stage, index, h, d)})
		return ""
	}
	switch x.Status {
	case hooks.StatusSucceeded:
		return ecs.HookSucceeded
	case hooks.StatusFailed:
		return ecs.HookFailed
	case hooks.StatusTimedOut:
		return ecs.HookTimedOut
	}
	return ""
}

// execution is the hook execution of a Lambda hook at stage, with the payload ECS sends to
// it. key tells the runs of one hook apart: the stage, or its rollback run (rollbackKey).
func (p *nativePlanner) execution(key, stage string, index int, h ecs.LifecycleHook, d ecs.HookDetail) hooks.Execution {
	id := hooks.ExecutionID(p.sd.ARN, key, index)
	return hooks.Execution{ID: id, Kind: hooks.KindECS, Owner: p.sd.ARN, Event: key, Target: h.HookTargetARN,
		Payload: p.hookPayload(id, stage, h), Status: hooks.StatusPending, CreatedAt: p.o.Now, UpdatedAt: p.o.Now,
		Deadline: d.ExpiresAt, TimeoutAction: d.TimeoutAction}
}

// hookPayload is the event a Lambda hook gets: the deployment's execution details, with the
// traffic weights by service revision ARN.
func (p *nativePlanner) hookPayload(executionID, stage string, h ecs.LifecycleHook) json.RawMessage {
	weights := func(test bool) map[string]float64 {
		out := map[string]float64{}
		for _, r := range append([]ecs.RevisionSummary{p.sd.Target}, p.sd.Sources...) {
			out[r.ARN] = r.ProductionTrafficWeight
			if test {
				out[r.ARN] = r.TestTrafficWeight
			}
		}
		return out
	}
	type details struct {
		TestTrafficWeights       map[string]float64 `json:"testTrafficWeights"`
		ProductionTrafficWeights map[string]float64 `json:"productionTrafficWeights"`
		ServiceArn               string             `json:"serviceArn"`
		TargetServiceRevisionArn string             `json:"targetServiceRevisionArn"`
	}
	event := struct {
		ExecutionDetails details         `json:"executionDetails"`
		ExecutionID      string          `json:"executionId"`
		LifecycleStage   string          `json:"lifecycleStage"`
		ResourceArn      string          `json:"resourceArn"`
		HookDetails      json.RawMessage `json:"hookDetails,omitempty"`
	}{
		ExecutionDetails: details{TestTrafficWeights: weights(true), ProductionTrafficWeights: weights(false),
			ServiceArn: p.sd.ServiceARN, TargetServiceRevisionArn: p.sd.Target.ARN},
		ExecutionID: executionID, LifecycleStage: stage, ResourceArn: p.sd.ARN,
	}
	if h.HookDetails != "" && json.Valid([]byte(h.HookDetails)) {
		event.HookDetails = json.RawMessage(h.HookDetails)
	}
	b, _ := json.Marshal(event) // maps and strings always marshal
	return b
}
