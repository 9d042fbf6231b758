package deployer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
)

var (
	t0      = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	scope   = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	blueTG  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/1111111111111111"
	greenTG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/2222222222222222"
	prod    = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/alb/3333333333333333/4444444444444444"
	test    = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/alb/3333333333333333/5555555555555555"
	minute  = deployer.Config{Minute: time.Minute}
)

const (
	depID   = "d-PLAN00001"
	blueID  = "ecs-svc/1000000000000000001"
	greenID = "ecs-svc/2000000000000000002"
	newID   = "ecs-svc/3000000000000000003"
	rbID    = "d-ROLLBACK1"
)

func planTaskDefinition(revision int) ecs.TaskDefinition {
	return ecs.TaskDefinition{
		ARN: ecs.TaskDefinitionARN(scope, "web", revision), Family: "web", Revision: revision, Status: ecs.TaskDefinitionStatusActive,
		NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		Compatibilities:         []ecs.Compatibility{ecs.CompatibilityEC2, ecs.CompatibilityFargate},
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "hello",
			PortMappings: []ecs.PortMapping{{ContainerPort: 8080, HostPort: 8080, Protocol: ecs.TransportProtocolTCP}}}},
	}
}

func blueSet() ecs.TaskSet {
	return ecs.TaskSet{ID: blueID, Status: ecs.TaskSetPrimary, TaskDefinitionARN: planTaskDefinition(1).ARN, Scale: 100,
		LaunchType: "FARGATE", NetworkConfiguration: ecs.NetworkConfiguration{Subnets: []string{"subnet-1"}},
		LoadBalancers:   []ecs.LoadBalancer{{TargetGroupARN: blueTG, ContainerName: "web", ContainerPort: 8080}},
		StabilityStatus: ecs.StabilitySteady}
}

func greenSet(stability ecs.StabilityStatus) ecs.TaskSet {
	return ecs.TaskSet{ID: greenID, Status: ecs.TaskSetActive, ExternalID: depID, TaskDefinitionARN: planTaskDefinition(2).ARN, Scale: 100,
		LaunchType: "FARGATE", NetworkConfiguration: ecs.NetworkConfiguration{Subnets: []string{"subnet-1"}},
		LoadBalancers:   []ecs.LoadBalancer{{TargetGroupARN: greenTG, ContainerName: "web", ContainerPort: 8080}},
		StabilityStatus: stability}
}

func planService(sets ...ecs.TaskSet) ecs.Service {
	return ecs.Service{Name: "web", ClusterName: "demo", ARN: "arn:aws:ecs:us-east-1:000000000000:service/demo/web",
		Status: ecs.ServiceActive, DesiredCount: 2, DeploymentController: ecs.ControllerCodeDeploy,
		LaunchType: "FARGATE", NetworkConfiguration: ecs.NetworkConfiguration{Subnets: []string{"subnet-1"}}, TaskSets: sets}
}

// planDeployment is a deployment of task definition web:2 as CreateDeployment stores it; with
// a phase, as the deployer left it when it entered that phase at t0-age.
func planDeployment(phase string, age time.Duration) codedeploy.Deployment {
	d := codedeploy.Deployment{
		ID: depID, ApplicationName: "AppECS-demo-web", DeploymentGroupName: "DgpECS-demo-web", Status: codedeploy.StatusCreated,
		AppSpec:        codedeploy.AppSpec{TaskDefinition: planTaskDefinition(2).ARN, ContainerName: "web", ContainerPort: 8080},
		TrafficRouting: codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce},
		ECSService:     codedeploy.ECSService{ClusterName: "demo", ServiceName: "web"},
		Pair:           codedeploy.TargetGroupPair{TargetGroups: []string{"blue", "green"}, ProdListenerARNs: []string{prod}},
	}
	for _, name := range codedeploy.LifecycleEventNames {
		d.Events = append(d.Events, codedeploy.LifecycleEvent{Name: name, Status: codedeploy.EventPending})
	}
	if phase == "" {
		return d
	}
	d.Status = codedeploy.StatusInProgress
	d.Progress = codedeploy.Progress{Phase: phase, BlueTaskSetID: blueID, BlueTargetGroup: blueTG, GreenTargetGroup: greenTG,
		PhaseSince: t0.Add(-age)}
	if phase != "Install" {
		d.Progress.GreenTaskSetID = greenID
	}
	// The lifecycle events as the phases before left them: done, and the phase's own in progress.
	current := map[string]string{"Install": "Install", "AllowTraffic": "AllowTraffic", "Ready": "AllowTraffic", "TerminationWait": ""}[phase]
	for i, e := range d.Events {
		if e.Name == current {
			d.Events[i].Status = codedeploy.EventInProgress
			if phase == "Ready" {
				d.Events[i].Status = codedeploy.EventPending
			}
			break
		}
		d.Events[i].Status = codedeploy.EventSucceeded
	}
	return d
}

