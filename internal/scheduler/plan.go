package scheduler

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// Snapshot is what PlanService decides on: a service and every task it started that the store
// still holds.
type Snapshot struct {
	Service ecs.Service
	Tasks   []ecs.Task
	Now     time.Time
	// Draining holds the IDs of the cluster's DRAINING container instances: their service
	// tasks are replaced elsewhere.
	Draining map[string]bool
}

// Plan is what the scheduler must do for one service.
type Plan struct {
	// Start says how many tasks to start for which deployment.
	Start []Launch
	// Stop lists tasks to stop, with the code and reason ECS reports.
	Stop []Stop
	// Service is the service with its deployments, events and backoff brought up to date.
	Service ecs.Service
	// RequeueAfter asks to look again after a delay (a backoff or grace period ends); 0: no need.
	RequeueAfter time.Duration
}

// Launch asks for Count new tasks of a deployment or task set, which give the tasks their
// launch type, network and target groups.
type Launch struct {
	DeploymentID         string
	TaskDefinitionARN    string
	Count                int
	LaunchType           string
	NetworkConfiguration ecs.NetworkConfiguration
	LoadBalancers        []ecs.LoadBalancer
}

// Stop asks to stop one task.
type Stop struct {
	TaskID string
	Code   ecs.TaskStopCode
	Reason string
}

// counts summarises a service's tasks for one plan.
type counts struct {
	desired, maxTotal, minHealthy int
	active                        []ecs.Task // desired RUNNING and not stopped, minus planned stops
	stopping                      map[string]bool
}

// PlanService decides what to do for a service. It is pure: the same snapshot gives the same plan.
func PlanService(s Snapshot) Plan {
	if s.Service.RunsTaskSets() {
		return planTaskSets(s)
	}
	p := Plan{Service: s.Service}
	// The plan changes deployments in place; it must not change the snapshot's.
	p.Service.Deployments = slices.Clone(s.Service.Deployments)
	c := newCounts(s)
	p.stopUnhealthy(s, c)
	p.scaleDownPrimary(s, c)
	p.stopOldDeployments(s, c)
	p.stopDraining(s, c)
	p.updateBackoff(s)
	p.checkBreaker(s, c)
	p.startPrimary(s, c)
	p.tidyDeployments(s, c)
	p.drainToInactive(s)
	return p
}

func newCounts(s Snapshot) *counts {
	c := &counts{stopping: map[string]bool{}}
	if s.Service.Active() {
		c.desired = s.Service.DesiredCount
	}
	cfg := s.Service.DeploymentConfiguration
	c.maxTotal = max(c.desired*cfg.MaximumPercent/100, c.desired)
	c.minHealthy = (c.desired*cfg.MinimumHealthyPercent + 99) / 100
	for _, t := range s.Tasks {
		if isActive(t) {
			c.active = append(c.active, t)
		}
	}
	return c
}

func isActive(t ecs.Task) bool { return !t.Terminating() && !t.IsStopped() }

func isRunning(t ecs.Task) bool { return isActive(t) && t.LastStatus == ecs.TaskRunning }

// isHealthy reports whether a task counts towards minimumHealthyPercent: running, not reported
// unhealthy by its containers and, behind a load balancer, with healthy targets.
func isHealthy(t ecs.Task) bool { return t.RunsHealthy() }

// stop plans to stop t, once, and counts it out of the active tasks. Every stop of the
// service scheduler has the code ServiceSchedulerInitiated, as in ECS.
func (p *Plan) stop(c *counts, t ecs.Task, reason string) {
	if c.stopping[t.ID] {
		return
	}
	c.stopping[t.ID] = true
	p.Stop = append(p.Stop, Stop{TaskID: t.ID, Code: ecs.StopServiceSchedulerInitiated, Reason: reason})
	c.active = slices.DeleteFunc(c.active, func(x ecs.Task) bool { return x.ID == t.ID })
}

