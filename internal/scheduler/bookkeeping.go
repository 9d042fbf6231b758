package scheduler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// Launch backoff: after backoffAfter consecutive failed launches the scheduler waits
// backoffBase, doubling with each further failure up to backoffMax.
const (
	backoffAfter = 3
	backoffBase  = 5 * time.Second
	backoffMax   = 5 * time.Minute
)

// updateBackoff counts the failed launches since the last task that started well and sets when
// the next launch may happen.
//
// ECS reports a service that cannot start its tasks once per backoff, not once per failed task:
// the event comes when the backoff begins, and again only when a task launched after the
// previous backoff ended failed too. Failures of tasks launched before (a batch that fails
// within a second) lengthen the backoff without repeating the event.
func (p *Plan) updateBackoff(s Snapshot) {
	prev := p.Service.Backoff
	b := prev
	var lastFailure time.Time
	for _, t := range s.Tasks {
		if t.LaunchFailed() && t.StoppedAt.After(lastFailure) {
			lastFailure = t.StoppedAt
		}
	}
	for _, t := range s.Tasks {
		if isHealthy(t) && t.StartedAt.After(lastFailure) && t.StartedAt.After(b.ResetAt) {
			b.ResetAt = t.StartedAt
		}
	}
	failures := 0
	for _, t := range s.Tasks {
		if t.LaunchFailed() && t.StoppedAt.After(b.ResetAt) {
			failures++
		}
	}
	b.NotBefore = time.Time{}
	if failures >= backoffAfter {
		b.NotBefore = lastFailure.Add(backoffDelay(failures))
	}
	if failures >= backoffAfter && failures > prev.ConsecutiveFailures && !s.Now.Before(prev.NotBefore) {
		p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", s.Service.Name)))
	}
	b.ConsecutiveFailures = failures
	p.Service.Backoff = b
}

func backoffDelay(failures int) time.Duration {
	d := backoffBase
	for i := backoffAfter; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

// tidyDeployments drops finished deployments, updates the PRIMARY one and reports a completed
// deployment and a steady state.
func (p *Plan) tidyDeployments(s Snapshot, c *counts) {
	primary, ok := s.Service.Primary()
	if !ok {
		return
	}
	live := map[string]int{}
	for _, t := range s.Tasks {
		if !t.IsStopped() {
			live[t.DeploymentID]++
		}
	}
	var kept []ecs.Deployment
	for _, d := range p.Service.Deployments {
		if d.Status != ecs.DeploymentPrimary && live[d.ID] == 0 {
			continue // its last task is gone: the deployment leaves deployments[]
		}
		if d.Status == ecs.DeploymentPrimary {
			d.DesiredCount = c.desired
		}
		kept = append(kept, d)
	}
	p.Service.Deployments = kept
	steady := len(kept) == 1 && len(p.Start) == 0 && len(p.Stop) == 0 &&
		countHealthy(c.active) == c.desired && len(c.active) == c.desired && s.Service.Active()
	if steady && primary.RolloutState == ecs.RolloutInProgress && p.evidenceEnough(s, primary) {
		p.completeRollout(s, primary.ID)
	}
	if steady && !s.Service.Steady {
		p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) has reached a steady state.", s.Service.Name)))
	}
	p.Service.Steady = steady
	p.addStopEvent(s)
}

func (p *Plan) completeRollout(s Snapshot, id string) {
	for i := range p.Service.Deployments {
		d := &p.Service.Deployments[i]
		if d.ID == id {
			p.Service.StableTaskDefinitionARN = d.TaskDefinitionARN
			d.RolloutState = ecs.RolloutCompleted
			d.RolloutStateReason = "ECS deployment " + id + " completed."
			d.UpdatedAt = s.Now
		}
	}
	p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) (deployment %s) deployment completed.", s.Service.Name, id)))
}

func (p *Plan) addStopEvent(s Snapshot) {
	if len(p.Stop) == 0 {
		return
	}
	ids := make([]string, len(p.Stop))
	for i, st := range p.Stop {
		ids[i] = st.TaskID
	}
	p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) has stopped %d running tasks: %s.", s.Service.Name, len(ids), taskList(ids))))
}

// StartedEvent is the event for tasks a plan's launch started.
func StartedEvent(service string, taskIDs []string, at time.Time) ecs.ServiceEvent {
	return event(at, fmt.Sprintf("(service %s) has started %d tasks: %s.", service, len(taskIDs), taskList(taskIDs)))
}

func taskList(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "(task " + id + ")"
	}
	return strings.Join(parts, " ")
}

// drainToInactive finishes deleting a DRAINING service once none of its tasks is left.
func (p *Plan) drainToInactive(s Snapshot) {
	if s.Service.Status != ecs.ServiceDraining {
		return
	}
	for _, t := range s.Tasks {
		if !t.IsStopped() {
			return
		}
	}
	p.Service.Status = ecs.ServiceInactive
	p.Service.Steady = false
}

// eventID derives a stable, UUID-shaped id from an event, so that planning stays pure.
func eventID(at time.Time, msg string) string {
	sum := sha256.Sum256([]byte(at.UTC().Format(time.RFC3339Nano) + msg))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// evidenceEnough reports whether a deployment of a service with a traffic budget has been
// judged on enough traffic to complete: min-requests served, or the window passed. Until then
// it stays IN_PROGRESS, so that the budget can still roll it back.
func (p *Plan) evidenceEnough(s Snapshot, d ecs.Deployment) bool {
	budget, ok := s.Service.Budget()
	if !ok {
		return true
	}
	var sum ecs.TrafficStats
	for _, t := range s.Tasks {
		if t.DeploymentID == d.ID {
			sum = sum.Add(t.Traffic)
		}
	}
	if sum.Requests >= budget.MinRequests {
		return true
	}
	if until := d.CreatedAt.Add(budget.Window); s.Now.Before(until) {
		p.requeue(until.Sub(s.Now))
		return false
	}
	return true
}