// observed is what the deployer sees of d with the service's task sets sets, the production
// listener forwarding to blue alone unless forward says otherwise.
func observed(d codedeploy.Deployment, sets ...ecs.TaskSet) deployer.Observation {
	return deployer.Observation{
		Deployment: d, Service: planService(sets...), ServiceFound: true,
		TargetGroups:   map[string]string{"blue": blueTG, "green": greenTG},
		Forwards:       map[string]map[string]int{prod: {blueTG: 1}},
		TaskDefinition: planTaskDefinition(2), TaskDefinitionFound: true,
		NewTaskSetID: newID, NewDeploymentID: rbID, Scope: scope, Now: t0,
	}
}

func withForward(o deployer.Observation, listener string, weights map[string]int) deployer.Observation {
	o.Forwards[listener] = weights
	return o
}

// failedTask is a task of task set owner that stopped at t0-ago because its essential
// container exited with code 1.
func failedTask(id, owner string, ago time.Duration) ecs.Task {
	return ecs.Task{ID: id, ServiceName: "web", DeploymentID: owner, LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped,
		StopCode: ecs.StopEssentialContainerExited, StoppedReason: "Essential container in task exited", StoppedAt: t0.Add(-ago),
		Containers: []ecs.Container{{Name: "web", ExitCode: 1, HasExitCode: true}}}
}

func healthyTask(id, owner string, started time.Time) ecs.Task {
	return ecs.Task{ID: id, ServiceName: "web", DeploymentID: owner, LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning,
		HealthStatus: ecs.HealthHealthy, StartedAt: started}
}

// actions describes a step's actions in short: "create <id> behind <group>", "forward <listener>
// <group>=<weight>,…", "primary <id>", "delete <id>", "hook <event> <target>".
func actions(s deployer.Step) string {
	name := map[string]string{blueTG: "blue", greenTG: "green", prod: "prod", test: "test"}
	var out []string
	for _, a := range s.Actions {
		switch a.Kind {
		case deployer.ActCreateTaskSet:
			out = append(out, fmt.Sprintf("create %s of %s behind %s", a.TaskSet.ID, a.TaskSet.ExternalID, name[a.TaskSet.LoadBalancers[0].TargetGroupARN]))
		case deployer.ActSetForward:
			var gs []string
			for _, g := range a.Forward {
				gs = append(gs, fmt.Sprintf("%s=%d", name[g.ARN], g.Weight))
			}
			out = append(out, "forward "+name[a.Listener]+" "+strings.Join(gs, ","))
		case deployer.ActSetPrimary:
			out = append(out, "primary "+a.TaskSetID)
		case deployer.ActDeleteTaskSet:
			out = append(out, "delete "+a.TaskSetID)
		case deployer.ActStartHook:
			out = append(out, "hook "+a.Hook.Event+" "+a.Hook.Target)
		}
	}
	return strings.Join(out, "; ")
}

func eventStatus(d codedeploy.Deployment, name string) codedeploy.LifecycleEventStatus {
	for _, e := range d.Events {
		if e.Name == name {
			return e.Status
		}
	}
	return ""
}

