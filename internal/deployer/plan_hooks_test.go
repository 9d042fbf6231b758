package deployer_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/hooks"
)

// hooked is d with an AppSpec hook for each of events, named after the event.
func hooked(d codedeploy.Deployment, events ...string) codedeploy.Deployment {
	d.AppSpec.Hooks = map[string]string{}
	for _, e := range events {
		d.AppSpec.Hooks[e] = "fn-" + e
	}
	return d
}

// withHook is o with the execution of event's hook in status, as the runner left it.
func withHook(o deployer.Observation, event string, status hooks.Status) deployer.Observation {
	if o.Hooks == nil {
		o.Hooks = map[string]hooks.Execution{}
	}
	o.Hooks[event] = hooks.Execution{ID: hooks.ExecutionID(depID, event, 0), Kind: hooks.KindCodeDeploy, Owner: depID, Event: event,
		Target: "fn-" + event, Status: status, Message: "the hook said " + string(status), Deadline: t0.Add(time.Hour)}
	return o
}

// inEvent is d in phase with event in progress and the events before it succeeded.
func inEvent(d codedeploy.Deployment, event string) codedeploy.Deployment {
	for i := range d.Events {
		if d.Events[i].Name == event {
			d.Events[i].Status = codedeploy.EventInProgress
			for j := i + 1; j < len(d.Events); j++ {
				d.Events[j].Status = codedeploy.EventPending
			}
			break
		}
		d.Events[i].Status = codedeploy.EventSucceeded
	}
	return d
}

func wantEvents(want map[string]codedeploy.LifecycleEventStatus) func(t *testing.T, s deployer.Step) {
	return func(t *testing.T, s deployer.Step) {
		t.Helper()
		for name, status := range want {
			if got := eventStatus(s.Deployment, name); got != status {
				t.Errorf("event %s %s, want %s", name, got, status)
			}
		}
	}
}

