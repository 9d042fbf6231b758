package scheduler

import (
	"fmt"
	"slices"

	"github.com/fargohq/fargo/internal/ecs"
)

// planTaskSets plans an EXTERNAL or CODE_DEPLOY service: each task set runs its computed desired count (its
// scale of the service's desired count), independently of the others, since the deployer that
// owns the task sets decides how they overlap. Failing tasks are replaced as in any service,
// tasks of no task set stop, and a DRAINING task set leaves the service once its tasks are gone.
func planTaskSets(s Snapshot) Plan {
	p := Plan{Service: s.Service}
	p.Service.TaskSets = slices.Clone(s.Service.TaskSets)
	c := newCounts(s)
	p.stopUnhealthy(s, c)
	p.stopOrphans(s, c)
	p.updateBackoff(s)
	for _, ts := range s.Service.TaskSets {
		p.scaleTaskSet(s, c, ts)
	}
	p.tidyTaskSets(s, c)
	p.addStopEvent(s)
	p.drainToInactive(s)
	return p
}

// stopOrphans stops tasks whose task set is gone.
func (p *Plan) stopOrphans(s Snapshot, c *counts) {
	for _, t := range slices.Clone(c.active) {
		if _, ok := s.Service.TaskSet(t.DeploymentID); !ok {
			p.stop(c, t, "Scaling activity initiated by (task set "+t.DeploymentID+")")
		}
	}
}

// scaleTaskSet starts or stops tasks of ts until it runs its computed desired count; extra
// tasks go pending ones first, then the newest.
func (p *Plan) scaleTaskSet(s Snapshot, c *counts, ts ecs.TaskSet) {
	want := s.Service.TaskSetDesiredCount(ts)
	mine := tasksOf(c.active, ts.ID)
	if extra := len(mine) - want; extra > 0 {
		slices.SortFunc(mine, newestFirst)
		for _, t := range mine[:extra] {
			p.stop(c, t, scalingReason(ts.ID))
		}
		return
	}
	missing := want - len(mine)
	if missing == 0 {
		return
	}
	if nb := p.Service.Backoff.NotBefore; s.Now.Before(nb) {
		p.requeue(nb.Sub(s.Now))
		return
	}
	p.Start = append(p.Start, Launch{DeploymentID: ts.ID, TaskDefinitionARN: ts.TaskDefinitionARN, Count: missing,
		LaunchType: ts.LaunchType, NetworkConfiguration: ts.NetworkConfiguration, LoadBalancers: ts.LoadBalancers})
}

// tidyTaskSets removes drained task sets, updates each one's stability and reports a steady
// state of the service.
func (p *Plan) tidyTaskSets(s Snapshot, c *counts) {
	live := map[string]int{}
	for _, t := range s.Tasks {
		if !t.IsStopped() {
			live[t.DeploymentID]++
		}
	}
	changing := map[string]bool{}
	for _, l := range p.Start {
		changing[l.DeploymentID] = true
	}
	for _, st := range p.Stop {
		if i := slices.IndexFunc(s.Tasks, func(t ecs.Task) bool { return t.ID == st.TaskID }); i >= 0 {
			changing[s.Tasks[i].DeploymentID] = true
		}
	}
	steady := s.Service.Active()
	kept := p.Service.TaskSets[:0]
	for _, ts := range p.Service.TaskSets {
		if ts.Status == ecs.TaskSetDraining && live[ts.ID] == 0 {
			continue // deleted: its last task is gone
		}
		mine := tasksOf(c.active, ts.ID)
		stable := !changing[ts.ID] && len(mine) == s.Service.TaskSetDesiredCount(ts) && countHealthy(mine) == len(mine)
		status := ecs.StabilityStabilizing
		if stable {
			status = ecs.StabilitySteady
		}
		if ts.StabilityStatus != status {
			ts.StabilityStatus, ts.StabilityStatusAt = status, s.Now
		}
		steady = steady && stable
		kept = append(kept, ts)
	}
	p.Service.TaskSets = kept
	if steady && !s.Service.Steady {
		p.Service.AddEvent(event(s.Now, fmt.Sprintf("(service %s) has reached a steady state.", s.Service.Name)))
	}
	p.Service.Steady = steady
}
