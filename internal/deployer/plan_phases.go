package deployer

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// start checks the service and the load balancer setup and picks the colours: blue is the
// service's PRIMARY task set and its target group, green the pair's other group.
func (p *planner) start() error {
	svc, err := p.service()
	if err != nil {
		return err
	}
	blue, ok := primaryTaskSet(svc)
	if !ok {
		return fmt.Errorf("%w: the ECS service %s has no PRIMARY task set", errBadService, svc.Name)
	}
	pair := p.d.Pair
	if len(pair.TargetGroups) != 2 || len(pair.ProdListenerARNs) != 1 {
		return fmt.Errorf("%w: the deployment group needs two target groups and one production listener", errELB)
	}
	var groups [2]string
	for i, name := range pair.TargetGroups {
		if groups[i], ok = p.o.TargetGroups[name]; !ok {
			return errors.Join(errELB, errdefs.NotFound("the target group %s does not exist", name))
		}
	}
	if _, ok := p.o.Forwards[pair.ProdListenerARNs[0]]; !ok {
		return errors.Join(errELB, errdefs.NotFound("the listener %s does not exist", pair.ProdListenerARNs[0]))
	}
	blueGroup, greenGroup := groups[0], groups[1]
	if len(blue.LoadBalancers) > 0 && blue.LoadBalancers[0].TargetGroupARN == groups[1] {
		blueGroup, greenGroup = groups[1], groups[0]
	}
	p.d.Status, p.d.StartTime = codedeploy.StatusInProgress, p.o.Now
	p.d.Progress = codedeploy.Progress{Phase: phaseBeforeInstall, BlueTaskSetID: blue.ID, BlueTargetGroup: blueGroup,
		GreenTargetGroup: greenGroup, PhaseSince: p.o.Now}
	return p.beforeInstall()
}

// beforeInstall runs the BeforeInstall hook, then begins the install.
func (p *planner) beforeInstall() error {
	if _, err := p.service(); err != nil {
		return err
	}
	if !p.hook("BeforeInstall") {
		return nil
	}
	p.event("Install", codedeploy.EventInProgress)
	p.enter(phaseInstall)
	return nil
}

// install creates the green task set behind the green group, puts the green group in the
// production forward at weight 0 (so that it is health-checked), and waits until green runs
// healthy.
func (p *planner) install() error {
	svc, err := p.service()
	if err != nil {
		return err
	}
	green, ok := greenTaskSet(*p.d, svc)
	if !ok {
		if green, err = p.createGreen(svc); err != nil {
			return err
		}
	}
	p.d.Progress.GreenTaskSetID = green.ID
	pr := p.d.Progress
	if err := p.forward(p.d.Pair.ProdListenerARNs[0], split(pr.BlueTargetGroup, pr.GreenTargetGroup, 0)); err != nil {
		return err
	}
	if green.StabilityStatus != ecs.StabilitySteady {
		if p.o.Now.Sub(pr.PhaseSince) > p.cfg.InstallTimeout {
			p.fail(codedeploy.ErrorTimeout, "The replacement task set did not run healthy in time.")
		}
		return nil
	}
	p.event("Install", codedeploy.EventSucceeded)
	p.enter(phaseTestTraffic)
	return p.testTraffic()
}

// testTraffic runs the AfterInstall hook, points the test listener, if any, at green, runs the
// AfterAllowTestTraffic and BeforeAllowTraffic hooks, and then lets production traffic move
// (or waits for ContinueDeployment first).
func (p *planner) testTraffic() error {
	if _, err := p.service(); err != nil {
		return err
	}
	if !p.hook("AfterInstall") {
		return nil
	}
	if tests := p.d.Pair.TestListenerARNs; len(tests) > 0 {
		p.event("AllowTestTraffic", codedeploy.EventInProgress)
		if err := p.forward(tests[0], only(p.d.Progress.GreenTargetGroup)); err != nil {
			return err
		}
	}
	p.event("AllowTestTraffic", codedeploy.EventSucceeded)
	if !p.hook("AfterAllowTestTraffic") || !p.hook("BeforeAllowTraffic") {
		return nil
	}
	if p.d.BlueGreen.ReadyActionOnTimeout == codedeploy.ReadyStopDeployment && !p.d.ContinueReady {
		p.enter(phaseReady)
		p.d.Status = codedeploy.StatusReady
		return nil
	}
	p.beginShift()
	return nil
}

// ready waits for ContinueDeployment; without it in time, the deployment stops and rolls back.
func (p *planner) ready() error {
	if _, err := p.service(); err != nil {
		return err
	}
	if p.d.ContinueReady {
		p.d.Status = codedeploy.StatusInProgress
		p.beginShift()
		return nil
	}
	until := p.d.Progress.PhaseSince.Add(p.minutes(p.d.BlueGreen.ReadyWaitMinutes))
	if !p.o.Now.Before(until) {
		p.end(codedeploy.StatusStopped, codedeploy.ErrorTimeout,
			"The deployment timed out while waiting for the replacement task set to be rerouted.", p.onFailure())
		return nil
	}
	p.waitUntil(until)
	return nil
}

func (p *planner) beginShift() {
	p.enter(phaseShift)
	p.event("AllowTraffic", codedeploy.EventInProgress)
	p.soon()
}