func TestPlanHooks(t *testing.T) {
	t.Parallel()
	steady := greenSet(ecs.StabilitySteady)
	atZero := map[string]int{blueTG: 100, greenTG: 0}
	start := hooked(planDeployment("", 0), "BeforeInstall")
	beforeInstall := func() codedeploy.Deployment {
		d := hooked(planDeployment("BeforeInstall", 0), "BeforeInstall")
		d.Progress.GreenTaskSetID = ""
		return inEvent(d, "BeforeInstall")
	}
	afterInstall := hooked(planDeployment("Install", 0), "AfterInstall")
	testTraffic := func(event string, rollback bool) codedeploy.Deployment {
		d := hooked(inEvent(planDeployment("TestTraffic", 0), event), "AfterAllowTestTraffic", "BeforeAllowTraffic")
		d.Pair.TestListenerARNs = []string{test}
		if rollback {
			d.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
		}
		return d
	}
	testObs := func(d codedeploy.Deployment, testWeights map[string]int) deployer.Observation {
		return withForward(withForward(observed(d, blueSet(), steady), prod, atZero), test, testWeights)
	}
	onGreen := map[string]int{greenTG: 1}
	shifted := hooked(planDeployment("AllowTraffic", 0), "AfterAllowTraffic")
	primaryGreen := steady
	primaryGreen.Status = ecs.TaskSetPrimary
	activeBlue := blueSet()
	activeBlue.Status = ecs.TaskSetActive
	shiftObs := withForward(observed(shifted, activeBlue, primaryGreen), prod, map[string]int{blueTG: 0, greenTG: 100})

	runPlanCases(t, []planCase{
		{name: "BeforeInstall: the hook starts before the install", o: observed(start, blueSet()),
			actions: "hook BeforeInstall fn-BeforeInstall", phase: "BeforeInstall", status: codedeploy.StatusInProgress,
			check: func(t *testing.T, s deployer.Step) {
				wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeInstall": codedeploy.EventInProgress, "Install": codedeploy.EventPending})(t, s)
				x := s.Actions[0].Hook
				var payload map[string]string
				if err := json.Unmarshal(x.Payload, &payload); err != nil {
					t.Fatal(err)
				}
				id, ok := hooks.ParseCodeDeployHookID(payload["LifecycleEventHookExecutionId"])
				if x.ID != hooks.ExecutionID(depID, "BeforeInstall", 0) || x.Kind != hooks.KindCodeDeploy || x.Owner != depID ||
					x.Status != hooks.StatusPending || !x.Deadline.Equal(t0.Add(time.Hour)) || x.Cluster != "demo" ||
					payload["DeploymentId"] != depID || !ok || id != x.ID {
					t.Errorf("execution %+v, payload %s", x, x.Payload)
				}
			}},
		{name: "BeforeInstall: restarted after the execution was created, nothing is created again",
			o:     withHook(observed(hooked(planDeployment("", 0), "BeforeInstall"), blueSet()), "BeforeInstall", hooks.StatusPending),
			phase: "BeforeInstall", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeInstall": codedeploy.EventInProgress})},
		{name: "BeforeInstall: waits while the hook runs", o: withHook(observed(beforeInstall(), blueSet()), "BeforeInstall", hooks.StatusInProgress),
			phase: "BeforeInstall", status: codedeploy.StatusInProgress},
		{name: "BeforeInstall: succeeded, the install begins", o: withHook(observed(beforeInstall(), blueSet()), "BeforeInstall", hooks.StatusSucceeded),
			phase: "Install", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeInstall": codedeploy.EventSucceeded, "Install": codedeploy.EventInProgress})},
		{name: "BeforeInstall: failed, the deployment fails before it changed anything",
			o:     withHook(observed(beforeInstall(), blueSet()), "BeforeInstall", hooks.StatusFailed),
			phase: "BeforeInstall", status: codedeploy.StatusFailed, code: codedeploy.ErrorHookFailure, msg: "The BeforeInstall hook fn-BeforeInstall failed: the hook said Failed",
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeInstall": codedeploy.EventFailed, "Install": codedeploy.EventSkipped})},
		{name: "AfterInstall: starts once the replacement is steady", o: withForward(observed(afterInstall, blueSet(), steady), prod, atZero),
			actions: "hook AfterInstall fn-AfterInstall", phase: "TestTraffic", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"Install": codedeploy.EventSucceeded, "AfterInstall": codedeploy.EventInProgress,
				"AllowTestTraffic": codedeploy.EventPending})},
		{name: "AfterAllowTestTraffic: starts once the test listener points at green", o: testObs(testTraffic("AllowTestTraffic", false), map[string]int{blueTG: 1}),
			actions: "forward test green=1; hook AfterAllowTestTraffic fn-AfterAllowTestTraffic", phase: "TestTraffic", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"AllowTestTraffic": codedeploy.EventSucceeded, "AfterAllowTestTraffic": codedeploy.EventInProgress})},
		{name: "AfterAllowTestTraffic: waits while the hook runs",
			o:     withHook(testObs(testTraffic("AfterAllowTestTraffic", false), onGreen), "AfterAllowTestTraffic", hooks.StatusInProgress),
			phase: "TestTraffic", status: codedeploy.StatusInProgress},
		{name: "AfterAllowTestTraffic succeeded: BeforeAllowTraffic starts",
			o:       withHook(testObs(testTraffic("AfterAllowTestTraffic", false), onGreen), "AfterAllowTestTraffic", hooks.StatusSucceeded),
			actions: "hook BeforeAllowTraffic fn-BeforeAllowTraffic", phase: "TestTraffic", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"AfterAllowTestTraffic": codedeploy.EventSucceeded, "BeforeAllowTraffic": codedeploy.EventInProgress})},
		{name: "BeforeAllowTraffic succeeded: traffic shifts",
			o: withHook(withHook(testObs(testTraffic("BeforeAllowTraffic", false), onGreen), "AfterAllowTestTraffic", hooks.StatusSucceeded),
				"BeforeAllowTraffic", hooks.StatusSucceeded),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeAllowTraffic": codedeploy.EventSucceeded, "AllowTraffic": codedeploy.EventInProgress})},
		{name: "BeforeAllowTraffic failed with automatic rollback: a rollback deployment",
			o: withHook(withHook(testObs(testTraffic("BeforeAllowTraffic", true), onGreen), "AfterAllowTestTraffic", hooks.StatusSucceeded),
				"BeforeAllowTraffic", hooks.StatusFailed),
			phase: "TestTraffic", status: codedeploy.StatusFailed, code: codedeploy.ErrorHookFailure, msg: "BeforeAllowTraffic hook fn-BeforeAllowTraffic failed",
			check: func(t *testing.T, s deployer.Step) {
				rollsBack(t, s)
				wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeAllowTraffic": codedeploy.EventFailed, "AllowTraffic": codedeploy.EventSkipped})(t, s)
				for _, e := range s.Deployment.Events {
					if e.Name == "BeforeAllowTraffic" && e.Diagnostics != "the hook said Failed" {
						t.Errorf("diagnostics %q", e.Diagnostics)
					}
				}
			}},
		{name: "AfterAllowTestTraffic timed out without automatic rollback: restored within",
			o:       withHook(testObs(testTraffic("AfterAllowTestTraffic", false), onGreen), "AfterAllowTestTraffic", hooks.StatusTimedOut),
			actions: "forward test blue=1; forward prod blue=1; delete " + greenID, phase: "TestTraffic", status: codedeploy.StatusFailed,
			code: codedeploy.ErrorHookFailure, msg: "the hook said TimedOut"},
		{name: "AfterAllowTraffic: starts at 100% before the termination wait", o: shiftObs,
			actions: "hook AfterAllowTraffic fn-AfterAllowTraffic", phase: "AllowTraffic", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"AllowTraffic": codedeploy.EventSucceeded, "AfterAllowTraffic": codedeploy.EventInProgress})},
		{name: "AfterAllowTraffic succeeded: the termination wait begins", o: withHook(shiftObs, "AfterAllowTraffic", hooks.StatusSucceeded),
			phase: "TerminationWait", status: codedeploy.StatusInProgress,
			check: wantEvents(map[string]codedeploy.LifecycleEventStatus{"AfterAllowTraffic": codedeploy.EventSucceeded})},
		{name: "AfterAllowTraffic failed: rolled back within, though all traffic had moved",
			o:       withHook(shiftObs, "AfterAllowTraffic", hooks.StatusFailed),
			actions: "forward prod blue=1; primary " + blueID + "; delete " + greenID, phase: "AllowTraffic", status: codedeploy.StatusFailed,
			code: codedeploy.ErrorHookFailure},
	})
}

