package deployer

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
)

// Phases of a deployment, recorded in Progress.Phase.
const (
	phaseStart         = ""
	phaseBeforeInstall = "BeforeInstall"
	phaseInstall       = "Install"
	phaseTestTraffic   = "TestTraffic"
	phaseReady         = "Ready"
	phaseShift         = "AllowTraffic"
	phaseTerminate     = "TerminationWait"
)

// Observation is what PlanDeployment decides on: a deployment in progress and what the
// deployer read of the world for it, all from the store, so that a restart decides as the
// deployer before it would have.
type Observation struct {
	Deployment codedeploy.Deployment
	// Service is the deployment's ECS service, when ServiceFound.
	Service      ecs.Service
	ServiceFound bool
	// Tasks are the service's tasks, stopped ones included.
	Tasks []ecs.Task
	// TargetGroups maps the names of the pair's target groups that exist to their ARNs.
	TargetGroups map[string]string
	// Forwards maps the ARNs of the pair's listeners that exist to their default rule's forward
	// weights by target group ARN.
	Forwards map[string]map[string]int
	// TaskDefinition is the AppSpec's task definition, when TaskDefinitionFound.
	TaskDefinition      ecs.TaskDefinition
	TaskDefinitionFound bool
	// Hooks are the executions of the AppSpec's hooks that exist, by lifecycle event.
	Hooks map[string]hooks.Execution
	// Alarms are the states of the deployment group's alarms that exist, by name.
	Alarms map[string]AlarmState
	// NewTaskSetID and NewDeploymentID are ids for what the step may create: the replacement
	// task set, a rollback deployment. Randomness is an input.
	NewTaskSetID    string
	NewDeploymentID string
	// Scope names what the step creates.
	Scope arn.Scope
	Now   time.Time
}

// ActionKind is what an action changes.
type ActionKind int

// Kinds of actions.
const (
	// ActCreateTaskSet creates Action.TaskSet, the replacement task set, with the observed
	// task definition.
	ActCreateTaskSet ActionKind = iota + 1
	// ActSetForward makes Action.Listener's default rule forward to Action.Forward, in one
	// atomic swap.
	ActSetForward
	// ActSetPrimary makes task set Action.TaskSetID the service's PRIMARY one.
	ActSetPrimary
	// ActDeleteTaskSet deletes task set Action.TaskSetID: it turns DRAINING, its tasks drain.
	ActDeleteTaskSet
	// ActStartHook creates Action.Hook, the execution of a lifecycle event's (CodeDeploy) or
	// stage's (native) hook, unless it exists, for the hook runner to run.
	ActStartHook
	// ActSetRuleForward makes listener rule Action.Rule forward to Action.Forward, in one
	// atomic swap (a native deployment's production and test listener rules).
	ActSetRuleForward
	// ActReleaseDeployments turns the service's deployments Action.DeploymentIDs INACTIVE:
	// their tasks drain and stop (a native deployment's CLEAN_UP).
	ActReleaseDeployments
	// ActRestoreDeployment makes Action.DeploymentIDs[0] PRIMARY again and turns the native
	// deployment Action.Target INACTIVE and FAILED (Action.Reason): a native rollback.
	ActRestoreDeployment
	// ActRollBackRolling fails the rolling deployment Action.Target (Action.Reason) and starts
	// a deployment of the last completed task definition (Action.RollbackID).
	ActRollBackRolling
	// ActFailRolling fails the rolling deployment Action.Target (Action.Reason) and leaves
	// the service as it is.
	ActFailRolling
	// ActServiceEvent adds the service event Action.Reason, once.
	ActServiceEvent
)

// Action is one change of the service or of a listener that a step makes.
type Action struct {
	Kind      ActionKind
	Listener  string
	Forward   []elb.WeightedTargetGroup
	TaskSet   ecs.TaskSet
	TaskSetID string
	Hook      hooks.Execution
	// Rule, DeploymentIDs, Target, Reason and RollbackID are the native deployments'
	// (ActSetRuleForward and the actions after it).
	Rule          string
	DeploymentIDs []string
	Target        string
	Reason        string
	RollbackID    string
}