func lastMessage(d codedeploy.Deployment) string {
	if len(d.StatusMessages) == 0 {
		return ""
	}
	return d.StatusMessages[len(d.StatusMessages)-1]
}

// planCase is one decision of PlanDeployment.
type planCase struct {
	name    string
	cfg     deployer.Config
	o       deployer.Observation
	actions string
	phase   string
	status  codedeploy.DeploymentStatus
	code    string
	// msg, when set, must be part of the error message (errorInformation).
	msg string
	// check, when set, checks more of the step.
	check func(t *testing.T, s deployer.Step)
}

func runPlanCases(t *testing.T, tests []planCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg
			if cfg.Minute == 0 {
				cfg = minute
			}
			cfg.Poll = time.Hour // so that a step's own wait shows
			before := tt.o.Deployment.Events[0]
			s := deployer.PlanDeployment(cfg, tt.o)
			if got := actions(s); got != tt.actions {
				t.Errorf("actions:\n got %q\nwant %q", got, tt.actions)
			}
			d := s.Deployment
			if d.Progress.Phase != tt.phase || d.Status != tt.status || d.ErrorCode != tt.code || !strings.Contains(d.ErrorMessage, tt.msg) {
				t.Errorf("deployment: phase %q status %s error %s %q; want %q %s %s %q", d.Progress.Phase, d.Status, d.ErrorCode, d.ErrorMessage,
					tt.phase, tt.status, tt.code, tt.msg)
			}
			if tt.o.Deployment.Events[0] != before {
				t.Errorf("the plan changed the observation's events")
			}
			if tt.check != nil {
				tt.check(t, s)
			}
			// Pure: the same observation gives the same step.
			if again := deployer.PlanDeployment(cfg, tt.o); actions(again) != actions(s) || again.Deployment.Status != d.Status {
				t.Errorf("a second plan of the same observation differs: %q", actions(again))
			}
		})
	}
}

func TestPlanStart(t *testing.T) {
	t.Parallel()
	swapped := blueSet()
	swapped.LoadBalancers[0].TargetGroupARN = greenTG
	noPrimary := blueSet()
	noPrimary.Status = ecs.TaskSetActive
	gone := observed(planDeployment("", 0), blueSet())
	gone.ServiceFound = false
	external := observed(planDeployment("", 0), blueSet())
	external.Service.DeploymentController = ecs.ControllerExternal
	noGroup := observed(planDeployment("", 0), blueSet())
	delete(noGroup.TargetGroups, "green")
	noListener := observed(planDeployment("", 0), blueSet())
	delete(noListener.Forwards, prod)
	runPlanCases(t, []planCase{
		{name: "picks blue as the PRIMARY task set's group", o: observed(planDeployment("", 0), blueSet()),
			phase: "Install", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				p := s.Deployment.Progress
				if p.BlueTaskSetID != blueID || p.BlueTargetGroup != blueTG || p.GreenTargetGroup != greenTG || !p.PhaseSince.Equal(t0) ||
					eventStatus(s.Deployment, "BeforeInstall") != codedeploy.EventSucceeded || eventStatus(s.Deployment, "Install") != codedeploy.EventInProgress {
					t.Errorf("progress %+v, events %+v", p, s.Deployment.Events)
				}
			}},
		{name: "blue behind the pair's second group swaps the colours", o: observed(planDeployment("", 0), swapped),
			phase: "Install", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				if p := s.Deployment.Progress; p.BlueTargetGroup != greenTG || p.GreenTargetGroup != blueTG {
					t.Errorf("progress %+v", p)
				}
			}},
		{name: "missing service", o: gone, status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidECS, msg: "does not exist",
			check: nothingToRollBack},
		{name: "service of another controller", o: external, status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidECS, msg: "CODE_DEPLOY"},
		{name: "service without a PRIMARY task set", o: observed(planDeployment("", 0), noPrimary), status: codedeploy.StatusFailed,
			code: codedeploy.ErrorInvalidECS, msg: "no PRIMARY task set"},
		{name: "missing target group", o: noGroup, status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidELB, msg: "the target group green does not exist"},
		{name: "missing production listener", o: noListener, status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidELB, msg: "does not exist"},
	})
}

