package liveness

import (
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

// Verdict is what the controller must do about one container instance.
type Verdict struct {
	// Disconnect: mark the instance agentConnected: false.
	Disconnect bool
	// StopTasks: record the instance's tasks as lost with their host.
	StopTasks bool
	// RecheckAfter is when the verdict may change if no heartbeat comes; 0 when only a
	// heartbeat can change it.
	RecheckAfter time.Duration
}

// Judge decides about an instance whose last heartbeat this controller saw at lastSeen. It is
// pure.
func Judge(in ecs.ContainerInstance, lastSeen, now time.Time, cfg Config) Verdict {
	silent := now.Sub(lastSeen)
	lost := cfg.Timeout + cfg.Grace
	switch {
	case silent >= lost:
		return Verdict{Disconnect: in.AgentConnected, StopTasks: true}
	case silent >= cfg.Timeout:
		return Verdict{Disconnect: in.AgentConnected, RecheckAfter: lost - silent}
	case in.AgentConnected:
		return Verdict{RecheckAfter: cfg.Timeout - silent}
	default:
		// Marked disconnected before this controller's time (it restarted): the grace counts
		// from its first sight.
		return Verdict{RecheckAfter: lost - silent}
	}
}
