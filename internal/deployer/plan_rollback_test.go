package deployer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
)

func TestPlanStopAndRollback(t *testing.T) {
	t.Parallel()
	steady := greenSet(ecs.StabilitySteady)
	stopped := func(rollback bool) codedeploy.Deployment {
		d := planDeployment("AllowTraffic", time.Minute)
		d.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5}
		d.Progress.GreenWeight = 10
		d.StopRequested, d.StopWithRollback = true, rollback
		return d
	}
	at10 := map[string]int{blueTG: 90, greenTG: 10}
	// A rollback deployment of the canary above, as NewRollback makes it.
	rollback := func() codedeploy.Deployment {
		d := stopped(true)
		rb, err := codedeploy.NewRollback(&d, rbID, codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent,
			Content: codedeploy.AppSpecOf(planTaskDefinition(1).ARN, "web", 8080)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		return rb
	}
	unrecorded := rollback()
	unrecorded.Progress.BlueTaskSetID = ""
	primaryGreen := steady
	primaryGreen.Status = ecs.TaskSetPrimary
	activeBlue := blueSet()
	activeBlue.Status = ecs.TaskSetActive
	drainingGreen := steady
	drainingGreen.Status = ecs.TaskSetDraining
	drainingBlue := blueSet()
	drainingBlue.Status = ecs.TaskSetDraining
	runPlanCases(t, []planCase{
		{name: "stop with rollback", o: withForward(observed(stopped(true), blueSet(), steady), prod, at10),
			phase: "AllowTraffic", status: codedeploy.StatusStopped, code: codedeploy.ErrorManualStop, check: rollsBack},
		{name: "stop without rollback leaves traffic as it is", o: withForward(observed(stopped(false), blueSet(), steady), prod, at10),
			phase: "AllowTraffic", status: codedeploy.StatusStopped, code: codedeploy.ErrorManualStop, check: func(t *testing.T, s deployer.Step) {
				if want := "It was not rolled back: 10% of production traffic stays on the replacement task set."; !strings.HasSuffix(lastMessage(s.Deployment), want) {
					t.Errorf("last message %q", lastMessage(s.Deployment))
				}
			}},
		{name: "rollback deployment restores the original", o: withForward(observed(rollback(), blueSet(), steady), prod, at10),
			actions: "forward prod blue=1; delete " + greenID, phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded,
			check: func(t *testing.T, s deployer.Step) {
				for _, e := range s.Deployment.Events {
					if e.Status != codedeploy.EventSucceeded {
						t.Errorf("event %s %s", e.Name, e.Status)
					}
				}
			}},
		{name: "rollback after the shift makes the original PRIMARY again", o: withForward(observed(rollback(), activeBlue, primaryGreen), prod, map[string]int{blueTG: 0, greenTG: 100}),
			actions: "forward prod blue=1; primary " + blueID + "; delete " + greenID, phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded},
		{name: "resumes: a rollback whose listener was restored before the restart", o: observed(rollback(), blueSet(), steady),
			actions: "delete " + greenID, phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded},
		{name: "resumes: a rollback whose replacement is draining already", o: observed(rollback(), blueSet(), drainingGreen),
			phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded},
		{name: "rollback finds a replacement that was never recorded", o: withForward(observed(unrecorded, blueSet(), steady), prod, at10),
			actions: "forward prod blue=1; delete " + greenID, phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded},
		{name: "rollback whose original is gone fails and changes nothing", o: withForward(observed(rollback(), drainingBlue, steady), prod, at10),
			phase: codedeploy.PhaseRollback, status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidECS, msg: "cannot serve again"},
	})
}
