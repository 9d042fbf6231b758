package deployer

import (
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/codedeploy"
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
	p.step.Actions = append(p.step.Actions, Action{Kind: ActServiceEvent,
		Reason: "(service " + p.o.Service.Name + ") (deployment " + p.sd.DeploymentID + ") deployment failed: alarm(s) [" + strings.Join(names, ", ") + "] in ALARM state."})
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

// alarmActive reports whether the deployment group's alarms stop a CodeDeploy deployment
// now, and why: one of them is in ALARM, or (unless ignorePollAlarmFailure) one cannot be
// read because it does not exist. They are watched while the replacement task set runs next
// to the original (from Install through the termination wait), so that a stop can still
// roll back; a rollback deployment is not watched.
func (p *planner) alarmActive() (string, bool) {
	c := p.d.Alarms
	if !c.Enabled || p.d.IsRollback() {
		return "", false
	}
	switch p.d.Progress.Phase {
	case phaseInstall, phaseTestTraffic, phaseReady, phaseShift, phaseTerminate:
	default:
		return "", false
	}
	var active, unknown []string
	for _, n := range c.Alarms {
		s, ok := p.o.Alarms[n]
		switch {
		case !ok && !c.IgnorePollAlarmFailure:
			unknown = append(unknown, n)
		case ok && s.State == cloudwatch.StateAlarm:
			active = append(active, n)
		}
	}
	switch {
	case len(active) > 0:
		return "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: " + strings.Join(active, ", "), true
	case len(unknown) > 0:
		return "The deployment was stopped because the state of its alarms could not be read: " + strings.Join(unknown, ", ") + " (no such alarm). Set ignorePollAlarmFailure to go on without them.", true
	}
	return "", false
}

// stopOnAlarm stops the deployment with ALARM_ACTIVE: rolled back by a rollback deployment
// when automatic rollback is enabled for DEPLOYMENT_STOP_ON_ALARM, left as it is otherwise,
// as a stop without rollback leaves it.
func (p *planner) stopOnAlarm(msg string) {
	how := endKeep
	if p.d.AutoRollback.On(codedeploy.RollbackOnAlarm) {
		how = endRollBack
	}
	p.end(codedeploy.StatusStopped, codedeploy.ErrorAlarmActive, msg, how)
}