// Step is what the deployer does next for one deployment: the actions to apply in order, then
// the deployment to write (with a rollback deployment, when it ended with one), and when to
// look again.
type Step struct {
	Actions    []Action
	Deployment codedeploy.Deployment
	Rollback   *codedeploy.Deployment
	Wait       time.Duration
}

// planner builds one step.
type planner struct {
	cfg  Config
	o    Observation
	d    *codedeploy.Deployment // the deployment as the step leaves it
	step Step
}

func newPlanner(cfg Config, o Observation) *planner {
	p := &planner{cfg: cfg.withDefaults(), o: o, step: Step{Deployment: o.Deployment, Wait: cfg.withDefaults().Poll}}
	// The step changes these in place; the observation's must stay as they were.
	p.step.Deployment.Events = slices.Clone(o.Deployment.Events)
	p.step.Deployment.StatusMessages = slices.Clone(o.Deployment.StatusMessages)
	p.d = &p.step.Deployment
	return p
}

// PlanDeployment decides the next step of a deployment in progress. It is pure: the same
// observation gives the same step. Problems of the deployment's own setup (a missing service,
// target group or listener, an invalid task definition, a replacement whose tasks keep
// failing) end it, failed and rolled back where something was changed.
func PlanDeployment(cfg Config, o Observation) Step {
	p := newPlanner(cfg, o)
	if err := p.next(); err != nil {
		code, _ := failureCode(err)
		p.fail(code, errdefs.Message(err))
	}
	return p.step
}

// PlanFailure plans the end of a deployment whose step failed while it was applied, for a
// reason of its setup (code and msg): as PlanDeployment ends one whose setup it sees fail.
func PlanFailure(cfg Config, o Observation, code, msg string) Step {
	p := newPlanner(cfg, o)
	p.fail(code, msg)
	return p.step
}

// next takes the deployment's next step; an error of failureCode's kinds ends it.
func (p *planner) next() error {
	if p.d.StopRequested {
		if !p.originalDeleted() {
			p.stop()
			return nil
		}
		p.message("The stop request came after the original task set was deleted: the deployment completes.")
	}
	if msg, active := p.alarmActive(); active {
		p.stopOnAlarm(msg)
		return nil
	}
	if msg, tripped := p.judgeReplacement(); tripped {
		return errdefs.FailedPrecondition("%s", msg)
	}
	switch p.d.Progress.Phase {
	case phaseStart:
		return p.start()
	case phaseBeforeInstall:
		return p.beforeInstall()
	case phaseInstall:
		return p.install()
	case phaseTestTraffic:
		return p.testTraffic()
	case phaseReady:
		return p.ready()
	case phaseShift:
		return p.shift()
	case phaseTerminate:
		return p.terminate()
	case codedeploy.PhaseRollback:
		return p.rollBack()
	}
	return fmt.Errorf("%w: unknown phase %q", errBadSetup, p.d.Progress.Phase)
}

var (
	errBadService = errors.New("ecs service")
	errBadSetup   = errors.New("deployment")
)

// failureCode is the CodeDeploy error code of an error that the deployment's setup causes;
// false for others (the store, a conflict), which are tried again.
func failureCode(err error) (string, bool) {
	switch {
	case errors.Is(err, errELB):
		return codedeploy.ErrorInvalidELB, true
	case errors.Is(err, errBadService):
		return codedeploy.ErrorInvalidECS, true
	case errors.Is(err, errBadSetup), errors.Is(err, errdefs.ErrInvalidArgument), errors.Is(err, errdefs.ErrFailedPrecondition):
		return codedeploy.ErrorECSUpdate, true
	}
	return "", false
}

// service is the deployment's ECS service, which must be an ACTIVE CODE_DEPLOY service.
func (p *planner) service() (ecs.Service, error) {
	s, name := p.o.Service, p.d.ECSService.ServiceName
	switch {
	case !p.o.ServiceFound:
		return s, fmt.Errorf("%w: the ECS service %s of cluster %s does not exist", errBadService, name, p.d.ECSService.ClusterName)
	case s.Status != ecs.ServiceActive:
		return s, fmt.Errorf("%w: the ECS service %s is not ACTIVE", errBadService, name)
	case s.DeploymentController != ecs.ControllerCodeDeploy:
		return s, fmt.Errorf("%w: the ECS service %s does not use the CODE_DEPLOY deployment controller", errBadService, name)
	}
	return s, nil
}