// stopUnhealthy replaces running tasks whose health checks fail, once the grace period ended.
func (p *Plan) stopUnhealthy(s Snapshot, c *counts) {
	grace := gracePeriod(s.Service)
	for _, t := range slices.Clone(c.active) {
		if !isRunning(t) || !failedChecks(t) {
			continue
		}
		containersFailed := t.HealthStatus == ecs.HealthUnhealthy
		if until := t.StartedAt.Add(grace); s.Now.Before(until) {
			p.requeue(until.Sub(s.Now))
			continue
		}
		if containersFailed {
			p.stop(c, t, "Task failed container health checks")
			p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) (task %s) failed container health checks.", s.Service.Name, t.ID)))
			continue
		}
		p.stop(c, t, "Task failed ELB health checks in (target-group "+t.TargetHealthGroup+")")
		p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) (task %s) failed ELB health checks in (target-group %s)", s.Service.Name, t.ID, t.TargetHealthGroup)))
	}
}

// scaleDownPrimary stops the PRIMARY deployment's tasks beyond the desired count: pending ones
// first, then the newest-started.
func (p *Plan) scaleDownPrimary(s Snapshot, c *counts) {
	primary, ok := s.Service.Primary()
	if !ok {
		return
	}
	mine := staying(s, tasksOf(c.active, primary.ID))
	extra := len(mine) - c.desired
	if extra <= 0 {
		return
	}
	slices.SortFunc(mine, newestFirst)
	for _, t := range mine[:extra] {
		p.stop(c, t, scalingReason(primary.ID))
	}
}

// stopOldDeployments stops tasks of deployments other than PRIMARY as far as
// minimumHealthyPercent allows: tasks that cannot serve at once, the others only while enough
// healthy tasks remain without them.
//
// A task that is still starting (its targets in their first health checks, or inside the
// health-check grace period) is not unhealthy (DESIGN.md, invariant 8): right after a service
// became stable its targets may not have passed yet, and stopping such tasks for new ones that
// have not passed either leaves the listener nothing to route to. It stops only once the
// healthy tasks reach minimumHealthyPercent without it.
func (p *Plan) stopOldDeployments(s Snapshot, c *counts) {
	primary, _ := s.Service.Primary()
	held, released := nativeDeployments(s.Service)
	var old []ecs.Task
	for _, t := range c.active {
		switch {
		case t.DeploymentID == primary.ID, held[t.DeploymentID]:
		case released[t.DeploymentID]:
			// Released by the deployer (native CLEAN_UP or rollback): its traffic moved
			// away, so all of its tasks drain and stop at once.
			p.stop(c, t, scalingReason(primary.ID))
		default:
			old = append(old, t)
		}
	}
	reason := scalingReason(primary.ID)
	p.stopWithinMinimum(s, c, old, func(ecs.Task) string { return reason })
}

// stopDraining stops the PRIMARY tasks on DRAINING container instances as ECS does: those not
// running at once, the others as minimumHealthyPercent allows, so that replacements started
// within maximumPercent on other instances serve first.
func (p *Plan) stopDraining(s Snapshot, c *counts) {
	primary, _ := s.Service.Primary()
	var draining []ecs.Task
	for _, t := range tasksOf(c.active, primary.ID) {
		if s.Draining[t.ContainerInstanceID] {
			draining = append(draining, t)
		}
	}
	p.stopWithinMinimum(s, c, draining, func(t ecs.Task) string { return drainingReason(t.ContainerInstanceID) })
}

// staying are the tasks that are not on a DRAINING container instance.
func staying(s Snapshot, tasks []ecs.Task) []ecs.Task {
	var out []ecs.Task
	for _, t := range tasks {
		if !s.Draining[t.ContainerInstanceID] {
			out = append(out, t)
		}
	}
	return out
}

func drainingReason(instanceID string) string {
	return "Container instance " + instanceID + " is DRAINING"
}

// stopWithinMinimum stops the given tasks, least ready first, as far as minimumHealthyPercent
// allows (stopOldDeployments says how readiness counts).
func (p *Plan) stopWithinMinimum(s Snapshot, c *counts, old []ecs.Task, reason func(ecs.Task) string) {
	grace := gracePeriod(s.Service)
	slices.SortFunc(old, func(a, b ecs.Task) int {
		return cmp.Compare(readinessOf(a, grace, s.Now), readinessOf(b, grace, s.Now))
	})
	for _, t := range old {
		switch readinessOf(t, grace, s.Now) {
		case healthy:
			if countHealthy(c.active) <= c.minHealthy {
				continue
			}
		case starting:
			// stopUnhealthy asked to look again when the grace period ends.
			if countHealthy(c.active) < c.minHealthy {
				continue
			}
		}
		p.stop(c, t, reason(t))
	}
}

