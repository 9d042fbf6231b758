// Package liveness is the control plane's watch over the agents of container instances. An
// agent confirms its instance by a heartbeat in the store; an instance whose heartbeat has not
// changed for Config.Timeout, as this controller's own clock counts (so clocks of other
// machines do not matter), turns agentConnected: false and takes no new tasks. Once it has
// stayed silent for Config.Grace more, its tasks are recorded as STOPPED (ecs.Task.LostWithHost)
// so that their services replace them on other instances. When the agent comes back it stops
// whatever of those tasks still runs on its node, and connects the instance again itself.
package liveness
