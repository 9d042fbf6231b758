package deployer

import (
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
)

// AlarmState is what a deployment reads of a CloudWatch alarm: its state, and since when.
type AlarmState struct {
	State cloudwatch.StateValue
	// Since is when the alarm last changed state.
	Since time.Time
}

// alarmStates reads the states of alarms by name from all (a missing alarm has none).
func alarmStates(names []string, get func(name string) (cloudwatch.Alarm, bool)) map[string]AlarmState {
	out := map[string]AlarmState{}
	for _, n := range names {
		if a, ok := get(n); ok {
			out[n] = AlarmState{State: a.State, Since: a.StateTransitionedAt}
		}
	}
	return out
}

// triggeredAlarms returns the names among names of the alarms that went into ALARM since
// started, in the order given. An alarm that was in ALARM before and stayed there does not
// count: a deployment fails when an alarm goes into ALARM during it, as ECS words it.
func triggeredAlarms(names []string, states map[string]AlarmState, started time.Time) []string {
	var out []string
	for _, n := range names {
		if s, ok := states[n]; ok && s.State == cloudwatch.StateAlarm && !s.Since.Before(started) {
			out = append(out, n)
		}
	}
	return out
}

// alarmReason is the rollout reason of a deployment that alarms failed.
func alarmReason(deploymentID string, names []string) string {
	return "ECS deployment " + deploymentID + " failed: alarm(s) [" + strings.Join(names, ", ") + "] in ALARM state."
}

// alarmsTriggered reports whether the service deployment's alarms fail it now: they are
// enabled and monitored, and one of them went into ALARM since it started. It records the
// triggered alarms in the deployment.
func (p *nativePlanner) alarmsTriggered() bool {
	if !p.sd.DeploymentConfiguration.AlarmsEnable || p.sd.Alarms.Status != ecs.MonitorMonitoring {
		return false
	}
	names := triggeredAlarms(p.sd.Alarms.AlarmNames, p.o.Alarms, p.sd.StartedAt)
	if len(names) == 0 {
		return false
	}
	p.sd.Alarms.Status, p.sd.Alarms.Triggered = ecs.MonitorTriggered, slices.Clone(names)
	return true
}

// nativeAlarmed rolls a native deployment back when one of its alarms goes into ALARM
// before CLEAN_UP (through the bake time). A native deployment always rolls back: stopped
// where it is, it would leave production traffic split between two revisions.
func (p *nativePlanner) nativeAlarmed() bool {
	if p.sd.LifecycleStage == ecs.StageCleanUp || !p.alarmsTriggered() {
		return false
	}
	p.startRollback(alarmReason(p.sd.DeploymentID, p.sd.Alarms.Triggered))
	return true
}

// rollingAlarmed fails rolling deployment d when one of its alarms goes into ALARM while it
// rolls out: with rollback, as the circuit breaker rolls back (a new deployment of the last
// stable revision); without, the deployment is FAILED and the service stays as it is.
func (p *nativePlanner) rollingAlarmed(d ecs.Deployment) bool {
	if p.sd.Status != ecs.SDInProgress || d.RolloutState != ecs.RolloutInProgress || !p.alarmsTriggered() {
		return false
	}
	reason := alarmReason(d.ID, p.sd.Alarms.Triggered)
	if p.sd.DeploymentConfiguration.AlarmRollback {
		p.sd.Status, p.sd.UpdatedAt = ecs.SDRollbackInProgress, p.o.Now
		p.sd.Rollback = ecs.DeploymentRollback{Reason: reason, StartedAt: p.o.Now, ServiceRevisionARN: firstSource(p.sd)}
		p.step.Actions = append(p.step.Actions, Action{Kind: ActRollBackRolling, Target: d.ID, Reason: reason, RollbackID: rollingRollbackID(d.ID)})
		return true
	}
	p.step.Actions = append(p.step.Actions, Action{Kind: ActFailRolling, Target: d.ID, Reason: reason})
	p.finish(ecs.SDStopped, reason)
	return true
}