// readiness is how a task counts when a plan decides which tasks of older deployments to stop.
type readiness int

const (
	// down: not running, or its health checks failed after the grace period; it serves nothing.
	down readiness = iota
	// starting: running, and its checks have not passed yet but have not failed either (its
	// targets are in their first checks), or they failed inside the grace period.
	starting
	// healthy: counts towards minimumHealthyPercent (isHealthy).
	healthy
)

func readinessOf(t ecs.Task, grace time.Duration, now time.Time) readiness {
	switch {
	case isHealthy(t):
		return healthy
	case !isRunning(t):
		return down
	case !failedChecks(t), now.Before(t.StartedAt.Add(grace)):
		return starting
	}
	return down
}

// failedChecks reports whether a task's containers or targets were found unhealthy; targets
// in their first checks (UNKNOWN) have not failed.
func failedChecks(t ecs.Task) bool {
	return t.HealthStatus == ecs.HealthUnhealthy || t.LoadBalanced && t.TargetHealth == ecs.HealthUnhealthy
}

func gracePeriod(s ecs.Service) time.Duration {
	return time.Duration(s.HealthCheckGracePeriodSeconds) * time.Second
}

// startPrimary starts PRIMARY tasks up to the desired count, within maximumPercent. A FAILED
// deployment starts nothing.
func (p *Plan) startPrimary(s Snapshot, c *counts) {
	primary, ok := p.Service.Primary()
	if !ok || c.desired == 0 || primary.RolloutState == ecs.RolloutFailed {
		return
	}
	missing := c.desired - len(staying(s, tasksOf(c.active, primary.ID)))
	room := c.maxTotal - len(c.active)
	if ecs.NativeStrategy(primary.Strategy) {
		// A native deployment runs the new revision at full count beside the old one, which
		// serves production traffic meanwhile (ECS requires no maximumPercent for it).
		room = missing
	}
	n := min(missing, room)
	if n <= 0 {
		return
	}
	if nb := p.Service.Backoff.NotBefore; s.Now.Before(nb) {
		p.requeue(nb.Sub(s.Now))
		return
	}
	svc := p.Service
	lbs := svc.LoadBalancers
	if len(primary.LoadBalancers) > 0 {
		lbs = primary.LoadBalancers // the target groups of its pair that are not live
	}
	p.Start = append(p.Start, Launch{DeploymentID: primary.ID, TaskDefinitionARN: primary.TaskDefinitionARN, Count: n,
		LaunchType: svc.LaunchType, NetworkConfiguration: svc.NetworkConfiguration, LoadBalancers: lbs})
}

func (p *Plan) requeue(d time.Duration) {
	if d > 0 && (p.RequeueAfter == 0 || d < p.RequeueAfter) {
		p.RequeueAfter = d
	}
}

func tasksOf(tasks []ecs.Task, deploymentID string) []ecs.Task {
	var out []ecs.Task
	for _, t := range tasks {
		if t.DeploymentID == deploymentID {
			out = append(out, t)
		}
	}
	return out
}

func countHealthy(tasks []ecs.Task) int {
	n := 0
	for _, t := range tasks {
		if isHealthy(t) {
			n++
		}
	}
	return n
}

// newestFirst orders tasks that have not started before started ones, then by start time,
// newest first.
func newestFirst(a, b ecs.Task) int {
	if c := cmp.Compare(boolRank(isRunning(a)), boolRank(isRunning(b))); c != 0 {
		return c
	}
	return b.StartedAt.Compare(a.StartedAt)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func scalingReason(deploymentID string) string {
	return "Scaling activity initiated by (deployment " + deploymentID + ")"
}

func event(at time.Time, msg string) ecs.ServiceEvent {
	return ecs.ServiceEvent{ID: eventID(at, msg), CreatedAt: at, Message: msg}
}

// nativeDeployments returns the deployments whose tasks a native deployment keeps running
// (held) and those the deployer released (INACTIVE), by id.
func nativeDeployments(s ecs.Service) (held, released map[string]bool) {
	held, released = map[string]bool{}, map[string]bool{}
	for _, d := range s.Deployments {
		switch {
		case d.Status == ecs.DeploymentInactive:
			released[d.ID] = true
		case s.HeldByNative(d):
			held[d.ID] = true
		}
	}
	return held, released
}
