package deployer

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Phases of a deployment, recorded in Progress.Phase.
const (
	phaseStart     = ""
	phaseInstall   = "Install"
	phaseReady     = "Ready"
	phaseShift     = "AllowTraffic"
	phaseTerminate = "TerminationWait"
)

// run is one reconcile of one deployment: d is changed in place and written afterwards.
type run struct {
	c    *Controller
	d    codedeploy.Deployment
	now  time.Time
	wait time.Duration // when to look again
	// rollback is the rollback deployment to write with d, when d ended with one.
	rollback *codedeploy.Deployment
}

// step takes the next step of the deployment. Errors that the deployment's own setup causes
// end it (failed, rolled back where something was changed); others are returned, to retry.
func (r *run) step(ctx context.Context) error {
	if r.d.StopRequested {
		return r.stop(ctx)
	}
	var err error
	switch r.d.Progress.Phase {
	case phaseStart:
		err = r.start(ctx)
	case phaseInstall:
		err = r.install(ctx)
	case phaseReady:
		err = r.ready(ctx)
	case phaseShift:
		err = r.shift(ctx)
	case phaseTerminate:
		err = r.terminate(ctx)
	case codedeploy.PhaseRollback:
		err = r.rollBack(ctx)
	default:
		err = fmt.Errorf("%w: unknown phase %q", errBadSetup, r.d.Progress.Phase)
	}
	var code string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errELB):
		code = codedeploy.ErrorInvalidELB
	case errors.Is(err, errBadService):
		code = codedeploy.ErrorInvalidECS
	case errors.Is(err, errBadSetup), errors.Is(err, errdefs.ErrInvalidArgument), errors.Is(err, errdefs.ErrFailedPrecondition):
		code = codedeploy.ErrorECSUpdate
	default:
		return err // the store or a conflict: try again
	}
	return r.fail(ctx, code, errdefs.Message(err))
}

var (
	errBadService = errors.New("ecs service")
	errBadSetup   = errors.New("deployment")
)

// start checks the service and the load balancer setup and picks the colours: blue is the
// service's PRIMARY task set and its target group, green the pair's other group.
func (r *run) start(ctx context.Context) error {
	svc, err := r.service(ctx)
	if err != nil {
		return err
	}
	blue, ok := primaryTaskSet(svc.Value)
	if !ok {
		return fmt.Errorf("%w: the ECS service %s has no PRIMARY task set", errBadService, svc.Value.Name)
	}
	pair := r.d.Pair
	if len(pair.TargetGroups) != 2 || len(pair.ProdListenerARNs) != 1 {
		return fmt.Errorf("%w: the deployment group needs two target groups and one production listener", errELB)
	}
	var groups [2]string
	for i, name := range pair.TargetGroups {
		it, err := r.c.targetGroupByName(ctx, name)
		if err != nil {
			return err
		}
		groups[i] = it.Value.ARN
	}
	if _, err := r.c.readRoute(ctx, pair.ProdListenerARNs[0]); err != nil {
		return err
	}
	blueGroup, greenGroup := groups[0], groups[1]
	if len(blue.LoadBalancers) > 0 && blue.LoadBalancers[0].TargetGroupARN == groups[1] {
		blueGroup, greenGroup = groups[1], groups[0]
	}
	r.d.Status, r.d.StartTime = codedeploy.StatusInProgress, r.now
	r.d.Progress = codedeploy.Progress{Phase: phaseInstall, BlueTaskSetID: blue.ID, BlueTargetGroup: blueGroup,
		GreenTargetGroup: greenGroup, PhaseSince: r.now}
	r.hookEvent("BeforeInstall")
	r.event("Install", codedeploy.EventInProgress)
	r.soon()
	return nil
}

