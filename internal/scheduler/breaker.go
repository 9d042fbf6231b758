package scheduler

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// checkBreaker counts the PRIMARY deployment's failed tasks since one of its tasks last ran
// healthy and, when the circuit breaker is on and the count reaches the threshold, fails the
// deployment and, with rollback, starts a new deployment of the last stable task definition.
func (p *Plan) checkBreaker(s Snapshot, c *counts) {
	i := primaryIndex(p.Service)
	if i < 0 {
		return
	}
	d := &p.Service.Deployments[i]
	failedTasks, reset := ecs.FailedLaunches(s.Tasks, d.ID, d.FailureResetAt)
	failed := len(failedTasks)
	d.FailedTasks, d.FailureResetAt = failed, reset
	cfg := s.Service.DeploymentConfiguration
	if d.RolloutState != ecs.RolloutInProgress {
		return
	}
	if held, _ := nativeDeployments(s.Service); len(held) > 0 {
		return // the deployer judges a native deployment and rolls it back
	}
	if cfg.CircuitBreakerEnable && failed >= ecs.BreakerThreshold(c.desired) {
		p.failDeployment(s, i, "ECS deployment circuit breaker: tasks failed to start.", "tasks failed to start.", cfg.CircuitBreakerRollback)
		return
	}
	if why := trafficVerdict(s, d.ID); why != "" {
		// Beyond ECS: the load balancer's own evidence about the new revision.
		p.failDeployment(s, i, "fargo load balancer evidence: "+why+".", why+".", true)
	}
}

// trafficVerdict judges the traffic the load balancer counted for a deployment's tasks against
// the service's budget.
func trafficVerdict(s Snapshot, deploymentID string) string {
	budget, ok := s.Service.Budget()
	if !ok {
		return ""
	}
	var sum ecs.TrafficStats
	for _, t := range s.Tasks {
		if t.DeploymentID == deploymentID {
			sum = sum.Add(t.Traffic)
		}
	}
	return budget.Exceeded(sum)
}

// failDeployment marks PRIMARY deployment i FAILED and, with rollback, rolls back to the last
// stable task definition.
func (p *Plan) failDeployment(s Snapshot, i int, reason, eventText string, rollback bool) {
	d := &p.Service.Deployments[i]
	d.RolloutState = ecs.RolloutFailed
	d.RolloutStateReason = reason
	d.UpdatedAt = s.Now
	p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) (deployment %s) deployment failed: %s", s.Service.Name, d.ID, eventText)))
	if rollback && p.Service.StableTaskDefinitionARN != "" {
		p.rollBack(s, i)
	}
}

// rollBack replaces the failed PRIMARY deployment i with a new deployment of the last stable
// task definition; the failed one leaves deployments[] once its tasks are gone.
func (p *Plan) rollBack(s Snapshot, i int) {
	failed := &p.Service.Deployments[i]
	failed.Status = ecs.DeploymentActive
	p.Service.TaskDefinitionARN = p.Service.StableTaskDefinitionARN
	d := ecs.NewDeployment(rollbackID(failed.ID, s.Now), p.Service, s.Now)
	d.RollbackOf = failed.ID
	d.LoadBalancers = slices.Clone(failed.LoadBalancers)
	d.RolloutStateReason = "ECS deployment " + d.ID + " in progress. Rolling back from " + failed.ID + "."
	p.Service.Deployments = append([]ecs.Deployment{d}, p.Service.Deployments...)
	p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) (deployment %s) rolling back to task definition %s.", s.Service.Name, d.ID, p.Service.StableTaskDefinitionARN)))
}

// rollbackID derives the rollback deployment's id from the failed one, so planning stays pure.
func rollbackID(failedID string, at time.Time) string {
	sum := sha256.Sum256([]byte(failedID + at.UTC().Format(time.RFC3339Nano)))
	return ecs.DeploymentID(binary.BigEndian.Uint64(sum[:8]))
}

func primaryIndex(s ecs.Service) int {
	for i, d := range s.Deployments {
		if d.Status == ecs.DeploymentPrimary {
			return i
		}
	}
	return -1
}