// shift moves production traffic step by step as the configuration says; at 100% green
// becomes the PRIMARY task set and the termination wait begins.
func (p *planner) shift() error {
	if _, err := p.service(); err != nil {
		return err
	}
	pr := p.d.Progress
	elapsed := p.o.Now.Sub(pr.PhaseSince)
	weight, next := 0, time.Duration(-1)
	for _, s := range p.d.TrafficRouting.Steps() {
		at := time.Duration(s.After / time.Minute * p.cfg.Minute)
		if at <= elapsed {
			weight = s.Weight
		} else if next < 0 {
			next = at - elapsed
		}
	}
	if err := p.forward(p.d.Pair.ProdListenerARNs[0], split(pr.BlueTargetGroup, pr.GreenTargetGroup, weight)); err != nil {
		return err
	}
	if weight != pr.GreenWeight {
		p.d.Progress.GreenWeight = weight
		p.message(fmt.Sprintf("%d%% of production traffic shifted to the replacement task set.", weight))
	}
	if weight < 100 {
		p.step.Wait = min(p.step.Wait, next)
		return nil
	}
	green, ok := p.taskSetLive(pr.GreenTaskSetID)
	if !ok {
		return fmt.Errorf("%w: the replacement task set %s is gone", errBadService, pr.GreenTaskSetID)
	}
	if green.Status != ecs.TaskSetPrimary {
		p.act(Action{Kind: ActSetPrimary, TaskSetID: green.ID})
	}
	p.event("AllowTraffic", codedeploy.EventSucceeded)
	if !p.hook("AfterAllowTraffic") {
		return nil
	}
	p.enter(phaseTerminate)
	p.d.Progress.TerminationWaitStarted = true
	return nil
}

// terminate deletes the original task set after the termination wait (unless the group keeps
// it) and ends the deployment.
func (p *planner) terminate() error {
	if _, err := p.service(); err != nil {
		return err
	}
	bg := p.d.BlueGreen
	if bg.TerminationAction != codedeploy.TerminationKeepAlive {
		until := p.d.Progress.PhaseSince.Add(p.minutes(bg.TerminationWaitMinutes))
		if p.o.Now.Before(until) && !p.d.SkipTerminationWait && !p.originalDeleted() {
			p.waitUntil(until)
			return nil
		}
		if _, ok := p.taskSetLive(p.d.Progress.BlueTaskSetID); ok {
			p.act(Action{Kind: ActDeleteTaskSet, TaskSetID: p.d.Progress.BlueTaskSetID})
		}
		if err := p.forward(p.d.Pair.ProdListenerARNs[0], only(p.d.Progress.GreenTargetGroup)); err != nil {
			return err
		}
	}
	p.d.Status, p.d.CompleteTime = codedeploy.StatusSucceeded, p.o.Now
	return nil
}

// createGreen plans the replacement task set: the AppSpec's task definition and container
// port behind the green group, otherwise as blue. It checks the task set as CreateTaskSet
// would, so that one ECS refuses fails the deployment before anything is written.
func (p *planner) createGreen(svc ecs.Service) (ecs.TaskSet, error) {
	td, err := p.taskDefinition()
	if err != nil {
		return ecs.TaskSet{}, err
	}
	blue, _ := svc.TaskSet(p.d.Progress.BlueTaskSetID)
	spec, id := p.d.AppSpec, p.o.NewTaskSetID
	ts := ecs.TaskSet{
		ID: id, ARN: ecs.TaskSetARN(p.o.Scope, svc.ClusterName, svc.Name, id),
		ExternalID: p.d.ID, StartedBy: "CODE_DEPLOY", Scale: 100,
		LaunchType: blue.LaunchType, PlatformVersion: cmp.Or(spec.PlatformVersion, blue.PlatformVersion),
		NetworkConfiguration: blue.NetworkConfiguration,
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: p.d.Progress.GreenTargetGroup,
			ContainerName: spec.ContainerName, ContainerPort: spec.ContainerPort}},
	}
	if n := spec.Network; n != nil {
		ts.NetworkConfiguration = ecs.NetworkConfiguration{Subnets: n.Subnets, SecurityGroups: n.SecurityGroups, AssignPublicIP: n.AssignPublicIP}
	}
	_, green, err := ecs.CodeDeployCreateTaskSet(svc, ts, td, p.o.Now)
	if err != nil {
		return ecs.TaskSet{}, err
	}
	p.act(Action{Kind: ActCreateTaskSet, TaskSet: ts})
	return green, nil
}

// taskDefinition is the AppSpec's task definition, which must exist and be ACTIVE.
func (p *planner) taskDefinition() (ecs.TaskDefinition, error) {
	name := p.d.AppSpec.TaskDefinition
	if _, err := ecs.ParseTaskDefinitionRef(name); err != nil {
		return ecs.TaskDefinition{}, fmt.Errorf("%w: %w", errBadSetup, err)
	}
	td := p.o.TaskDefinition
	switch {
	case !p.o.TaskDefinitionFound:
		return td, fmt.Errorf("%w: the task definition %s does not exist", errBadSetup, name)
	case td.Status != ecs.TaskDefinitionStatusActive:
		return td, fmt.Errorf("%w: the task definition %s is %s", errBadSetup, name, td.Status)
	}
	return td, nil
}