// install creates the green task set behind the green group, puts the green group in the
// production forward at weight 0 (so that it is health-checked), and waits until green runs
// healthy.
func (r *run) install(ctx context.Context) error {
	svc, err := r.service(ctx)
	if err != nil {
		return err
	}
	green, ok := r.greenTaskSet(svc.Value)
	if !ok {
		if green, err = r.createGreen(ctx, svc); err != nil {
			return err
		}
	}
	r.d.Progress.GreenTaskSetID = green.ID
	p := r.d.Progress
	if err := r.c.setForward(ctx, r.d.Pair.ProdListenerARNs[0], split(p.BlueTargetGroup, p.GreenTargetGroup, 0)); err != nil {
		return err
	}
	if green.StabilityStatus != ecs.StabilitySteady {
		if r.now.Sub(p.PhaseSince) > r.c.cfg.InstallTimeout {
			return r.fail(ctx, codedeploy.ErrorTimeout, "The replacement task set did not run healthy in time.")
		}
		return nil
	}
	r.event("Install", codedeploy.EventSucceeded)
	r.hookEvent("AfterInstall")
	if tests := r.d.Pair.TestListenerARNs; len(tests) > 0 {
		r.event("AllowTestTraffic", codedeploy.EventInProgress)
		if err := r.c.setForward(ctx, tests[0], only(p.GreenTargetGroup)); err != nil {
			return err
		}
	}
	r.event("AllowTestTraffic", codedeploy.EventSucceeded)
	r.hookEvent("AfterAllowTestTraffic")
	r.hookEvent("BeforeAllowTraffic")
	if r.d.BlueGreen.ReadyActionOnTimeout == codedeploy.ReadyStopDeployment && !r.d.ContinueReady {
		r.enter(phaseReady)
		r.d.Status = codedeploy.StatusReady
		return nil
	}
	r.beginShift()
	return nil
}

// ready waits for ContinueDeployment; without it in time, the deployment stops and rolls back.
func (r *run) ready(ctx context.Context) error {
	if r.d.ContinueReady {
		r.d.Status = codedeploy.StatusInProgress
		r.beginShift()
		return nil
	}
	until := r.d.Progress.PhaseSince.Add(r.minutes(r.d.BlueGreen.ReadyWaitMinutes))
	if !r.now.Before(until) {
		return r.end(ctx, codedeploy.StatusStopped, codedeploy.ErrorTimeout,
			"The deployment timed out while waiting for the replacement task set to be rerouted.", r.onFailure())
	}
	r.wait = min(r.wait, until.Sub(r.now))
	return nil
}

func (r *run) beginShift() {
	r.enter(phaseShift)
	r.event("AllowTraffic", codedeploy.EventInProgress)
	r.soon()
}

// shift moves production traffic step by step as the configuration says; at 100% green
// becomes the PRIMARY task set and the termination wait begins.
func (r *run) shift(ctx context.Context) error {
	p := r.d.Progress
	elapsed := r.now.Sub(p.PhaseSince)
	weight, next := 0, time.Duration(-1)
	for _, s := range r.d.TrafficRouting.Steps() {
		at := time.Duration(s.After / time.Minute * r.c.cfg.Minute)
		if at <= elapsed {
			weight = s.Weight
		} else if next < 0 {
			next = at - elapsed
		}
	}
	if err := r.c.setForward(ctx, r.d.Pair.ProdListenerARNs[0], split(p.BlueTargetGroup, p.GreenTargetGroup, weight)); err != nil {
		return err
	}
	if weight != p.GreenWeight {
		r.d.Progress.GreenWeight = weight
		r.message(fmt.Sprintf("%d%% of production traffic shifted to the replacement task set.", weight))
	}
	if weight < 100 {
		r.wait = min(r.wait, next)
		return nil
	}
	if err := r.changeService(ctx, func(s ecs.Service) (ecs.Service, error) {
		next, _, err := ecs.CodeDeploySetPrimaryTaskSet(s, p.GreenTaskSetID, r.now)
		return next, err
	}); err != nil {
		return err
	}
	r.event("AllowTraffic", codedeploy.EventSucceeded)
	r.hookEvent("AfterAllowTraffic")
	r.enter(phaseTerminate)
	r.d.Progress.TerminationWaitStarted = true
	return nil
}