func nothingToRollBack(t *testing.T, s deployer.Step) {
	t.Helper()
	if s.Rollback != nil || !strings.Contains(s.Deployment.RollbackMessage, "nothing to roll back") {
		t.Errorf("rollback %v, message %q", s.Rollback, s.Deployment.RollbackMessage)
	}
	for _, e := range s.Deployment.Events {
		if e.Status != codedeploy.EventSkipped && e.Status != codedeploy.EventFailed {
			t.Errorf("event %s %s after a failed start", e.Name, e.Status)
		}
	}
}

func TestPlanInstall(t *testing.T) {
	t.Parallel()
	install := func(age time.Duration) codedeploy.Deployment { return planDeployment("Install", age) }
	atZero := map[string]int{blueTG: 100, greenTG: 0}
	steady := greenSet(ecs.StabilitySteady)
	withTest := install(0)
	withTest.Pair.TestListenerARNs = []string{test}
	readyWait := install(0)
	readyWait.BlueGreen = codedeploy.BlueGreenConfiguration{ReadyActionOnTimeout: codedeploy.ReadyStopDeployment, ReadyWaitMinutes: 30}
	autoRollback := install(2 * time.Hour)
	autoRollback.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	noTD := observed(install(0), blueSet())
	noTD.TaskDefinitionFound = false
	inactiveTD := observed(install(0), blueSet())
	inactiveTD.TaskDefinition.Status = ecs.TaskDefinitionStatusInactive
	badPort := install(0)
	badPort.AppSpec.ContainerPort = 9090
	runPlanCases(t, []planCase{
		{name: "creates the replacement behind green and attaches green at 0%", o: observed(install(0), blueSet()),
			actions: "create " + newID + " of " + depID + " behind green; forward prod blue=100,green=0", phase: "Install", status: codedeploy.StatusInProgress,
			check: func(t *testing.T, s deployer.Step) {
				if s.Deployment.Progress.GreenTaskSetID != newID || s.Actions[0].TaskSet.Scale != 100 || s.Actions[0].TaskSet.StartedBy != "CODE_DEPLOY" {
					t.Errorf("green %q, create %+v", s.Deployment.Progress.GreenTaskSetID, s.Actions[0].TaskSet)
				}
			}},
		{name: "resumes: the replacement created but not recorded is found by its external id",
			o:     withForward(observed(install(0), blueSet(), greenSet(ecs.StabilityStabilizing)), prod, atZero),
			phase: "Install", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				if s.Deployment.Progress.GreenTaskSetID != greenID || s.Wait <= time.Millisecond {
					t.Errorf("green %q, wait %s", s.Deployment.Progress.GreenTaskSetID, s.Wait)
				}
			}},
		{name: "resumes: green attached but the listener write was lost", o: observed(install(0), blueSet(), greenSet(ecs.StabilityStabilizing)),
			actions: "forward prod blue=100,green=0", phase: "Install", status: codedeploy.StatusInProgress},
		{name: "replacement steady: traffic shifts", o: withForward(observed(install(0), blueSet(), steady), prod, atZero),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				for name, want := range map[string]codedeploy.LifecycleEventStatus{"Install": codedeploy.EventSucceeded, "AfterInstall": codedeploy.EventSucceeded,
					"AllowTestTraffic": codedeploy.EventSucceeded, "BeforeAllowTraffic": codedeploy.EventSucceeded, "AllowTraffic": codedeploy.EventInProgress} {
					if got := eventStatus(s.Deployment, name); got != want {
						t.Errorf("event %s %s, want %s", name, got, want)
					}
				}
			}},
		{name: "test listener points at green", o: withForward(withForward(observed(withTest, blueSet(), steady), prod, atZero), test, map[string]int{blueTG: 1}),
			actions: "forward test green=1", phase: "AllowTraffic", status: codedeploy.StatusInProgress},
		{name: "STOP_DEPLOYMENT waits in Ready", o: withForward(observed(readyWait, blueSet(), steady), prod, atZero),
			phase: "Ready", status: codedeploy.StatusReady},
		{name: "replacement not healthy within the install timeout, restored within",
			o:       withForward(observed(install(2*time.Hour), blueSet(), greenSet(ecs.StabilityStabilizing)), prod, atZero),
			actions: "forward prod blue=1; delete " + greenID, status: codedeploy.StatusFailed, code: codedeploy.ErrorTimeout, phase: "Install",
			check: func(t *testing.T, s deployer.Step) {
				if !strings.Contains(s.Deployment.RollbackMessage, "returned to the original task set") || eventStatus(s.Deployment, "Install") != codedeploy.EventFailed ||
					eventStatus(s.Deployment, "AllowTraffic") != codedeploy.EventSkipped {
					t.Errorf("rollback message %q, events %+v", s.Deployment.RollbackMessage, s.Deployment.Events)
				}
			}},
		{name: "install timeout with automatic rollback starts a rollback deployment",
			o:     withForward(observed(autoRollback, blueSet(), greenSet(ecs.StabilityStabilizing)), prod, atZero),
			phase: "Install", status: codedeploy.StatusFailed, code: codedeploy.ErrorTimeout, check: rollsBack},
		{name: "missing task definition: nothing created", o: noTD, status: codedeploy.StatusFailed, code: codedeploy.ErrorECSUpdate, phase: "Install",
			msg: "does not exist"},
		{name: "inactive task definition", o: inactiveTD, status: codedeploy.StatusFailed, code: codedeploy.ErrorECSUpdate, phase: "Install",
			msg: "is INACTIVE"},
		{name: "task definition without the AppSpec's port", o: observed(badPort, blueSet()), status: codedeploy.StatusFailed,
			code: codedeploy.ErrorECSUpdate, phase: "Install"},
	})
}

