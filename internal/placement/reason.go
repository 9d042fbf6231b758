package placement

import (
	"fmt"

	"github.com/fargohq/fargo/internal/ecs"
)

// Reason is why an instance cannot take a task, in the words of RunTask's failures.
type Reason string

// Reasons, in the order Place checks them: a later one means the instance came closer.
const (
	ReasonAgent            Reason = "AGENT"
	ReasonCPU              Reason = "RESOURCE:CPU"
	ReasonMemory           Reason = "RESOURCE:MEMORY"
	ReasonPorts            Reason = "RESOURCE:PORTS"
	ReasonPortsUDP         Reason = "RESOURCE:PORTS_UDP"
	ReasonMemberOf         Reason = "MemberOf placement constraint unsatisfied."
	ReasonDistinctInstance Reason = "DistinctInstance placement constraint unsatisfied."
)

// NoInstances is ECS's reason when a cluster has no container instance to place on.
const NoInstances = "No Container Instances were found in your cluster."

// Failure says why no instance could take a task.
type Failure struct {
	// Instance is the instance that came closest; the zero value when the cluster has no
	// ACTIVE instance at all.
	Instance ecs.ContainerInstance
	Reason   Reason
}

// NoInstance reports whether the cluster had no ACTIVE instance to consider.
func (f Failure) NoInstance() bool { return f.Instance.ID == "" }

// ServiceEvent is the event ECS writes on a service whose task could not be placed.
func (f Failure) ServiceEvent(service string) string {
	const prefix = "(service %s) was unable to place a task because no container instance met all of its requirements. "
	if f.NoInstance() {
		return fmt.Sprintf(prefix+"Reason: "+NoInstances, service)
	}
	var why string
	switch f.Reason {
	case ReasonCPU:
		why = "has insufficient CPU units available"
	case ReasonMemory:
		why = "has insufficient memory available"
	case ReasonPorts, ReasonPortsUDP:
		why = "is already using a port required by your task"
	default:
		why = fmt.Sprintf("encountered error %q", string(f.Reason))
	}
	return fmt.Sprintf(prefix+"The closest matching container-instance %s %s. For more information, see the Troubleshooting section.", service, f.Instance.ID, why)
}