// terminate deletes the original task set after the termination wait (unless the group keeps
// it) and ends the deployment.
func (r *run) terminate(ctx context.Context) error {
	bg := r.d.BlueGreen
	if bg.TerminationAction != codedeploy.TerminationKeepAlive {
		until := r.d.Progress.PhaseSince.Add(r.minutes(bg.TerminationWaitMinutes))
		if r.now.Before(until) && !r.d.SkipTerminationWait {
			r.wait = min(r.wait, until.Sub(r.now))
			return nil
		}
		if err := r.deleteTaskSet(ctx, r.d.Progress.BlueTaskSetID); err != nil {
			return err
		}
		if err := r.c.setForward(ctx, r.d.Pair.ProdListenerARNs[0], only(r.d.Progress.GreenTargetGroup)); err != nil {
			return err
		}
	}
	r.d.Status, r.d.CompleteTime = codedeploy.StatusSucceeded, r.now
	return nil
}

// createGreen creates the replacement task set: the AppSpec's task definition and container
// port behind the green group, otherwise as blue.
func (r *run) createGreen(ctx context.Context, svc store.Item[ecs.Service]) (ecs.TaskSet, error) {
	td, err := r.taskDefinition(ctx)
	if err != nil {
		return ecs.TaskSet{}, err
	}
	blue, _ := svc.Value.TaskSet(r.d.Progress.BlueTaskSetID)
	spec := r.d.AppSpec
	id := ecs.DeploymentID(r.c.cfg.Random())
	ts := ecs.TaskSet{
		ID: id, ARN: ecs.TaskSetARN(r.c.scope, svc.Value.ClusterName, svc.Value.Name, id),
		ExternalID: r.d.ID, StartedBy: "CODE_DEPLOY", Scale: 100,
		LaunchType: blue.LaunchType, PlatformVersion: cmp.Or(spec.PlatformVersion, blue.PlatformVersion),
		NetworkConfiguration: blue.NetworkConfiguration,
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: r.d.Progress.GreenTargetGroup,
			ContainerName: spec.ContainerName, ContainerPort: spec.ContainerPort}},
	}
	if n := spec.Network; n != nil {
		ts.NetworkConfiguration = ecs.NetworkConfiguration{Subnets: n.Subnets, SecurityGroups: n.SecurityGroups, AssignPublicIP: n.AssignPublicIP}
	}
	var green ecs.TaskSet
	err = r.changeService(ctx, func(s ecs.Service) (ecs.Service, error) {
		next, created, err := ecs.CodeDeployCreateTaskSet(s, ts, td, r.now)
		green = created
		return next, err
	})
	return green, err
}

func (r *run) taskDefinition(ctx context.Context) (ecs.TaskDefinition, error) {
	name := r.d.AppSpec.TaskDefinition
	ref, err := ecs.ParseTaskDefinitionRef(name)
	if err != nil {
		return ecs.TaskDefinition{}, fmt.Errorf("%w: %w", errBadSetup, err)
	}
	td, err := r.c.st.FindTaskDefinition(ctx, ref.Family, ref.Revision)
	switch {
	case errors.Is(err, errdefs.ErrNotFound):
		return td, fmt.Errorf("%w: the task definition %s does not exist", errBadSetup, name)
	case err == nil && td.Status != ecs.TaskDefinitionStatusActive:
		return td, fmt.Errorf("%w: the task definition %s is %s", errBadSetup, name, td.Status)
	}
	return td, err
}

func (r *run) deleteTaskSet(ctx context.Context, id string) error {
	return r.changeService(ctx, func(s ecs.Service) (ecs.Service, error) {
		if _, ok := s.TaskSet(id); !ok {
			return s, nil // deleted and drained already
		}
		next, _, err := ecs.CodeDeployDeleteTaskSet(s, id, r.now)
		return next, err
	})
}

