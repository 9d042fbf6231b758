package scheduler

import (
	"cmp"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// instanceTimeout is how long a container instance may miss heartbeats before tasks are no
// longer placed on it.
const instanceTimeout = 30 * time.Second

// Place picks the container instance for a new task among a cluster's instances: an ACTIVE,
// connected instance, spreading tasks by choosing the one with the fewest (load counts the
// tasks already placed on each instance, and Place adds the new one). ok is false when no
// instance can take the task.
func Place(instances []ecs.ContainerInstance, load map[string]int, now time.Time) (ecs.ContainerInstance, bool) {
	var candidates []ecs.ContainerInstance
	for _, in := range instances {
		if in.Status == ecs.InstanceActive && in.AgentConnected && now.Sub(in.LastHeartbeat) < instanceTimeout {
			candidates = append(candidates, in)
		}
	}
	if len(candidates) == 0 {
		return ecs.ContainerInstance{}, false
	}
	best := slices.MinFunc(candidates, func(a, b ecs.ContainerInstance) int {
		if c := cmp.Compare(load[a.ID], load[b.ID]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	load[best.ID]++
	return best, true
}
