package deployer

import (
	"math"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/hooks"
)

// NativeObservation is what PlanServiceDeployment decides on: a service deployment in progress
// and what the deployer read of the world for it, all from the store.
type NativeObservation struct {
	Deployment ecs.ServiceDeployment
	Service    ecs.Service
	// Tasks are the service's tasks, stopped ones included.
	Tasks []ecs.Task
	// Forwards maps the listener rules of the service's pair that exist to their forward
	// weights by target group ARN.
	Forwards map[string]map[string]int
	// Executions are the hook executions that exist for the deployment, by id.
	Executions map[string]hooks.Execution
	// Alarms are the states of the deployment's alarms that exist, by name.
	Alarms map[string]AlarmState
	Now    time.Time
}

// NativeStep is what the deployer does next for one service deployment: the actions to apply
// in order, the service deployment to write, and when to look again.
type NativeStep struct {
	Actions    []Action
	Deployment ecs.ServiceDeployment
	Wait       time.Duration
}

// nativePlanner builds one step of a service deployment.
type nativePlanner struct {
	cfg  Config
	o    NativeObservation
	sd   *ecs.ServiceDeployment // as the step leaves it
	step NativeStep
}

// PlanServiceDeployment decides the next step of a service deployment in progress. It is
// pure. A rolling deployment follows the scheduler's rollout of its deployment; a native one
// (BLUE_GREEN, LINEAR, CANARY replacing a running revision) passes ECS's lifecycle stages,
// one per step, moving traffic between the two target groups of the service's pair.
func PlanServiceDeployment(cfg Config, o NativeObservation) NativeStep {
	cfg = cfg.withDefaults()
	p := &nativePlanner{cfg: cfg, o: o, step: NativeStep{Deployment: o.Deployment, Wait: cfg.Poll}}
	p.sd = &p.step.Deployment
	p.sd.Hooks = slices.Clone(o.Deployment.Hooks)
	p.sd.Sources = slices.Clone(o.Deployment.Sources)
	if p.predates() {
		return p.step // look again at a service that has the deployment
	}
	if p.sd.Status == ecs.SDPending {
		p.sd.Status, p.sd.StartedAt, p.sd.UpdatedAt = ecs.SDInProgress, o.Now, o.Now
	}
	p.recordCounts()
	if _, ok := p.traffic(); ok && ecs.NativeStrategy(p.sd.Strategy) && len(p.sd.SourceDeploymentIDs) > 0 {
		p.planNative()
	} else {
		p.planRolling()
	}
	return p.step
}

// predates reports whether the service read is older than the PENDING service deployment: it
// has deployments, but not the service deployment's, and none as new as it. A service
// deployment is written with its deployment, so the deployment is yet to be seen, not
// replaced: nothing is decided on such a read. A newer deployment in the service (or none at
// all) means it was replaced before it started.
func (p *nativePlanner) predates() bool {
	if p.sd.Status != ecs.SDPending || len(p.o.Service.Deployments) == 0 {
		return false
	}
	if _, ok := p.deployment(p.sd.DeploymentID); ok {
		return false
	}
	for _, d := range p.o.Service.Deployments {
		if !d.CreatedAt.Before(p.sd.CreatedAt) {
			return false
		}
	}
	return true
}

// deployment returns the service's deployment id.
func (p *nativePlanner) deployment(id string) (ecs.Deployment, bool) {
	for _, d := range p.o.Service.Deployments {
		if d.ID == id {
			return d, true
		}
	}
	return ecs.Deployment{}, false
}

// rollbackOf returns the deployment that rolls back deployment id, if any.
func (p *nativePlanner) rollbackOf(id string) (ecs.Deployment, bool) {
	for _, d := range p.o.Service.Deployments {
		if d.RollbackOf == id {
			return d, true
		}
	}
	return ecs.Deployment{}, false
}

// recordCounts brings the task counts of the target and source revisions up to date.
func (p *nativePlanner) recordCounts() {
	count := func(r *ecs.RevisionSummary, id string) {
		var c ecs.TaskCounts
		for _, t := range p.o.Tasks {
			if t.DeploymentID == id {
				c = c.Add(t)
			}
		}
		r.RunningTaskCount, r.PendingTaskCount = c.Running, c.Pending
		if d, ok := p.deployment(id); ok {
			r.RequestedTaskCount = d.DesiredCount
		}
	}
	count(&p.sd.Target, p.sd.DeploymentID)
	for i, id := range p.sd.SourceDeploymentIDs {
		if i < len(p.sd.Sources) {
			count(&p.sd.Sources[i], id)
		}
	}
	if d, ok := p.deployment(p.sd.DeploymentID); ok && p.sd.CircuitBreaker.Status == ecs.MonitorMonitoring {
		p.sd.CircuitBreaker.FailureCount = d.FailedTasks
	}
}

// finish ends the service deployment with status and reason.
func (p *nativePlanner) finish(status ecs.ServiceDeploymentStatus, reason string) {
	p.sd.Status, p.sd.UpdatedAt, p.sd.FinishedAt = status, p.o.Now, p.o.Now
	if reason != "" {
		p.sd.StatusReason = reason
	}
	if status == ecs.SDStopped || status == ecs.SDRollbackSuccessful || status == ecs.SDRollbackFailed {
		p.sd.StoppedAt = p.o.Now
	}
	if p.sd.CircuitBreaker.Status == ecs.MonitorMonitoring {
		p.sd.CircuitBreaker.Status = ecs.MonitorComplete
	}
	if p.sd.Alarms.Status == ecs.MonitorMonitoring {
		p.sd.Alarms.Status = ecs.MonitorComplete
	}
}

