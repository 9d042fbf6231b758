package deployer_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
)

func TestPlanStopsOnAlarm(t *testing.T) {
	t.Parallel()
	steady := greenSet("STEADY_STATE")
	at10 := map[string]int{blueTG: 90, greenTG: 10}
	canary := func(cfg codedeploy.AlarmConfiguration, events ...string) codedeploy.Deployment {
		d := planDeployment("AllowTraffic", time.Minute)
		d.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5}
		d.Progress.GreenWeight = 10
		d.Alarms = cfg
		d.AutoRollback = codedeploy.AutoRollback{Enabled: len(events) > 0, Events: events}
		return d
	}
	watched := codedeploy.AlarmConfiguration{Enabled: true, Alarms: []string{"green-5xx", "ghost"}, IgnorePollAlarmFailure: true}
	alarmed := func(d codedeploy.Deployment, state cloudwatch.StateValue) deployer.Observation {
		o := withForward(observed(d, blueSet(), steady), prod, at10)
		o.Alarms = map[string]deployer.AlarmState{"green-5xx": {State: state, Since: t0}}
		return o
	}
	active := "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: green-5xx"
	runPlanCases(t, []planCase{
		{name: "an alarm in ALARM stops and rolls back with DEPLOYMENT_STOP_ON_ALARM", o: alarmed(canary(watched, codedeploy.RollbackOnAlarm), cloudwatch.StateAlarm),
			phase: "AllowTraffic", status: codedeploy.StatusStopped, code: codedeploy.ErrorAlarmActive, msg: active, check: rollsBack},
		{name: "without DEPLOYMENT_STOP_ON_ALARM it stops where it is", o: alarmed(canary(watched, codedeploy.RollbackOnFailure), cloudwatch.StateAlarm),
			phase: "AllowTraffic", status: codedeploy.StatusStopped, code: codedeploy.ErrorAlarmActive, msg: active, check: func(t *testing.T, s deployer.Step) {
				if s.Rollback != nil {
					t.Fatalf("rollback %+v", s.Rollback)
				}
			}},
		{name: "an OK alarm lets it go on", o: alarmed(canary(watched, codedeploy.RollbackOnAlarm), cloudwatch.StateOK),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress},
		{name: "alarms not enabled are not watched", o: alarmed(canary(codedeploy.AlarmConfiguration{Alarms: []string{"green-5xx"}}, codedeploy.RollbackOnAlarm), cloudwatch.StateAlarm),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress},
		{name: "a missing alarm stops it unless ignorePollAlarmFailure", o: func() deployer.Observation {
			c := watched
			c.IgnorePollAlarmFailure = false
			return alarmed(canary(c, codedeploy.RollbackOnAlarm), cloudwatch.StateOK)
		}(), phase: "AllowTraffic", status: codedeploy.StatusStopped, code: codedeploy.ErrorAlarmActive, msg: "could not be read: ghost", check: rollsBack},
	})
}