// rollsBack checks a step that ends its deployment with a rollback deployment of blue.
func rollsBack(t *testing.T, s deployer.Step) {
	t.Helper()
	rb := s.Rollback
	if rb == nil || rb.ID != rbID || s.Deployment.RollbackDeploymentID != rbID || rb.Progress.Phase != codedeploy.PhaseRollback ||
		rb.Progress.GreenTaskSetID != blueID || rb.Progress.BlueTaskSetID != greenID || rb.RollbackTriggeringDeploymentID != depID {
		t.Fatalf("rollback deployment %+v of %+v", rb, s.Deployment)
	}
	if len(s.Actions) != 0 {
		t.Errorf("actions %q: the rollback deployment restores blue", actions(s))
	}
	if want := "Rollback deployment " + rbID + " returns 100%"; !strings.Contains(lastMessage(s.Deployment), want) {
		t.Errorf("last status message %q, want %q", lastMessage(s.Deployment), want)
	}
}

func TestPlanReadyAndShift(t *testing.T) {
	t.Parallel()
	steady := greenSet(ecs.StabilitySteady)
	ready := func(age time.Duration, cont bool) codedeploy.Deployment {
		d := planDeployment("Ready", age)
		d.Status, d.ContinueReady = codedeploy.StatusReady, cont
		d.BlueGreen = codedeploy.BlueGreenConfiguration{ReadyActionOnTimeout: codedeploy.ReadyStopDeployment, ReadyWaitMinutes: 30}
		return d
	}
	canary := func(age time.Duration, weight int) codedeploy.Deployment {
		d := planDeployment("AllowTraffic", age)
		d.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5}
		d.Progress.GreenWeight = weight
		return d
	}
	linear := planDeployment("AllowTraffic", 125*time.Second)
	linear.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingLinear, Percentage: 30, IntervalMinutes: 1}
	linear.Progress.GreenWeight = 60
	primaryGreen := steady
	primaryGreen.Status = ecs.TaskSetPrimary
	activeBlue := blueSet()
	activeBlue.Status = ecs.TaskSetActive
	drainedGreen := greenSet(ecs.StabilitySteady)
	drainedGreen.Status = ecs.TaskSetDraining
	at := func(w int) map[string]int { return map[string]int{blueTG: 100 - w, greenTG: w} }
	runPlanCases(t, []planCase{
		{name: "ready waits for ContinueDeployment", o: observed(ready(10*time.Minute, false), blueSet(), steady), phase: "Ready", status: codedeploy.StatusReady,
			check: waits(20 * time.Minute)},
		{name: "ready continues", o: observed(ready(10*time.Minute, true), blueSet(), steady), phase: "AllowTraffic", status: codedeploy.StatusInProgress},
		{name: "ready times out: stopped and restored", o: withForward(observed(ready(31*time.Minute, false), blueSet(), steady), prod, at(0)),
			actions: "forward prod blue=1; delete " + greenID, phase: "Ready", status: codedeploy.StatusStopped, code: codedeploy.ErrorTimeout},
		{name: "canary's first step", o: withForward(observed(canary(0, 0), blueSet(), steady), prod, at(0)),
			actions: "forward prod blue=90,green=10", phase: "AllowTraffic", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				if s.Deployment.Progress.GreenWeight != 10 || lastMessage(s.Deployment) != "10% of production traffic shifted to the replacement task set." || s.Wait > 5*time.Minute {
					t.Errorf("weight %d, message %q, wait %s", s.Deployment.Progress.GreenWeight, lastMessage(s.Deployment), s.Wait)
				}
			}},
		{name: "resumes: the canary's weights written but not recorded", o: withForward(observed(canary(time.Minute, 0), blueSet(), steady), prod, at(10)),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress, check: func(t *testing.T, s deployer.Step) {
				if s.Deployment.Progress.GreenWeight != 10 {
					t.Errorf("weight %d", s.Deployment.Progress.GreenWeight)
				}
			}},
		{name: "canary holds its share until the interval ends", o: withForward(observed(canary(2*time.Minute, 10), blueSet(), steady), prod, at(10)),
			phase: "AllowTraffic", status: codedeploy.StatusInProgress, check: waits(3 * time.Minute)},
		{name: "canary's interval ended: all traffic, green PRIMARY, termination wait", o: withForward(observed(canary(5*time.Minute, 10), blueSet(), steady), prod, at(10)),
			actions: "forward prod blue=0,green=100; primary " + greenID, phase: "TerminationWait", status: codedeploy.StatusInProgress,
			check: func(t *testing.T, s deployer.Step) {
				if !s.Deployment.Progress.TerminationWaitStarted || eventStatus(s.Deployment, "AfterAllowTraffic") != codedeploy.EventSucceeded {
					t.Errorf("progress %+v", s.Deployment.Progress)
				}
			}},
		{name: "resumes: green made PRIMARY before the restart", o: withForward(observed(canary(5*time.Minute, 100), activeBlue, primaryGreen), prod, at(100)),
			phase: "TerminationWait", status: codedeploy.StatusInProgress},
		{name: "linear's third step", o: withForward(observed(linear, blueSet(), steady), prod, at(60)),
			actions: "forward prod blue=10,green=90", phase: "AllowTraffic", status: codedeploy.StatusInProgress, check: waits(55 * time.Second)},
		{name: "replacement deleted under the shift", o: withForward(observed(canary(5*time.Minute, 10), blueSet(), drainedGreen), prod, at(10)),
			actions: "forward prod blue=1", phase: "AllowTraffic", status: codedeploy.StatusFailed, code: codedeploy.ErrorInvalidECS, msg: "is gone"},
	})
}