// planRolling follows a rolling deployment: the scheduler rolls it out (and the circuit
// breaker rolls it back); the service deployment reports how it goes, and asks for the
// rollback StopServiceDeployment requested.
func (p *nativePlanner) planRolling() {
	id := p.sd.DeploymentID
	d, ok := p.deployment(id)
	rb, rolledBack := p.rollbackOf(id)
	switch {
	case p.sd.Status == ecs.SDRollbackRequested:
		p.sd.Status, p.sd.UpdatedAt = ecs.SDRollbackInProgress, p.o.Now
		p.sd.Rollback.ServiceRevisionARN = firstSource(p.sd)
		p.step.Actions = append(p.step.Actions, Action{Kind: ActRollBackRolling, Target: id,
			Reason: "ECS deployment " + id + " stopped: StopServiceDeployment requested a rollback.", RollbackID: rollingRollbackID(id)})
	case rolledBack:
		p.followRollback(d, rb)
	case ok && p.rollingAlarmed(d):
	case ok && d.RolloutState == ecs.RolloutCompleted:
		p.finish(ecs.SDSuccessful, "")
	case ok && d.RolloutState == ecs.RolloutFailed:
		p.finish(ecs.SDStopped, d.RolloutStateReason)
	case !ok || d.Status != ecs.DeploymentPrimary:
		p.finish(ecs.SDStopped, "A newer service deployment replaced this one.")
	}
}

// followRollback reports the rollback deployment rb of a rolling deployment d.
func (p *nativePlanner) followRollback(d, rb ecs.Deployment) {
	if !p.sd.Status.RollingBack() {
		p.sd.Status, p.sd.UpdatedAt = ecs.SDRollbackInProgress, p.o.Now
		if p.sd.Rollback.StartedAt.IsZero() {
			p.sd.Rollback = ecs.DeploymentRollback{Reason: d.RolloutStateReason, StartedAt: p.o.Now}
		}
		if p.sd.CircuitBreaker.Status == ecs.MonitorMonitoring && d.FailedTasks >= p.sd.CircuitBreaker.Threshold {
			p.sd.CircuitBreaker.Status = ecs.MonitorTriggered
		}
	}
	if p.sd.Rollback.ServiceRevisionARN == "" {
		p.sd.Rollback.ServiceRevisionARN = ecs.ServiceRevisionARN(p.o.Service.Scope(), p.o.Service.ClusterName, p.o.Service.Name, rb.ID)
	}
	switch rb.RolloutState {
	case ecs.RolloutCompleted:
		p.finish(ecs.SDRollbackSuccessful, "")
	case ecs.RolloutFailed:
		p.finish(ecs.SDRollbackFailed, rb.RolloutStateReason)
	}
}

func firstSource(sd *ecs.ServiceDeployment) string {
	if len(sd.Sources) > 0 {
		return sd.Sources[0].ARN
	}
	return ""
}

// rollingRollbackID derives the id of the deployment that rolls back deployment id, so that
// planning stays pure and a retried step creates the same one.
func rollingRollbackID(id string) string {
	var n uint64
	for _, b := range []byte(id + "/rollback") {
		n = n*1099511628211 + uint64(b)
	}
	return ecs.DeploymentID(n)
}

// traffic returns the pair a native deployment moves traffic between: the one it recorded
// when it began, or the service's load balancer with advancedConfiguration, the target
// deployment's group as green and the other as blue.
func (p *nativePlanner) traffic() (ecs.NativeTraffic, bool) {
	if p.sd.Traffic != (ecs.NativeTraffic{}) {
		return p.sd.Traffic, true
	}
	target, found := p.deployment(p.sd.DeploymentID)
	for _, lb := range p.o.Service.LoadBalancers {
		if lb.Advanced.Given() && found {
			green, blue := target.LiveGroup(lb)
			return ecs.NativeTraffic{ProductionRule: lb.Advanced.ProductionListenerRule, TestRule: lb.Advanced.TestListenerRule,
				Green: green, Blue: blue}, true
		}
	}
	return ecs.NativeTraffic{}, false
}

// weighted returns a forward of green at percent w and blue at the rest. Weights are whole
// percents; a share above 0 gets at least 1.
func weighted(green, blue string, w float64) []elb.WeightedTargetGroup {
	g := int(math.Round(w))
	if w > 0 && g == 0 {
		g = 1
	}
	return []elb.WeightedTargetGroup{{ARN: blue, Weight: 100 - g}, {ARN: green, Weight: g}}
}

// setRule plans a rule's forward unless the rule forwards so already.
func (p *nativePlanner) setRule(rule string, forward []elb.WeightedTargetGroup) {
	if rule == "" || forwards(p.o.Forwards[rule], forward) {
		return
	}
	p.step.Actions = append(p.step.Actions, Action{Kind: ActSetRuleForward, Rule: rule, Forward: forward})
}

// waitAtMost shortens the step's wait to d.
func (p *nativePlanner) waitAtMost(d time.Duration) {
	if d > 0 && d < p.step.Wait {
		p.step.Wait = d
	}
}
