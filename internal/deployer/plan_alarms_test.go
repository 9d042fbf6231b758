package deployer_test

import (
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
)

// withAlarms watches alarm "5xx" (and "latency") with rollback, the deployment started 30
// minutes ago, and "5xx" is in state since since.
func withAlarms(o deployer.NativeObservation, rollback bool, state cloudwatch.StateValue, since time.Duration) deployer.NativeObservation {
	names := []string{"5xx", "latency"}
	c := &o.Deployment.DeploymentConfiguration
	c.AlarmNames, c.AlarmsEnable, c.AlarmRollback = names, true, rollback
	o.Deployment.Alarms = ecs.RollbackMonitor{Status: ecs.MonitorMonitoring, AlarmNames: names}
	o.Deployment.StartedAt = nNow.Add(-30 * time.Minute)
	o.Alarms = map[string]deployer.AlarmState{"5xx": {State: state, Since: nNow.Add(-since)}, "latency": {State: cloudwatch.StateOK}}
	return o
}

func TestPlanRollsBackOnAlarm(t *testing.T) {
	cfg := deployer.Config{Minute: time.Minute}
	canary := func() deployer.NativeObservation {
		return shifted(at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0), 10, time.Minute)
	}
	reason := "ECS deployment " + nNew + " failed: alarm(s) [5xx] in ALARM state."
	tests := []struct {
		name      string
		o         deployer.NativeObservation
		status    ecs.ServiceDeploymentStatus
		monitor   string
		actions   []deployer.ActionKind
		forward   map[string]int
		triggered bool
	}{
		{name: "canary: an alarm that goes into ALARM rolls back", o: withAlarms(canary(), true, cloudwatch.StateAlarm, time.Minute),
			status: ecs.SDRollbackInProgress, monitor: ecs.MonitorTriggered, triggered: true,
			actions: []deployer.ActionKind{deployer.ActServiceEvent, deployer.ActSetRuleForward, deployer.ActRestoreDeployment}, forward: forwardTo(100, 0)},
		{name: "native rolls back without rollback set: it cannot stay half-shifted", o: withAlarms(canary(), false, cloudwatch.StateAlarm, time.Minute),
			status: ecs.SDRollbackInProgress, monitor: ecs.MonitorTriggered, triggered: true,
			actions: []deployer.ActionKind{deployer.ActServiceEvent, deployer.ActSetRuleForward, deployer.ActRestoreDeployment}, forward: forwardTo(100, 0)},
		{name: "blue/green bake time: an alarm rolls back", o: withAlarms(at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageBakeTime, time.Minute), true, cloudwatch.StateAlarm, 0),
			status: ecs.SDRollbackInProgress, monitor: ecs.MonitorTriggered, triggered: true,
			actions: []deployer.ActionKind{deployer.ActServiceEvent, deployer.ActSetRuleForward, deployer.ActRestoreDeployment}, forward: forwardTo(100, 0)},
		{name: "an alarm in ALARM since before the deployment does not count", o: withAlarms(canary(), true, cloudwatch.StateAlarm, time.Hour),
			status: ecs.SDInProgress, monitor: ecs.MonitorMonitoring},
		{name: "an OK alarm lets the canary go on", o: withAlarms(canary(), true, cloudwatch.StateOK, time.Minute),
			status: ecs.SDInProgress, monitor: ecs.MonitorMonitoring},
		{name: "INSUFFICIENT_DATA is no alarm", o: withAlarms(canary(), true, cloudwatch.StateInsufficientData, time.Minute),
			status: ecs.SDInProgress, monitor: ecs.MonitorMonitoring},
		{name: "alarms not enabled are not watched", o: func() deployer.NativeObservation {
			o := withAlarms(canary(), true, cloudwatch.StateAlarm, time.Minute)
			o.Deployment.DeploymentConfiguration.AlarmsEnable = false
			return o
		}(), status: ecs.SDInProgress, monitor: ecs.MonitorMonitoring},
		{name: "clean-up is past the alarms", o: withAlarms(at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageCleanUp, 0), true, cloudwatch.StateAlarm, 0),
			status: ecs.SDInProgress, monitor: ecs.MonitorMonitoring, actions: []deployer.ActionKind{deployer.ActReleaseDeployments}},
		{name: "rolling with rollback rolls back as the circuit breaker does", o: withAlarms(rolling(ecs.RolloutInProgress), true, cloudwatch.StateAlarm, 0),
			status: ecs.SDRollbackInProgress, monitor: ecs.MonitorTriggered, triggered: true, actions: []deployer.ActionKind{deployer.ActServiceEvent, deployer.ActRollBackRolling}},
		{name: "rolling without rollback fails and stops", o: withAlarms(rolling(ecs.RolloutInProgress), false, cloudwatch.StateAlarm, 0),
			status: ecs.SDStopped, monitor: ecs.MonitorTriggered, triggered: true, actions: []deployer.ActionKind{deployer.ActServiceEvent, deployer.ActFailRolling}},
		{name: "a completed rolling deployment succeeds", o: withAlarms(rolling(ecs.RolloutCompleted), true, cloudwatch.StateAlarm, 0),
			status: ecs.SDSuccessful, monitor: ecs.MonitorComplete},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			step := deployer.PlanServiceDeployment(cfg, tc.o)
			sd := step.Deployment
			if sd.Status != tc.status || sd.Alarms.Status != tc.monitor {
				t.Fatalf("status %s, alarms %s; want %s, %s (%s)", sd.Status, sd.Alarms.Status, tc.status, tc.monitor, sd.StatusReason)
			}
			if got := kinds(step); !slices.Equal(got, tc.actions) {
				t.Fatalf("actions %v, want %v", got, tc.actions)
			}
			if f := ruleAction(step, nRule); tc.forward != nil && !sameWeights(f, tc.forward) {
				t.Fatalf("forward %v, want %v", f, tc.forward)
			}
			if !tc.triggered {
				return
			}
			if !slices.Equal(sd.Alarms.Triggered, []string{"5xx"}) || sd.StatusReason != reason && sd.Rollback.Reason != reason {
				t.Fatalf("triggered %v, reason %q / %q", sd.Alarms.Triggered, sd.StatusReason, sd.Rollback.Reason)
			}
			if event := "(service web) (deployment " + nNew + ") deployment failed: alarm(s) [5xx] in ALARM state."; step.Actions[0].Reason != event {
				t.Fatalf("event %q", step.Actions[0].Reason)
			}
			for _, a := range step.Actions[1:] {
				if a.Kind != deployer.ActSetRuleForward && a.Reason != reason && a.Reason != "ECS deployment "+nNew+" rolled back: "+reason {
					t.Fatalf("action %v reason %q", a.Kind, a.Reason)
				}
			}
		})
	}
}