func waits(want time.Duration) func(*testing.T, deployer.Step) {
	return func(t *testing.T, s deployer.Step) {
		t.Helper()
		if s.Wait != want {
			t.Errorf("wait %s, want %s", s.Wait, want)
		}
	}
}

func TestPlanTerminate(t *testing.T) {
	t.Parallel()
	term := func(age time.Duration, action string) codedeploy.Deployment {
		d := planDeployment("TerminationWait", age)
		d.BlueGreen = codedeploy.BlueGreenConfiguration{TerminationAction: action, TerminationWaitMinutes: 10}
		d.Progress.GreenWeight, d.Progress.TerminationWaitStarted = 100, true
		return d
	}
	skip := term(time.Minute, codedeploy.TerminationTerminate)
	skip.SkipTerminationWait = true
	stopLate := term(10*time.Minute, codedeploy.TerminationTerminate)
	stopLate.StopRequested, stopLate.StopWithRollback = true, true
	blue := blueSet()
	blue.Status = ecs.TaskSetActive
	green := greenSet(ecs.StabilitySteady)
	green.Status = ecs.TaskSetPrimary
	drained := blue
	drained.Status = ecs.TaskSetDraining
	at100 := map[string]int{blueTG: 0, greenTG: 100}
	runPlanCases(t, []planCase{
		{name: "waits before deleting the original", o: withForward(observed(term(time.Minute, codedeploy.TerminationTerminate), blue, green), prod, at100),
			phase: "TerminationWait", status: codedeploy.StatusInProgress, check: waits(9 * time.Minute)},
		{name: "deletes the original and forwards to green alone", o: withForward(observed(term(10*time.Minute, codedeploy.TerminationTerminate), blue, green), prod, at100),
			actions: "delete " + blueID + "; forward prod green=1", phase: "TerminationWait", status: codedeploy.StatusSucceeded},
		{name: "ContinueDeployment TERMINATION_WAIT ends the wait", o: withForward(observed(skip, blue, green), prod, at100),
			actions: "delete " + blueID + "; forward prod green=1", phase: "TerminationWait", status: codedeploy.StatusSucceeded},
		{name: "resumes: the original deleted before the restart", o: withForward(observed(term(10*time.Minute, codedeploy.TerminationTerminate), drained, green), prod, at100),
			actions: "forward prod green=1", phase: "TerminationWait", status: codedeploy.StatusSucceeded},
		{name: "a stop after the original's deletion began completes the deployment", o: withForward(observed(stopLate, drained, green), prod, at100),
			actions: "forward prod green=1", phase: "TerminationWait", status: codedeploy.StatusSucceeded},
		{name: "KEEP_ALIVE keeps the original", o: withForward(observed(term(0, codedeploy.TerminationKeepAlive), blue, green), prod, at100),
			phase: "TerminationWait", status: codedeploy.StatusSucceeded},
	})
}

