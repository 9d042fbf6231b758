package ecsapi

import (
	"runtime"

	"github.com/fargohq/fargo/internal/ecs"
)

// attachmentTypeENI is the type of the network interface attachment of an awsvpc task.
const attachmentTypeENI = "ElasticNetworkInterface"

// eniAttachment is the attachment ECS reports for a task in awsvpc mode (one that was given a
// network configuration), which clients read the task's address from
// (details[privateIPv4Address]). fargo creates no network interface: the attachment carries
// the subnet the task was given, an interface id derived from the task's, and the address its
// ports are bound on once they are (the network bindings' bindIP); no MAC address and no DNS
// name, which fargo does not have. docs/wire-defaults.md has the rules.
func eniAttachment(t ecs.Task) (wireAttachment, bool) {
	if len(t.NetworkConfiguration.Subnets) == 0 || len(t.ID) != 32 {
		return wireAttachment{}, false
	}
	details := []wireKeyValuePair{
		{Name: ptr("subnetId"), Value: ptr(t.NetworkConfiguration.Subnets[0])},
		{Name: ptr("networkInterfaceId"), Value: ptr("eni-" + t.ID[:17])},
	}
	if ip := taskAddress(t); ip != "" {
		details = append(details, wireKeyValuePair{Name: ptr("privateIPv4Address"), Value: ptr(ip)})
	}
	return wireAttachment{ID: ptr(attachmentID(t.ID)), Type: ptr(attachmentTypeENI), Status: ptr(attachmentStatus(t.LastStatus)), Details: details}, true
}

// attachmentID writes a task id (32 hex digits) as the UUID ECS gives an attachment.
func attachmentID(taskID string) string {
	return taskID[:8] + "-" + taskID[8:12] + "-" + taskID[12:16] + "-" + taskID[16:20] + "-" + taskID[20:]
}

// attachmentStatus follows a task's interface through the task's life as ECS reports it.
func attachmentStatus(s ecs.TaskStatus) string {
	switch s {
	case ecs.TaskProvisioning:
		return "PRECREATED"
	case ecs.TaskDeprovisioning:
		return "DETACHED"
	case ecs.TaskStopped:
		return "DELETED"
	}
	return "ATTACHED"
}

// taskAddress is the address the task's container ports are bound on, "" before they are.
func taskAddress(t ecs.Task) string {
	for _, c := range t.Containers {
		for _, b := range c.NetworkBindings {
			if b.BindIP != "" {
				return b.BindIP
			}
		}
	}
	return ""
}

// containerInterfaces are a container's network interfaces: the task's, for awsvpc tasks.
func containerInterfaces(eni wireAttachment, ok bool, ip string) []wireNetworkInterface {
	if !ok {
		return []wireNetworkInterface{}
	}
	return []wireNetworkInterface{{AttachmentID: eni.ID, PrivateIpv4Address: optional(ip)}}
}

// cpuArchitecture is the ecs.cpu-architecture attribute of a Fargate task: the architecture
// of the machine fargo runs its tasks on, in ECS's words.
func cpuArchitecture() wireAttribute {
	arch := runtime.GOARCH
	if arch == "amd64" {
		arch = "x86_64"
	}
	return wireAttribute{Name: ptr("ecs.cpu-architecture"), Value: ptr(arch)}
}