// service reads the deployment's ECS service, which must be an ACTIVE CODE_DEPLOY service.
func (r *run) service(ctx context.Context) (store.Item[ecs.Service], error) {
	s := r.d.ECSService
	it, err := r.c.st.Services.Get(ctx, store.ServiceID(s.ClusterName, s.ServiceName))
	switch {
	case errors.Is(err, errdefs.ErrNotFound):
		return it, fmt.Errorf("%w: the ECS service %s of cluster %s does not exist", errBadService, s.ServiceName, s.ClusterName)
	case err != nil:
		return it, err
	case it.Value.Status != ecs.ServiceActive:
		return it, fmt.Errorf("%w: the ECS service %s is not ACTIVE", errBadService, s.ServiceName)
	case it.Value.DeploymentController != ecs.ControllerCodeDeploy:
		return it, fmt.Errorf("%w: the ECS service %s does not use the CODE_DEPLOY deployment controller", errBadService, s.ServiceName)
	}
	return it, nil
}

// changeService applies change to the deployment's service and writes it at the revision
// read; a conflict is returned, and the reconcile retries.
func (r *run) changeService(ctx context.Context, change func(ecs.Service) (ecs.Service, error)) error {
	cur, err := r.service(ctx)
	if err != nil {
		return err
	}
	next, err := change(cur.Value)
	if err != nil {
		return err
	}
	var txn store.Txn
	if err := r.c.st.Services.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	_, err = r.c.st.Commit(ctx, &txn)
	return err
}

// greenTaskSet finds the deployment's replacement task set: the one it recorded or, after a
// restart between creating it and recording it, the one that names the deployment.
func (r *run) greenTaskSet(s ecs.Service) (ecs.TaskSet, bool) {
	for _, ts := range s.TaskSets {
		if ts.ExternalID == r.d.ID || (ts.ID == r.d.Progress.GreenTaskSetID && ts.ID != "") {
			return ts, ts.Status != ecs.TaskSetDraining
		}
	}
	return ecs.TaskSet{}, false
}

func primaryTaskSet(s ecs.Service) (ecs.TaskSet, bool) {
	for _, ts := range s.TaskSets {
		if ts.Status == ecs.TaskSetPrimary {
			return ts, true
		}
	}
	return ecs.TaskSet{}, false
}

func (r *run) enter(phase string) {
	r.d.Progress.Phase, r.d.Progress.PhaseSince = phase, r.now
	r.soon()
}

// soon asks to take the next step right away.
func (r *run) soon() { r.wait = time.Millisecond }

func (r *run) minutes(n int) time.Duration { return time.Duration(n) * r.c.cfg.Minute }

// event sets the status of a lifecycle event, with its start and end times.
func (r *run) event(name string, status codedeploy.LifecycleEventStatus) {
	for i := range r.d.Events {
		e := &r.d.Events[i]
		if e.Name != name {
			continue
		}
		if e.Start.IsZero() {
			e.Start = r.now
		}
		e.Status = status
		if status != codedeploy.EventInProgress {
			e.End = r.now
		}
		return
	}
}

// hookEvent completes an event that takes a hook. fargo runs no Lambda functions: an event
// with a hook is skipped, and the deployment says so.
func (r *run) hookEvent(name string) {
	fn, ok := r.d.AppSpec.Hooks[name]
	if !ok {
		r.event(name, codedeploy.EventSucceeded)
		return
	}
	r.event(name, codedeploy.EventSkipped)
	r.message(fmt.Sprintf("The %s hook %s was skipped: fargo does not run Lambda functions.", name, fn))
}

func (r *run) message(msg string) {
	r.d.StatusMessages = append(r.d.StatusMessages, msg)
}

func randomUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}