// TestPlanFailure checks the end PlanFailure plans for a step that failed while it was applied:
// the replacement that was created is deleted, traffic returns to the original.
func TestPlanFailure(t *testing.T) {
	t.Parallel()
	o := withForward(observed(planDeployment("Install", 0), blueSet(), greenSet(ecs.StabilityStabilizing)), prod, map[string]int{blueTG: 100, greenTG: 0})
	s := deployer.PlanFailure(minute, o, codedeploy.ErrorInvalidELB, "the target group green is used by another load balancer")
	if got, want := actions(s), "forward prod blue=1; delete "+greenID; got != want {
		t.Errorf("actions %q, want %q", got, want)
	}
	if d := s.Deployment; d.Status != codedeploy.StatusFailed || d.ErrorCode != codedeploy.ErrorInvalidELB || d.Progress.GreenTaskSetID != greenID && d.Progress.GreenTaskSetID != "" {
		t.Errorf("deployment %s %s, green %q", d.Status, d.ErrorCode, d.Progress.GreenTaskSetID)
	}
}

func TestPlanIsPure(t *testing.T) {
	t.Parallel()
	o := withForward(observed(planDeployment("Install", 2*time.Hour), blueSet(), greenSet(ecs.StabilityStabilizing)), prod, map[string]int{blueTG: 100, greenTG: 0})
	msgs := slices.Clone(o.Deployment.StatusMessages)
	events := slices.Clone(o.Deployment.Events)
	deployer.PlanDeployment(minute, o)
	if !slices.Equal(o.Deployment.Events, events) || !slices.Equal(o.Deployment.StatusMessages, msgs) {
		t.Fatal("PlanDeployment changed its observation")
	}
}
