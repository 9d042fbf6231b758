package daemon

import (
	"time"

	"github.com/fargohq/fargo/internal/liveness"
)

// Defaults of Config.AgentTimeout and Config.LostInstanceGrace.
const (
	DefaultAgentTimeout      = liveness.DefaultTimeout
	DefaultLostInstanceGrace = liveness.DefaultGrace
)

// maxHeartbeatInterval is how often agents confirm their instances unless the agent timeout
// asks for more.
const maxHeartbeatInterval = 10 * time.Second

// heartbeatInterval is the agent heartbeat that fits an agent timeout: three beats within it,
// at most every 10 s.
func heartbeatInterval(agentTimeout time.Duration) time.Duration {
	if agentTimeout <= 0 {
		agentTimeout = liveness.DefaultTimeout
	}
	return min(maxHeartbeatInterval, agentTimeout/3)
}