// forward plans to make listener forward to groups, unless it does already.
func (p *planner) forward(listener string, groups []elb.WeightedTargetGroup) error {
	cur, ok := p.o.Forwards[listener]
	if !ok {
		return errors.Join(errELB, errdefs.NotFound("the listener %s does not exist", listener))
	}
	if forwards(cur, groups) {
		return nil
	}
	p.act(Action{Kind: ActSetForward, Listener: listener, Forward: groups})
	return nil
}

func (p *planner) act(a Action) { p.step.Actions = append(p.step.Actions, a) }

// originalDeleted tells whether the termination wait ended and the original task set is being
// deleted: a deployment past that point completes, whatever is asked of it, since nothing is
// left to roll back to.
func (p *planner) originalDeleted() bool {
	if p.d.Progress.Phase != phaseTerminate {
		return false
	}
	_, live := p.taskSetLive(p.d.Progress.BlueTaskSetID)
	return !live
}

// taskSetLive tells whether the service holds task set id, not DRAINING.
func (p *planner) taskSetLive(id string) (ecs.TaskSet, bool) {
	ts, ok := p.o.Service.TaskSet(id)
	return ts, ok && id != "" && ts.Status != ecs.TaskSetDraining
}

// greenTaskSet finds the deployment's replacement task set: the one it recorded or, after a
// restart between creating it and recording it, the one that names the deployment.
func greenTaskSet(d codedeploy.Deployment, s ecs.Service) (ecs.TaskSet, bool) {
	for _, ts := range s.TaskSets {
		if ts.ExternalID == d.ID || (ts.ID == d.Progress.GreenTaskSetID && ts.ID != "") {
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

func (p *planner) enter(phase string) {
	p.d.Progress.Phase, p.d.Progress.PhaseSince = phase, p.o.Now
	p.soon()
}

// soon asks to take the next step right away.
func (p *planner) soon() { p.step.Wait = time.Millisecond }

// waitUntil asks to look again at t at the latest.
func (p *planner) waitUntil(t time.Time) { p.step.Wait = min(p.step.Wait, t.Sub(p.o.Now)) }

func (p *planner) minutes(n int) time.Duration { return time.Duration(n) * p.cfg.Minute }

// event sets the status of a lifecycle event, with its start and end times; an event that
// has the status already keeps its times.
func (p *planner) event(name string, status codedeploy.LifecycleEventStatus) {
	for i := range p.d.Events {
		e := &p.d.Events[i]
		if e.Name != name || e.Status == status {
			continue
		}
		if e.Start.IsZero() {
			e.Start = p.o.Now
		}
		e.Status = status
		if status != codedeploy.EventInProgress {
			e.End = p.o.Now
		}
		return
	}
}

func (p *planner) message(msg string) {
	p.d.StatusMessages = append(p.d.StatusMessages, msg)
}

// forwards tells whether weights (by target group ARN) are exactly groups.
func forwards(weights map[string]int, groups []elb.WeightedTargetGroup) bool {
	if len(weights) != len(groups) {
		return false
	}
	for _, g := range groups {
		if got, ok := weights[g.ARN]; !ok || got != g.Weight {
			return false
		}
	}
	return true
}

// split is the forward to blue and green with green getting greenWeight percent. Both groups
// stay in it at 0% too: ALB health-checks only groups a listener uses, and green must be
// healthy before it gets traffic, blue until it is deleted (a rollback may need it).
func split(blue, green string, greenWeight int) []elb.WeightedTargetGroup {
	return []elb.WeightedTargetGroup{{ARN: blue, Weight: 100 - greenWeight}, {ARN: green, Weight: greenWeight}}
}

// only is the forward to one group.
func only(group string) []elb.WeightedTargetGroup {
	return []elb.WeightedTargetGroup{{ARN: group, Weight: 1}}
}