// A rollback deployment runs none of its revision's hooks: they are Skipped, and it says so.
func TestPlanRollbackSkipsHooks(t *testing.T) {
	t.Parallel()
	d := planDeployment("AllowTraffic", time.Minute)
	d.StopRequested, d.StopWithRollback = true, true
	rb, err := codedeploy.NewRollback(&d, rbID, codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent,
		Content: codedeploy.AppSpecOf(planTaskDefinition(1).ARN, "web", 8080)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	rb = hooked(rb, "BeforeInstall", "AfterAllowTraffic")
	runPlanCases(t, []planCase{{name: "rollback with hooks", o: observed(rb, blueSet(), greenSet(ecs.StabilitySteady)),
		actions: "delete " + greenID, phase: codedeploy.PhaseRollback, status: codedeploy.StatusSucceeded,
		check: func(t *testing.T, s deployer.Step) {
			wantEvents(map[string]codedeploy.LifecycleEventStatus{"BeforeInstall": codedeploy.EventSkipped, "AfterAllowTraffic": codedeploy.EventSkipped,
				"AfterInstall": codedeploy.EventSucceeded})(t, s)
			if !strings.Contains(strings.Join(s.Deployment.StatusMessages, " "), "a rollback deployment runs no hooks") {
				t.Errorf("messages %q", s.Deployment.StatusMessages)
			}
		}}})
}
